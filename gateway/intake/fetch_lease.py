"""Who fetches a mailbox folder: one gateway process at a time (issue 16).

Two gateways on one database (two processes, or two hosts) would otherwise both fetch and spool every new
message — admission is idempotent, so the second copy is pure waste: a megabyte read over IMAP, hashed and
written for nothing, while the other process could be evaluating. `fetch_lease` is held while a process
takes a folder in; a process that cannot take it skips the fetch and goes straight to processing the
letters the holder spools.

The lease is an optimisation, never a guarantee: correctness does not depend on it (admission is
idempotent by sha256 and mailbox place, the cursor only moves up), so a lease wrongly free costs one
duplicate fetch and nothing else. What it must never do is stay taken by a process that is gone:

- PostgreSQL: a session-level `pg_try_advisory_lock` on a connection of its own, held for the fetch and
  released after it. A holder that dies closes its connection and the server drops the lock at once; a
  holder whose host vanished (no FIN) is found dead by the server's TCP keepalives, set short on that
  connection (`KEEPALIVE`), so another process takes over within about half a minute.
- SQLite (one host): an exclusive `flock` on a file beside the database; the kernel drops it when the
  holder's process ends, however it ends. An in-memory database is one process: a lock of this process.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("gateway.intake.fetch_lease")
# Server-side TCP keepalive on the lock's connection (seconds): idle, interval, probes — a vanished holder's
# lock is dropped after about idle + interval × probes.
KEEPALIVE = (10, 5, 3)
_local: dict[str, threading.Lock] = {}  # in-memory SQLite: the lock of this process, per folder
_local_guard = threading.Lock()


def lease_key(mailbox: str, folder: str) -> int:
    """The folder's advisory-lock key: a signed 64-bit number derived from its name, the same in every process."""
    digest = hashlib.sha256(f"gateway fetch\0{mailbox}\0{folder}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def fetch_lease(sessions: sessionmaker[Session], mailbox: str, folder: str) -> Iterator[bool]:
    """Try to take the right to fetch `mailbox`/`folder`; yields whether this process holds it (never waits).
    Released on leaving the block."""
    engine: Engine = sessions.kw["bind"]
    key = lease_key(mailbox, folder)
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, key) as held:
            yield held
        return
    database = engine.url.database
    if not database or database == ":memory:":
        with _process_lock(f"{mailbox}\0{folder}") as held:
            yield held
        return
    lock_file = Path(database).with_name(f"{Path(database).name}.fetch-{key & 0xFFFFFFFFFFFFFFFF:016x}.lock")
    with _file_lock(lock_file) as held:
        yield held


@contextmanager
def _advisory_lock(engine: Engine, key: int) -> Iterator[bool]:
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    held = False
    try:
        held = _try_lock(conn, key)
        yield held
    finally:
        try:
            if held:
                conn.scalar(select(func.pg_advisory_unlock(key)))
        except Exception:  # the server is gone or the connection broken: the lock went with it
            log.debug("advisory unlock failed; the connection is discarded", exc_info=True)
            conn.invalidate()
        finally:
            conn.close()  # back to the pool: the lock is not held by it any more (unlocked, or invalidated)


def _try_lock(conn: Connection, key: int) -> bool:
    """One round trip: short server-side keepalives on this session (ignored on a Unix socket), then the lock."""
    idle, interval, count = KEEPALIVE
    row = conn.execute(
        select(
            func.set_config("tcp_keepalives_idle", str(idle), False),
            func.set_config("tcp_keepalives_interval", str(interval), False),
            func.set_config("tcp_keepalives_count", str(count), False),
            func.pg_try_advisory_lock(key),
        )
    ).one()
    return bool(row[-1])


@contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _process_lock(name: str) -> Iterator[bool]:
    with _local_guard:
        lock = _local.setdefault(name, threading.Lock())
    held = lock.acquire(blocking=False)
    try:
        yield held
    finally:
        if held:
            lock.release()
