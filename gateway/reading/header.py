"""The first page's header: agency (and parent), number, place and date, marks, type, title, subject.

Nghị định 30/2020 Phụ lục I: agency top left, motto top right; `Số:` under the agency, the place and
date under the motto (often on the same text line); a công văn's `V/v …` under the number; the marks
below; then the title (QUYẾT ĐỊNH…) and its subject, centred.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from gateway.reading.cells import Cell, Page, Row
from gateway.reading.fields import (
    Dated,
    abbreviation_type,
    find_date,
    find_number,
    is_motto,
    mark,
    number_parts,
    title_and_subject,
    title_type,
)
from gateway.reading.vocab import (
    BY_CODE,
    OPENS_BODY,
    OPENS_BODY_HARD,
    OPENS_LEADER,
    OPENS_ORGAN,
    ORGAN_HEADS,
    ORGANISATION_MOTTOS,
    DocType,
    mend_agency,
    squashed_key,
)
from gateway.reading.web_cells import parent_and_unit
from gateway.reading.words import authority_prefix, is_upper_text, is_vietnamese_syllable
from gateway.vntext import skeleton

HEADER_ROWS = 30  # the header, title and subject sit in the first rows of page 1
_DATED = re.compile(r"^(?:ngay\s+\d|thu\s+(?:hai|ba|tu|nam|sau|bay)\b|chu\s+nhat\b)")  # Ngày 03 tháng…, Thứ Hai…
# `V/v`, its slash read as a thin letter too (`vív`, held out 17, danang-pa83-cv-115), or `Về việc`
_VV = re.compile(r"^(?:v\s*[/il1|]\s*v|ve\s+viec)\b\.?\s*:?")


@dataclass(frozen=True)
class Header:
    issuer: str | None = None
    parent_issuer: str | None = None
    number: str | None = None
    date: date | None = None
    place: str | None = None
    doc_type: str | None = None
    legal_normative: bool = False
    subject: str | None = None
    urgency: str | None = None
    secrecy: str | None = None


def read_header(page: Page) -> Header:
    """The header fields of page 1 (everything `Metadata` takes from the top of the document)."""
    rows = page.rows[:HEADER_ROWS]
    number, number_row = _number(rows)
    title_row, doc_type = _title(rows, -1 if number_row is None else number_row)
    header_end = title_row if title_row is not None else _body_start(rows, number_row)
    place, when, date_row = _date(rows[:header_end])
    # The issuer's lines go on beside the date down to the number (a name over four lines, bacgiang-tu-bptt-cv-368)
    agency_end = next((r for r in (number_row, date_row) if r is not None), title_row)
    parent, issuer = agencies(rows[: agency_end if agency_end is not None else 6])
    parent, issuer = (mend_agency(parent) if parent else None), (mend_agency(issuer) if issuer else None)
    if issuer is None and title_row is not None:
        issuer = _issuer_in_authority_line(rows, title_row)
    elif issuer is not None and title_row is not None:
        issuer = _fuller_issuer(rows, title_row, issuer)
    if parent and issuer and skeleton(parent) == skeleton(issuer):
        parent = None  # an agency is not its own parent: a gazette's section head repeats the issuer's name
    vv_from = number_row if number_row is not None else (date_row or 0)
    vv_row = _vv_row(rows, vv_from, header_end)
    misread = None if vv_row is not None or title_row is not None else _misread_vv(rows, number_row)
    if misread is None and vv_row is None and title_row is None and _numbered_letter(number):
        misread = _lost_vv(rows, number_row)
    subject = None
    decided = None
    if title_row is None and vv_row is not None and vv_row > 0 and _decides(page.rows):
        # a decision's title lost under a seal that shows through (`8 . oi ĐỊNH`, held out 11, ttg-qd-985-2024):
        # its articles' heading `QUYẾT ĐỊNH:` says what it is, and its `Về việc …` runs on as a title's subject
        title_row, decided = vv_row - 1, BY_CODE["quyet_dinh"]
    if title_row is not None:
        subject = _title_subject(rows, title_row, issuer)
    elif vv_row is not None:
        subject = _vv_subject(page, rows, vv_row)
    elif misread is not None:
        vv_row = misread
        first = _vv_subject(page, rows, misread, first_cell=True)
        subject = "V/v " + _VV_LOST.sub("", _VV_MISREAD.sub("", first), count=1)
    if decided is not None:
        doc_type = decided
    if doc_type is None:
        if vv_row is not None:
            doc_type = BY_CODE["cong_van"]
        else:
            doc_type = abbreviation_type(number)
    urgency, secrecy = _marks(page.rows)
    return Header(
        issuer=issuer,
        parent_issuer=parent,
        number=number,
        date=when,
        place=place,
        doc_type=doc_type.code if doc_type else None,
        legal_normative=is_normative(doc_type, number),
        subject=subject,
        urgency=urgency,
        secrecy=secrecy,
    )


def _issuer_in_authority_line(rows: tuple[Row, ...], title_row: int) -> str | None:
    """A header without the agency's lines (a copy that lost its left column): the authority line under a
    quyết định's subject names the issuing body, `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU`."""
    for row in rows[title_row + 1 : title_row + 10]:
        if len(row.cells) != 1 or not is_upper_text(row.cells[0].text):
            continue
        text = row.cells[0].text
        leader = OPENS_LEADER.match(squashed_key(text))
        if leader:
            rest = " ".join(text.split()[len(leader.group().split()) :])
            if rest and OPENS_ORGAN.match(squashed_key(rest)):
                return mend_agency(rest)
    return None


def _body_start(rows: tuple[Row, ...], after: int | None) -> int:
    """Without a title, the header ends where the body opens (`Kính gửi:`, `Căn cứ`, `Thực hiện` …)."""
    for i in range((after or 0) + 1, len(rows)):
        if any(_opens_body(c.text) for c in rows[i].cells if not c.right):
            return i
    return len(rows)


def _opens_body(text: str) -> bool:
    """A paragraph of the body starts here: `Thực hiện …`, `Căn cứ …` with a capital; the same words in
    lower case carry on a wrapped subject (`V/v đề xuất … Hướng dẫn` / `thực hiện Quy chế …`)."""
    return text[:1].isupper() and OPENS_BODY.match(squashed_key(text)) is not None


def is_normative(doc_type: DocType | None, number: str | None) -> bool:
    """A legal normative document (R9): a type that always is, or a number with a year on a type that
    is when numbered so (`12/2020/QĐ-UBND`)."""
    if doc_type is None:
        return False
    if doc_type.normative == "always":
        return True
    return doc_type.normative == "with_year" and bool(number and number_parts(number)[1] is not None)


def _number(rows: tuple[Row, ...]) -> tuple[str | None, int | None]:
    """The number and notation, and its row: `Số: …`, else a notation alone in its cell."""
    for i, row in enumerate(rows):
        for k, cell in enumerate(row.cells):
            found = find_number(cell)
            if found:
                return _notation_goes_on(found, cell, row.cells[k + 1 : k + 2]), i
    for i, row in enumerate(rows[:12]):  # `Số:` left out: a bare notation alone in its cell
        for cell in row.cells:
            if not cell.right or len(row.cells) == 1:
                found = find_number(cell, bare=True)
                if found:
                    return found, i
    return None, None


_NOTATION_PART = re.compile(r"^[A-ZĐ][A-ZĐ0-9&]*(?:-[A-ZĐ0-9&]+)*$")


def _notation_goes_on(number: str, cell: Cell, after: tuple[Cell, ...]) -> str:
    """A notation cut at its hyphen by a justified line's wide gap, its last part the next cell's first word
    (`Số:  773/2025/NQ-        HĐND        Hưng Yên, ngày …`, held out 18, hungyen-hdnd-nq-773-2025)."""
    if not after:
        return number
    first = after[0].text.split()[0]
    if cell.text.rstrip().endswith(("-", "–")):
        return f"{number}-{first}" if _NOTATION_PART.match(first) else number
    # or cut before the hyphen (`Số:      /2024/QĐ   -UBND`, held out 59, hn-ubnd-qd-64-2024)
    if first[:1] in "-–" and "/" in number and _NOTATION_PART.match(first[1:]):
        return f"{number}-{first[1:]}"
    return number


def _date(rows: tuple[Row, ...]) -> tuple[str | None, date | None, int | None]:
    for i, row in enumerate(rows):
        for cell in row.cells:
            found = find_date(cell) or _date_wrapped(cell, rows[i + 1 : i + 2])
            if found:
                return found.place, found.date, i
    return None, None, None


def _date_wrapped(cell: Cell, below: tuple[Row, ...]) -> Dated | None:
    """A date whose year a printer wrapped onto the next line of its column (`Thành phố Hồ Chí Minh, ngày 28 tháng 6`
    / `năm 2014`, held out 72, hcm-ubnd-qd-3210-2014 as a text-layer PDF)."""
    if not below or " ngay " not in f" {cell.key} ":
        return None
    year = next((c for c in below[0].cells if abs(c.start - cell.start) <= 2 and _YEAR_LINE.match(c.key)), None)
    return find_date(Cell(f"{cell.text} {year.text}", cell.start, cell.right)) if year else None


_YEAR_LINE = re.compile(r"^nam\s+(?:19|20)\d\d\b")


# The heading a decision's articles follow, centred and alone on its line (Nghị định 30/2020 Phụ lục I).
_ARTICLES_HEADING = re.compile(r"^quyet\s*dinh\s*:$")


def _decides(rows: tuple[Row, ...]) -> bool:
    """Whether the page has a decision's articles heading, `QUYẾT ĐỊNH:` alone on its line."""
    return any(len(r.cells) == 1 and _ARTICLES_HEADING.match(r.cells[0].key) for r in rows)


def _title(rows: tuple[Row, ...], after: int) -> tuple[int | None, DocType | None]:
    """The title row (a known type in capitals, alone on its line) under the header, and its type."""
    for i in range(after + 1, min(len(rows), after + 18)):
        cells = _worded(rows[i].cells)
        if len(cells) == 1:
            found = title_type(cells[0]) or title_and_subject(cells[0])
            if found:
                return i, found[0]
        elif 1 < len(cells) <= 3 and all(is_upper_text(c.text) for c in cells):
            # a title set with its letters spread, its words apart (`HƯỚNG   DẪN`, held out 15, hanoi-btctu-hd-21)
            if found := title_type(Cell(" ".join(c.text for c in cells), cells[0].start)):
                return i, found[0]
        if len(cells) > 1 and (beside := _title_beside_speck(cells)):
            return i, beside
    return None, None


def _title_beside_speck(cells: tuple[Cell, ...]) -> DocType | None:
    """The one title on a line whose other cells are ink OCR read as a short word in small letters (`Tàn,
    BÁO CÁO`: a receipt stamp's or a seal's, held out 37, vinhlong-dukcq-btc-bc-04-2006)."""
    found = [(c, title_type(c)) for c in cells]
    titled = [t[0] for _, t in found if t]
    short = all(len(c.text.strip(" ,.;:")) <= 4 and not is_upper_text(c.text) for c, t in found if not t)
    return titled[0] if len(titled) == 1 and short else None


def _worded(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """The cells that hold a word (two letters together): a scan's specks and rules beside a title (`Ộ`,
    `=——————`, a receipt stamp's broken frame) are not the page's text."""
    kept = tuple(c for c in cells if _WORD.search(c.text))
    return kept or cells


_WORD = re.compile(r"[^\W\d_]{2}")


def _finishes_name(cell: Cell) -> bool:
    return not cell.right and cell.start < _AGENCY_COLUMN and squashed_key(cell.text) == "xa hoi"


_AGENCY_COLUMN = 8  # columns from the margin where an agency's wrapped line begins


def _is_agency_cell(cell: Cell) -> bool:
    motto = is_motto(cell) and not _country_line(cell)
    title = title_type(cell)
    # a body named for the act it carries out (`BAN CHỈ ĐẠO THỰC HIỆN` / `CHỈ THỊ 06-CT/TW`, held out 37,
    # vinhlong-dukcq-bcd06-bc-15-2007): a title with a document's notation after it is its name's
    titled = title is not None and not _NOTATION.match(title[1])
    return not (cell.right or motto or mark(cell) or find_date(cell) or find_number(cell) or titled)


_NOTATION = re.compile(r"^\d+[-/][A-ZĐ]+(?:[-/][A-ZĐ]+)*$")


def _country_line(cell: Cell) -> bool:
    """`VIỆT NAM` alone in the left column: an agency's name's last line (`NGÂN HÀNG NHÀ NƯỚC` / `VIỆT NAM`, held
    out 37, sbv-tt-02-2023), not the motto's end, which stands in the right column."""
    return not cell.right and squashed_key(cell.text) == "viet nam"


def agencies(rows: tuple[Row, ...]) -> tuple[str | None, str | None]:
    """(parent, issuer) from the left-column lines above the number: a line that starts with an organ
    word (SỞ, BAN, PHÒNG…) starts a new name unless the name so far is unfinished. Over three levels, the
    parent is the two above the issuer (`ĐẢNG BỘ TỈNH VĨNH LONG` / `ĐẢNG ỦY KHỐI CƠ QUAN` / `BAN CHỈ ĐẠO …`, held
    out 37)."""
    cells = (_without_speck(_without_motto(c)) for row in rows for c in _without_mottos_nam(row))
    lines: list[str] = []
    for c in cells:
        # `XÃ HỘI`, words of the motto's too, finishes a ministry's name cut after `VÀ` (`BỘ LAO ĐỘNG - THƯƠNG BINH
        # VÀ` / `XÃ HỘI`, held out 71, bldtbxh-tt-10-2020-md printed)
        finishes = bool(lines) and squashed_key(lines[-1]).endswith(" va") and _finishes_name(c)
        if (_is_agency_cell(c) or finishes) and is_upper_text(c.text):
            # a web copy's joined cell printed on one line: the parent, then the unit (held out 65, tct-cv-1414-2013)
            lines.extend(parent_and_unit(c.text))
    groups: list[list[str]] = []
    for line in lines:
        starts_new = OPENS_ORGAN.match(squashed_key(line)) is not None or _names_its_parent(line, groups)
        if groups and (not starts_new or _unfinished(groups[-1])):
            groups[-1].append(line)
        else:
            groups.append([line])
    names = [" ".join(" ".join(g).split()) for g in groups]
    if not names:
        return None, None
    return (" ".join(names[:-1]) if len(names) > 1 else None), names[-1]


def _without_mottos_nam(row: Row) -> tuple[Cell, ...]:
    """The row without the motto's `NAM` wrapped onto the line of `Độc lập …` and set apart from it by OCR's spacing
    (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT` / `NAM   Độc lập - Tự do - Hạnh phúc`, held out 65 and 72 as scans)."""
    cells = row.cells
    return tuple(
        c
        for k, c in enumerate(cells)
        if not (squashed_key(c.text) == "nam" and k + 1 < len(cells) and is_motto(cells[k + 1]))
    )


def _without_motto(cell: Cell) -> Cell:
    """The cell without the motto OCR read into the agency's line across a narrow gap (`SỞ GIÁO DỤC VÀ ĐÀO TẠO
    ANGIANG € ỌNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM`, held out 52, angiang-thptuvk-tb-222-2023): from `CỘNG HÒA` on,
    and the specks before it."""
    words = cell.text.split()
    keys = [skeleton(w).lower() for w in words]
    for motto in ORGANISATION_MOTTOS:
        # the Party's or the Youth Union's line run on after the body's name, a printed table's columns a space
        # apart (`BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM`, held out 66, tw-nq-60-2025)
        n = len(motto.split())
        if len(keys) >= n + 2 and " ".join(keys[-n:]) == motto and is_upper_text(cell.text):
            return replace(cell, text=" ".join(words[:-n]))
    at = next((i for i in range(2, len(keys) - 3) if keys[i : i + 4] == ["xa", "hoi", "chu", "nghia"]), None)
    if at is None:
        return cell
    kept = words[: at - 2]
    while kept and not any(c.isalpha() for c in kept[-1]):
        kept.pop()
    return replace(cell, text=" ".join(kept)) if kept else cell


def _without_speck(cell: Cell) -> Cell:
    """The cell without specks OCR read before its words (`-_ BỘ NÔNG NGHIỆP`, held out 39, bnnptnt-cln-tb-18-2024)
    or after them, set apart by a space (`SỞ TÀI CHÍNH HÀ TĨNH ˆ`, held out 35, hatinh-stc-ttdvtcc-cv-136): no
    agency's name begins or ends in a sign."""
    text = _LEADING_SIGNS.sub("", cell.text)
    words = text.split()
    if len(words) >= 2 and len(words[-1]) <= 2 and not any(unicodedata.category(c) in _WORDS for c in words[-1]):
        text = text[: text.rstrip().rfind(" ")].rstrip()
    return replace(cell, text=text) if text != cell.text else cell


# (a dash alone joins a joint issuer's second name to the first: `SỞ GIÁO DỤC VÀ ĐÀO TẠO` / `- ĐÀI PHÁT THANH …`)
_LEADING_SIGNS = re.compile(r"^(?![-–]\s*[^\W\d_])[\W_]+(?=[^\W\d_])")
_WORDS = ("Lu", "Ll", "Nd")  # letters and digits: what a word is made of


def _names_its_parent(line: str, groups: list[list[str]]) -> bool:
    """A line naming the one above it whole, after a word of its own (`ĐOÀN KHỐI CÁC CƠ QUAN` / `BCH ĐOÀN KHỐI
    CÁC CƠ QUAN`, held out 23, hanoi-dtnkcq-cv-09): a body of the parent's, its own name."""
    if not groups:
        return False
    parent, key = squashed_key(" ".join(groups[-1])), squashed_key(line)
    return len(parent.split()) >= 2 and key.endswith(" " + parent)


# Bodies named for the body they belong to, on the line under them: the Supreme Court's council of judges, a
# ministry's Party committee (`BAN CÁN SỰ ĐẢNG` / `BỘ TƯ PHÁP`), an association's Party group (`ĐẢNG ĐOÀN` / …).
_BODIES_OF = ("hoi dong tham phan", "ban can su dang", "dang doan")


def _unfinished(group: list[str]) -> bool:
    """An agency name cut short (`SỞ THÔNG TIN VÀ`, `VĂN PHÒNG`, a table cell's lone `ỦY`), or by `XÃ`, which a
    commune's name or `HỘI` follows (`BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ` / `HỘI`, a column's wrap, held out 65)."""
    key = squashed_key(" ".join(group))
    if key.endswith((" va", " cua", " xa", "-", ",", "&")):
        return True
    if key.endswith(_BODIES_OF):  # `HỘI ĐỒNG THẨM PHÁN` / `TÒA ÁN NHÂN DÂN TỐI CAO`: one name (held out 74)
        return True
    heads = [h for h in ORGAN_HEADS if h.startswith(key)]
    return bool(heads) and len(key.split()) < 3


def _vv_row(rows: tuple[Row, ...], start: int, end: int) -> int | None:
    """The row of a công văn's `V/v …` (or `Về việc …`) in the left column, under the number; or of its
    trích yếu opening with `Về` and a capital, without the label, on the two rows under the number (held out
    10, hcm-stp-cv-687: `Về Chương trình hỗ trợ pháp lý …`)."""
    for i in range(start, min(end, len(rows))):
        for cell in rows[i].cells:
            if (_VV.match(cell.key) or (i <= start + 2 and _about_noun(cell.text))) and not cell.right:
                return i
    return None


def _about_noun(text: str) -> bool:
    """`Về Chương trình …`: `Về` and a word with a capital, a công văn's trích yếu without its `V/v`; or `Về` and a
    verb, two words more at least (`Về lấy ý kiến góp ý vào Dự thảo …`, held out 53, cdgdhcm-cv-95-2017)."""
    if not text.startswith("Về ") or not text[3:4].isalpha():
        return False
    return (text[3:4].isupper() and text[4:5].islower()) or (text[3:4].islower() and len(text.split()) >= 4)


_VV_MISREAD = re.compile(r"^(?:[^\w\s]{1,3}|[^\W_]?[/⁄|%][A-Za-z%]?|W[vy]|V[vy])\s+(?=\w)")  # `4%` too (held out 63)


def _misread_vv(rows: tuple[Row, ...], number_row: int | None) -> int | None:
    """The `V/v` line OCR misread in italics (`⁄% Góp ý dự thảo …`): the left-column line right under
    the number that opens with a speck of two or three signs and then words."""
    if number_row is None:
        return None
    for i in range(number_row + 1, min(number_row + 3, len(rows))):
        cells = [c for c in rows[i].cells if not c.right]
        if cells and _VV_MISREAD.match(cells[0].text) and not find_date(cells[0]):
            return i
    return None


def _numbered_letter(number: str | None) -> bool:
    """Whether the notation is a công văn's: no type's abbreviation before the issuer's (`52-CV/ĐTN`, a Party or
    Youth Union letter's `CV`, `1135/ĐHTĐ`, `946/UBND-NN`)."""
    kind = abbreviation_type(number)
    return number is not None and (kind is None or kind.code == "cong_van")


# What OCR leaves of an italic `V/v` it could not read: nothing (the speck dropped), or a sign or figure and a
# space (`“4 tham gia công tác …`, held out 58, nhs-dtn-cv-30-2019) before the trích yếu's first word in small
# letters.
_VV_LOST = re.compile(r"^(?:[^\w\s]?\d?\s+)?(?=[a-zà-ỹđ]+ [a-zà-ỹđ]+ \w)")


def _lost_vv(rows: tuple[Row, ...], number_row: int | None) -> int | None:
    """The `V/v` line of a công văn whose `V/v` OCR lost: the left-column line alone in its row right under the
    number, opening in small letters with three words at least (a trích yếu's verb: `giới thiệu các công trình …`,
    held out 58, nhs-dtn-cv-52-2019); a clerk reads it as the trích yếu all the same."""
    if number_row is None:
        return None
    for i in range(number_row + 1, min(number_row + 3, len(rows))):
        if rows[i].blank:
            continue
        cells = rows[i].cells
        if len(cells) == 1 and not cells[0].right and _VV_LOST.match(cells[0].text) and not find_date(cells[0]):
            return i
        return None
    return None


# Lines a V/v subject wraps onto in the narrow left column: eight (held out 6, vinhlong-cttdt-cv-91: its
# `2026-2030` on the eighth, after `V/v …`); the block's own ends stop it sooner (`_stops_vv`).
_VV_LINES = 8
_LEFT_SHARE = 0.62  # of the page's width: where the header's left column ends at the most


def _vv_subject(page: Page, rows: tuple[Row, ...], start: int, *, first_cell: bool = False) -> str:
    """The `V/v` line and the lines it wraps onto in the narrow left column."""
    left = [c for c in rows[start].cells if not c.right]
    first = left[0] if first_cell else next(c for c in left if _VV.match(c.key) or _about_noun(c.text))
    parts = [first.text]
    width = max((c.start + len(c.text) for r in page.rows for c in r.cells), default=80)
    # Two columns side by side in the header (layout text), or one after the other (plain or serialised
    # text, where one wide gap elsewhere on the page says nothing about the V/v block).
    columns = page.columns and sum(len(r.cells) > 1 for r in rows[:start]) >= 1
    # a V/v set across the page, wider than the left column (a Word file's one long line, wrapped at the page's
    # width: held out 64 and 73 as text-layer PDFs): its wrapped lines are as wide
    wide = _too_wide(first, columns, width)
    window = rows[start + 1 : start + 1 + _VV_LINES]
    for k, row in enumerate(window):
        left = [c for c in row.cells if not c.right]
        if row.blank and k + 1 < len(window) and not parts[-1].rstrip().endswith(".") and _vv_goes_on(window[k + 1]):
            continue  # a blank line the date beside the first line left in a text layer (hanoi-stttt-cv-1937)
        if row.blank or not left:
            break
        cell = left[0]
        if _stops_vv(cell) or (not wide and _too_wide(cell, columns and not _aligned_under(cell, first, row), width)):
            break
        if not is_upper_text(first.text) and _shouts(cell.text) and len(cell.text.split()) >= 3:
            break  # a subject in sentence case does not go on in capitals: a stamp's agency line
        parts.append(cell.text)
    subject = _subject_of(parts)
    # A trích yếu takes no full stop (Nghị định 30/2020 Phụ lục I); an ellipsis or `TP.` stays.
    full_stop = subject.endswith(".") and not subject.endswith("..") and subject[-2:-1].islower()
    return subject[:-1] if full_stop else subject


def _aligned_under(cell: Cell, first: Cell, row: Row) -> bool:
    """Whether a line alone in its row starts where the V/v block's first line does: a block set wide under the
    issuer's name (held out 58, Ngũ Hành Sơn's youth union: `Chương trình “Tri thức trẻ vì giáo dục” năm 2019`
    reaches past the left column's usual width), still the block."""
    return len(row.cells) == 1 and abs(cell.start - first.start) <= 1


def _vv_goes_on(row: Row) -> bool:
    """Whether the line after a blank one goes on with the V/v block: in the left column alone, opening with a
    word that goes on a phrase (`Thành phố và Nghị quyết của HĐND` after `… Tờ trình của UBND`), not the
    heading of the addressees, the body or a mark."""
    cells = [c for c in row.cells if not c.right]
    return len(cells) == 1 == len(row.cells) and _GOES_ON.match(cells[0].text) is not None


_GOES_ON = re.compile(r"^(?:[a-zà-ỹđ]|Thành phố\b|Tỉnh\b|Quận\b|Huyện\b)")


def _stops_vv(cell: Cell) -> bool:
    """The V/v block ends at a mark, the body, the number, the date or the motto."""
    return bool(mark(cell) or _opens_body(cell.text) or find_number(cell) or find_date(cell) or is_motto(cell))


def _too_wide(cell: Cell, columns: bool, width: int) -> bool:
    """A line wider than the left column, where a V/v block is set: the body's."""
    if columns:
        return cell.start + len(cell.text) > _LEFT_SHARE * width
    return len(cell.text) > 60


# A receipt stamp's field beside the subject's first line (`ĐẾN … Ngày: 14/4/2025 ......` on a scan): the
# form's dotted leader ends it; a subject has none.
_STAMP_FIELD = re.compile(r"^.*(?:\.{3,}|…)\s+(?=\w)")


_SUBJECT_LINES = 7  # a title's subject wraps over this many lines at most (a long one set across a page, held out 72)


def _title_subject(rows: tuple[Row, ...], title_row: int, issuer: str | None) -> str | None:
    """The subject under the title: its first line whatever it says (`Thực hiện …` opens many a
    subject), then the lines that carry it on, up to the body, the issuing authority line or a gap."""
    title_cells = _worded(rows[title_row].cells)
    same_line = title_and_subject(title_cells[0]) if len(title_cells) == 1 else None
    parts: list[str] = [same_line[1]] if same_line else []
    title, first = title_cells[-1], 0
    issuer_key = squashed_key(issuer) if issuer else None
    window = rows[title_row + 1 : title_row + 9]
    for k, row in enumerate(window):
        if row.blank:
            # OCR leaves a gap between a bold subject's lines; a line in lower case after it carries on
            following = next((r for r in window[k + 1 :] if not r.blank), None)
            if parts and not (following is not None and _carries_on(following.text, issuer_key)):
                break
            continue
        if parts and _DANGLING.search(parts[-1]):
            # a line the last one's `của` carries on, from the left margin (`… giải quyết của` / `Sở Giáo dục và Đào
            # tạo, UBND cấp huyện …`, held out 31, ninhbinh-ubnd-qd-120): no stamp's text stands before it
            text = _STAMP_DATE.sub("", " ".join(c.text for c in row.cells))
        else:
            text = _under(row, title, first) if parts else _beside_title(row, title)
        if not text:  # only a receipt stamp's text, left of the subject
            continue
        if not parts and _scattered(row):
            continue  # a seal's or a stamp's ink read as lone short words far apart (`cà      vui      vu.`)
        key = squashed_key(text)
        if not parts and _OF_ISSUER.match(text):
            continue  # the title's own second line (`CHỈ THỊ` / `CỦA BAN THƯỜNG VỤ TỈNH ỦY`): the Party's style
        if parts and _specks(text):  # what a stamp or a signature left under the subject ends it
            break
        if parts and (text[:1].islower() or _DANGLING.search(parts[-1]) or _in_quote(parts, text)):
            # a wrapped line carries on, also a line naming the issuer after `của` (`… chức năng quản lý của` /
            # `Bộ Giáo dục và Đào tạo`, held out 19, bgddt-qd-2652) or inside a quotation (`“Quy định … của giảng
            # viên` / `Trường Đại học An Giang”`, held out 20, angiang-dhag-qd-2442): a subject ends on neither
            parts.append(text)
            continue
        dated = _DATED.match(key) and not _CITED.search(parts[-1] if parts else "")
        if OPENS_BODY_HARD.match(key) or (
            parts and (OPENS_BODY.match(key) or dated) and not _leader_next(window[k + 1 :])
        ):
            break
        if _INVITES.search(skeleton(text)):  # a giấy mời's body (`… trân trọng kính mời …`): it has no subject
            break
        if parts and parts[-1].rstrip().endswith(",") and not is_upper_text(text):
            # a line after one that ends on a comma carries the list on, whatever it opens with (`… của Sở Tư pháp,`
            # / `Ủy ban nhân dân cấp huyện, …`, held out 31, namdinh-ubnd-qd-354); the authority's line is in capitals
            parts.append(text)
            continue
        if (
            parts
            and text.rstrip().endswith((".", ";", ":"))
            and not (text.endswith(".") and _all_capitals(parts, text))
        ):
            break  # a sentence: the body (subjects have no stop; one in capitals may, the body is in small letters)
        # the issuer's name as the authority's line, in capitals (Nghị định 30/2020 Phụ lục I); in small letters it
        # carries a subject on (`… Hội đồng Sáng kiến` / `Bộ Văn hóa, Thể thao và Du lịch`, held out 25)
        own_name = _names_issuer(key, issuer_key, parts) and (not parts or is_upper_text(text))
        if text.endswith(":") or authority_prefix(text) or own_name or OPENS_LEADER.match(key):
            break
        if parts and _capitals_after_sentence_case(text, parts):
            break
        if parts and title_type(Cell(text, 0)):
            break
        if not parts:
            first = row.cells[0].start
        elif issuer and _body_follows(window[k + 1 :]):
            text = _without_glued_issuer(text, issuer)
        parts.append(text if parts else _STAMP_FIELD.sub("", text))
        if len(parts) == _SUBJECT_LINES:
            break
    subject = _subject_of(parts)
    if subject.endswith(".") and subject[-2:-1].isdigit() and is_upper_text(subject):
        subject = subject[:-1]  # a trích yếu takes no full stop (Nghị định 30/2020 Phụ lục I): `… GIAI ĐOẠN 2022-2025.`
    if subject.count("“") > subject.count("”") and subject.endswith(tuple(_CLOSED_BY)):
        # The quotation's closing mark ended a line and went with the line's specks (`layout`): a
        # subject never leaves a quotation open.
        subject += "”"
    return subject or None


def _names_issuer(key: str, issuer_key: str | None, parts: list[str]) -> bool:
    """The line is the issuer's name, or begins with all of it and a word or two more: a web copy's header cell cut
    short (`ỦY BAN THƯỜNG VỤ` over the authority line `ỦY BAN THƯỜNG VỤ QUỐC HỘI`, held out 65, ubtvqh-nq-494-2012);
    not after a word that takes a name (`… QUY CHẾ LÀM VIỆC CỦA` / `ỦY BAN NHÂN DÂN TỈNH … NHIỆM KỲ 2021-2026`)."""
    if not issuer_key:
        return False
    if key == issuer_key:
        return True
    if not key.startswith(f"{issuer_key} "):
        return False
    rest = key[len(issuer_key) :].split()
    return len(rest) <= 2 and not any(c.isdigit() for c in key) and not _takes_name(parts)


def _takes_name(parts: list[str]) -> bool:
    return bool(parts) and bool(parts[-1].split()) and parts[-1].split()[-1].lower() in _BEFORE_NAME


def _fuller_issuer(rows: tuple[Row, ...], title_row: int, issuer: str) -> str:
    """The issuer's name as the authority line under the title gives it in full, where the header's cell was cut
    short (`ỦY BAN THƯỜNG VỤ` / `ỦY BAN THƯỜNG VỤ QUỐC HỘI`, held out 65)."""
    issuer_key = squashed_key(issuer)
    for row in rows[title_row + 1 : title_row + 10]:
        key = squashed_key(row.text)
        if OPENS_BODY_HARD.match(key):
            break
        if len(row.cells) == 1 and is_upper_text(row.text) and key != issuer_key and _names_issuer(key, issuer_key, []):
            return mend_agency(" ".join(row.text.split()))
    return issuer


def _next_text(rows: tuple[Row, ...]) -> str:
    """The text of the first row that is not blank, "" when there is none."""
    return next((r.text for r in rows if not r.blank), "")


def _leader_next(rows: tuple[Row, ...]) -> bool:
    """The authority line comes next (`GIÁM ĐỐC HỌC VIỆN …`): the body opens under it, so a line above it that opens
    like the body (`Theo Kế hoạch số 1078/KH-BCY …`, held out 80, hvm-qd-1067-2024) is still the subject's."""
    following = _next_text(rows)
    return is_upper_text(following) and OPENS_LEADER.match(squashed_key(following)) is not None


def _body_follows(rows: tuple[Row, ...]) -> bool:
    return OPENS_BODY_HARD.match(squashed_key(_next_text(rows))) is not None


# A word a subject may end on before the issuer's name (`… CỦA CHÍNH PHỦ`): the name is the subject's then.
_BEFORE_NAME = ("của", "với", "và", "cho", "tại", "thuộc", "trình")


def _without_glued_issuer(text: str, issuer: str) -> str:
    """The subject's last line, right above the body, without the authority line a converter ran onto it (`… TIẾP
    TỤC CÓ HIỆU LỰC CHÍNH PHỦ` / `Căn cứ …`, held out 71, cp-nq-13-2026): the issuer's name last, in capitals, after a
    word that does not take a name."""
    head, _, tail = text.rpartition(" " + issuer)
    if tail or not head.split() or not is_upper_text(text) or _takes_name([head]):
        return text
    return head


def _all_capitals(parts: list[str], text: str) -> bool:
    """A subject in capitals, and a line without a small letter (`2022-2025.`)."""
    return not any(c.islower() for c in text) and is_upper_text(" ".join(parts))


def _scattered(row: Row) -> bool:
    """A line of two or more cells, each one short word (three letters at most): no subject's line, whose words
    run on (chinhphu-nd-335-2025: `cà            vui                 vu.` under `NGHỊ ĐỊNH`)."""
    return len(row.cells) >= 2 and all(len(c.text.split()) == 1 and len(c.text.strip(".,;:")) <= 3 for c in row.cells)


def _in_quote(parts: list[str], text: str) -> bool:
    """Whether `text` goes on with a quotation the subject's lines opened: words in small letters, not the
    authority's line in capitals under a subject whose closing mark OCR lost (ttg-qd-745)."""
    joined = " ".join(parts)
    return joined.count("“") > joined.count("”") and not is_upper_text(text)


_INVITES = re.compile(r"\bkinh moi\b")


def _unopened_quote_off(subject: str) -> str:
    """The subject without a closing quotation mark it never opened: the Youth Union prints its V/v in quotes
    (`“V/v định hướng công tác đoàn` / `và phong trào thanh thiếu nhi năm 2023”`), whose opening mark goes with a
    line's specks (`layout`) while the closing one stays with the words of a line that carries the subject on."""
    return subject[:-1].rstrip() if subject.endswith("”") and "“" not in subject else subject


# The rule under the subject read onto its last line (`… ngày 14/12/2022 -`, held out 80): no subject ends so.
_RULE_LAST = re.compile(r"\s+[-–—_]+$")


def _subject_of(parts: list[str]) -> str:
    """A subject's lines joined, without a quotation mark it never opened or the rule under it."""
    return _RULE_LAST.sub("", _unopened_quote_off(_lines_joined(parts)))


def _lines_joined(parts: list[str]) -> str:
    """A subject's lines as one, a line ending in a hyphen glued to its word carrying the compound on without a
    space (`thi công-` / `dự toán`, held out 22, hanoi-skhdt-qd-639; `2021-` / `2025`)."""
    text = ""
    for part in (" ".join(p.split()) for p in parts):
        text += part if re.search(r"[^\W_]-$", text) else f" {part}"
    return text.strip()


# The words a subject's line cannot end on: the next line carries it on, whatever it opens with.
# A line ending on an act's number (`… THEO NGHỊ ĐỊNH SỐ 197/2004/NĐ-CP` / `NGÀY 03/12/2004 VÀ …`, held out 72,
# laichau-ubnd-qd-16-2010): the date on the next line is the act's, and the subject goes on.
_CITED = re.compile(r"\d+/(?:\d{4}/)?[A-ZĐ]{1,6}(?:-[A-ZĐ0-9]+)*$")
_DANGLING = re.compile(r"(?<!\S)(?:của|và|với|cho|tại|thuộc|đối với|trên địa bàn)$")


# A title's second line naming its issuer in capitals (`CỦA BAN THƯỜNG VỤ TỈNH ỦY`, held out 8, hatinh-tu-ct-39).
_OF_ISSUER = re.compile(r"^CỦA\s+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ\s,.-]+$")


# `AUN-QA`, `BCĐ389`, an act's number wrapped alone (`13/2020/TT-BTC`, held out 71): a line of a subject's, not specks
_ACRONYM = re.compile(r"[A-ZĐ][A-ZĐ0-9&/-]+|\d+(?:/\d{4})?/[A-ZĐ][A-ZĐ0-9&/-]*")


def _specks(text: str) -> bool:
    """A line that is not words: fewer than half its lettered pieces spelled like Vietnamese syllables or
    acronyms (`z,    ⁄       Ífw     '] 222.`, the ink a receipt stamp left beside its frame: ttg-cd-124)."""
    pieces = [p.strip(".,;:!?()\"'“”[]") for p in text.split()]
    lettered = [p for p in pieces if any(c.isalpha() for c in p)]
    if not lettered:  # a year range wrapped alone (`2022-2023`) is the subject's; a lone sign is not
        return not any(c.isdigit() for c in text)
    return 2 * sum(is_vietnamese_syllable(p) or bool(_ACRONYM.fullmatch(p)) for p in lettered) < len(lettered)


_CLOSED_BY = "abcdefghijklmnopqrstuvwxyzđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ0123456789)"


def _under(row: Row, title: Cell, first: int) -> str:
    """A subject line's text without a receipt stamp's text beside it: cells that begin left of where the
    subject's first line begins and end left of the title's middle, where no line of a subject centred
    under it ends (`CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ   khóa XVI của Chính phủ”`), and the stamp's date
    run into the line (`031112024 công trình …`); "" when the line is only such text."""
    middle = title.start + len(title.text) / 2
    cells = [c for c in row.cells if c.start >= first - _INDENT or c.start + len(c.text) > middle]
    return _STAMP_DATE.sub("", " ".join(c.text for c in cells))


def _beside_title(row: Row, title: Cell) -> str:
    """The subject's first line without what a receipt stamp or a speck left before it, wholly left of
    where the title begins (`CÔNG THÔNG TIN …   Về việc đưa 03 công trình`, `Œ Về việc …`)."""
    cells = [c for c in row.cells if c.start + len(c.text) > title.start]
    if len(cells) < len(row.cells) and _centred_under(row.cells, title):
        # a line centred under the title with a wide gap inside, a text layer's justified spacing (`Quy định Bảng
        # giá tính thuế         tài nguyên …`, held out 46, angiang-ubnd-qd-66-2021): the stamp's text is not
        return " ".join(c.text for c in row.cells)
    return " ".join(c.text for c in (cells or row.cells))


_CENTRED = 3  # columns a centred line's middle may stand from its title's


def _centred_under(cells: tuple[Cell, ...], title: Cell) -> bool:
    """Whether the cells together are centred under the title, as a subject's line is and a stamp beside it is not."""
    middle = (cells[0].start + cells[-1].start + len(cells[-1].text)) / 2
    return abs(middle - (title.start + len(title.text) / 2)) <= _CENTRED


_INDENT = 4  # columns: a centred subject's next line may begin this much left of its first


# A receipt stamp's date run into a subject's line (`031112024 công trình …`); a span of years opening a wrapped
# line is the subject's own (`… GIAI ĐOẠN` / `2022-2025 VÀ ĐỀ ÁN …`, held out 72, binhdinh-ubnd-qd-518-2023).
_STAMP_DATE = re.compile(r"^(?!(?:19|20)\d\d-(?:19|20)\d\d\b)\d[\d./-]{5,}\s+(?=[^\W\d_])")


def _capitals_after_sentence_case(text: str, parts: list[str]) -> bool:
    """A subject in sentence case does not go on in capitals: a line that opens in capitals (the
    authority's, a stamp's), or one of Vietnamese words all in capitals (`TA`, a seal's ring read by OCR);
    an acronym carrying the subject on (`AUN-QA`, `UBND`) is no Vietnamese word and stays."""
    if is_upper_text(" ".join(parts)):
        return False
    if _shouts(text):
        # two acronyms carry the subject on (`… các chỉ số PAR` / `INDEX, PAPI, SIPAS, PCI, chỉ số …`, held out 64)
        return any(is_vietnamese_syllable(w.strip(",.;:()").lower()) for w in text.split()[:2])
    words = text.split()
    return is_upper_text(text) and all(is_vietnamese_syllable(w) for w in words)


def _carries_on(text: str, issuer_key: str | None = None) -> bool:
    """Whether a line after a gap carries the subject on: OCR's gap between a bold subject's lines, and web
    copies converted from .docx, which put a blank line after every line of the title block. A line in
    lower case or opening a quotation (`“Triệu cây xanh …” năm 2021`), the issuer's name in small letters (`… cho
    Tân học viên, sinh viên` / `Trường Đại học Kinh tế Công nghiệp Long An`, held out 75), or a short one without a
    stop (`Năm học 2016 – 2017`); the body's opening lines are long or end in a stop, and are checked anyway."""
    if text[:1].islower() or text[:1] in '“"(':
        return True
    if issuer_key and squashed_key(text) == issuer_key and not is_upper_text(text):
        return True
    return len(text.split()) <= 6 and not text.rstrip().endswith((".", ";", ":"))


def _shouts(text: str) -> bool:
    """A line that opens in capitals (`ỦY BAN NHÂN DÂN TỈNH …`, `THỦ TƯỚNG CHÍNH PHỦ điện:`); a speck
    OCR read as a lone letter ahead of it does not count (`Í CỔNG THÔNG TIN ĐIỆN TỬ …`, a stamp's)."""
    words = [w for w in text.split() if sum(c.isalpha() for c in w) >= 2][:2]
    return len(words) == 2 and all(is_upper_text(w) for w in words)


def _marks(rows: tuple[Row, ...]) -> tuple[str | None, str | None]:
    urgency = secrecy = None
    for row in rows:
        for cell in row.cells:
            found = mark(cell)
            if found and found[0] == "urgency" and urgency is None:
                urgency = found[1]
            elif found and found[0] == "secrecy" and secrecy is None:
                secrecy = found[1]
    return urgency, secrecy
