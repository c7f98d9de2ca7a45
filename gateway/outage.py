"""Infrastructure outages — the database, the storage volume — told apart from a letter's own faults.

A letter that breaks the pipeline three times goes to quarantine for a clerk (`processor.MAX_ATTEMPTS`):
that is for the *letter's* fault. A database that does not answer, a full disk or a storage folder that
does not hold the original is *ours*: the letter waits, its attempts are not counted, and the log says so
once per outage (`Outage`), not with a traceback every few seconds.

`is_infrastructure(exc)` is the one place that decides which errors are ours.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger("gateway.outage")

# Errors of the storage volume, not of a letter: full, over quota, read-only, failing, or not mounted.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.ENOENT, errno.EACCES})


def is_database_down(exc: BaseException) -> bool:
    """The database cannot be reached or used (not a constraint or a programming error)."""
    if isinstance(exc, OperationalError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def is_storage_fault(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS


def is_infrastructure(exc: BaseException) -> bool:
    """True when `exc` is the gateway's own trouble (database, storage), never the letter's."""
    return is_database_down(exc) or is_storage_fault(exc)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


class Outage:
    """One outage of one dependency: logged once when it starts, once when it ends, backed off between.

    `failed(exc)` records a failure (a warning the first time, debug after) and sets when to try next
    (doubling from `base` up to `cap` seconds); `due()` says whether a job should try now; `ok()` ends the
    outage (an info line with its length). Thread-safe: every scheduled job shares one per dependency."""

    def __init__(self, name: str, *, base: float = 1.0, cap: float = 10.0, clock: Callable[[], float] = time.monotonic):
        self.name = name
        self.base, self.cap = base, cap
        self._clock = clock
        self._lock = threading.Lock()
        self.since: float | None = None
        self.failures = 0
        self._next_try = 0.0

    @property
    def down(self) -> bool:
        return self.since is not None

    def due(self) -> bool:
        with self._lock:
            return self.since is None or self._clock() >= self._next_try

    def failed(self, exc: BaseException) -> float:
        """Record a failure; returns the seconds until the next try."""
        with self._lock:
            now = self._clock()
            self.failures += 1
            delay = min(self.base * 2 ** min(self.failures - 1, 30), self.cap)
            self._next_try = now + delay
            if self.since is None:
                self.since = now
                log.warning(
                    "%s unavailable: %s; retrying with backoff (up to every %.0f s)",
                    self.name,
                    first_line(exc),
                    self.cap,
                )
            else:
                log.debug("%s still unavailable (%d failures): %s", self.name, self.failures, first_line(exc))
            return delay

    def ok(self) -> None:
        with self._lock:
            if self.since is None:
                return
            log.warning(
                "%s available again after %.0f s (%d failed attempts)",
                self.name,
                self._clock() - self.since,
                self.failures,
            )
            self.since = None
            self.failures = 0
            self._next_try = 0.0
