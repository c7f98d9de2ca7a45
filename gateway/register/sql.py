"""The embedded register (the default DMS backend): writing entries, their history, and reading them back.

`record` writes, in the caller's single transaction, one register entry per document with its number
(accepted documents only), its status (the disposition's) and history, and its own document's verdict;
the letter's verdict is stored once, on the letter. A document already
registered (same sha256, or same number + issuer + date) is not registered again: the new letter points at
the existing entry (nothing doubled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.models import Delivery, DocumentVerdict, Outcome, Status, Verdict, to_jsonable
from gateway.register.numbering import next_number
from gateway.register.schema import EntryHistoryRow, LetterRow, RegisterEntryRow
from gateway.vntime import in_vietnam


@dataclass(frozen=True)
class EntryRef:
    """What a reply needs to know of a document's register entry."""

    doc_index: int
    number: int | None
    year: int | None
    duplicate_of: int | None  # the existing entry's number when the document was registered before
    entry_id: int | None = None


def _as_utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


def find_existing(s: Session, doc: DocumentVerdict) -> RegisterEntryRow | None:
    """An accepted entry for the same document: same bytes, or same number, issuer and date."""
    row = s.scalar(
        select(RegisterEntryRow)
        .where(RegisterEntryRow.document_sha256 == doc.sha256, RegisterEntryRow.number.is_not(None))
        .limit(1)
    )
    if row is not None:
        return row
    m = doc.metadata
    if m.number and m.issuer and m.date and "/" in m.number and not m.number.startswith("/"):
        return s.scalar(
            select(RegisterEntryRow)
            .where(
                RegisterEntryRow.notation == m.number,
                RegisterEntryRow.issuer == m.issuer,
                RegisterEntryRow.document_date == m.date,
                RegisterEntryRow.number.is_not(None),
            )
            .limit(1)
        )
    return None


def record(
    s: Session,
    *,
    letter_id: int,
    verdict: Verdict,
    status: str,
    year: int,
    agency_code: str | None,
    sender_name: str | None,
    urgent_alert: bool,
) -> list[EntryRef]:
    """Write the register entries of one letter (caller commits). Returns one ref per document."""
    now = datetime.now(UTC)
    refs: list[EntryRef] = []
    reception = verdict.reception
    for index, doc in enumerate(verdict.documents):
        existing = find_existing(s, doc) if verdict.outcome == Outcome.ACCEPTED else None
        if existing is not None:
            refs.append(EntryRef(index, existing.number, existing.year, existing.number, existing.id))
            continue
        number = next_number(s, year) if verdict.outcome == Outcome.ACCEPTED else None
        m = doc.metadata
        decision = doc.decision
        entry = RegisterEntryRow(
            letter_id=letter_id,
            doc_index=index,
            year=year if number is not None else None,
            number=number,
            document_identifier=f"{agency_code}.{year}.{number:06d}" if agency_code and number else None,
            status=status,
            received_at=_as_utc(reception.received_at),
            official_received_at=_as_utc(reception.official_received_at),
            after_hours=reception.after_hours,
            sent_at=_as_utc(verdict.letter.date) if verdict.letter and verdict.letter.date else None,
            deadline=reception.deadline.isoformat() if reception.deadline else None,
            sender_address=verdict.letter.from_ if verdict.letter else None,
            sender_name=sender_name,
            sender_agency_code=(
                verdict.letter.sender_agency.code if verdict.letter and verdict.letter.sender_agency else None
            ),
            filename=doc.filename,
            document_sha256=doc.sha256,
            pages=doc.pages,
            notation=m.number,
            document_date=m.date,
            doc_type=m.doc_type,
            issuer=m.issuer,
            subject=m.subject,
            signer_name=m.signer_name,
            signer_title=m.signer_title,
            urgency=m.urgency,
            secrecy=m.secrecy,
            legal_value=doc.legal_value.value,
            delivery=decision.delivery.value if decision else None,
            rule=decision.rule if decision else None,
            paper_awaited=bool(
                number is not None and decision and decision.delivery in (Delivery.PAPER_ALSO, Delivery.PAPER_ONLY)
            ),
            urgent_alert=urgent_alert,
            notes=decision.register_note
            if decision
            else ("bản có thể chỉnh sửa, không ký số" if doc.editable else None),
            verdict=to_jsonable(doc),
            created_at=now,
        )
        s.add(entry)
        s.flush()
        s.add(
            EntryHistoryRow(
                entry_id=entry.id, status=Status.ARRIVED, at=_as_utc(reception.received_at), actor="gateway"
            )
        )
        if status != Status.ARRIVED:
            s.add(EntryHistoryRow(entry_id=entry.id, status=status, at=now, actor="gateway"))
        refs.append(EntryRef(index, number, entry.year, None, entry.id))
    return refs


def list_entries(s: Session, *, since: date | None = None, limit: int | None = None) -> list[RegisterEntryRow]:
    q = select(RegisterEntryRow).order_by(RegisterEntryRow.id)
    if since is not None:
        q = q.where(RegisterEntryRow.official_received_at >= datetime(since.year, since.month, since.day, tzinfo=UTC))
    if limit:
        q = q.limit(limit)
    return list(s.scalars(q))


def list_letters(s: Session, *, outcome: str | None = None) -> list[LetterRow]:
    q = select(LetterRow).order_by(LetterRow.id)
    if outcome:
        q = q.where(LetterRow.outcome == outcome)
    return list(s.scalars(q))


def letter_dict(row: LetterRow) -> dict:
    """A letter with its outcome and every reason (its own and its documents'), for clerks."""
    verdict = row.verdict or {}
    reasons = list(verdict.get("reasons", []))
    for doc in verdict.get("documents", []):
        reasons += [{"code": r["code"], "message": f"{doc['filename']}: {r['message']}"} for r in doc["reasons"]]
    return {
        "id": row.id,
        "received_at": to_jsonable(in_vietnam(row.received_at)),
        "from": row.from_address,
        "subject": row.subject,
        "state": row.state,
        "outcome": row.outcome,
        "reasons": reasons,
        "error": row.error,
        "sha256": row.sha256,
    }


def history(s: Session, entry_id: int) -> list[EntryHistoryRow]:
    return list(
        s.scalars(select(EntryHistoryRow).where(EntryHistoryRow.entry_id == entry_id).order_by(EntryHistoryRow.id))
    )


class RegisterError(ValueError):
    pass


def mark_paper_received(
    s: Session, *, year: int, number: int, actor: str, at: datetime | None = None
) -> RegisterEntryRow:
    """A clerk records that the paper original of entry `number`/`year` arrived (R8–R11)."""
    row = s.scalar(select(RegisterEntryRow).where(RegisterEntryRow.year == year, RegisterEntryRow.number == number))
    if row is None:
        raise RegisterError(f"no register entry number {number} in {year}")
    if not row.paper_awaited:
        raise RegisterError(f"entry {number}/{year} does not await a paper original")
    if row.paper_received_at is not None:
        raise RegisterError(f"the paper original of entry {number}/{year} was already recorded")
    when = at or datetime.now(UTC)
    row.paper_received_at = when
    s.add(EntryHistoryRow(entry_id=row.id, status=row.status, at=when, actor=actor, note="đã nhận bản giấy"))
    return row


def entry_dict(row: RegisterEntryRow) -> dict:
    """A register entry as JSON-ready data (for `gateway register list --json`)."""
    return {
        c.name: to_jsonable(in_vietnam(getattr(row, c.name)))
        for c in RegisterEntryRow.__table__.columns
        if c.name != "verdict"
    }
