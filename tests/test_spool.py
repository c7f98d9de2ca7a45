"""The spool keeps originals durably, content-addressed, read-only, and admits each letter once (R18, R20)."""

from __future__ import annotations

import hashlib
import stat
from datetime import UTC, datetime

from sqlalchemy import func, select

from gateway.intake.spool import MailboxPlace, admit, raw_path, store_raw
from gateway.models import LetterState, Source
from gateway.register.schema import LetterRow, MailboxMessageRow

RAW = "Subject: Công văn số 12/UBND-VP\r\n\r\nNội dung thử nghiệm\r\n".encode()


def test_store_raw_is_content_addressed_and_read_only(tmp_path):
    sha, path = store_raw(tmp_path, RAW)
    assert sha == hashlib.sha256(RAW).hexdigest()
    assert path == raw_path(tmp_path, sha)
    assert path.read_bytes() == RAW
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert store_raw(tmp_path, RAW) == (sha, path)  # a second store changes nothing
    assert list(path.parent.glob(".incoming-*")) == []


def test_admit_once_per_bytes_but_every_mailbox_place_recorded(sessions, tmp_path):
    t = datetime(2026, 2, 23, 21, 5, tzinfo=UTC)
    a = admit(sessions, tmp_path, RAW, source=Source.IMAP, received_at=t, place=MailboxPlace("vt", "INBOX", 7, 1))
    b = admit(sessions, tmp_path, RAW, source=Source.IMAP, received_at=t, place=MailboxPlace("vt", "INBOX", 7, 1))
    c = admit(sessions, tmp_path, RAW, source=Source.IMAP, received_at=t, place=MailboxPlace("vt", "INBOX", 8, 1))
    assert a.new and not b.new and not c.new
    assert a.letter_id == b.letter_id == c.letter_id
    with sessions() as s:
        assert s.scalar(select(func.count(LetterRow.id))) == 1
        places = s.execute(select(MailboxMessageRow.uidvalidity, MailboxMessageRow.uid)).all()
        letter = s.get(LetterRow, a.letter_id)
    assert sorted(places) == [(7, 1), (8, 1)]  # a UIDVALIDITY change is a new place, not a new letter
    assert letter.state == LetterState.RECEIVED
    assert letter.received_at.replace(tzinfo=UTC) == t
