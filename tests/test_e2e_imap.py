"""End to end against a real Dovecot and a real SMTP sink: mailbox → register → reply → folders.

R1 (the mailbox is watched), R3/R5 (checked, refused with reasons), R13 (official time of receipt),
R15 (acknowledged at once), R16/R18 (registered with a gap-free number), R20 (originals kept).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from gateway.cli import app
from gateway.daemon import Gateway
from gateway.register.schema import LetterRow, RegisterEntryRow
from tests import hostile_samples as hs
from tests.e2e_helpers import numbered_letter, parsed, write_config

pytestmark = pytest.mark.slow  # real servers (Dovecot, SMTP)

ICT = timezone(timedelta(hours=7))


def _entries(gw: Gateway) -> list[RegisterEntryRow]:
    with gw.sessions() as s:
        return list(s.scalars(select(RegisterEntryRow).order_by(RegisterEntryRow.id)))


def _letters(gw: Gateway) -> list[LetterRow]:
    with gw.sessions() as s:
        return list(s.scalars(select(LetterRow).order_by(LetterRow.id)))


def test_letters_end_registered_acknowledged_and_filed(dovecot, imap_user, smtp_sink, tmp_path):
    env = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    # Monday 2 March 2026, 21:05: after hours, officially received Tuesday 07:30 (R13).
    dovecot.append(imap_user, "INBOX", numbered_letter(1), internaldate=datetime(2026, 3, 2, 21, 5, tzinfo=ICT))
    dovecot.append(imap_user, "INBOX", numbered_letter(2), internaldate=datetime(2026, 3, 3, 9, 0, tzinfo=ICT))
    dovecot.append(imap_user, "INBOX", hs.not_a_pdf_letter(), internaldate=datetime(2026, 3, 3, 9, 1, tzinfo=ICT))

    gw = Gateway(env.settings)
    gw.run_once()

    entries = _entries(gw)
    accepted = [e for e in entries if e.number is not None]
    assert [(e.number, e.year, e.notation) for e in accepted] == [
        (1, 2026, "1/STTTT-VP"),
        (2, 2026, "2/STTTT-VP"),
    ]
    assert accepted[0].after_hours is True
    assert accepted[0].official_received_at.replace(tzinfo=None) == datetime(2026, 3, 3, 0, 30)  # 07:30 +07
    assert accepted[1].after_hours is False
    assert all(e.status == "đã tiếp nhận" and e.delivery for e in accepted)
    refused = [e for e in entries if e.number is None]
    assert [e.status for e in refused] == ["từ chối nhận"]

    replies = [parsed(r.raw) for r in smtp_sink.wait_for(3, timeout=10)]
    assert len(replies) == 3
    by_reply_to = {m["In-Reply-To"]: m for m in replies}
    ack1 = by_reply_to["<cv1.20260302@sotttt.hanoi.gov.vn>"]
    assert ack1["Auto-Submitted"] == "auto-replied"
    assert ack1["To"] == hs.SENDER  # the Return-Path, only (RFC 3834 §4)
    assert ack1["Subject"].startswith("Xác nhận đã nhận văn bản")
    body = ack1.get_content()
    assert "Số đến: 1" in body
    assert "07:30 ngày 03/03/2026" in body  # the official time of receipt
    assert "1 trang" in body or "(1 trang)" in body  # pages received (R3)
    refusal = next(m for m in replies if m["Subject"].startswith("Từ chối"))
    assert "PDF" in refusal.get_content()

    assert dovecot.folder_uids(imap_user, "INBOX") == []
    assert len(dovecot.folder_uids(imap_user, "Processed")) == 2
    assert len(dovecot.folder_uids(imap_user, "Refused")) == 1


def test_no_doubles_for_redelivery_and_uidvalidity_reset(dovecot, imap_user, smtp_sink, tmp_path):
    env = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    raw = numbered_letter(7)
    dovecot.append(imap_user, "INBOX", raw)
    dovecot.append(imap_user, "INBOX", raw)  # the same letter delivered twice
    gw = Gateway(env.settings)
    gw.run_once()
    assert [e.number for e in _entries(gw)] == [1]
    assert len(smtp_sink.wait_for(1, timeout=10)) == 1
    assert len(dovecot.folder_uids(imap_user, "Processed")) == 2

    # Taken in and processed, then the server loses its UIDs before the message was filed.
    dovecot.append(imap_user, "INBOX", raw)
    dovecot.append(imap_user, "INBOX", numbered_letter(8))
    intake = gw.intakes[env.settings.mailboxes[0].name]
    box = intake.connect()
    try:
        intake.take_in(box)
        gw.process()
    finally:
        box.close()
    dovecot.reset_uidvalidity(imap_user, "INBOX")
    gw.run_once()

    assert [e.number for e in _entries(gw)] == [1, 2]  # letter 7 once, letter 8 once
    replies = smtp_sink.wait_for(2, timeout=10)
    assert sorted(parsed(r.raw)["In-Reply-To"] for r in replies) == [
        "<cv7.20260302@sotttt.hanoi.gov.vn>",
        "<cv8.20260302@sotttt.hanoi.gov.vn>",
    ]
    assert dovecot.folder_uids(imap_user, "INBOX") == []
    assert len(dovecot.folder_uids(imap_user, "Processed")) == 4


def _dsn() -> bytes:
    return (
        b"From: MAILER-DAEMON@mx.example.gov.vn\r\nTo: vanthu@ubnd.example.gov.vn\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn1@mx.example.gov.vn>\r\n"
        b"Return-Path: <>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.gov.vn\r\n\r\n"
        b"Final-Recipient: rfc822; nobody@example.gov.vn\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--B--\r\n"
    )


def test_automatic_mail_is_never_answered(dovecot, imap_user, smtp_sink, tmp_path):
    env = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    auto_reply = hs.good_letter(
        [],
        subject="Trả lời tự động: đang nghỉ phép",
        message_id="<auto1@x.gov.vn>",
        extra_headers=[("Auto-Submitted", "auto-replied")],
    )
    list_mail = hs.good_letter(
        [],
        subject="Bản tin tuần",
        message_id="<list1@x.gov.vn>",
        extra_headers=[("List-Id", "<bantin.x.gov.vn>"), ("Precedence", "list")],
    )
    for raw in (auto_reply, _dsn(), list_mail):
        dovecot.append(imap_user, "INBOX", raw)
    gw = Gateway(env.settings)
    gw.run_once()
    assert smtp_sink.received == []  # no reply to any of them (RFC 3834)
    letters = _letters(gw)
    assert [lt.outcome for lt in letters] == ["quarantined"] * 3  # a clerk sees them; none vanishes
    assert all(any(r["code"] == "automatic_message" for r in lt.verdict["reasons"]) for lt in letters)
    assert len(dovecot.folder_uids(imap_user, "Quarantine")) == 3
    # The clerk's view of the quarantine names each one and why.
    result = CliRunner().invoke(
        app, ["register", "letters", "--outcome", "quarantined", "--json", "--config", str(env.config)]
    )
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [lt["subject"] for lt in listed] == [
        "Trả lời tự động: đang nghỉ phép",
        "Undelivered Mail Returned to Sender",
        "Bản tin tuần",
    ]
    assert all(any(r["code"] == "automatic_message" for r in lt["reasons"]) for lt in listed)


def test_hostile_input_gets_a_reason_and_the_daemon_goes_on(dovecot, imap_user, smtp_sink, tmp_path):
    env = write_config(tmp_path, dovecot, imap_user, smtp_sink, mailbox_extra="max_message_bytes = 20000000")
    hostile = {
        "malformed": hs.broken_boundary_letter(),
        "not_pdf": hs.not_a_pdf_letter(),
        "encrypted": hs.letter_with_attachment(hs.encrypted_pdf(), "mat-khau.pdf"),
        "javascript": hs.letter_with_attachment(hs.javascript_pdf(), "js.pdf"),
        "bomb": hs.letter_with_attachment(hs.flate_bomb_pdf(), "bom.pdf"),
        "large": hs.large_attachment_letter(),
        "bidi": hs.bidi_filename_letter(),
        "cp1258": hs.windows1258_subject_letter(),
    }
    for raw in hostile.values():
        dovecot.append(imap_user, "INBOX", raw)
    dovecot.append(imap_user, "INBOX", numbered_letter(9))
    gw = Gateway(env.settings)
    gw.run_once()

    letters = _letters(gw)  # in the order the mailbox held them
    assert len(letters) == len(hostile) + 1
    by_name = dict(zip(hostile, letters, strict=False))
    codes = {
        name: {r["code"] for r in lt.verdict["reasons"]}
        | {r["code"] for d in lt.verdict.get("documents", []) for r in d["reasons"]}
        for name, lt in by_name.items()
        if lt is not None
    }
    for name, lt in by_name.items():
        assert lt is not None, name
        assert lt.outcome in ("refused", "quarantined"), (name, lt.outcome)
        assert codes[name], name  # always a reason
    assert "pdf_encrypted" in codes["encrypted"]
    assert "pdf_javascript" in codes["javascript"]
    assert "pdf_decompression_bomb" in codes["bomb"]
    assert "letter_too_large" in codes["large"]
    assert "pdf_unreadable" in codes["not_pdf"]
    # The cp1258 subject arrives decoded and NFC-normalised.
    assert by_name["cp1258"].subject == hs.WINDOWS_1258_SUBJECT
    good = letters[-1]
    assert good.message_id == "<cv9.20260302@sotttt.hanoi.gov.vn>"
    assert good.outcome == "accepted"  # the daemon went on after all of that
    assert dovecot.folder_uids(imap_user, "INBOX") == []
