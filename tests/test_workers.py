"""The evaluation pool's workers (issue 16)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from gateway.config import load_settings
from gateway.pipeline import build_stages
from gateway.workers import WORKER_NICE, EvaluationPool


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            out += [int(child), *_descendants(int(child))]
    return out


def test_the_workers_run_nicer_than_the_daemon_so_its_commits_keep_the_cpu(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n[processing]\nworkers = 2\n', encoding="utf-8")
    settings = load_settings(cfg)
    pool = EvaluationPool(settings, build_stages(settings).rulebook)
    try:
        pool.warm()
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        deadline = time.monotonic() + 60
        nicer: list[int] = []
        while time.monotonic() < deadline and len(nicer) < 2:
            nicer = [p for p in _descendants(os.getpid()) if os.getpriority(os.PRIO_PROCESS, p) == ours + WORKER_NICE]
            time.sleep(0.1)
        assert len(nicer) == 2  # the two workers, not the fork server that starts them
    finally:
        pool.close()
