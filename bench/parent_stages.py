"""The parent process of `gateway run --once`, stage by stage (issue 16): where its serial time goes.

Runs `gateway run --once --config CONFIG` in this process with timers around the parent's own stages —
intake (fetch and spool), claim, waiting for the evaluation pool, the commit (`finish_many`) and, inside
it, dispose, register `record` and the reply/alert rendering, then the outbox's SMTP sends and the IMAP
move — and prints one JSON object: per stage the calls, wall seconds and CPU seconds of this process,
and the whole run's CPU seconds. The workers' evaluation is not in it (other processes).

    .venv/bin/python bench/parent_stages.py CONFIG [--profile parent.prof]

`--profile` also writes a cProfile of the run (the timers then include the profiler's overhead).
`bench_mailbox.py` runs it on a mailbox of its own after the timed run.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (stage name, module, attribute path): each is wrapped where the caller looks it up.
STAGES = (
    ("intake", "gateway.intake.imap", "ImapIntake.take_in"),
    ("claim", "gateway.processor", "claim_many"),
    ("await workers", "gateway.workers", "EvaluationPool.result"),
    ("commit (all)", "gateway.processor", "finish_many"),
    ("  store derived", "gateway.processor", "_store_derived"),
    ("  dispose", "gateway.processor", "dispose"),
    ("  register", "gateway.processor", "record"),
    ("  reply render", "gateway.processor", "letter_messages"),
    ("  enqueue", "gateway.processor", "enqueue"),
    ("SMTP", "gateway.outbox", "send_pending"),
    ("move", "gateway.intake.imap", "ImapIntake.file_decided"),
)


class Timers:
    def __init__(self) -> None:
        self.figures: dict[str, list[float]] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                calls, w, c = self.figures.setdefault(name, [0, 0.0, 0.0])
                self.figures[name] = [calls + 1, w + time.perf_counter() - wall, c + time.process_time() - cpu]

        return timed

    def install(self) -> None:
        import importlib

        for name, module, path in STAGES:
            owner: Any = importlib.import_module(module)
            *parents, attr = path.split(".")
            for part in parents:
                owner = getattr(owner, part)
            setattr(owner, attr, self.wrap(name, getattr(owner, attr)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--profile", type=Path, help="also write a cProfile of the run here")
    args = parser.parse_args()
    timers = Timers()
    timers.install()
    from gateway.cli import app

    profiler = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    try:
        app(["run", "--once", "--config", str(args.config)], standalone_mode=False)
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
    out = {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "stages": {name: dict(zip(("calls", "wall_s", "cpu_s"), v, strict=True)) for name, v in timers.figures.items()},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
