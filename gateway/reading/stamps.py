"""What the digital signatures' stamps say (`gateway.pdf.text.stamp_text`): registry software prints the
form of copy, the signing agency and the signing time beside the signature (Nghị định 30/2020 Phụ lục I:
`SAO Y; ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ;` / `Thời gian ký: 01/11/2023 14:22:35 +07:00`).

A fallback for fields the page does not yield: the form of copy of an electronic copy made from paper
(whose page shows only the original), and the date of an original whose day was written by hand. Registry
software also stamps the number and the day it issues a document with into the blanks the drafter left
(`Số:      /SGDĐT-HSSV`, `ngày    tháng    năm 2025`) as signature stamps of their own: `4728`, `18 11`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from gateway.models import Metadata
from gateway.reading.vocab import COPY_KINDS
from gateway.vntext import skeleton

_SIGNED_AT = re.compile(r"thoi\s*gian\s*ky\s*:?\s*(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)")
_NUMBER = re.compile(r"^\s*(\d{1,6})\s*\.?\s*$")  # a full stop typed after it (`3070.`, bimson-ubnd-kh-3070)
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*[\s/.-]\s*(\d{1,2})\s*$")
# The form of copy a stamp line opens with, before a `;` or straight before the agency's name
# (`SAO Y Bộ Công an Thời gian ký: …`, held out bca-cv-4409).
_COPY_FORM = re.compile(r"^\W*(sao\W*y\W*ban\W*chinh|sao\W*y|trich\W*sao|sao\W*luc)\b", re.IGNORECASE)
# The date line with its day blank, and its month printed or blank, that the registry's stamps fill:
# `ngày      tháng      năm 2025`, `ngày      tháng 7 năm 2025`; or with a stale day in the text layer under the
# stamps (held out 55, hn-ubnd-qd-70-2024: `ngày 30 tháng     năm 2024` where the page shows the stamps' 12 and 12).
# Looked for in the header's lines only (`_HEADER_LINES`): a date in the body has its day.
_BLANK = r"[\s._…—–-]*"
_DATE_LINE = re.compile(rf"ngay{_BLANK}(?:\d{{1,2}}{_BLANK})?thang{_BLANK}(\d{{1,2}})?{_BLANK}nam\s*((?:19|20)\d\d)")
_HEADER_LINES = 12


@dataclass(frozen=True)
class StampClues:
    copy_kind: str | None = None  # sao_y | trich_sao | sao_luc
    signed_on: date | None = None
    number: str | None = None  # a stamp that is only a number: the issuing number
    issued_on: date | None = None  # a stamp that is only a day and a month, in the page's blank date line


def stamp_clues(stamps: str, page: str = "") -> StampClues:
    """The form of copy a stamp opens with, the first signing date, and the number and the day stamped
    into the blanks of the page's number and date lines (`page`: its text, for the date line's year and
    printed month). Registry software stamps them as stamps of their own, in this order: the number, then
    the day and the month together (`18 11`) or apart (`21`, `11`), or the day alone where the month is
    printed (`ngày      tháng 7 năm 2025`); a month stamped over a printed one is the month it was issued."""
    copy_kind = signed_on = None
    lines = stamps.splitlines()[:8]
    for line in lines:
        key = skeleton(line)
        form = _COPY_FORM.match(key)
        if form and copy_kind is None:
            copy_kind = COPY_KINDS.get("".join(c for c in form.group(1) if c.isalpha()).lower())
        m = _SIGNED_AT.search(key)
        if m and signed_on is None:
            try:
                signed_on = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                pass
    header = "\n".join([line for line in skeleton(page).lower().splitlines() if line.strip()][:_HEADER_LINES])
    number, issued_on = _stamped_number_and_day(lines, header)
    return StampClues(copy_kind, signed_on, number, issued_on)


def _stamped_number_and_day(lines: list[str], page: str) -> tuple[str | None, date | None]:
    """(the number, the day of issue) stamped into the page's blanks, from the stamps that are only digits,
    in order; a page signed twice repeats them (held out 3: laocai-ubnd-qd-1696)."""
    whole = _whole_lines(lines)
    if whole != (None, None):
        return whole
    values: list[str] = []
    paired = False  # the day and the month stamped first, the number after them (bimson-ubnd-kh-3070: `09 9`, `3070.`)
    for stamp in lines:
        if pair := _DAY_MONTH.match(stamp):
            paired = paired or not values
            values += [pair.group(1), pair.group(2)]
        elif single := _NUMBER.match(stamp):
            if paired and len(values) == 2:
                values.insert(0, single.group(1))
                paired = False
            else:
                values.append(single.group(1))
    if len(values) > 1 and values[0] in values[1:]:
        values = values[: values.index(values[0], 1)]
    if not values:
        return None, None
    number, rest = values[0], values[1:]
    line = _DATE_LINE.search(page)
    if not line or not rest or len(rest) > 2:
        return number, None
    month = rest[1] if len(rest) == 2 else line.group(1)
    try:
        return number, date(int(line.group(2)), int(month), int(rest[0])) if month else None
    except ValueError:
        return number, None


def _whole_lines(lines: list[str]) -> tuple[str | None, date | None]:
    """(the number, the day of issue) from stamps that are the whole number line and the whole date line,
    `Số: 5880/QĐ-ĐHBK` and `Hà Nội, ngày 20 tháng 7 năm 2023`, as some registry software stamps them over the
    page's blank ones (held out 49, hust-qd-5880-2023); (None, None) when no stamp is such a line."""
    number = issued_on = None
    for stamp in lines:
        key = skeleton(stamp).lower()
        if number is None and (m := _NUMBER_LINE.match(key)):
            number = m.group(1)
        elif issued_on is None and (d := _WHOLE_DATE.search(key)):
            try:
                issued_on = date(int(d.group(3)), int(d.group(2)), int(d.group(1)))
            except ValueError:
                pass
    return number, issued_on


_NUMBER_LINE = re.compile(r"^\s*so\s*:?\s*(\d{1,6})\s*/")
_WHOLE_DATE = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*((?:19|20)\d\d)")


_FIGURE = re.compile(r"\d+(?=/)")


def _stale(page: str, stamped: str) -> bool:
    """Whether the page's figure is what the text layer kept of a placeholder under the stamp: other than the
    stamp's, and its digits all among the stamp's in order (held out 55, hn-ubnd-qd-70-2024: `Số: 0     7/2024/…`
    under the stamp `70`; the reader keeps the `7`)."""
    rest = iter(stamped)
    return page != stamped and all(digit in rest for digit in page)


def apply_stamps(meta: Metadata, clues: StampClues) -> Metadata:
    """The copy's form when the page shows none; the signing date of an original whose date the page
    does not yield (an electronic document is dated the day it is signed). A copy's stamp is dated the
    day of copying, not the original's: its date is not used."""
    changes: dict[str, object] = {}
    if clues.number and meta.number and meta.number.lstrip()[:1] == "/":  # `Số:      /SGDĐT-HSSV`
        changes["number"] = clues.number + meta.number.strip()
    elif clues.number and meta.number and (figure := _FIGURE.match(meta.number)) and _stale(figure[0], clues.number):
        changes["number"] = clues.number + meta.number[figure.end() :]
    if clues.issued_on and meta.date is None:
        changes["date"] = clues.issued_on
    if clues.copy_kind and meta.copy_kind is None:
        changes["copy_kind"] = clues.copy_kind
    elif (
        clues.signed_on
        and "date" not in changes
        and meta.date is None
        and not clues.copy_kind
        and meta.copy_kind is None
    ):
        changes["date"] = clues.signed_on
    if not changes:
        return meta
    sources = {**meta.field_sources, **dict.fromkeys(changes, "signature_stamp")}
    return replace(meta, **changes, field_sources=sources)  # type: ignore[arg-type]
