"""R6: a refused secret document leaves only its short record (hash, sender, time, mark, reason); its raw
e-mail and derived text are overwritten and unlinked, with an audit row. Refused letters past the configured
retention lose their files; their register rows stay."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from gateway.config import load_settings
from gateway.destruction import DESTROYED, derived_path, purge_refused, shred
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.schema import AuditRow, LetterRow, OutboxRow, RegisterEntryRow
from gateway.samples.render import SampleDoc, render_document
from tests.hostile_samples import good_letter

ICT = timezone(timedelta(hours=7))
SUBJECT = "V/v phương án bảo vệ mục tiêu quan trọng"


def _setup(tmp_path, extra=""):
    cfg = tmp_path / "config.toml"
    # The sample sender's domain is one the admin answers (issue 17: no replies to unverified origins).
    cfg.write_text(
        f'[gateway]\nstorage_dir = "storage"\n{extra}\n[outgoing]\nreply_domains = ["sotttt.hanoi.gov.vn"]\n',
        encoding="utf-8",
    )
    settings = load_settings(cfg)
    return settings, open_database(settings.database_url)


def _admit(settings, sessions, pdf, n, when):
    raw = good_letter([pdf], subject=f"Công văn {n}", message_id=f"<r6-{n}@so.example.gov.vn>")
    return admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=when).letter_id


def test_a_refused_secret_document_keeps_only_its_short_record(tmp_path):
    settings, sessions = _setup(tmp_path)
    secret = render_document(SampleDoc(number="12/CA-PV01", title="", subject=SUBJECT, secrecy="MẬT"))
    plain = render_document(SampleDoc(number="41/UBND-VP", title="", subject="V/v rà soát hồ sơ"))
    secret_id = _admit(settings, sessions, secret, 1, datetime(2026, 3, 3, 9, 0, tzinfo=ICT))
    plain_id = _admit(settings, sessions, plain, 2, datetime(2026, 3, 3, 9, 5, tzinfo=ICT))
    with sessions() as s:
        raw_secret = s.get_one(LetterRow, secret_id).raw_path
        raw_plain = s.get_one(LetterRow, plain_id).raw_path
    process_pending(sessions, build_stages(settings))

    assert not os.path.exists(raw_secret)  # the raw e-mail is gone …
    assert os.path.exists(raw_plain)  # … and only it
    with sessions() as s:
        row = s.get_one(LetterRow, secret_id)
        verdict = row.verdict
        assert row.outcome == "refused" and row.subject is None
        assert verdict[DESTROYED]["why"] == "secret"
        assert verdict["source"]["sha256"] == row.sha256  # the hash …
        assert verdict["letter"]["from"]  # … the sender …
        assert verdict["reception"]["received_at"]  # … the time …
        assert [d["secrecy"] for d in verdict["documents"]] == ["mat"]  # … the mark …
        assert verdict["documents"][0]["reasons"] or verdict["reasons"]  # … and the reason stay
        assert SUBJECT not in repr(verdict) and "12/CA-PV01" not in repr(verdict)
        entries = s.scalars(select(RegisterEntryRow).where(RegisterEntryRow.letter_id == secret_id)).all()
        assert entries and all(e.subject is None and e.notation is None for e in entries)
        assert all(e.secrecy for e in entries)
        assert s.scalar(select(AuditRow).where(AuditRow.letter_id == secret_id, AuditRow.action == "secret_destroyed"))
        reply = s.scalar(select(OutboxRow).where(OutboxRow.letter_id == secret_id))
        assert reply is not None and reply.kind == "refusal_secret"  # the sender is still told (R5)
        doc_sha = verdict["documents"][0]["sha256"]
        plain_docs = s.get_one(LetterRow, plain_id).verdict["documents"]
    assert not derived_path(settings.storage_dir, doc_sha).exists()  # no text of it was ever kept
    assert derived_path(settings.storage_dir, plain_docs[0]["sha256"]).exists()


def test_shred_overwrites_before_unlinking(tmp_path):
    path = tmp_path / "x.eml"
    path.write_bytes(b"secret" * 1000)
    os.chmod(path, 0o440)
    fd = os.open(path, os.O_RDONLY)  # a reader that still holds the file sees zeros, not the content
    try:
        assert shred(path) and not path.exists()
        assert os.pread(fd, 6000, 0) == b"\0" * 6000
    finally:
        os.close(fd)
    assert shred(path) is False


def test_refused_letters_past_retention_lose_their_files_and_keep_their_row(tmp_path):
    settings, sessions = _setup(tmp_path, "refused_retention_days = 30\n")
    assert settings.refused_retention_days == 30
    unsigned_garbage = b"%PDF-1.4\nnot really a pdf"
    old = _admit(settings, sessions, unsigned_garbage, 1, datetime(2026, 1, 5, 9, 0, tzinfo=ICT))
    process_pending(sessions, build_stages(settings))
    with sessions() as s:
        row = s.get_one(LetterRow, old)
        assert row.outcome == "refused", row.verdict
        raw = row.raw_path
    assert purge_refused(sessions, settings.storage_dir, 30, now=datetime(2026, 1, 20, tzinfo=UTC)) == 0
    assert os.path.exists(raw)
    assert purge_refused(sessions, settings.storage_dir, 30, now=datetime(2026, 3, 1, tzinfo=UTC)) == 1
    assert not os.path.exists(raw)
    with sessions() as s:
        row = s.get_one(LetterRow, old)
        assert row.verdict[DESTROYED]["why"] == "retention" and row.verdict["documents"]
    assert purge_refused(sessions, settings.storage_dir, 30, now=datetime(2026, 3, 1, tzinfo=UTC)) == 0


def test_the_mailbox_copy_of_a_refused_secret_document_is_deleted_not_filed(tmp_path, dovecot, imap_user):
    from gateway.destruction import DESTROYED_IN_MAILBOX
    from gateway.intake.imap import ImapIntake
    from gateway.register.schema import MailboxMessageRow

    settings, sessions = _setup(tmp_path)
    secret = render_document(SampleDoc(number="12/CA-PV01", title="", subject=SUBJECT, secrecy="MẬT"))
    plain = b"%PDF-1.4\nnot really a pdf"  # refused for an ordinary reason: filed to Refused
    for n, pdf in ((1, secret), (2, plain)):
        dovecot.append(imap_user, "INBOX", good_letter([pdf], subject=f"Công văn {n}", message_id=f"<m{n}@so.vn>"))
    mb = dovecot.settings(imap_user)
    intake = ImapIntake(mb, sessions, settings.storage_dir)
    box = intake.connect()
    try:
        assert intake.take_in(box) == 2
        process_pending(sessions, build_stages(settings))
        assert intake.file_decided(box) == 2
    finally:
        box.close()
    assert dovecot.folder_uids(imap_user, "INBOX") == []
    assert len(dovecot.folder_uids(imap_user, mb.folders.refused)) == 1  # only the ordinary refusal
    with sessions() as s:
        filed = sorted(r.filed_to for r in s.scalars(select(MailboxMessageRow)))
    assert filed == sorted([DESTROYED_IN_MAILBOX, mb.folders.refused])
