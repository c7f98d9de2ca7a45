"""Crash safety and concurrency, with real processes: SIGKILL at random moments, and two gateways on one
PostgreSQL database. Nothing lost, nothing doubled (DESIGN.md invariants; R16, R18)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gateway.models import LetterState
from gateway.register.db import open_database
from gateway.register.schema import LetterRow, OutboxRow, RegisterEntryRow
from tests.e2e_helpers import numbered_letter, parsed, write_config

pytestmark = pytest.mark.slow  # real servers (Dovecot, SMTP)

GATEWAY = [sys.executable, "-m", "gateway"]


def _start(config: Path, *args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*GATEWAY, "run", "--config", str(config), *args],
        stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),
        cwd=config.parent,
    )


def _done(sessions, expected: int) -> bool:
    with sessions() as s:
        decided = s.scalar(select(func.count(LetterRow.id)).where(LetterRow.state == LetterState.FILED))
        unsent = s.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.state != "sent"))
    return decided == expected and unsent == 0


def test_sigkill_at_random_moments_loses_and_doubles_nothing(dovecot, imap_user, smtp_sink, tmp_path):
    total = 200
    # a filing claim a kill left is taken up after 5 s, not the 5 minutes a real mailbox waits
    env = write_config(
        tmp_path, dovecot, imap_user, smtp_sink, mailbox_extra="batch_size = 25\nfiling_lease_seconds = 5"
    )
    for n in range(1, total + 1):
        dovecot.append(imap_user, "INBOX", numbered_letter(n))
    sessions = open_database(env.settings.database_url)
    rng = random.Random(20261121)
    log = tmp_path / "gateway.log"
    kills = 0
    deadline = time.monotonic() + 420
    while time.monotonic() < deadline:
        proc = _start(env.config, log=log)
        if kills < 12:
            time.sleep(rng.uniform(1.0, 4.0))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait(10)
            continue
        # Enough violence: let it finish, then stop it the polite way.
        while time.monotonic() < deadline and not _done(sessions, total):
            time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        break
    assert _done(sessions, total), log.read_text()[-3000:]

    with sessions() as s:
        numbers = sorted(s.scalars(select(RegisterEntryRow.number)))
        letters = s.scalar(select(func.count(LetterRow.id)))
    assert letters == total
    assert numbers == list(range(1, total + 1))  # exactly 200 entries, gap-free
    replies = smtp_sink.wait_for(total, timeout=10)
    reply_ids = {parsed(r.raw)["Message-ID"] for r in replies}
    answered = {parsed(r.raw)["In-Reply-To"] for r in replies}
    assert len(reply_ids) == total  # exactly 200 distinct replies, one per letter
    assert len(answered) == total
    # A kill between the server's 250 and our commit can resend the *same* message (same Message-ID);
    # that is the only way a copy can appear, and only once per kill.
    assert len(replies) - total <= kills
    assert dovecot.folder_uids(imap_user, "INBOX") == []
    assert len(dovecot.folder_uids(imap_user, "Processed")) == total
    assert kills >= 5
    print(f"\n{total} letters, {kills} SIGKILLs, {len(replies)} replies delivered ({len(reply_ids)} distinct)")


def test_two_gateways_on_one_postgresql_database(dovecot, imap_user, smtp_sink, tmp_path, postgres_url):
    total = 30
    env = write_config(tmp_path, dovecot, imap_user, smtp_sink, database_url=postgres_url)
    for n in range(1, total + 1):
        dovecot.append(imap_user, "INBOX", numbered_letter(100 + n))
    open_database(postgres_url)  # schema first, so the two do not race on the migration
    logs = [tmp_path / f"gateway{i}.log" for i in range(2)]
    procs = [_start(env.config, "--once", log=log) for log in logs]
    for p, log in zip(procs, logs, strict=True):
        assert p.wait(300) == 0, log.read_text()[-3000:]

    # Both done, with no third pass: everything taken in, registered once, answered once, filed once.
    sessions = open_database(postgres_url)
    with sessions() as s:
        numbers = sorted(s.scalars(select(RegisterEntryRow.number)))
    assert numbers == list(range(1, total + 1))
    replies = smtp_sink.wait_for(total, timeout=10)
    assert len({parsed(r.raw)["In-Reply-To"] for r in replies}) == total
    assert len(replies) == total
    assert dovecot.folder_uids(imap_user, "INBOX") == []
    assert len(dovecot.folder_uids(imap_user, "Processed")) == total  # no duplicate copy
    # One process fetched each message (the fetch lease, issue 16): no message spooled twice.
    spooled = [line for log in logs for line in log.read_text().splitlines() if "spooled UID" in line]
    assert len(spooled) == total
    assert not [line for line in spooled if "already known" in line]
