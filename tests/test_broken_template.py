"""A broken admin reply template at run time: the letter is answered with the shipped template, never held
back or quarantined, and the admins get one notice per broken template (issue 14)."""

from __future__ import annotations

import email
import email.policy
import json
import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from gateway.config import load_settings
from gateway.intake.spool import admit
from gateway.logs import JsonFormatter
from gateway.models import Source
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.schema import LetterRow, OutboxRow
from gateway.replies import SHIPPED_TEMPLATES
from gateway.samples.render import SampleDoc, render_document
from tests.hostile_samples import good_letter

ICT = timezone(timedelta(hours=7))


def test_a_broken_admin_template_falls_back_and_the_admin_is_told_once(tmp_path, caplog):
    (tmp_path / "templates").mkdir()
    shipped = (SHIPPED_TEMPLATES / "acknowledgement.txt.j2").read_text(encoding="utf-8")
    (tmp_path / "templates" / "acknowledgement.txt.j2").write_text(
        shipped.replace("agency.name", "agency.nmae"), encoding="utf-8"
    )
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[gateway]\nstorage_dir = "storage"\ntemplates_dir = "templates"\n[alerts]\nadmin = ["admin@example.gov.vn"]\n'
        '[outgoing]\nreply_domains = ["sotttt.hanoi.gov.vn"]\n',  # the senders are answered (issue 17)
        encoding="utf-8",
    )
    caplog.set_level(logging.INFO, logger="gateway")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    stages = build_stages(settings)
    for n in (1, 2, 3):
        pdf = render_document(SampleDoc(number=f"{n}/UBND-VP", title="", subject=f"V/v việc số {n}"))
        raw = good_letter([pdf], subject=f"Công văn {n}", message_id=f"<tpl{n}@so.example.gov.vn>")
        when = datetime(2026, 3, 3, 9, n, tzinfo=ICT)
        admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=when)
        process_pending(sessions, stages)
    with sessions() as s:
        assert {row.outcome for row in s.scalars(select(LetterRow))} == {"accepted"}  # none quarantined
        kinds = [r.kind for r in s.scalars(select(OutboxRow).order_by(OutboxRow.id))]
        notice = s.scalar(select(OutboxRow).where(OutboxRow.kind == "template_error"))
    assert kinds.count("acknowledgement") == 3  # every sender answered, with the shipped template
    assert kinds.count("template_error") == 1  # the admin told once
    assert notice is not None and notice.recipients == ["admin@example.gov.vn"]
    # The processor's log lines carry the letter as JSON fields, not inside the message text.
    decided = [r for r in caplog.records if r.getMessage().startswith("letter decided")]
    assert len(decided) == 3 and all(r.letter_id and len(r.sha256) == 64 for r in decided)
    line = json.loads(JsonFormatter().format(decided[0]))
    assert line["letter_id"] == decided[0].letter_id and line["sha256"] not in line["msg"]
    body = email.message_from_string(notice.raw, policy=email.policy.default).get_content()
    assert "nmae" in body and "acknowledgement" in body
