"""The embedded register's tables (SQLAlchemy 2). The Alembic migrations in `gateway/migrations/` create
exactly these; `tests/test_register.py` checks that the two agree.

- `letters`: every letter that entered the system, known by the sha256 of its raw bytes (nothing doubled),
  with its state (`models.LetterState`: RECEIVED → REPLIED → FILED, or REFUSED / QUARANTINED), its verdict
  and its disposition.
- `mailbox_messages`: where a letter sits in an IMAP mailbox, keyed on (mailbox, UIDVALIDITY, UID).
- `mailbox_cursors`: the highest UID taken in, per mailbox folder and UIDVALIDITY.
- `register_entries`: the incoming register (sổ văn bản đến), one row per document with the R16 fields;
  `number` is the incoming number (số đến), gap-free per year, given only to accepted documents.
- `number_counters`: the last incoming number of each year; incremented in the registering transaction.
- `entry_history`: the status history of each entry (đã đến, đã tiếp nhận, từ chối nhận, …).
- `outbox`: replies and alerts to send, each sent once (unique per letter and kind).
- `dms_handoffs`: documents (and revocations, replacements) to hand to each DMS destination, each once
  (unique per entry, destination and kind), leased and retried like the outbox (R18, R19).
- `dms_destinations`: each DMS destination's health: down since when, alerted, last delivery (R19).
- `dms_statuses`: every status package read from a DMS (unique per destination and package bytes).
- `recall_requests`: senders' requests to recall or replace a registered document, and the clerk's
  decision (R17).
- `users`, `web_sessions`: the clerk's workplace accounts (văn thư, lãnh đạo, admin) and their sessions.
- `audit_log`: every write a person made (web or CLI): who, what, on which letter or entry, when, from where.
- `gateway_meta`: facts every process sharing the database agrees on (the storage folder's identity).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


TS = DateTime(timezone=True)


class LetterRow(Base):
    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(16))  # imap | smtp | file
    raw_path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)  # only headers kept: over the size limit
    received_at: Mapped[datetime] = mapped_column(TS)
    state: Mapped[str] = mapped_column(String(16), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(Text)
    from_address: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)  # last processing error, for the clerk
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # evaluations started (counted before the work)
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_at: Mapped[datetime] = mapped_column(TS)
    # The claim of the process evaluating it (gateway.processor.claim): no other process takes the letter
    # until the lease ends, or until the claimer is seen dead on this host.
    lease_until: Mapped[datetime | None] = mapped_column(TS)
    claimed_by: Mapped[str | None] = mapped_column(String(200))


class MailboxMessageRow(Base):
    __tablename__ = "mailbox_messages"
    __table_args__ = (UniqueConstraint("mailbox", "folder", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    filed_to: Mapped[str | None] = mapped_column(String(200))
    filed_at: Mapped[datetime | None] = mapped_column(TS)


class MailboxCursorRow(Base):
    __tablename__ = "mailbox_cursors"
    __table_args__ = (UniqueConstraint("mailbox", "folder", "uidvalidity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)


class NumberCounterRow(Base):
    __tablename__ = "number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntryRow(Base):
    __tablename__ = "register_entries"
    __table_args__ = (
        UniqueConstraint("year", "number"),
        UniqueConstraint("letter_id", "doc_index"),
        Index("ix_register_entries_document_sha256", "document_sha256"),
        # register.find_existing looks a document up by its notation, issuer and date (issue 16)
        Index("ix_register_entries_notation_issuer_date", "notation", "issuer", "document_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"))
    doc_index: Mapped[int] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)  # the year of the official time of receipt
    number: Mapped[int | None] = mapped_column(Integer)  # số đến; None for refused documents
    document_identifier: Mapped[str | None] = mapped_column(String(64))  # agency code + year + number
    status: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(TS)
    official_received_at: Mapped[datetime] = mapped_column(TS)
    after_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(TS)  # the sender's Date: header, a claim (R13)
    deadline: Mapped[str | None] = mapped_column(String(32))
    sender_address: Mapped[str | None] = mapped_column(Text)
    sender_name: Mapped[str | None] = mapped_column(Text)
    sender_agency_code: Mapped[str | None] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(Text)
    document_sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int | None] = mapped_column(Integer)
    notation: Mapped[str | None] = mapped_column(Text)  # số và ký hiệu
    document_date: Mapped[datetime | None] = mapped_column(Date)
    doc_type: Mapped[str | None] = mapped_column(String(32))
    issuer: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)  # trích yếu
    signer_name: Mapped[str | None] = mapped_column(Text)
    signer_title: Mapped[str | None] = mapped_column(Text)
    urgency: Mapped[str | None] = mapped_column(String(16))
    secrecy: Mapped[str | None] = mapped_column(String(16))
    legal_value: Mapped[str | None] = mapped_column(String(32))
    delivery: Mapped[str | None] = mapped_column(String(32))
    rule: Mapped[str | None] = mapped_column(String(64))
    paper_awaited: Mapped[bool] = mapped_column(Boolean, default=False)
    paper_received_at: Mapped[datetime | None] = mapped_column(TS)
    urgent_alert: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    assigned_to: Mapped[str | None] = mapped_column(Text)  # chuyển xử lý: Đơn vị hoặc người nhận (Phụ lục IV)
    assigned_at: Mapped[date | None] = mapped_column(Date)  # Ngày chuyển (Phụ lục IV)
    # Folded, without diacritics (`gateway.vntext.search_key`), for the register's filters and word search:
    search_text: Mapped[str | None] = mapped_column(Text)  # notation, issuer, sender, subject, file, signer
    search_issuer: Mapped[str | None] = mapped_column(Text)  # issuer and sender
    search_notation: Mapped[str | None] = mapped_column(Text)  # số và ký hiệu
    verdict: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(TS)
    dms_number: Mapped[str | None] = mapped_column(String(32))  # the DMS's own số đến, when it assigns one
    replaces_entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"))  # a replacement


class EntryHistoryRow(Base):
    __tablename__ = "entry_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("register_entries.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(TS)
    actor: Mapped[str] = mapped_column(String(64))  # "gateway" or the clerk's name
    note: Mapped[str | None] = mapped_column(Text)


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("letter_id", "kind"),
        Index("ix_outbox_recipient_created_at", "recipient", "created_at"),  # the per-sender rate limit
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))  # None: an admin notice
    kind: Mapped[str] = mapped_column(String(32))  # acknowledgement | refusal | quarantine | urgent_alert | rules_error
    message_id: Mapped[str] = mapped_column(Text)
    recipients: Mapped[list] = mapped_column(JSON)
    recipient: Mapped[str] = mapped_column(String(320), index=True)  # first recipient, lower case
    raw: Mapped[str] = mapped_column(Text)  # the whole RFC 5322 message, as sent
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(TS)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(TS)
    created_at: Mapped[datetime] = mapped_column(TS)


class DmsHandoffRow(Base):
    __tablename__ = "dms_handoffs"
    __table_args__ = (UniqueConstraint("entry_id", "destination", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("register_entries.id"), index=True)
    destination: Mapped[str] = mapped_column(String(32))  # edxml-folder | edxml-http
    kind: Mapped[str] = mapped_column(String(16))  # edoc | revocation | replacement
    reason: Mapped[str | None] = mapped_column(Text)  # BussinessDocReason of a revocation or replacement
    related_entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"))  # the replaced entry
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(TS)
    last_error: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(Text)  # the package's DocumentId, once built
    dms_reference: Mapped[str | None] = mapped_column(Text)  # what the DMS answered (its id, a file name)
    sent_at: Mapped[datetime | None] = mapped_column(TS)
    created_at: Mapped[datetime] = mapped_column(TS)


class DmsDestinationRow(Base):
    __tablename__ = "dms_destinations"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    down_since: Mapped[datetime | None] = mapped_column(TS)  # first failure of the current outage
    last_error: Mapped[str | None] = mapped_column(Text)
    outage_alerted_at: Mapped[datetime | None] = mapped_column(TS)  # the admin was told of this outage
    next_attempt_at: Mapped[datetime | None] = mapped_column(TS)  # back off the whole destination
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive
    last_delivered_at: Mapped[datetime | None] = mapped_column(TS)
    last_polled_at: Mapped[datetime | None] = mapped_column(TS)


class DmsStatusRow(Base):
    __tablename__ = "dms_statuses"
    __table_args__ = (UniqueConstraint("destination", "package_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    destination: Mapped[str] = mapped_column(String(32))
    package_sha256: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"), index=True)
    document_id: Mapped[str | None] = mapped_column(Text)
    status_code: Mapped[str] = mapped_column(String(4))
    description: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime | None] = mapped_column(TS)  # the package's Timestamp
    received_at: Mapped[datetime] = mapped_column(TS)
    notice: Mapped[str | None] = mapped_column(String(32))  # the reply kind queued for the sender, if any
    problems: Mapped[list] = mapped_column(JSON)


class RecallRequestRow(Base):
    __tablename__ = "recall_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), unique=True)  # the sender's request
    kind: Mapped[str] = mapped_column(String(16))  # recall | replace
    notation: Mapped[str | None] = mapped_column(Text)  # số, ký hiệu of the document to recall
    document_date: Mapped[datetime | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"), index=True)
    replacement_entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"))
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending | confirmed | declined | refused
    refusal: Mapped[str | None] = mapped_column(Text)  # why it was refused or declined (Vietnamese)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(TS)
    created_at: Mapped[datetime] = mapped_column(TS)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))  # van_thu | lanh_dao | admin
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(TS)
    password_changed_at: Mapped[datetime] = mapped_column(TS)


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(TS)
    expires_at: Mapped[datetime] = mapped_column(TS)
    remote: Mapped[str | None] = mapped_column(String(64))


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(TS)
    actor: Mapped[str] = mapped_column(String(64), index=True)  # a username, or the CLI's --clerk
    action: Mapped[str] = mapped_column(String(32))  # login, release, refuse, reprocess, assign, note, …
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"), index=True)
    detail: Mapped[dict | None] = mapped_column(JSON)
    remote: Mapped[str | None] = mapped_column(String(64))  # the client's address (web), "cli" otherwise


class GatewayMetaRow(Base):
    """Facts about the installation every gateway process sharing the database must agree on: the
    `storage_id` of the storage folder that holds the originals (`intake/storage_check.py`)."""

    __tablename__ = "gateway_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
