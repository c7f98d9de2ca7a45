"""A bounded cost per letter (issue 17 item 1): the memory bomb of reused content streams, and a letter
whose evaluation goes over its worker's memory budget, run by the real daemon under an RLIMIT_AS of 1 GiB
for the whole daemon; the ordinary letters queued behind them are accepted, the daemon never dies."""

from __future__ import annotations

import io
import resource
import signal
import smtplib
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject
from sqlalchemy import select

from gateway.config import load_settings
from gateway.pdf.inspect import inspect_pdf
from gateway.processor import claim
from gateway.register.db import open_database
from gateway.register.schema import LetterRow, OutboxRow, RegisterEntryRow
from gateway.samples.render import SampleDoc, render_document
from tests.e2e_helpers import OUR_ADDRESS as OURS
from tests.e2e_helpers import smtp_daemon_config as _config
from tests.hostile_samples import SENDER, good_letter
from tests.test_daemon_smtp import crlf

GiB = 1024**3
MiB = 1024**2


def content_bomb(references: int, mib: int = 30) -> bytes:
    """One page whose /Contents references the same `mib` MiB text stream `references` times (~100 KB)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    line = b"BT /F1 12 Tf 72 720 Td (Cong van so 1/UBND-VP ve viec thu nghiem) Tj ET\n"
    stream = DecodedStreamObject()
    stream.set_data(line * (mib * MiB // len(line)))
    ref = writer._add_object(stream.flate_encode())
    page[NameObject("/Contents")] = ArrayObject([ref] * references)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_content_stream_referenced_eight_times_is_refused_by_the_scan():
    bomb = content_bomb(8)
    assert len(bomb) < 400_000  # a small letter
    inspection = inspect_pdf(bomb)
    assert not inspection.acceptable
    assert [r.code for r in inspection.reasons] == ["pdf_decompression_bomb"]
    assert not inspect_pdf(content_bomb(1, mib=1)).reasons  # one reference to a plain stream is fine


def _one_letter(tmp_path):
    """A gateway's settings and register with one letter admitted: (settings, sessions, its id)."""
    from gateway.intake.spool import admit
    from gateway.models import Source

    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n', encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    raw = good_letter([render_document(SampleDoc(number="5/UBND-VP", title=""))], message_id="<crash@x.gov.vn>")
    admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=datetime.now(UTC))
    with sessions() as s:
        return settings, sessions, s.scalars(select(LetterRow.id)).one()


def test_a_crash_counts_as_an_attempt_and_the_letter_is_set_aside(tmp_path):
    """The attempt is recorded before the work: a process that dies while evaluating still counted it."""
    _, sessions, letter_id = _one_letter(tmp_path)
    for attempt in (1, 2, 3):
        c = claim(sessions, letter_id, lease_seconds=60)
        assert c is not None and c.attempt == attempt
        assert claim(sessions, letter_id) is None  # leased: no second process evaluates it
        with sessions.begin() as s:  # the claimer died (the lease ran out): the next pass may take it
            s.get_one(LetterRow, letter_id).lease_until = datetime.now(UTC) - timedelta(seconds=1)
    assert claim(sessions, letter_id) is None  # three evaluations died: set aside, never looped on
    with sessions() as s:
        row = s.get_one(LetterRow, letter_id)
    assert row.state == "QUARANTINED" and row.attempts == 3
    assert row.verdict["reasons"][0]["code"] == "processing_failed"


def test_a_death_before_the_evaluation_began_is_not_the_letters_attempt(tmp_path):
    """A daemon killed while the letter was only queued for its workers (claimed ahead), or evaluated in a
    worker, did not die of it: that claim is not counted; one killed while evaluating it itself is."""
    from gateway.processor import mark_began

    settings, sessions, letter_id = _one_letter(tmp_path)

    def killed() -> None:
        with sessions.begin() as s:
            s.get_one(LetterRow, letter_id).lease_until = datetime.now(UTC) - timedelta(seconds=1)

    storage = settings.storage_dir
    for _ in range(5):  # killed five times with the letter queued: never set aside
        c = claim(sessions, letter_id, storage_dir=storage, lease_seconds=60)
        assert c is not None and c.attempt == 1
        killed()
    Path(c.began).write_text("1", encoding="ascii")  # evaluated in a pool worker: its death was reported
    killed()
    c = claim(sessions, letter_id, storage_dir=storage, lease_seconds=60)
    assert c is not None and c.attempt == 1
    for attempt in (2, 3):  # killed while evaluating it in its own process: counted
        mark_began(c.began)
        killed()
        c = claim(sessions, letter_id, storage_dir=storage, lease_seconds=60)
        assert c is not None and c.attempt == attempt
    mark_began(c.began)
    killed()
    assert claim(sessions, letter_id, storage_dir=storage) is None  # three began and died: set aside
    with sessions() as s:
        assert s.get_one(LetterRow, letter_id).state == "QUARANTINED"


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GiB, GiB))


@pytest.mark.slow
def test_the_daemon_under_one_gib_survives_the_bomb_and_accepts_the_letters_after_it(tmp_path, smtp_sink):
    cfg, port = _config(tmp_path, smtp_sink, extra="[processing]\nworkers = 2\nmemory_limit_mb = 512\n")
    log = tmp_path / "gateway.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "run", "--config", str(cfg)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),
        preexec_fn=_limit_address_space,
        env={"PATH": "/usr/bin:/bin", "MALLOC_ARENA_MAX": "2", "HOME": str(tmp_path)},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                smtplib.SMTP("127.0.0.1", port, timeout=2).quit()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.3)
        letters = [
            ("bomb", content_bomb(8)),  # refused by the scan, before any text extraction
            ("heavy", content_bomb(1)),  # passes the scan; its text extraction needs > 512 MiB
        ] + [
            (f"ordinary{n}", render_document(SampleDoc(number=f"{n}/STTTT-VP", title="", subject=f"V/v số {n}")))
            for n in (1, 2, 3)
        ]
        for name, pdf in letters:
            raw = good_letter([pdf], subject=f"Công văn {name}", message_id=f"<{name}@sotttt.hanoi.gov.vn>")
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                smtp.sendmail(SENDER, [OURS], crlf(raw))
        sessions = open_database(load_settings(cfg).database_url)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with sessions() as s:
                rows = list(s.scalars(select(LetterRow).order_by(LetterRow.id)))  # in the order they were sent
                unsent = s.scalars(select(OutboxRow).where(OutboxRow.state != "sent")).all()
            if len(rows) == 5 and all(r.state != "RECEIVED" for r in rows) and not unsent:
                break
            assert proc.poll() is None, log.read_text()[-3000:]  # the daemon never dies
            time.sleep(0.5)
        assert proc.poll() is None, log.read_text()[-3000:]
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    assert code == 0, log.read_text()[-3000:]
    bomb, heavy, *ordinary = rows
    assert bomb.outcome == "refused"
    assert [r["code"] for r in bomb.verdict["documents"][0]["reasons"]] == ["pdf_decompression_bomb"]
    assert heavy.outcome == "quarantined" and heavy.attempts == 1
    assert [r["code"] for r in heavy.verdict["reasons"]] == ["resource_limit"]
    print(f"\nheavy letter: {heavy.error}")
    assert [r.outcome for r in ordinary] == ["accepted"] * 3
    with sessions() as s:
        assert sorted(s.scalars(select(RegisterEntryRow.number).where(RegisterEntryRow.number.is_not(None)))) == [
            1,
            2,
            3,
        ]


def test_more_attachments_than_allowed_are_refused_unread(tmp_path):
    from gateway.pipeline import build_stages, evaluate_letter

    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n[processing]\nmax_attachments = 3\n', encoding="utf-8")
    stages = build_stages(load_settings(cfg))
    pdfs = [(f"{n}.pdf", render_document(SampleDoc(number=f"{n}/UBND-VP", title=""))) for n in range(1, 5)]
    ev = evaluate_letter(good_letter(pdfs, message_id="<many@x.gov.vn>"), received_at=datetime.now(UTC), stages=stages)
    assert ev.verdict.outcome.value == "refused"
    assert [r.code for r in ev.verdict.reasons] == ["too_many_attachments"]
    assert ev.verdict.documents == ()  # none of them was read
    ev = evaluate_letter(
        good_letter(pdfs[:3], message_id="<three@x.gov.vn>"), received_at=datetime.now(UTC), stages=stages
    )
    assert len(ev.verdict.documents) == 3
