"""The outbox sends each reply once, retries with backoff while the server is away, and gives up clearly."""

from __future__ import annotations

import ssl
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from gateway.config import OutgoingSettings
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.outbox import enqueue, send_pending
from gateway.register.schema import OutboxRow
from gateway.replies import Rendered, build_message
from gateway.samples.sink import SmtpSink, free_port
from tests.servers.dovecot import write_test_certificates

LONG_SUBJECT = "Xác nhận đã nhận văn bản: Giấy mời họp số 2140/GM-STC về việc triển khai quyết toán ngân sách năm 2026"


def _queue(sessions, tmp_path, n: int = 1, *, first: int = 0) -> None:
    for i in range(first, first + n):
        letter = admit(
            sessions,
            tmp_path,
            f"Subject: {i}\r\n\r\nx\r\n".encode(),
            source=Source.FILE,
            received_at=datetime.now(UTC),
        )
        msg = build_message(
            Rendered(LONG_SUBJECT, "Số đến: 1\n"),
            from_address="vanthu@ubnd.example.gov.vn",
            from_name="Văn thư",
            to="vanthu@so.example.gov.vn",
            message_id=f"<ack.{i}@ubnd.example.gov.vn>",
            in_reply_to=f"<orig{i}@so.example.gov.vn>",
        )
        with sessions.begin() as s:
            enqueue(
                s,
                letter_id=letter.letter_id,
                kind="acknowledgement",
                message=msg,
                recipients=["vanthu@so.example.gov.vn"],
            )


def test_retries_until_the_server_is_back_then_sends_once(sessions, tmp_path):
    port = free_port()
    settings = OutgoingSettings(port=port, retry_base_seconds=0.2, timeout_seconds=5, max_attempts=5)
    _queue(sessions, tmp_path, 2)
    first = send_pending(sessions, settings)
    assert (first.sent, first.pending) == (0, 2)  # nobody listening: both wait for a retry
    with sessions() as s:
        rows = list(s.scalars(select(OutboxRow)))
    assert all(r.state == "pending" and r.attempts == 1 and r.last_error for r in rows)
    sink = SmtpSink(port=port).start()
    try:
        time.sleep(0.3)  # the backoff
        second = send_pending(sessions, settings)
        third = send_pending(sessions, settings)
        assert (second.sent, third.sent) == (2, 0)
        got = sink.wait_for(2, timeout=5)
    finally:
        sink.stop()
    assert len(got) == 2
    msg = got[0].message
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["In-Reply-To"] == "<orig0@so.example.gov.vn>"
    assert msg["References"] == "<orig0@so.example.gov.vn>"
    assert msg.get_content().strip() == "Số đến: 1"
    # Folded over several encoded words, the subject keeps every space ("Giấy mời", not "Giấymời").
    assert msg["Subject"] == LONG_SUBJECT
    assert "\n" not in got[0].raw.decode().replace("\r\n", "")  # CRLF line ends only


def test_gives_up_after_max_attempts(sessions, tmp_path):
    settings = OutgoingSettings(port=free_port(), retry_base_seconds=0, timeout_seconds=2, max_attempts=2)
    _queue(sessions, tmp_path)
    send_pending(sessions, settings)
    report = send_pending(sessions, settings)
    assert (report.failed, report.pending) == (1, 0)
    with sessions() as s:
        row = s.scalar(select(OutboxRow))
    assert row.state == "failed" and row.attempts == 2 and "Connection refused" in row.last_error


@pytest.mark.slow  # a real SMTP server with STARTTLS
def test_starttls_with_a_private_ca_and_auth(sessions, tmp_path):
    """The agency's submission server: STARTTLS under the province's own CA, then AUTH (R15 replies go out)."""
    ca_file, chain, key = write_test_certificates(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(chain, key)
    sink = SmtpSink(tls_context=server_tls, credentials=("vanthu", "mật-khẩu")).start()
    try:
        base = dict(
            host="localhost", port=sink.port, tls="starttls", username="vanthu", timeout_seconds=5, max_attempts=1
        )
        _queue(sessions, tmp_path)
        # Without the private CA the certificate is not trusted: nothing is sent, the error is kept.
        report = send_pending(sessions, OutgoingSettings(**base, password="mật-khẩu"))
        assert report.sent == 0
        with sessions() as s:
            assert "CERTIFICATE_VERIFY_FAILED" in s.scalar(select(OutboxRow)).last_error
        _queue(sessions, tmp_path, first=1)  # a second letter; the first stays failed
        wrong = send_pending(sessions, OutgoingSettings(**base, password="sai", ca_file=ca_file))
        assert wrong.sent == 0
        _queue(sessions, tmp_path, first=2)
        good = send_pending(sessions, OutgoingSettings(**base, password="mật-khẩu", ca_file=ca_file))
        assert good.sent == 1
        assert len(sink.wait_for(1, timeout=5)) == 1
    finally:
        sink.stop()
