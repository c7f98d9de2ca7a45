"""Overlapped phases (issue 16): letters admitted while a pass runs are decided in that pass, in order, with
gap-free numbers; a mailbox cycle takes in, decides and files every message of the inbox at once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from gateway.config import load_settings
from gateway.daemon import Gateway
from gateway.intake.spool import admit
from gateway.models import LetterState, Source
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.schema import LetterRow, OutboxRow, RegisterEntryRow
from gateway.streaming import Arrivals
from tests.e2e_helpers import numbered_letter, parsed, write_config

CONFIG = '[gateway]\nstorage_dir = "storage"\n[outgoing]\nreply_domains = ["sotttt.hanoi.gov.vn"]\n'
ICT = timezone(timedelta(hours=7))


def test_arrivals_are_finished_only_once_every_admitted_batch_is_taken():
    arrivals = Arrivals()
    arrivals.admitted(4)
    arrivals.close()  # the fetch ends before the processing has looked at its last batch
    assert not arrivals.finished()
    assert arrivals.take() and not arrivals.take()
    assert arrivals.finished()


def test_letters_admitted_during_a_pass_are_decided_in_it_in_order(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)

    def spool(n: int) -> None:
        received = datetime(2026, 3, 3, 9, n, tzinfo=ICT)
        admit(sessions, settings.storage_dir, numbered_letter(n), source=Source.FILE, received_at=received)

    spool(1)
    arrivals = Arrivals()
    first_committed = threading.Event()

    def fetch() -> None:  # the rest of the mailbox comes in only after the first letter was committed
        first_committed.wait(60)
        for n in (2, 3):
            spool(n)
            arrivals.admitted()
        spool(4)
        arrivals.admitted()
        arrivals.close()

    fetcher = threading.Thread(target=fetch)
    fetcher.start()
    done = process_pending(sessions, build_stages(settings), arriving=arrivals, committed=first_committed.set)
    fetcher.join()

    assert first_committed.is_set()
    assert [p.numbers for p in done] == [(1,), (2,), (3,), (4,)]  # one pass, in order, gap-free
    with sessions() as s:
        assert [e.notation for e in s.scalars(select(RegisterEntryRow).order_by(RegisterEntryRow.number))] == [
            f"{n}/STTTT-VP" for n in (1, 2, 3, 4)
        ]
        assert not s.scalars(select(LetterRow).where(LetterRow.state == LetterState.RECEIVED)).all()
        assert len(s.scalars(select(OutboxRow)).all()) == 4


@pytest.mark.slow
def test_one_cycle_takes_in_decides_and_files_the_whole_inbox(dovecot, imap_user, smtp_sink, tmp_path):
    env = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    letters = 14  # admitted in batches of 4, 8, 2: the later batches come while the first are processed
    for n in range(1, letters + 1):
        dovecot.append(imap_user, "INBOX", numbered_letter(n))
    gw = Gateway(env.settings)
    try:
        cycle = gw.cycle_mailbox(env.settings.mailboxes[0])
    finally:
        gw.close_pool()
    assert cycle is not None and (cycle.fetched, cycle.processed) == (letters, letters)
    assert dovecot.folder_uids(imap_user, "INBOX") == []  # every copy filed in the same cycle
    assert len(dovecot.folder_uids(imap_user, "Processed")) == letters
    with gw.sessions() as s:
        numbers = sorted(e.number for e in s.scalars(select(RegisterEntryRow)))
    assert numbers == list(range(1, letters + 1))
    gw.send_outbox()  # what the cycle did not send yet
    replies = smtp_sink.wait_for(letters, timeout=20)
    ids = [parsed(r.raw)["In-Reply-To"] for r in replies]
    assert len(ids) == letters and len(set(ids)) == letters  # each letter acknowledged once
