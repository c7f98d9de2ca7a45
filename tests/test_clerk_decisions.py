"""A clerk's decisions on quarantined letters go through the processor's one commit path (R5, R15, R18):
a letter nobody can read can be refused but not registered, a decided letter cannot be decided twice, and a
letter whose mailbox copy was filed to Quarantine ends FILED."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

import gateway.processor as processor
from gateway.config import load_settings
from gateway.disposition import ClerkAction, ClerkDecision
from gateway.intake.spool import MailboxPlace, admit
from gateway.models import LetterState, Source, Status
from gateway.pipeline import build_stages
from gateway.processor import ClerkError, decide_quarantined, process_pending
from gateway.register.db import open_database
from gateway.register.schema import AuditRow, LetterRow, MailboxMessageRow, OutboxRow, RegisterEntryRow
from gateway.samples.render import SampleDoc, render_document
from tests.hostile_samples import good_letter

# The sample sender is in no directory and signs nothing: the admin lists its domain so that it is
# answered (issue 17: replies only to a verified origin).
CONFIG = '[gateway]\nstorage_dir = "storage"\n[outgoing]\nreply_domains = ["sotttt.hanoi.gov.vn"]\n'

PDF = render_document(SampleDoc(number="41/UBND-VP", title="", subject="V/v rà soát hồ sơ"))


@pytest.fixture
def env(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(cfg)
    return settings, open_database(settings.database_url), build_stages(settings)


def test_a_letter_that_cannot_be_read_is_refused_without_a_reply_but_never_registered(env, monkeypatch):
    settings, sessions, stages = env
    raw = good_letter([PDF], subject="Thư gây lỗi", message_id="<poison@so.example.gov.vn>")
    admitted = admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=datetime.now(UTC))

    def broken(*_args, **_kwargs):
        raise RuntimeError("stage exploded")

    monkeypatch.setattr(processor, "evaluate_letter", broken)  # a letter that breaks the pipeline every time
    for _ in range(processor.MAX_ATTEMPTS):
        process_pending(sessions, stages)
    with sessions() as s:
        assert s.get_one(LetterRow, admitted.letter_id).state == LetterState.QUARANTINED
    release = ClerkDecision(ClerkAction.RELEASE, actor="Lan (lan)")
    with pytest.raises(ClerkError) as err:
        decide_quarantined(sessions, stages, admitted.letter_id, release)
    assert "không vào sổ được" in err.value.vi
    refuse = ClerkDecision(ClerkAction.REFUSE, actor="Lan (lan)", reason="Tệp hỏng, đề nghị gửi lại.")
    done = decide_quarantined(sessions, stages, admitted.letter_id, refuse)
    assert done.outcome == "refused" and done.numbers == ()
    with sessions() as s:
        letter = s.get_one(LetterRow, admitted.letter_id)
        assert letter.state == LetterState.REFUSED
        assert s.scalars(select(OutboxRow)).all() == []  # nothing to answer: the letter could not be read
        assert [a.action for a in s.scalars(select(AuditRow))] == ["refuse"]
    assert letter.verdict["quarantined_for"][0]["code"] == "processing_failed"
    with pytest.raises(ClerkError):
        decide_quarantined(sessions, stages, admitted.letter_id, refuse)  # decided once only


def test_a_released_letter_from_the_mailbox_ends_filed(env):
    settings, sessions, stages = env
    raw = good_letter([("cong-van\u202efdp.pdf", PDF)], subject="Công văn", message_id="<q@so.example.gov.vn>")
    place = MailboxPlace("vanthu", "INBOX", 7, 42)
    admitted = admit(
        sessions, settings.storage_dir, raw, source=Source.IMAP, received_at=datetime.now(UTC), place=place
    )
    [first] = process_pending(sessions, stages)
    assert first.outcome == "quarantined"
    with sessions.begin() as s:  # what file_decided does once the daemon moved the copy to Quarantine
        s.scalars(select(MailboxMessageRow)).one().filed_to = "Quarantine"
    done = decide_quarantined(sessions, stages, admitted.letter_id, ClerkDecision(ClerkAction.RELEASE, actor="Lan"))
    assert done.numbers == (1,)
    with sessions() as s:
        assert s.get_one(LetterRow, admitted.letter_id).state == LetterState.FILED  # nothing left to move
        entry = s.scalars(select(RegisterEntryRow)).one()
        kinds = sorted(s.scalars(select(OutboxRow.kind)).all())
    assert (entry.number, entry.status) == (1, Status.ACCEPTED)
    assert kinds == ["acknowledgement", "quarantine"]
