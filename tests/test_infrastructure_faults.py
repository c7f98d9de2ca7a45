"""Faults of ours are not the letter's (issue 15, 17): a missing original, a database that does not answer,
a storage folder that is not the database's. Letters wait, never go to quarantine for it, and the log says
so once per outage."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import gateway.processor as processor
from gateway.config import load_settings
from gateway.daemon import wait_for_database
from gateway.intake.spool import admit
from gateway.intake.storage_check import StorageMismatch, check_shared_storage
from gateway.models import LetterState, Source
from gateway.outage import Outage, is_infrastructure
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.schema import LetterRow
from gateway.samples.render import SampleDoc, render_document
from gateway.samples.sink import free_port
from tests.hostile_samples import good_letter

ICT = timezone(timedelta(hours=7))


def test_an_outage_is_logged_once_backed_off_and_its_end_logged(caplog):
    now = [100.0]
    outage = Outage("database", base=1, cap=8, clock=lambda: now[0])
    error = OperationalError("SELECT 1", {}, Exception("connection refused\nDETAIL: a long traceback"))
    with caplog.at_level(logging.DEBUG, logger="gateway.outage"):
        delays = [outage.failed(error) for _ in range(6)]
        assert not outage.due()
        now[0] += 8
        assert outage.due()
        now[0] += 50
        outage.ok()
        outage.ok()  # nothing more to say
    assert delays == [1, 2, 4, 8, 8, 8]
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 2
    assert "database unavailable: OperationalError" in lines[0].getMessage()
    assert "\n" not in lines[0].getMessage()  # one line, no traceback
    assert "available again after 58 s (6 failed attempts)" in lines[1].getMessage()


def test_infrastructure_errors_are_told_from_the_letters(tmp_path):
    assert is_infrastructure(OSError(28, "No space left on device"))
    assert is_infrastructure(FileNotFoundError(2, "gone"))
    assert is_infrastructure(OperationalError("x", {}, Exception("server closed the connection")))
    assert not is_infrastructure(ValueError("a broken PDF"))
    assert not is_infrastructure(RuntimeError("stage exploded"))


def test_a_missing_original_is_held_back_alone_and_never_quarantined(tmp_path, monkeypatch):
    """As on a second host without the shared storage: the letter waits (no attempt counted), the others go on."""
    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n', encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    pdf = render_document(SampleDoc(number="41/UBND-VP", title="", subject="V/v rà soát hồ sơ"))
    when = datetime(2026, 3, 3, 9, tzinfo=ICT)
    held = admit(
        sessions,
        settings.storage_dir,
        good_letter([pdf], message_id="<a@so.gov.vn>"),
        source=Source.FILE,
        received_at=when,
    )
    pdf2 = render_document(SampleDoc(number="42/UBND-VP", title="", subject="V/v khác"))
    admit(
        sessions,
        settings.storage_dir,
        good_letter([pdf2], message_id="<b@so.gov.vn>"),
        source=Source.FILE,
        received_at=when,
    )
    with sessions() as s:
        path = s.get_one(LetterRow, held.letter_id).raw_path
    hidden = tmp_path / "hidden.eml"
    Path(path).rename(hidden)
    monkeypatch.setattr(processor, "HOLD_BASE_SECONDS", 0.0)  # no wait between the passes below
    processor._held.clear()
    stages = build_stages(settings)
    passes = [[p.outcome for p in process_pending(sessions, stages)] for _ in range(4)]
    assert passes == [["accepted"], [], [], []]
    with sessions() as s:
        row = s.get_one(LetterRow, held.letter_id)
    assert row.state == LetterState.RECEIVED and row.attempts == 0  # four failures, none counted
    hidden.rename(path)  # the storage is back
    assert [p.outcome for p in process_pending(sessions, stages)] == ["accepted"]


def test_a_storage_folder_that_is_not_the_databases_is_refused_at_start(tmp_path):
    sessions = open_database(f"sqlite:///{tmp_path / 'register.sqlite3'}")
    shared, other = tmp_path / "shared", tmp_path / "other"
    first = check_shared_storage(sessions, shared)
    assert check_shared_storage(sessions, shared) == first  # the same folder, again: fine
    with pytest.raises(StorageMismatch, match="must use the same shared storage"):
        check_shared_storage(sessions, other)  # a second host with its own folder
    other.mkdir()
    (other / ".storage-id").write_text(first + "\n")  # the shared storage mounted there
    assert check_shared_storage(sessions, other) == first


def test_the_daemon_waits_for_the_database_at_start(caplog):
    """PostgreSQL not answering at start: one warning, retries, no exit; stop ends the wait."""
    stop = threading.Event()
    timer = threading.Timer(3.0, stop.set)
    timer.start()
    with caplog.at_level(logging.DEBUG, logger="gateway.outage"):
        assert wait_for_database(f"postgresql://127.0.0.1:{free_port()}/nothing", stop, cap=0.5) is None
    timer.cancel()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(warnings) == 1 and "database unavailable" in warnings[0].getMessage()
    assert len(debug) >= 3  # it kept trying


def test_the_daemon_starts_once_the_database_answers(postgres_url, caplog):
    port_url = postgres_url  # a database that answers from the start: no warning at all
    stop = threading.Event()
    with caplog.at_level(logging.WARNING, logger="gateway.outage"):
        sessions = wait_for_database(port_url, stop)
    assert sessions is not None
    with sessions() as s:
        assert s.scalars(select(LetterRow)).all() == []
    assert caplog.records == []
