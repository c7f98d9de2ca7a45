"""One gateway process fetches a mailbox folder at a time; a holder that dies leaves it to the others at once
(issue 16, `gateway.intake.fetch_lease`) — with real processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from gateway.intake.fetch_lease import fetch_lease, lease_key
from gateway.register.db import open_database

HOLDER = """
import sys, time
from gateway.intake.fetch_lease import fetch_lease
from gateway.register.db import open_database
with fetch_lease(open_database(sys.argv[1]), "official", "INBOX") as held:
    print("held" if held else "refused", flush=True)
    time.sleep(600)
"""


def _holder(url: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, url], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def _taken(sessions, mailbox: str = "official", folder: str = "INBOX") -> bool:
    with fetch_lease(sessions, mailbox, folder) as held:
        return held


def _taken_within(sessions, seconds: float) -> bool:
    """Whether the lease can be taken before `seconds` pass (the server drops a dead session's locks as soon
    as it sees its socket closed; a wait, not a measurement)."""
    deadline = time.monotonic() + seconds
    while not _taken(sessions):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, sqlite_url) -> str:
    if request.param == "sqlite":
        return sqlite_url
    return request.getfixturevalue("postgres_url")


@pytest.mark.slow  # a second process; a real PostgreSQL
def test_a_folder_is_fetched_by_one_process_and_taken_over_when_its_holder_is_killed(url):
    sessions = open_database(url)
    holder = _holder(url)
    try:
        assert not _taken(sessions)  # another process is fetching it
        assert _taken(sessions, folder="Other")  # another folder is not
        assert _taken(sessions, mailbox="second")  # nor another mailbox's inbox
        os.kill(holder.pid, signal.SIGKILL)  # dies holding it: no unlock ever runs
        holder.wait(30)
        assert _taken_within(sessions, 30)
    finally:
        holder.kill()
        holder.wait(30)


@pytest.mark.parametrize("backend", ["sqlite", "memory"])
def test_the_lease_is_released_after_the_fetch_and_never_shared_meanwhile(backend, sqlite_url):
    sessions = open_database(sqlite_url if backend == "sqlite" else "sqlite://")
    with fetch_lease(sessions, "official", "INBOX") as held:
        assert held
        assert not _taken(sessions)  # this process's other thread or pass waits its turn too
    assert _taken(sessions)
    assert _taken(sessions)  # released each time


def test_keys_differ_per_mailbox_and_folder_and_fit_a_bigint():
    keys = {lease_key(m, f) for m in ("a", "b") for f in ("INBOX", "Processed")}
    assert len(keys) == 4
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert lease_key("a", "INBOX") == lease_key("a", "INBOX")
