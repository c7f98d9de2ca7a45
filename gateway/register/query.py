"""Finding entries in the incoming register: the filters of the workplace's register page (R16).

Dates are days in Vietnam time, on the official time of receipt (R13). Text filters match the entries'
folded search columns word by word, without diacritics and case: `tai chinh`, `Tài chính` and `TÀI CHÍNH`
find one another, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from gateway.models import LetterState
from gateway.register.schema import LetterRow, RegisterEntryRow
from gateway.urgency import URGENCIES
from gateway.vntext import search_key
from gateway.vntime import VN_TZ

ANY_URGENT = "any"  # the urgency filter's value for "khẩn, thượng khẩn or hỏa tốc"
PAPER_AWAITED = "awaited"  # the delivery filter's value for "paper original still awaited"


@dataclass(frozen=True)
class RegisterFilter:
    date_from: date | None = None
    date_to: date | None = None
    number: int | None = None  # số đến
    year: int | None = None
    notation: str | None = None  # số và ký hiệu, or part of it
    issuer: str | None = None  # the issuing or sending agency, or part of its name
    words: str | None = None  # words anywhere: subject (trích yếu), notation, issuer, file name, signer
    doc_type: str | None = None
    delivery: str | None = None  # electronic_only | paper_also | paper_only | refuse | PAPER_AWAITED
    status: str | None = None  # a `models.Status` value
    urgency: str | None = None  # a code of `gateway.urgency`, or ANY_URGENT
    after_hours: bool = False
    registered_only: bool = False  # only entries with an incoming number


def vn_day_start(day: date) -> datetime:
    """The UTC instant at which `day` begins in Vietnam."""
    return datetime.combine(day, time(0), tzinfo=VN_TZ).astimezone(UTC)


def _words(column, text: str | None) -> list:
    return [column.like(f"%{w}%", escape="\\") for w in _escaped(search_key(text or "")).split()]


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where(f: RegisterFilter) -> list:
    """The SQL conditions of `f`."""
    e = RegisterEntryRow
    conditions: list = []
    if f.date_from:
        conditions.append(e.official_received_at >= vn_day_start(f.date_from))
    if f.date_to:
        conditions.append(e.official_received_at < vn_day_start(f.date_to + timedelta(days=1)))
    if f.number is not None:
        conditions.append(e.number == f.number)
    if f.year is not None:
        conditions.append(e.year == f.year)
    conditions += _words(e.search_notation, f.notation)
    conditions += _words(e.search_issuer, f.issuer)
    conditions += _words(e.search_text, f.words)
    if f.doc_type:
        conditions.append(e.doc_type == f.doc_type)
    if f.delivery == PAPER_AWAITED:
        conditions.append(and_(e.paper_awaited.is_(True), e.paper_received_at.is_(None)))
    elif f.delivery:
        conditions.append(e.delivery == f.delivery)
    if f.status:
        conditions.append(e.status == f.status)
    if f.urgency == ANY_URGENT:
        conditions.append(e.urgency.in_(URGENCIES))
    elif f.urgency:
        conditions.append(e.urgency == f.urgency)
    if f.after_hours:
        conditions.append(e.after_hours.is_(True))
    if f.registered_only:
        conditions.append(e.number.is_not(None))
    return conditions


def _ordered(q: Select) -> Select:
    """Newest first: by official time of receipt, then number."""
    e = RegisterEntryRow
    return q.order_by(e.official_received_at.desc(), e.year.desc(), e.number.desc(), e.id.desc())


@dataclass(frozen=True)
class Page:
    rows: list[RegisterEntryRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def find(s: Session, f: RegisterFilter, *, page: int = 1, per_page: int = 50) -> Page:
    conditions = where(f)
    total = s.scalar(select(func.count(RegisterEntryRow.id)).where(*conditions)) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = list(
        s.scalars(_ordered(select(RegisterEntryRow).where(*conditions)).offset((page - 1) * per_page).limit(per_page))
    )
    return Page(rows, total, page, per_page)


def in_period(s: Session, start: date, end: date, *, registered_only: bool = True) -> list[RegisterEntryRow]:
    """The entries officially received from `start` to `end` (inclusive), in register order (year, number)."""
    f = RegisterFilter(date_from=start, date_to=end, registered_only=registered_only)
    e = RegisterEntryRow
    return list(s.scalars(select(e).where(*where(f)).order_by(e.year, e.number, e.official_received_at, e.id)))


def quarantined_letters(s: Session) -> list[LetterRow]:
    """The letters waiting for a clerk, oldest first."""
    return list(s.scalars(select(LetterRow).where(LetterRow.state == LetterState.QUARANTINED).order_by(LetterRow.id)))


UNVERIFIED_SENDER = "sender_unverified"  # `disposition._withheld`: no reply to an unverified origin


def unanswered_letters(s: Session, *, limit: int = 200) -> list[LetterRow]:
    """Decided letters whose automatic reply was withheld because the sender's origin is not verified
    (issue 17: no backscatter), newest first: the clerk sees them and may answer by other means."""
    code = LetterRow.verdict["disposition"]["reply"]["withheld"]["code"].as_string()
    return list(
        s.scalars(
            select(LetterRow)
            .where(LetterRow.state != LetterState.RECEIVED, code == UNVERIFIED_SENDER)
            .order_by(LetterRow.id.desc())
            .limit(limit)
        )
    )


def letter_entries(s: Session, letter_id: int) -> list[RegisterEntryRow]:
    return list(
        s.scalars(
            select(RegisterEntryRow).where(RegisterEntryRow.letter_id == letter_id).order_by(RegisterEntryRow.doc_index)
        )
    )
