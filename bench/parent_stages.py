"""The parent process of `gateway run --once`, stage by stage (issue 16): where its serial time goes.

Runs `gateway run --once --config CONFIG` in this process with timers around the parent's own stages —
intake (fetch and spool), claim, waiting for the evaluation pool, the commit (`finish_many`) and, inside
it, dispose, register `record` and the reply/alert rendering, then the outbox's SMTP sends and the IMAP
move — and prints one JSON object: per stage the calls, wall seconds and CPU seconds of this process,
and the whole run's CPU seconds. The workers' evaluation is not in it (other processes).

It also prints the run's timeline (seconds from the start of the run): each stage's first start and last
end, when the evaluation pool's workers had all answered the warm-up, when the pool was closed, and the
end — so phases that run one after the other, with the cores idle, show (issue 16).

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
from collections import Counter
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
    ("pool close", "gateway.workers", "EvaluationPool.close"),
)


class Timers:
    def __init__(self) -> None:
        self.figures: dict[str, list[float]] = {}
        self.spans: dict[str, list[float]] = {}  # stage → [first start, last end], monotonic
        self.pool_ready: float | None = None

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if name == "pool close" and args:
                self.pool_ready = self.pool_ready or getattr(args[0], "ready_at", None)
            wall, cpu, start = time.perf_counter(), time.process_time(), time.monotonic()
            try:
                return fn(*args, **kwargs)
            finally:
                calls, w, c = self.figures.setdefault(name, [0, 0.0, 0.0])
                self.figures[name] = [calls + 1, w + time.perf_counter() - wall, c + time.process_time() - cpu]
                span = self.spans.setdefault(name, [start, 0.0])
                span[1] = time.monotonic()

        return timed

    def timeline(self, t0: float, end: float) -> dict[str, list[float]]:
        """Seconds from `t0`: [first start, last end] per stage; "pool ready" and "exit" as [t, t]."""
        out = {name: [round(a - t0, 3), round(b - t0, 3)] for name, (a, b) in self.spans.items()}
        if self.pool_ready is not None:
            out["pool ready"] = [round(self.pool_ready - t0, 3)] * 2
        out["exit"] = [round(end - t0, 3)] * 2
        return dict(sorted(out.items(), key=lambda kv: kv[1]))

    def install(self) -> None:
        import importlib

        for name, module, path in STAGES:
            owner: Any = importlib.import_module(module)
            *parents, attr = path.split(".")
            for part in parents:
                owner = getattr(owner, part)
            setattr(owner, attr, self.wrap(name, getattr(owner, attr)))


def count_statements() -> Counter[str]:
    """SQL statements the parent runs, by their first words (`INSERT INTO register_entries`, `SELECT … FROM
    letters`), counted: how many round trips to the database a letter costs."""
    import re

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    counts: Counter[str] = Counter()

    @event.listens_for(Engine, "before_cursor_execute")
    def seen(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        words = statement.split()
        table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", statement)
        counts[" ".join(words[:1] + ([table.group(1)] if table else []))] += 1

    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--profile", type=Path, help="also write a cProfile of the run here")
    args = parser.parse_args()
    timers = Timers()
    timers.install()
    statements = count_statements()
    from gateway.cli import app

    profiler = cProfile.Profile() if args.profile else None
    wall, cpu, t0 = time.perf_counter(), time.process_time(), time.monotonic()
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
        "timeline": timers.timeline(t0, time.monotonic()),
        "statements": dict(statements.most_common()),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
