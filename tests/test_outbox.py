"""The outbox sends each reply once, retries with backoff while the server is away, and gives up clearly."""

from __future__ import annotations

import smtplib
import ssl
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from gateway.config import OutgoingSettings
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.outbox import backoff, classify, enqueue, lease_seconds, retry_failed, revive_failed, send_pending
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


def test_the_schedule_doubles_up_to_the_cap_and_the_lease_covers_a_slow_transaction():
    settings = OutgoingSettings(retry_base_seconds=30, retry_max_interval_seconds=1800, timeout_seconds=30)
    waits = [backoff(settings, n).total_seconds() for n in range(1, 12)]
    assert waits[:7] == [30, 60, 120, 240, 480, 960, 1800]
    assert set(waits[6:]) == {1800}  # one attempt per 30 min …
    assert backoff(settings, 10_000).total_seconds() == 1800  # … however long the outage
    # 3 days at that pace: far more than the old 8 attempts (about an hour), none of them lost.
    elapsed, attempts = 0.0, 1
    while elapsed + backoff(settings, attempts).total_seconds() < 72 * 3600:
        elapsed += backoff(settings, attempts).total_seconds()
        attempts += 1
    assert attempts == 149
    # A 4 s-per-command relay with a 5 s timeout: the lease outlasts the whole transaction (issue 17).
    assert lease_seconds(OutgoingSettings(timeout_seconds=5), 1) > 11 * 5


def test_smtp_errors_are_permanent_only_when_5xx():
    assert classify(smtplib.SMTPSenderRefused(550, b"5.7.1 sender refused", "a@b"))
    assert classify(smtplib.SMTPDataError(554, b"5.6.0 rejected"))
    assert classify(smtplib.SMTPAuthenticationError(535, b"5.7.8 bad credentials"))
    assert classify(smtplib.SMTPRecipientsRefused({"x@y": (550, b"no such user")}))
    assert not classify(smtplib.SMTPRecipientsRefused({"x@y": (450, b"try later"), "z@y": (550, b"no")}))
    assert not classify(smtplib.SMTPSenderRefused(451, b"4.3.0 try again later", "a@b"))
    assert not classify(smtplib.SMTPServerDisconnected("gone"))
    assert not classify(ConnectionRefusedError(111, "Connection refused"))
    assert not classify(TimeoutError("timed out"))


def test_a_long_outage_loses_no_reply(sessions, tmp_path):
    """More failed attempts than the old budget (8): every reply still pending, then sent when the relay is back."""
    port = free_port()
    settings = OutgoingSettings(port=port, retry_base_seconds=0, retry_max_interval_seconds=0, timeout_seconds=2)
    _queue(sessions, tmp_path, 3)
    for _ in range(12):
        report = send_pending(sessions, settings)
        assert (report.failed, report.pending) == (0, 3)
    sink = SmtpSink(port=port).start()
    try:
        assert send_pending(sessions, settings).sent == 3
        assert len(sink.wait_for(3, timeout=5)) == 3
    finally:
        sink.stop()
    with sessions() as s:
        assert {r.attempts for r in s.scalars(select(OutboxRow))} == {13}


def test_temporary_failures_give_up_after_the_configured_time(sessions, tmp_path):
    settings = OutgoingSettings(port=free_port(), retry_base_seconds=0, timeout_seconds=2, retry_for_hours=0)
    _queue(sessions, tmp_path)
    report = send_pending(sessions, settings)
    assert report.failed == 1
    with sessions() as s:
        row = s.scalar(select(OutboxRow))
    assert row.state == "failed" and row.last_error.startswith("gave up: ") and "Connection refused" in row.last_error
    assert revive_failed(sessions, OutgoingSettings()) == 0  # given up by the schedule: stays failed


def test_a_refusing_relay_fails_at_once_and_alerts_the_admins_once(sessions, tmp_path):
    sink = SmtpSink(refuse_mail="550 5.7.1 sender refused").start()
    alerts: list[str] = []

    def alert(s, error):
        alerts.append(error)
        msg = build_message(
            Rendered("relay refuses", "x\n"),
            from_address="vanthu@ubnd.example.gov.vn",
            from_name="Văn thư",
            to="admin@ubnd.example.gov.vn",
            message_id=f"<alert{len(alerts)}@ubnd.example.gov.vn>",
            in_reply_to=None,
        )
        enqueue(s, letter_id=None, kind="smtp_refused", message=msg, recipients=["admin@ubnd.example.gov.vn"])

    try:
        settings = OutgoingSettings(port=sink.port, retry_base_seconds=0, timeout_seconds=5)
        _queue(sessions, tmp_path, 3)
        first = send_pending(sessions, settings, alert=alert)
        assert (first.sent, first.failed) == (0, 3)  # never retried as pending
        second = send_pending(sessions, settings, alert=alert)  # the admins' notice, refused too: no new one
        assert second.failed == 1
        assert len(alerts) == 1 and "sender refused" in alerts[0]
        with sessions() as s:
            rows = list(s.scalars(select(OutboxRow).where(OutboxRow.kind == "acknowledgement")))
        assert all(r.state == "failed" and r.attempts == 1 for r in rows)
        assert all(r.last_error.startswith("permanent: SMTPSenderRefused") for r in rows)
        assert revive_failed(sessions, OutgoingSettings()) == 0  # a refusal is not revived by itself
        # The relay accepts us again (the admin fixed it): a later refusal is a new outage, alerted again.
        sink.refuse_mail = None
        _queue(sessions, tmp_path, 1, first=3)
        assert send_pending(sessions, settings, alert=alert).sent == 1
        sink.refuse_mail = "550 5.7.1 sender refused"
        _queue(sessions, tmp_path, 1, first=4)
        send_pending(sessions, settings, alert=alert)
        assert len(alerts) == 2
        # Fixed for good: `gateway outbox retry --failed` sends every failed message once more.
        sink.refuse_mail = None
        queued = retry_failed(sessions)
        assert queued == 5  # four acknowledgements and the first notice (the second is still pending)
        assert send_pending(sessions, settings, alert=alert).sent == 6
    finally:
        sink.stop()


def test_rows_failed_by_the_old_budget_are_sent_after_all(sessions, tmp_path, smtp_sink):
    _queue(sessions, tmp_path, 2)
    with sessions.begin() as s:  # as the old 8-attempt budget left them
        for row in s.scalars(select(OutboxRow)):
            row.state, row.attempts, row.last_error = "failed", 8, "ConnectionRefusedError: [Errno 111]"
    assert revive_failed(sessions, OutgoingSettings(max_attempts=8)) == 0  # a count cap keeps the old ways
    assert revive_failed(sessions, OutgoingSettings()) == 2
    assert send_pending(sessions, OutgoingSettings(port=smtp_sink.port, timeout_seconds=5)).sent == 2
    assert len(smtp_sink.wait_for(2, timeout=5)) == 2


def test_gives_up_after_max_attempts(sessions, tmp_path):
    settings = OutgoingSettings(port=free_port(), retry_base_seconds=0, timeout_seconds=2, max_attempts=2)
    _queue(sessions, tmp_path)
    send_pending(sessions, settings)
    report = send_pending(sessions, settings)
    assert (report.failed, report.pending) == (1, 0)
    with sessions() as s:
        row = s.scalar(select(OutboxRow))
    assert row.state == "failed" and row.attempts == 2 and "Connection refused" in row.last_error
    assert row.last_error.startswith("gave up: ")


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
