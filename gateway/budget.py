"""`[processing]` in config.toml: the per-letter budget and the evaluation pool (issues 16 and 17).

`workers` (0: one per core), `memory_limit_mb` (RLIMIT_AS of each worker; 0: none), `time_limit_seconds`
(wall clock for one letter), `max_attempts` (evaluations started, a crash counted, before a letter is set
aside), `lease_seconds` (a claim's lease), `max_attachments` (documents in one letter), `max_text_chars`
(text kept per page read).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gateway.config import Section


@dataclass(frozen=True)
class ProcessingSettings:
    workers: int = 0  # evaluation processes; 0: one per core
    memory_limit_mb: int = 1024  # RLIMIT_AS of each worker (address space, MiB); 0: none
    time_limit_seconds: float = 300.0  # wall clock for one letter's evaluation
    max_attempts: int = 3  # evaluations started (a crash counts) before a letter is set aside
    lease_seconds: float = 0.0  # a claim's lease; 0: twice the time limit plus a minute
    max_attachments: int = 50  # documents (PDF or editable) evaluated in one letter; more: refused unread
    max_text_chars: int = 200_000  # text kept per page read (first, last), derived text stored beside

    @property
    def pool_size(self) -> int:
        return self.workers or max(1, len(os.sched_getaffinity(0)))

    @property
    def lease(self) -> float:
        return self.lease_seconds or 2 * self.time_limit_seconds + 60


def processing_settings(sec: Section) -> ProcessingSettings:
    """`[processing]` → `ProcessingSettings`; raises `ConfigError` naming the key."""
    settings = ProcessingSettings(
        workers=sec.int("workers", 0, minimum=0),
        memory_limit_mb=sec.int("memory_limit_mb", 1024, minimum=0),
        time_limit_seconds=sec.float("time_limit_seconds", 300.0, minimum=1),
        max_attempts=sec.int("max_attempts", 3, minimum=1),
        lease_seconds=sec.float("lease_seconds", 0.0, minimum=0),
        max_attachments=sec.int("max_attachments", 50, minimum=1),
        max_text_chars=sec.int("max_text_chars", 200_000, minimum=1000),
    )
    if 0 < settings.memory_limit_mb < 256:
        raise sec.error("memory_limit_mb", f"must be 0 (no limit) or at least 256, not {settings.memory_limit_mb}")
    sec.check_unknown()
    return settings
