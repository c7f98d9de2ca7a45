"""The embedded register (the default DMS backend): writing entries, their history, and reading them back.

`record` writes, in the caller's single transaction, one register entry per document with its number
(accepted documents only), its status (the disposition's) and history, and its own document's verdict;
the letter's verdict is stored once, on the letter. A document already
registered (same sha256, or same number + issuer + date) is not registered again: the new letter points at
the existing entry (nothing doubled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, case, insert, or_, select
from sqlalchemy.orm import Session

from gateway.models import Delivery, DocumentVerdict, Outcome, Status, Verdict, to_jsonable
from gateway.register.numbering import next_number
from gateway.register.schema import EntryHistoryRow, LetterRow, RegisterEntryRow
from gateway.vntext import nfc, search_key
from gateway.vntime import in_vietnam
from gateway.wording import weak_algorithm_note


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


def _notes(doc: DocumentVerdict) -> str | None:
    """The entry's notes: the deciding rule's note (or that it is an editable copy), and a valid signature
    that rests on a weak algorithm accepted by policy ("thuật toán yếu": never silently)."""
    decision = doc.decision
    rule_note = decision.register_note if decision else ("bản có thể chỉnh sửa, không ký số" if doc.editable else None)
    return "; ".join(n for n in (rule_note, weak_algorithm_note(doc.signatures)) if n) or None


@dataclass(frozen=True)
class Existing:
    """The accepted entry a document was registered as before: what a new letter's ref to it needs."""

    id: int
    number: int
    year: int | None


def find_existing(s: Session, doc: DocumentVerdict) -> Existing | None:
    """An accepted entry for the same document: same bytes, or same number, issuer and date. One statement,
    only the columns a ref needs (issue 16); a match by the bytes comes first."""
    same_bytes = RegisterEntryRow.document_sha256 == doc.sha256
    m = doc.metadata
    match = same_bytes
    if m.number and m.issuer and m.date and "/" in m.number and not m.number.startswith("/"):
        same_notation = and_(
            RegisterEntryRow.notation == m.number,
            RegisterEntryRow.issuer == m.issuer,
            RegisterEntryRow.document_date == m.date,
        )
        match = or_(same_bytes, same_notation)
    row = s.execute(
        select(RegisterEntryRow.id, RegisterEntryRow.number, RegisterEntryRow.year)
        .where(RegisterEntryRow.number.is_not(None), match)
        .order_by(case((same_bytes, 0), else_=1))
        .limit(1)
    ).first()
    return Existing(row.id, row.number, row.year) if row is not None else None


def search_columns(row: Any) -> dict[str, str]:
    """The entry's folded search columns (no diacritics; see `gateway.vntext.search_key`)."""
    return _search_columns(lambda name: getattr(row, name))


def _search_columns(get: Any) -> dict[str, str]:
    """`search_columns` of the entry whose column values `get(name)` gives (a row's, or a dict's .get)."""
    return {
        "search_text": search_key(
            get("notation"),
            get("issuer"),
            get("subject"),
            get("sender_name"),
            get("sender_address"),
            get("filename"),
            get("signer_name"),
        ),
        "search_issuer": search_key(get("issuer"), get("sender_name")),
        "search_notation": search_key(get("notation")),
    }


def _history(s: Session, row: RegisterEntryRow, status: str, actor: str, note: str | None, at: datetime) -> None:
    s.add(EntryHistoryRow(entry_id=row.id, status=status, at=at, actor=actor[:64], note=note))


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
    actor: str = "gateway",
    note: str | None = None,
    document_dicts: Sequence[dict[str, Any]] | None = None,
    decided_before: bool = True,
) -> list[EntryRef]:
    """Write the register entries of one letter (caller commits). Returns one ref per document.

    A new entry is written with Core statements (issue 16: one INSERT … RETURNING for the entry, one for its
    history, no unit-of-work flush); `document_dicts` are the documents' verdicts as JSON-ready data when
    the caller made them already (the letter's verdict holds them too: serialised once). `decided_before`
    False: the letter never had an outcome, so it has no entries yet (they are not looked for).

    A letter decided again — released or refused by a clerk, or reprocessed from the quarantine — already
    has its unnumbered entries: they are updated in place and their history goes on, with `actor` and
    `note` (the clerk and what they wrote) on the new status."""
    now = datetime.now(UTC)
    refs: list[EntryRef] = []
    own = (
        {e.doc_index: e for e in s.scalars(select(RegisterEntryRow).where(RegisterEntryRow.letter_id == letter_id))}
        if decided_before
        else {}
    )
    for index, doc in enumerate(verdict.documents):
        mine = own.get(index)
        if mine is not None and mine.number is not None:  # registered already: nothing doubled
            refs.append(EntryRef(index, mine.number, mine.year, mine.number, mine.id))
            continue
        existing = find_existing(s, doc) if verdict.outcome == Outcome.ACCEPTED else None
        if existing is not None:
            if mine is not None:
                mine.status = status
                _history(s, mine, status, actor, f"đã vào sổ trước đó, số đến {existing.number}/{existing.year}", now)
            refs.append(EntryRef(index, existing.number, existing.year, existing.number, existing.id))
            continue
        number = next_number(s, year) if verdict.outcome == Outcome.ACCEPTED else None
        doc_json = document_dicts[index] if document_dicts is not None else to_jsonable(doc)
        fields = _entry_fields(verdict, doc, doc_json, number, year, status, agency_code, sender_name, urgent_alert)
        if mine is None:
            entry_id = _insert_entry(s, letter_id, index, fields, status, actor, note, now)
            refs.append(EntryRef(index, number, fields["year"], None, entry_id))
            continue
        clerk_notes = mine.notes
        for key, value in fields.items():
            setattr(mine, key, value)
        if clerk_notes and clerk_notes != mine.notes:
            mine.notes = "; ".join(n for n in (mine.notes, clerk_notes) if n)
        _history(s, mine, status, actor, note, now)
        for key, value in search_columns(mine).items():
            setattr(mine, key, value)
        refs.append(EntryRef(index, number, mine.year, None, mine.id))
    return refs


def _entry_fields(
    verdict: Verdict,
    doc: DocumentVerdict,
    doc_json: dict[str, Any],
    number: int | None,
    year: int,
    status: str,
    agency_code: str | None,
    sender_name: str | None,
    urgent_alert: bool,
) -> dict[str, Any]:
    """The register entry's columns for `doc` (all but its letter, index and search columns)."""
    reception = verdict.reception
    letter = verdict.letter
    m = doc.metadata
    decision = doc.decision
    return dict(
        year=year if number is not None else None,
        number=number,
        document_identifier=f"{agency_code}.{year}.{number:06d}" if agency_code and number else None,
        status=status,
        received_at=_as_utc(reception.received_at),
        official_received_at=_as_utc(reception.official_received_at),
        after_hours=reception.after_hours,
        sent_at=_as_utc(letter.date) if letter and letter.date else None,
        deadline=reception.deadline.isoformat() if reception.deadline else None,
        sender_address=letter.from_ if letter else None,
        sender_name=sender_name,
        sender_agency_code=letter.sender_agency.code if letter and letter.sender_agency else None,
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
        notes=_notes(doc),
        verdict=doc_json,
    )


def _insert_entry(
    s: Session,
    letter_id: int,
    index: int,
    fields: dict[str, Any],
    status: str,
    actor: str,
    note: str | None,
    now: datetime,
) -> int:
    """A new entry and its history (arrived, then its status when that is another or a clerk noted it)."""
    values = {**fields, **_search_columns(fields.get), "letter_id": letter_id, "doc_index": index, "created_at": now}
    # The values go as execution parameters of a statement compiled once (not bound into a new one each time).
    connection = s.connection()
    entry_id: int = connection.execute(_INSERT_ENTRY, values).scalar_one()
    history = [
        {"entry_id": entry_id, "status": Status.ARRIVED, "at": fields["received_at"], "actor": "gateway", "note": None}
    ]
    if status != Status.ARRIVED or note:
        history.append({"entry_id": entry_id, "status": status, "at": now, "actor": actor[:64], "note": note})
    connection.execute(_INSERT_HISTORY, history)
    return entry_id


_ENTRIES = cast(Table, RegisterEntryRow.__table__)
_INSERT_ENTRY = insert(_ENTRIES).returning(_ENTRIES.c.id)
_INSERT_HISTORY = insert(cast(Table, EntryHistoryRow.__table__))


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


def all_reasons(verdict: dict) -> list[dict]:
    """A stored letter verdict's reasons and its documents' (named by file), as `{code, message}`."""
    reasons = list(verdict.get("reasons", []))
    for doc in verdict.get("documents", []):
        reasons += [{"code": r["code"], "message": f"{doc['filename']}: {r['message']}"} for r in doc["reasons"]]
    return reasons


def letter_dict(row: LetterRow) -> dict:
    """A letter with its outcome and every reason (its own and its documents'), for clerks."""
    reasons = all_reasons(row.verdict or {})
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
    """A clerk's action that cannot be done; `str()` is English (CLI, logs), `vi` the clerk's words."""

    def __init__(self, message: str, vi: str):
        super().__init__(message)
        self.vi = vi


def entry_by_number(s: Session, *, year: int, number: int) -> RegisterEntryRow:
    row = s.scalar(select(RegisterEntryRow).where(RegisterEntryRow.year == year, RegisterEntryRow.number == number))
    if row is None:
        raise RegisterError(f"no register entry number {number} in {year}", f"Không có văn bản số đến {number}/{year}.")
    return row


def _numbered(row: RegisterEntryRow) -> None:
    if row.number is None:
        raise RegisterError(
            f"entry #{row.id} is not registered (no incoming number)",
            "Văn bản này chưa được vào sổ (chưa có số đến).",
        )


def paper_received(s: Session, row: RegisterEntryRow, *, actor: str, at: datetime | None = None) -> None:
    """A clerk records that the signed, sealed paper original of `row` arrived (R8–R11)."""
    _numbered(row)
    label = f"{row.number}/{row.year}"
    if not row.paper_awaited:
        raise RegisterError(
            f"entry {label} does not await a paper original", f"Văn bản số đến {label} không chờ bản giấy."
        )
    if row.paper_received_at is not None:
        raise RegisterError(
            f"the paper original of entry {label} was already recorded",
            f"Bản giấy của văn bản số đến {label} đã được ghi nhận trước đó.",
        )
    when = at or datetime.now(UTC)
    row.paper_received_at = when
    _history(s, row, row.status, actor, "đã nhận bản giấy", when)


def mark_paper_received(
    s: Session, *, year: int, number: int, actor: str, at: datetime | None = None
) -> RegisterEntryRow:
    """`paper_received` for the entry numbered `number`/`year`."""
    row = entry_by_number(s, year=year, number=number)
    paper_received(s, row, actor=actor, at=at)
    return row


def assign(s: Session, row: RegisterEntryRow, *, to: str, on: date, actor: str, note: str | None = None) -> None:
    """Chuyển xử lý: hand the entry to a unit or person on `on` (Phụ lục IV: Đơn vị hoặc người nhận, Ngày
    chuyển); its status becomes *đã chuyển xử lý* (R16)."""
    _numbered(row)
    to = nfc(to).strip()
    if not to:
        raise RegisterError("say whom the entry goes to", "Chọn đơn vị hoặc người nhận.")
    row.assigned_to = to
    row.assigned_at = on
    row.status = Status.FORWARDED
    text = f"chuyển xử lý: {to}, ngày {on:%d/%m/%Y}"
    _history(s, row, row.status, actor, f"{text}; {note}" if note else text, datetime.now(UTC))


def add_note(s: Session, row: RegisterEntryRow, *, text: str, actor: str) -> None:
    """A clerk's note on an entry: kept in its history and in the register's Ghi chú column."""
    text = nfc(text).strip()
    if not text:
        raise RegisterError("the note is empty", "Ghi chú trống.")
    row.notes = f"{row.notes}; {text}" if row.notes else text
    _history(s, row, row.status, actor, text, datetime.now(UTC))


def entry_dict(row: RegisterEntryRow) -> dict:
    """A register entry as JSON-ready data (for `gateway register list --json`)."""
    return {
        c.name: to_jsonable(in_vietnam(getattr(row, c.name)))
        for c in RegisterEntryRow.__table__.columns
        if c.name != "verdict" and not c.name.startswith("search_")
    }
