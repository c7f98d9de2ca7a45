"""The evaluation pool: each letter is evaluated in a worker process whose memory and time are capped.

Evaluation (parse, safety scan, signatures, text and OCR — `gateway.pipeline.evaluate_letter`) is pure and
CPU-bound, so it runs in a pool of worker processes sized to the cores (issue 16); numbering, register
writes, replies and filing stay in the daemon, serialised through the database (`gateway.processor`).

Each worker runs under `RLIMIT_AS` (`memory_limit_mb`, Tesseract included: it runs in the worker) and each
letter under a wall-clock limit (`time_limit_seconds`): a letter that goes over either — a MemoryError,
a worker killed or dead, the time limit — is reported as `OverBudget` and quarantined with reason
`resource_limit` (issue 17); pebble replaces the dead or killed worker. Workers are not forked from the daemon, so
no lock held by a daemon thread is copied into them (a fork server that has imported the pipeline forks
them); each builds its own `Stages` once, with the rules
the daemon has loaded (a worker restarted while a rule edit is broken keeps the last good rules).

The limits are `[processing]` in config.toml (`gateway.budget`).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import resource
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from gateway.budget import ProcessingSettings, processing_settings
from gateway.config import Settings
from gateway.pdf.signature_settings import SignatureSettings, signature_settings
from gateway.pipeline import Evaluation, Stages, build_stages, evaluate_stored
from gateway.rules import RuleBook

log = logging.getLogger("gateway.workers")
MiB = 1024 * 1024
WORKER_NICE = 5  # workers run this much nicer than the daemon (os.nice)


class OverBudget(Exception):
    """A letter's evaluation went over its memory or time budget, or killed its worker."""


_stages: Stages | None = None


def _start_worker(settings: Settings, rulebook: RuleBook, memory_limit_mb: int) -> None:
    global _stages, _trust_read
    if memory_limit_mb:
        limit = memory_limit_mb * MiB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    logging.getLogger().setLevel(logging.WARNING)
    # The daemon's commits are the serial stage (numbers, register, replies, one after the other) and the
    # workers have slack: on a 2-core machine they must not take the CPU from it (issue 16). Tesseract runs
    # in the worker (`gateway.ocr_engine`), at the same lower priority.
    os.nice(WORKER_NICE)
    # Marked before `build_stages` reads the trust folder: a change made meanwhile is read at the first letter.
    _trust_read = trust_mark(signature_settings(settings.section("signatures"), storage_dir=settings.storage_dir))
    _stages = build_stages(settings, rulebook=rulebook)
    _ = _stages.verifier  # built now (pyHanko's validation context), not at the first letter


_trust_read: tuple[int, ...] | None = None  # `trust_mark` when this worker's verifier last read them


def trust_mark(settings: SignatureSettings) -> tuple[int, ...]:
    """When the trust folder and the revocation cache last changed (a file added, replaced or removed —
    the daemon's CRL refresher writes the cache by renaming, an admin drops a CRL in the trust folder)."""
    folders = [settings.trust_dir, *([settings.refresh.cache_dir] if settings.refresh.cache_dir else [])]
    marks = []
    for folder in folders:
        try:
            marks.append(folder.stat().st_mtime_ns)
        except OSError:
            marks.append(0)
    return tuple(marks)


def _fresh_trust(stages: Stages) -> None:
    """Read the trust folder and the CRLs again if they changed since this worker last did: the daemon
    refreshes the CRLs, the workers verify with them (`Gateway.refresh_revocation`)."""
    global _trust_read
    mark = trust_mark(stages.signatures)
    if mark == _trust_read:
        return
    _trust_read = mark
    try:
        stages.verifier.reload()
    except Exception as exc:  # a broken edit of the trust folder: the last good store stays, as in the daemon
        log.error("trust folder not read again, the last good one stays in use: %s", exc)


def _evaluate(
    raw_path: str, received_at: datetime, truncated: bool, direct: bool, began: str | None = None
) -> Evaluation:
    assert _stages is not None, "worker not initialised"
    if began is not None:
        with contextlib.suppress(OSError):  # `processor.began_mark`: evaluated in this worker, not the claimer
            Path(began).write_text(str(os.getpid()), encoding="ascii")
    _fresh_trust(_stages)
    ev = evaluate_stored(Path(raw_path), received_at=received_at, stages=_stages, truncated=truncated, direct=direct)
    return _without_attachment_bytes(ev)


def _without_attachment_bytes(ev: Evaluation) -> Evaluation:
    """The evaluation as the daemon needs it: the attachments' bytes stay in the worker (their hash and size
    go). They would be pickled through the pool's pipe and copied into the daemon (a 49 MB PDF: 100 MB
    more at the daemon's peak, issue 16), which reads only the letter's headers; whoever needs the bytes
    (a DMS package, the web workplace) reads them from the stored raw letter."""
    if ev.letter is None or not ev.letter.attachments:
        return ev
    attachments = tuple(replace(a, data=b"") for a in ev.letter.attachments)
    return replace(ev, letter=replace(ev.letter, attachments=attachments))


def _ping() -> bool:
    return _stages is not None


_M_ARENA_MAX = -8  # glibc's mallopt parameter number
ARENAS = 2


def limit_malloc_arenas(default: int = ARENAS) -> int | None:
    """Fewer glibc malloc arenas for this process and the processes it starts (the fork server, the pool
    workers, Tesseract): a threaded process otherwise gets up to eight per core, each keeping freed memory
    of its own; measured in issue 16, MALLOC_ARENA_MAX=2 saved the daemon 80-100 MB during OCR bursts.
    An admin's MALLOC_ARENA_MAX in the environment wins. Returns the limit set, None where not glibc."""
    value = os.environ.setdefault("MALLOC_ARENA_MAX", str(default))
    try:
        arenas = int(value)
        libc = ctypes.CDLL(None)
        if arenas > 0 and libc.mallopt(_M_ARENA_MAX, arenas) == 1:
            return arenas
    except (ValueError, OSError, AttributeError):  # not a number, or not glibc
        pass
    return None


_PRELOAD = ["gateway.pipeline", "gateway.workers"]


def _context() -> multiprocessing.context.BaseContext:
    """A fork server that has imported the pipeline once: a new or replaced worker starts in milliseconds
    (a spawned one imports everything again: 10-20 s on a loaded 2-core machine), and, unlike a plain
    fork of the daemon, it copies no thread or lock of the daemon's."""
    limit_malloc_arenas()  # before the fork server starts: it and its children read it from the environment
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


class EvaluationPool:
    """Worker processes that evaluate letters; `submit` → a future, `result` → the Evaluation or OverBudget."""

    def __init__(self, settings: Settings, rulebook: RuleBook, processing: ProcessingSettings | None = None):
        self.processing = processing or processing_settings(settings.section("processing"))
        self.size = self.processing.pool_size
        self._warming: threading.Thread | None = None
        self.ready_at: float | None = None  # monotonic time every worker answered the warm-up (benchmarks read it)
        self._pool = ProcessPool(
            max_workers=self.size,
            initializer=_start_worker,
            initargs=(settings, rulebook, self.processing.memory_limit_mb),
            context=_context(),
        )

    def warm(self, *, wait: bool = True) -> None:
        """Start the workers now (they build their stages), so the first letter does not wait for them.
        Starting them waits for the fork server to import the pipeline (seconds); with `wait=False` that
        happens in a thread while the caller goes on (`run --once` fetches the mailboxes meanwhile)."""

        def start() -> None:
            pings = [self._pool.schedule(_ping) for _ in range(self.size)]
            left = [len(pings)]
            lock = threading.Lock()

            def answered(_f: Future) -> None:
                with lock:
                    left[0] -= 1
                    if not left[0]:
                        self.ready_at = time.monotonic()
                        log.debug("evaluation pool warm: %d workers", self.size)

            for ping in pings:
                ping.add_done_callback(answered)

        if wait:
            start()
            return
        self._warming = threading.Thread(target=start, name="pool-warm-up", daemon=True)
        self._warming.start()

    def _warmed(self) -> None:
        if self._warming is not None:
            self._warming.join()
            self._warming = None

    def submit(
        self, raw_path: str, received_at: datetime, truncated: bool, direct: bool, *, began: str | None = None
    ) -> Future:
        """`direct`: the letter came over our SMTP listener (its Authentication-Results count for nothing)."""
        self._warmed()
        return self._pool.schedule(
            _evaluate,
            args=(raw_path, received_at, truncated, direct, began),
            timeout=self.processing.time_limit_seconds,
        )

    def result(self, future: Future) -> Evaluation:
        """The evaluation, or `OverBudget`; any other exception of the pipeline is raised as it is."""
        try:
            return future.result()
        except FutureTimeout as exc:
            raise OverBudget(f"evaluation took longer than {self.processing.time_limit_seconds:g} s") from exc
        except MemoryError as exc:
            raise OverBudget(f"evaluation needed more than {self.processing.memory_limit_mb} MiB") from exc
        except ProcessExpired as exc:
            raise OverBudget(f"the evaluating process died (exit code {exc.exitcode})") from exc

    def close(self) -> None:
        self._warmed()
        self._pool.stop()
        self._pool.join(timeout=10)
