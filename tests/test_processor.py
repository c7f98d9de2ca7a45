"""Processing spooled letters: the same document sent again in a new letter is not numbered twice."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from gateway.config import load_settings
from gateway.intake.spool import admit
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.schema import OutboxRow, RegisterEntryRow
from gateway.samples.render import SampleDoc, render_document
from tests.hostile_samples import good_letter

ICT = timezone(timedelta(hours=7))


def test_a_document_sent_again_keeps_its_number(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n', encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    pdf = render_document(SampleDoc(number="41/UBND-VP", title="", subject="V/v rà soát hồ sơ"))
    for n in (1, 2):  # the sender re-sends the same công văn in a new letter
        raw = good_letter([pdf], subject="Công văn số 41/UBND-VP", message_id=f"<resend{n}@so.example.gov.vn>")
        admit(sessions, settings.storage_dir, raw, source="file", received_at=datetime(2026, 3, 3, 9, n, tzinfo=ICT))
    done = process_pending(sessions, build_stages(settings))
    assert [p.numbers for p in done] == [(1,), (1,)]
    with sessions() as s:
        assert [e.number for e in s.scalars(select(RegisterEntryRow))] == [1]  # one entry, nothing doubled
        second = s.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()[1]
    body = email.message_from_string(second.raw, policy=email.policy.default).get_content()
    assert "Số đến: 1 (đã được vào sổ trước đó)" in body
