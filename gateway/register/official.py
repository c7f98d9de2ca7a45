"""The official incoming register form: *Sổ đăng ký văn bản đến*, Nghị định 30/2020/NĐ-CP Phụ lục IV (R16).

A register kept in a system must be printable with the form's fields and bound as a book: a cover page
(the parent agency, the agency, the title, the year, from which day to which, from which number to which)
and ten columns. `official_register` turns the entries of a period into that form's lines — plain strings,
ready for `gateway.exports` (XLSX, PDF, CSV) and for the web page that prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from gateway.exports import Sheet
from gateway.exports.csv import write_csv
from gateway.exports.pdf import write_pdf
from gateway.exports.xlsx import write_xlsx
from gateway.register.query import in_period
from gateway.register.schema import RegisterEntryRow
from gateway.urgency import name_vi
from gateway.vntime import in_vietnam
from gateway.wording import SECRECY_VI, doc_type_name

TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
COLUMNS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
WIDTHS = (13, 7, 26, 16, 13, 46, 22, 13, 10, 25)  # relative column widths (characters in XLSX)


@dataclass(frozen=True)
class RegisterForm:
    agency: str
    parent_agency: str | None
    start: date
    end: date
    lines: tuple[tuple[str, ...], ...]  # one tuple of ten strings per entry, in COLUMNS order

    @property
    def first_number(self) -> str:
        return self.lines[0][1] if self.lines else ""

    @property
    def last_number(self) -> str:
        return self.lines[-1][1] if self.lines else ""

    def cover(self) -> tuple[str, ...]:
        """The form's first-page lines, filled in."""
        years = sorted({self.start.year, self.end.year})
        return (
            *((self.parent_agency.upper(),) if self.parent_agency else ()),
            self.agency.upper(),
            TITLE,
            f"Năm: {'–'.join(map(str, years))}",
            f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}",
            f"Từ số {self.first_number or '…'} đến số {self.last_number or '…'}",
        )


def _day(value) -> str:
    return f"{in_vietnam(value):%d/%m/%Y}" if value else ""


def author(e: RegisterEntryRow) -> str:
    """Tác giả: the agency in the directory when the sender is known there, else the issuer as printed."""
    if e.sender_agency_code and e.sender_name:
        return e.sender_name
    parent = (e.verdict or {}).get("metadata", {}).get("parent_issuer")
    if e.issuer:
        return f"{e.issuer} ({parent})" if parent else e.issuer
    return e.sender_name or e.sender_address or ""


def title(e: RegisterEntryRow) -> str:
    """Tên loại và trích yếu nội dung: `Quyết định về việc …`, `Công văn V/v …`; the file name when nothing
    was read."""
    kind = doc_type_name(e.doc_type)
    subject = (e.subject or "").strip()
    if kind and subject:
        first = subject.split()[0]
        keep = subject.startswith(("V/v", "v/v")) or (first.isupper() and len(first) > 1)
        return f"{kind} {subject if keep else subject[0].lower() + subject[1:]}"
    return kind or subject or e.filename


def remarks(e: RegisterEntryRow) -> str:
    """Ghi chú: urgency, secrecy, after-hours arrival, paper original, the rule's and the clerk's notes."""
    parts = []
    if e.urgency:
        parts.append(name_vi(e.urgency))
    if e.secrecy:
        parts.append(SECRECY_VI.get(e.secrecy, e.secrecy))
    if e.after_hours:
        parts.append("đến ngoài giờ")
    if e.paper_received_at:
        parts.append(f"đã nhận bản giấy {_day(e.paper_received_at)}")
    elif e.paper_awaited and "giấy" not in (e.notes or ""):  # a rule's note usually says so already
        parts.append("chờ bản giấy")
    if e.notes:
        parts.append(e.notes)
    return "; ".join(parts)


def line(e: RegisterEntryRow) -> tuple[str, ...]:
    return (
        _day(e.official_received_at),
        str(e.number) if e.number is not None else "",
        author(e),
        e.notation or "",
        f"{e.document_date:%d/%m/%Y}" if e.document_date else "",
        title(e),
        e.assigned_to or "",
        f"{e.assigned_at:%d/%m/%Y}" if e.assigned_at else "",
        "",  # Ký nhận: signed by hand on the printed book
        remarks(e),
    )


def official_register(
    s: Session, start: date, end: date, *, agency: str, parent_agency: str | None = None
) -> RegisterForm:
    """The form for the entries numbered and officially received from `start` to `end` (inclusive)."""
    rows = in_period(s, start, end)
    return RegisterForm(agency, parent_agency, start, end, tuple(line(e) for e in rows))


MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def sheet(form: RegisterForm, *, with_cover: bool) -> Sheet:
    heading = form.cover() if with_cover else (TITLE, f"Từ ngày {form.start:%d/%m/%Y} đến ngày {form.end:%d/%m/%Y}")
    return Sheet("Sổ văn bản đến", heading, COLUMNS, form.lines, WIDTHS, numbered=True)


def render(form: RegisterForm, fmt: str) -> bytes:
    """The form as `xlsx` (the cover's lines above the table), `pdf` (a cover page, then the table, A4
    landscape) or `csv` (the ten columns only)."""
    if fmt == "xlsx":
        return write_xlsx([sheet(form, with_cover=True)])
    if fmt == "pdf":
        return write_pdf([sheet(form, with_cover=False)], title=TITLE, cover=form.cover())
    if fmt == "csv":
        return write_csv(sheet(form, with_cover=False))
    raise ValueError(f"unknown format {fmt!r}: xlsx, pdf or csv")


def filename(form: RegisterForm, fmt: str) -> str:
    return f"so-van-ban-den_{form.start:%Y%m%d}-{form.end:%Y%m%d}.{fmt}"
