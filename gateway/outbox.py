"""The outbox: replies and alerts are committed here with the register entries, then sent with retries.

A row is `pending` until a send is attempted. It becomes `sending` (committed, with a lease that keeps
other gateway processes off it) just before the SMTP transaction, and `sent` right after the server's
250. A row left in `sending` by a crash is sent again when its lease ends, with the *same* Message-ID:
at worst a receiving system sees one message twice (a kill inside that millisecond window), never two
different replies. Rows are unique per (letter, kind), so re-processing never queues a second reply.
Failed attempts back off exponentially; after `max_attempts` the row is `failed` and stays for the clerk.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.policy import compat32

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway.config import OutgoingSettings
from gateway.register.db import rowcount
from gateway.register.schema import OutboxRow
from gateway.tls import client_context

log = logging.getLogger("gateway.outbox")
SMTP_POLICY = compat32.clone(linesep="\r\n")  # the classic generator, as the message was built (replies.py)


def enqueue(s: Session, *, letter_id: int | None, kind: str, message: Message, recipients: list[str]) -> OutboxRow:
    """Queue `message` in the caller's transaction (so it commits with the register entries)."""
    now = datetime.now(UTC)
    row = OutboxRow(
        letter_id=letter_id,
        kind=kind,
        message_id=str(message["Message-ID"]),
        recipients=recipients,
        recipient=recipients[0].lower(),
        raw=message.as_string(policy=SMTP_POLICY),  # CRLF line ends, 7-bit: ready for DATA
        state="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    s.add(row)
    return row


def recent_replies_to(s: Session, address: str, since: datetime) -> int:
    """How many replies were queued for `address` since `since` (the per-sender rate limit)."""
    return (
        s.scalar(
            select(func.count(OutboxRow.id)).where(
                OutboxRow.created_at >= since,
                OutboxRow.kind != "urgent_alert",
                OutboxRow.recipient == address.lower(),
            )
        )
        or 0
    )


def rate_limited(s: Session, settings: OutgoingSettings, to: str) -> bool:
    """More replies to `to` this hour than `rate_limit_per_hour`: a backstop against mail loops."""
    since = datetime.now(UTC) - timedelta(hours=1)
    return recent_replies_to(s, to, since) >= settings.rate_limit_per_hour


def _connect(settings: OutgoingSettings) -> smtplib.SMTP:
    context = client_context(verify=settings.verify_tls, ca_file=settings.ca_file)
    if settings.tls == "implicit":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout_seconds, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
        if settings.tls == "starttls":
            smtp.starttls(context=context)
    if settings.username:
        _login(smtp, settings.username, settings.password or "")
    return smtp


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH PLAIN in UTF-8 (RFC 4616), so a Vietnamese password works; smtplib's login() encodes ASCII only."""
    smtp.ehlo_or_helo_if_needed()
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        smtp.login(user, password)  # the server offers no PLAIN: LOGIN/CRAM-MD5, ASCII credentials
        return
    token = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    pending: int


def _backoff(settings: OutgoingSettings, attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.retry_base_seconds * (2 ** (attempts - 1)), 6 * 3600))


def _claim(sessions: sessionmaker[Session], row_id: int, settings: OutgoingSettings) -> int | None:
    """Compare-and-set the row to `sending` with a lease; returns its attempt number, None if not ours.

    The lease (`next_attempt_at`) keeps another process off the row while we send; a row whose sender
    died is taken up again when the lease runs out.
    """
    now = datetime.now(UTC)
    lease = now + timedelta(seconds=settings.timeout_seconds * 2)
    with sessions.begin() as s:
        claimed = rowcount(
            s.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == row_id,
                    OutboxRow.state.in_(("pending", "sending")),
                    OutboxRow.next_attempt_at <= now,
                )
                .values(state="sending", attempts=OutboxRow.attempts + 1, next_attempt_at=lease)
            )
        )
        if claimed != 1:
            return None
        return s.get_one(OutboxRow, row_id).attempts


def send_pending(sessions: sessionmaker[Session], settings: OutgoingSettings, *, limit: int = 100) -> SendReport:
    """Send what is due; one SMTP connection for the batch. Never raises on SMTP trouble."""
    now = datetime.now(UTC)
    with sessions() as s:
        due = s.scalars(
            select(OutboxRow)
            .where(
                or_(OutboxRow.state == "sending", OutboxRow.state == "pending"),
                OutboxRow.next_attempt_at <= now,
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        ).all()
    if not due:
        return SendReport(0, 0, 0)
    sent = failed = 0
    smtp: smtplib.SMTP | None = None
    try:
        for row in due:
            attempts = _claim(sessions, row.id, settings)
            if attempts is None:
                continue  # another gateway process has it, or it was sent meanwhile
            try:
                if smtp is None:
                    smtp = _connect(settings)
                smtp.sendmail(settings.from_address, row.recipients, row.raw.encode("utf-8"))
            except (smtplib.SMTPException, OSError, ValueError) as exc:  # ValueError: bad encodings too
                permanent = (
                    isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)
                    and getattr(exc, "smtp_code", 0) // 100 == 5
                )
                with sessions.begin() as s:
                    fresh = s.get_one(OutboxRow, row.id)
                    fresh.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                    if permanent or attempts >= settings.max_attempts:
                        fresh.state = "failed"
                        failed += 1
                    else:
                        fresh.state = "pending"
                        fresh.next_attempt_at = datetime.now(UTC) + _backoff(settings, attempts)
                log.warning("reply %s to %s not sent (attempt %d): %s", row.message_id, row.recipients, attempts, exc)
                if smtp is not None:
                    try:
                        smtp.close()
                    finally:
                        smtp = None
                continue
            with sessions.begin() as s:
                fresh = s.get_one(OutboxRow, row.id)
                fresh.state = "sent"
                fresh.sent_at = datetime.now(UTC)
            sent += 1
            log.info("sent %s %s to %s", row.kind, row.message_id, ",".join(row.recipients))
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    with sessions() as s:
        pending = s.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.state.in_(("pending", "sending"))))
    return SendReport(sent, failed, pending or 0)


def send_all_due(sessions: sessionmaker[Session], settings: OutgoingSettings, *, batch: int = 100) -> SendReport:
    """Send batches until nothing due is left (`gateway run --once`, and the outbox woken after a commit):
    a burst of 200 replies leaves in one pass, not 100 per cycle. Stops when a batch settles no row."""
    sent = failed = 0
    while True:
        report = send_pending(sessions, settings, limit=batch)
        sent, failed = sent + report.sent, failed + report.failed
        if report.sent + report.failed == 0:
            return SendReport(sent, failed, report.pending)
