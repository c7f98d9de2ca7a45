"""The outbox: replies and alerts are committed here with the register entries, then sent with retries.

A row is `pending` until a send is attempted. It becomes `sending` (committed, with a lease that keeps
other gateway processes off it) just before the SMTP transaction, and `sent` right after the server's
250. A row left in `sending` by a crash is sent again when its lease ends, with the *same* Message-ID:
at worst a receiving system sees one message twice (a kill inside that millisecond window), never two
different replies. Rows are unique per (letter, kind), so re-processing never queues a second reply.

Errors are of two kinds (`classify`). A *temporary* one — no connection, a timeout, a 4xx — means the relay
is away or busy: the row goes back to `pending` and is tried again after `retry_base_seconds`, doubling up
to one attempt per `retry_max_interval_seconds` (30 min), for `retry_for_hours` (3 days) after it was
queued; only then is it `failed` (`last_error` "gave up: …"). An outage of hours or a weekend loses no
reply. A *permanent* one — a 5xx (`550 5.7.1 sender refused`, a refused recipient, a refused login) or a
message that cannot be encoded — will not get better by waiting: the row is `failed` at once
(`last_error` "permanent: …"), logged as an error, and the admins are alerted once per outage (the
`smtp_refused` notice, queued when no such notice was queued since the last successful send).

Rows that went `failed` under the old budget (8 attempts, about an hour) are taken up again: a `failed`
row whose error is neither "permanent:" nor "gave up:" was failed by that budget, and `revive_failed`
puts it back to `pending` — once, then it follows the schedule above (a row queued more than
`retry_for_hours` ago gets that one more attempt). With `max_attempts` set (> 0) the count caps the
attempts too, and nothing is revived.

The lease of a row being sent covers a whole slow SMTP transaction: `timeout_seconds` for each command
it may take (greeting, EHLO, STARTTLS, EHLO, AUTH, MAIL, one RCPT per recipient, DATA, the data's end,
QUIT) plus as much again, so a second gateway never takes a row whose send is merely slow.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.policy import compat32
from typing import cast

from sqlalchemy import Table, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway.config import OutgoingSettings
from gateway.metrics import ACKNOWLEDGED, OUTBOX_FAILURES
from gateway.register.db import rowcount
from gateway.register.schema import LetterRow, OutboxRow
from gateway.tls import shared_client_context
from gateway.vntime import aware

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


REFUSAL_KINDS = ("refusal", "refusal_secret", "recall_refused", "quarantine")


def refused_within_hour(s: Session, address: str | None) -> bool:
    """A refusal (or quarantine notice) was queued for `address` within the last hour (the loop guard for
    letters without a document: `disposition._withheld`)."""
    if not address:
        return False
    since = datetime.now(UTC) - timedelta(hours=1)
    found = s.scalar(
        select(OutboxRow.id)
        .where(OutboxRow.created_at >= since, OutboxRow.kind.in_(REFUSAL_KINDS), OutboxRow.recipient == address.lower())
        .limit(1)
    )
    return found is not None


@dataclass(frozen=True)
class SenderHistory:
    """What the outbox queued for one address within the last hour: replies (the rate limit counts them)
    and whether a refusal was among them (`refused_within_hour`)."""

    address: str | None
    replies: int = 0
    refused: bool = False

    def rate_limited(self, settings: OutgoingSettings, to: str) -> bool | None:
        """`rate_limited` for `to`, or None when this history is another address's."""
        if self.address is None or to.lower() != self.address.lower():
            return None
        return self.replies >= settings.rate_limit_per_hour


def sender_history(s: Session, address: str | None) -> SenderHistory:
    """`recent_replies_to` and `refused_within_hour` of `address` in one statement (issue 16: the processor
    asks both of every letter's sender, in the transaction that queues its reply)."""
    if not address:
        return SenderHistory(address)
    since = datetime.now(UTC) - timedelta(hours=1)
    replies, refusals = s.execute(
        select(
            func.count(OutboxRow.id).filter(OutboxRow.kind != "urgent_alert"),
            func.count(OutboxRow.id).filter(OutboxRow.kind.in_(REFUSAL_KINDS)),
        ).where(OutboxRow.created_at >= since, OutboxRow.recipient == address.lower())
    ).one()
    return SenderHistory(address, replies or 0, bool(refusals))


def rate_limited(s: Session, settings: OutgoingSettings, to: str) -> bool:
    """More replies to `to` this hour than `rate_limit_per_hour`: a backstop against mail loops."""
    since = datetime.now(UTC) - timedelta(hours=1)
    return recent_replies_to(s, to, since) >= settings.rate_limit_per_hour


def _connect(settings: OutgoingSettings) -> smtplib.SMTP:
    context = shared_client_context(verify=settings.verify_tls, ca_file=settings.ca_file)
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


PERMANENT = "permanent: "
GAVE_UP = "gave up: "
AlertHook = Callable[[Session, str], None]  # (transaction, error) → queue the admins' `smtp_refused` notice


def backoff(settings: OutgoingSettings, attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from the base, capped at the interval."""
    exponent = min(attempts - 1, 40)  # 2**40 × any base is past any cap; keeps the float finite
    return timedelta(seconds=min(settings.retry_base_seconds * 2**exponent, settings.retry_max_interval_seconds))


def lease_seconds(settings: OutgoingSettings, recipients: int) -> float:
    """How long a claimed row is ours: every command of a full SMTP transaction at its timeout, twice over."""
    commands = 9 + max(1, recipients)  # greeting, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT×n, DATA, end, QUIT
    return 2 * commands * settings.timeout_seconds


def classify(exc: BaseException) -> bool:
    """True when `exc` is permanent: a 5xx answer (every recipient refused with 5xx counts), or a message
    that cannot be encoded; False for what waiting can cure (no connection, timeouts, TLS trouble, 4xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code // 100 == 5 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code // 100 == 5
    return isinstance(exc, ValueError | UnicodeError)


def revive_failed(sessions: sessionmaker[Session], settings: OutgoingSettings) -> int:
    """Put rows failed by the old attempt budget back to `pending` (see the module's docstring)."""
    if settings.max_attempts > 0:
        return 0
    with sessions.begin() as s:
        revived = rowcount(
            s.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.state == "failed",
                    or_(OutboxRow.last_error.is_(None), ~OutboxRow.last_error.startswith(PERMANENT)),
                    or_(OutboxRow.last_error.is_(None), ~OutboxRow.last_error.startswith(GAVE_UP)),
                )
                .values(state="pending", next_attempt_at=datetime.now(UTC))
            )
        )
    if revived:
        log.warning("outbox: %d message(s) failed under the old retry budget are queued again", revived)
    return revived


def retry_failed(sessions: sessionmaker[Session], ids: list[int] | None = None) -> int:
    """Queue `failed` rows again (all, or those `ids`), e.g. after the admin fixed a refusing relay; each is
    sent once more and then follows the schedule from its new start (`created_at` reset)."""
    now = datetime.now(UTC)
    query = update(OutboxRow).where(OutboxRow.state == "failed")
    if ids:
        query = query.where(OutboxRow.id.in_(ids))
    with sessions.begin() as s:
        return rowcount(s.execute(query.values(state="pending", next_attempt_at=now, created_at=now, attempts=0)))


def _gave_up(settings: OutgoingSettings, row: OutboxRow, attempts: int, now: datetime) -> bool:
    if settings.max_attempts > 0 and attempts >= settings.max_attempts:
        return True
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return now - created >= timedelta(hours=settings.retry_for_hours)


def _alert_once(s: Session, alert: AlertHook | None, error: str) -> None:
    """The admins hear of a refusing relay once per outage: when no `smtp_refused` notice was queued since
    the last message the relay accepted."""
    if alert is None:
        return
    last_sent = s.scalar(select(func.max(OutboxRow.sent_at)))
    notices = select(func.count(OutboxRow.id)).where(OutboxRow.kind == "smtp_refused")
    if last_sent is not None:
        notices = notices.where(OutboxRow.created_at >= last_sent)
    if not s.scalar(notices):
        alert(s, error)


_OUTBOX = cast(Table, OutboxRow.__table__)


def _claim_in(s: Session, row_id: int, recipients: int, settings: OutgoingSettings) -> int | None:
    """Compare-and-set the row to `sending` with a lease, in the caller's transaction (one UPDATE … RETURNING,
    issue 16); returns its attempt number, None if not ours.

    The lease (`next_attempt_at`) keeps another process off the row while we send; a row whose sender
    died is taken up again when the lease runs out."""
    now = datetime.now(UTC)
    lease = now + timedelta(seconds=lease_seconds(settings, recipients))
    return s.execute(
        update(_OUTBOX)
        .where(
            _OUTBOX.c.id == row_id,
            _OUTBOX.c.state.in_(("pending", "sending")),
            _OUTBOX.c.next_attempt_at <= now,
        )
        .values(state="sending", attempts=_OUTBOX.c.attempts + 1, next_attempt_at=lease)
        .returning(_OUTBOX.c.attempts)
    ).scalar()


def _record_sent(s: Session, row: OutboxRow) -> None:
    """The relay took `row`: it is sent (one UPDATE; an acknowledgement's arrival→sent time is observed)."""
    sent_at = datetime.now(UTC)
    s.execute(update(_OUTBOX).where(_OUTBOX.c.id == row.id).values(state="sent", sent_at=sent_at))
    if row.kind == "acknowledgement" and row.letter_id is not None:
        received_at = s.scalar(select(LetterRow.received_at).where(LetterRow.id == row.letter_id))
        if received_at is not None:
            ACKNOWLEDGED.observe(max(0.0, (sent_at - aware(received_at)).total_seconds()))
    log.info("sent %s %s to %s", row.kind, row.message_id, ",".join(row.recipients))


def send_pending(
    sessions: sessionmaker[Session],
    settings: OutgoingSettings,
    *,
    limit: int = 100,
    alert: AlertHook | None = None,
) -> SendReport:
    """Send what is due; one SMTP connection for the batch. Never raises on SMTP trouble.

    `alert` queues the admins' notice of a refusing relay (the daemon passes one; see `_alert_once`)."""
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
    # A message the relay took is recorded as sent in the transaction that claims the next one (one commit
    # per message, not two: issue 16); the time between the relay's 250 and that commit is unchanged.
    accepted: OutboxRow | None = None
    try:
        for row in due:
            with sessions.begin() as s:
                if accepted is not None:
                    _record_sent(s, accepted)
                attempts = _claim_in(s, row.id, len(row.recipients), settings)
            if accepted is not None:
                sent, accepted = sent + 1, None
            if attempts is None:
                continue  # another gateway process has it, or it was sent meanwhile
            try:
                if smtp is None:
                    smtp = _connect(settings)
                smtp.sendmail(settings.from_address, row.recipients, row.raw.encode("utf-8"))
            except (smtplib.SMTPException, OSError, ValueError) as exc:  # ValueError: bad encodings too
                permanent = classify(exc)
                error = f"{type(exc).__name__}: {exc}"
                when = datetime.now(UTC)
                with sessions.begin() as s:
                    fresh = s.get_one(OutboxRow, row.id)
                    if permanent:
                        fresh.state, fresh.last_error = "failed", (PERMANENT + error)[:2000]
                        failed += 1
                        if fresh.kind != "smtp_refused":  # the notice of a refusal is not refused about
                            _alert_once(s, alert, error)
                    elif _gave_up(settings, fresh, attempts, when):
                        fresh.state, fresh.last_error = "failed", (GAVE_UP + error)[:2000]
                        failed += 1
                        OUTBOX_FAILURES.inc()
                    else:
                        fresh.state, fresh.last_error = "pending", error[:2000]
                        fresh.next_attempt_at = when + backoff(settings, attempts)
                if permanent:
                    log.error("%s %s to %s refused for good: %s", row.kind, row.message_id, row.recipients, exc)
                else:
                    log.warning(
                        "%s %s to %s not sent (attempt %d): %s", row.kind, row.message_id, row.recipients, attempts, exc
                    )
                if smtp is not None:
                    try:
                        smtp.close()
                    finally:
                        smtp = None
                continue
            accepted = row
    finally:
        if accepted is not None:
            with sessions.begin() as s:
                _record_sent(s, accepted)
            sent += 1
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    with sessions() as s:
        pending = s.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.state.in_(("pending", "sending"))))
    return SendReport(sent, failed, pending or 0)


def send_all_due(
    sessions: sessionmaker[Session], settings: OutgoingSettings, *, batch: int = 100, alert: AlertHook | None = None
) -> SendReport:
    """Send batches until nothing due is left (`gateway run --once`, and the outbox woken after a commit):
    a burst of 200 replies leaves in one pass, not 100 per cycle. Stops when a batch settles no row."""
    sent = failed = 0
    while True:
        report = send_pending(sessions, settings, limit=batch, alert=alert)
        sent, failed = sent + report.sent, failed + report.failed
        if report.sent + report.failed == 0:
            return SendReport(sent, failed, report.pending)


def list_messages(s: Session, *, failed_only: bool = False, limit: int = 200) -> list[OutboxRow]:
    """The outbox, newest first (`gateway outbox list`); `failed_only`: those given up on."""
    q = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
    if failed_only:
        q = q.where(OutboxRow.state == "failed")
    return list(s.scalars(q))


class RetryError(ValueError):
    """The message cannot be retried (no such message, or it was sent)."""


def retry(s: Session, message_id: int, *, now: datetime | None = None) -> OutboxRow:
    """Put a failed (or waiting) message back in the queue for the next send, with its attempts reset
    (`gateway outbox retry ID`, after the admin fixed the cause). A sent message is never sent twice."""
    row = s.get(OutboxRow, message_id)
    if row is None:
        raise RetryError(f"no outbox message {message_id}")
    if row.state == "sent":
        raise RetryError(f"outbox message {message_id} was sent at {row.sent_at}; it is not sent twice")
    now = now or datetime.now(UTC)
    # The retry schedule starts again from now (`retry_for_hours` counts from `created_at`).
    row.state, row.attempts, row.next_attempt_at, row.created_at = "pending", 0, now, now
    return row
