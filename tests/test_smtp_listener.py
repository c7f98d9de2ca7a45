"""Direct delivery over SMTP: only our addresses, a size limit, and 250 only once the letter is spooled."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import select

from gateway.config import SmtpListenerSettings
from gateway.intake.smtp import start_listener
from gateway.register.schema import LetterRow
from gateway.samples.sink import free_port

LETTER = (
    "From: vanthu@sotc.example.gov.vn\r\nTo: vanthu@ubnd.example.gov.vn\r\n"
    "Subject: =?utf-8?b?Q8O0bmcgdsSDbg==?=\r\nMessage-ID: <a1@sotc.example.gov.vn>\r\n\r\nNội dung\r\n"
).encode()


@pytest.fixture
def listener(sessions, tmp_path):
    settings = SmtpListenerSettings(
        enabled=True, port=free_port(), addresses=("vanthu@ubnd.example.gov.vn",), max_message_bytes=4096
    )
    controller = start_listener(settings, sessions, tmp_path)
    try:
        yield settings
    finally:
        controller.stop()


def test_accepts_and_spools_before_250(listener, sessions, tmp_path):
    with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as smtp:
        refused = smtp.sendmail("vanthu@sotc.example.gov.vn", ["vanthu@ubnd.example.gov.vn"], LETTER)
    assert refused == {}
    with sessions() as s:
        row = s.scalar(select(LetterRow))
    assert row.source == "smtp"
    with open(row.raw_path, "rb") as fh:
        assert fh.read() == b"Return-Path: <vanthu@sotc.example.gov.vn>\r\n" + LETTER  # as received


def test_refuses_other_addresses_and_big_letters(listener, sessions):
    with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as info:
            smtp.sendmail("x@example.org", ["someone@elsewhere.example"], LETTER)
        assert info.value.recipients["someone@elsewhere.example"][0] == 550
    with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as smtp:
        with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused, smtplib.SMTPServerDisconnected)):
            smtp.sendmail("x@example.org", ["vanthu@ubnd.example.gov.vn"], LETTER + b"x" * 8192)
    with sessions() as s:
        assert s.scalar(select(LetterRow)) is None
