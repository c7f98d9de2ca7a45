"""The addressees under "Kính gửi:" (a công văn's, a tờ trình's; Nghị định 30/2020 Phụ lục I), or under a
công điện's dispatch line, its sender in capitals and `điện:` (`THỦ TƯỚNG CHÍNH PHỦ điện:`, Phụ lục III).

`Kính gửi: Chính phủ.` on one line; or a first addressee after the colon and the others aligned under it
(`Kính gửi: Các sở, ban, ngành;` / `Ủy ban nhân dân các huyện.`); or a bulleted list under the heading.
The rules use them for R9d and R10 (documents sent to the Government or the Prime Minister go on paper).
"""

from __future__ import annotations

import re

from gateway.reading.cells import Cell, Page
from gateway.reading.flatten import INLINE_BULLET
from gateway.reading.vocab import OPENS_BODY, squashed_key
from gateway.reading.words import is_upper_text

_HEADING = re.compile(r"^kinh\s*gui\s*:?\s*")
_HEADING_AGAIN = re.compile(r"^\s*Kính\s+gửi\s*:\s*", re.IGNORECASE)
# A công điện's dispatch line: the sender's title, then `điện:` (a speck OCR read ahead of it aside).
_DISPATCH = re.compile(r"^\W{0,2}(\w[^:]*?)\s+dien\s*:\s*")
_BULLET = re.compile(r"^[-+–—•*_~][-+–—•*_~\s]*")
MAX_ADDRESSEES = 20
# A form's blank for the addressee (`Kính gửi: ............. .c- Shin TH ng tre`, held out, bca-cv-5689): the
# dotted leader first, whatever ink OCR read on it after.
_FORM_BLANK = re.compile(r"^\s*(?:[.…·]\s?){4,}")
_DATE_IN_TEXT = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
# A company's or a person's particulars under its name (`Mã số thuế: 2300321657`, `Địa chỉ: Số 14, …`) belong
# to the addressee above them; they are not addressees of their own.
_PARTICULARS = re.compile(r"^(?:ma so thue|mst|dia chi|tru so|dien thoai|dt|email|e-mail|fax)\s*:")


def read_addressees(page: Page, *, within: int = 40) -> tuple[str, ...]:
    """The addressees on page 1, each without its bullet and its `;` or `.`; () when there is none."""
    rows = page.rows[:within]
    for i, row in enumerate(rows):
        for k, cell in enumerate(row.cells):
            m = _dispatch_line(cell) or _dispatch_under_sender(rows, i, cell)
            if m:  # centred on the page, whatever a stamp beside it left on its row
                return _split(_entries(page, rows, i, cell, cell.text[m.end() :]))
            m = _HEADING.match(cell.key)
            # In the left column, or alone on its row but for specks (a receipt stamp's, to its left).
            if m and (not cell.right or all(len(c.text) <= 3 for c in row.cells[:k])):
                first = cell.text[m.end() :]
                first = _HEADING_AGAIN.sub("", first)  # a form's label typed twice (held out 67)
                if not first.strip() and k + 1 < len(row.cells):  # `Kính gửi:    Ban Thường vụ …`
                    first = " ".join(c.text for c in row.cells[k + 1 :])
                    cell = Cell(f"{cell.text} {first}", cell.start, cell.right)
                if _FORM_BLANK.match(first):
                    return ()  # filled in by hand on each copy: what OCR reads after the dots is ink
                joined = _joined_cell(rows, i, row.cells[k + 1].start, first) if k + 1 < len(row.cells) else None
                return _split((joined, True) if joined else _entries(page, rows, i, cell, first))
    return ()


def _joined_cell(rows: tuple, at: int, column: int, first: str) -> list[str] | None:
    """A web copy's cell that joined its bulleted addressees with their `;` (`- Sở … Cần Thơ; - Sở … Hưng Yên; …`),
    printed so and wrapped at the column's width anywhere, in a name (`tỉnh Hòa` / `Bình`) or before its hyphen
    (`Sở Lao động` / `- Thương binh …`; held out 65, ldtbxh-cv-5115-2018, as a text-layer PDF and a scan): the
    column's lines run together, one entry per bullet after a `;`. None when no line holds such a bullet."""
    lines = [first]
    for row in rows[at + 1 :]:
        if row.blank or len(row.cells) != 1 or abs(row.cells[0].start - column) > 2:
            break
        lines.append(row.cells[0].text)
    if not any(INLINE_BULLET.search(line) for line in lines):
        return None
    stream = " ".join(" ".join(lines).split())
    return [_BULLET.sub("", entry) for entry in INLINE_BULLET.split(stream)]


def _dispatch_line(cell: Cell) -> re.Match[str] | None:
    """`THỦ TƯỚNG CHÍNH PHỦ điện:`, `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:`: a sender of two words or more in
    capitals before `điện:` (a body sentence about electricity has lower case before it)."""
    m = _DISPATCH.match(cell.key)
    if not m:
        return None
    sender = cell.text[m.start(1) : m.end(1)]
    return m if len(sender.split()) >= 2 and is_upper_text(sender) else None


# `Điện:` on a line of its own under the sender's title (hatinh-ubnd-cd-04, held out 35: `CHỦ TỊCH UỶ BAN NHÂN DÂN
# TỈNH` / `Điện:`).
_DISPATCH_ALONE = re.compile(r"^\W{0,2}dien\s*:\s*")


def _dispatch_under_sender(rows: tuple, at: int, cell: Cell) -> re.Match[str] | None:
    """`Điện:` alone at a line's head, the sender's title in capitals (two words or more) the line above."""
    m = _DISPATCH_ALONE.match(cell.key)
    if not m or at == 0 or rows[at - 1].blank:
        return None
    sender = " ".join(c.text for c in rows[at - 1].cells).strip()
    return m if len(sender.split()) >= 2 and is_upper_text(sender) else None


def _entries(page: Page, rows: tuple, at: int, heading: Cell, first: str) -> tuple[list[str], bool]:
    """The addressees' lines joined into entries, and whether the list is bulleted (its entries each a bullet's,
    whatever `;` inside one sets apart: `- Các Sở: Nông nghiệp và PTNT; Tài chính; …`, held out 35)."""
    # the first entry's bullet on the heading's line, OCR's dashes before it too (`Kính gửi: — - Ban chủ nhiệm các
    # Khoa,`, held out 49, dut-ctsv-cv-50-2015)
    opening = _BULLET.sub("", first.strip())
    entries = [opening] if opening else []
    bullets = 0
    align = heading.start + (len(heading.text) - len(first)) if first.strip() else heading.start
    following = rows[at + 1 :]
    particulars = False
    opened_at: int | None = None  # where the last entry's first line starts (None: on the heading's line)
    bulleted = False  # the last entry opened with a bullet
    for k, row in enumerate(following):
        if row.blank and not entries:  # a bare heading, its list after a blank line
            continue
        # After the heading line's own addressee, the list goes on under it, not further left: a line set
        # in from the margin after a blank one is the body's first (held out 3: `Kính gửi: Cục Hải quan` /
        # `     Về các vướng mắc …`).
        under = align if page.columns and first.strip() else None
        # plain text: a line at the heading's margin, a paragraph's length, after the heading line's own addressee
        # and a blank line is the body's (`Kính gửi: Ban Thường vụ các tỉnh, …` / `` / `Hưởng ứng Ngày thế giới …`)
        margin = heading.start if first.strip() and not page.columns else None
        if row.blank and _list_goes_on(entries, following[k + 1 :], under, margin):
            continue  # a blank line inside the list (text extraction of a table cell)
        if row.blank or len(entries) >= MAX_ADDRESSEES:
            break
        cell = _first_cell(row.cells, heading.start)
        if entries and _PARTICULARS.match(squashed_key(cell.text)):
            particulars = True
            continue
        if particulars and not _BULLET.match(cell.text):  # the address wrapped onto the next line
            continue
        particulars = False
        if entries and _wraps_its_address(entries[-1], cell.text):  # `… Hoà Xuân, Cẩm` / `Lệ, Đà Nẵng` (held out 67)
            continue
        if _BULLET.match(cell.text):
            entries.append(_BULLET.sub("", cell.text))
            opened_at, bulleted = cell.start, True
            bullets += 1
            continue
        last = entries[-1].rstrip() if entries else ""
        if last.endswith(".") or (cell.text[:1].isupper() and OPENS_BODY.match(squashed_key(cell.text))):
            break
        aligned = page.columns and cell.start >= align - 2
        # Plain text, or bullets lost by the extraction: an entry per line while the lines stay short, a
        # line carrying on an entry whose `;` has not come yet.
        listed = (not entries or last.endswith(";") or len(cell.text) <= 80) and len(cell.text) <= 80
        if not (aligned or listed):
            break
        # A list whose entries end in `;` (and one in `.`): a line after an entry not closed yet carries it
        # on, even in capitals (`Các cơ quan báo chí, xuất bản Trung ương` / `Đoàn.`).
        closes = any(e.rstrip().endswith(";") for e in entries[:-1])
        # Entries set in by the space their lost bullet left (` Các đồng chí …`): a line further left carries on.
        outdented = opened_at is not None and cell.start < opened_at
        # A bulleted entry's next line set in under its text, not under the bullet (`- Các Bộ trưởng, …` /
        # `  Chính phủ;`) carries it on, capitals and all.
        hanging = bulleted and opened_at is not None and cell.start > opened_at
        # The heading line's addressee wrapped back under `Kính gửi` itself after a comma, its `;` or `.`
        # not come yet (`Kính gửi: Uỷ ban nhân dân các tỉnh, thành phố An Giang, Cần Thơ,` / `Cà Mau, …`), and
        # once it has wrapped so, after a name cut at the line's end (`…, Quảng` / `Ngãi, Gia Lai, …`,
        # bca-cv-4552); a second line after a first without its comma is an addressee of its own
        # (`Kính gửi: Ban Thường vụ các tỉnh, …` / `Các ban, đơn vị …`, doan-cv-226).
        wrapped = (
            opened_at is None and page.columns and cell.start < align - 2 and (last.endswith(",") or last != opening)
        )
        # A bulleted entry not closed yet, and a line with no bullet of its own: the entry's next line
        # (`- Các Bộ, ngành thành viên Ủy ban Quốc gia phòng, chống` / `AIDS, ma túy, mại dâm;`), after a comma
        # too when it opens in small letters, as no addressee does (`- Trung tâm y tế Tp. Rạch Giá, huyện U
        # Minh Thượng,` / `huyện Giang Thành và huyện Kiên Hải.`, held out 12, kiengiang-syt-cv-01); a lone word
        # does not (`đề:`, a receipt stamp's remnant under the list, ductho-pvhtt-cv-18).
        lower = cell.text[:1].islower() and len(cell.text.split()) > 1
        carried = bulleted and (not last.endswith((",", ":")) or lower)
        # a bulleted entry that lists a group's members apart by `;` goes on past a line's `;` (`- Các Sở: Nông
        # nghiệp và PTNT; Tài nguyên và Môi trường; …; Khoa học và Công nghệ;` / `Giáo dục và Đào tạo; …`, held out
        # 35, hatinh-ubnd-cv-1931)
        grouped = bulleted and last.endswith(";") and ";" in last[:-1]
        if entries and grouped and not _BULLET.match(cell.text):
            entries[-1] = f"{last} {cell.text}"
        elif entries and not last.endswith((";", ".")) and (hanging or wrapped or carried):
            entries[-1] = f"{last} {cell.text}"
        elif entries and not last.endswith((";", ",")) and (cell.text[:1].islower() or closes or outdented):
            entries[-1] = f"{last} {cell.text}"
        else:
            entries.append(cell.text)
            opened_at, bulleted = cell.start, False
    return entries, bullets >= 2 and bullets == len(entries)


def _first_cell(cells: tuple[Cell, ...], start: int) -> Cell:
    """The row's first cell, but for a speck OCR read in the margin left of the heading (`©`, `|`, a dot
    of dust on a scan) with the line's text further right."""
    for k, cell in enumerate(cells[:-1]):
        if not (cell.start < start and len(cell.text.strip()) <= 2 and not _BULLET.match(cell.text)):
            return cells[k]
    return cells[-1]


def _list_goes_on(entries: list[str], rows: tuple, under: int | None = None, margin: int | None = None) -> bool:
    """After a blank line: another short addressee line, not the body, while the list is not closed. Left
    of column `under` (the heading line's addressee), a line set in from the lines after it is a
    paragraph's first: the body."""
    if not entries or entries[-1].rstrip().endswith("."):
        return False
    at = next((k for k, r in enumerate(rows) if not r.blank), None)
    if at is None:
        return False
    nxt = rows[at]
    after = rows[at + 1] if at + 1 < len(rows) else None
    if under is not None and nxt.cells[0].start < under - 2 and after is not None and not after.blank:
        if after.cells[0].start < nxt.cells[0].start - 2:  # a paragraph's indented first line
            return False
    text = nxt.cells[0].text
    dated = _DATE_IN_TEXT.search(text) or squashed_key(text).startswith("ngay ")  # `Ngày 27/6/2022, Ban …`
    if _paragraph(text, after) or (
        margin is not None and nxt.cells[0].start <= margin and len(text) >= _PARAGRAPH_LINE
    ):
        return False
    return len(text) <= 80 and text[:1].isupper() and not dated and not OPENS_BODY.match(squashed_key(text))


_PARAGRAPH_LINE = 60  # characters: a printed paragraph's lines are this long at least, an addressee's seldom


def _paragraph(text: str, after) -> bool:
    """A long line, then another that carries its sentence on in small letters or a figure: the body's first lines
    as a printer wrapped them (`Bộ Lao động - Thương binh và Xã hội nhận được Công văn số 1879/UBND-VX ngày` /
    `27/05/2015 của Ủy ban nhân dân tỉnh Long An …`, held out 65, ldtbxh-cv-2864-2015, as a text-layer PDF)."""
    if after is None or after.blank or len(text) < _PARAGRAPH_LINE:
        return False
    following = after.cells[0].text
    return len(following) >= _PARAGRAPH_LINE and (following[:1].islower() or following[:1].isdigit())


# The addressee's street address after its name on the same line (`Phòng CSGT - Công an TP Hồ Chí Minh - 314 Trần
# Hưng Đạo, …`, `… TP Hải Phòng. Địa chỉ : Xã Kim Thành`, held out 67): where the addressee is, not who.
_ADDRESS_AFTER = re.compile(r"\s*[.,;]\s*(?:[Đđ]ịa chỉ|ĐỊA CHỈ)\s*:.*$|\s[-–]\s*\d+[A-Za-z/]*\s+[A-ZĐ].*$")


def _wraps_its_address(last: str, text: str) -> bool:
    """A line after an addressee whose street address its line began (not closed by `;` or `.`): the address's end."""
    return (
        not _BULLET.match(text)
        and not last.rstrip().endswith((";", "."))
        and _ADDRESS_AFTER.search(" ".join(last.split())) is not None
    )


def _split(listed: tuple[list[str], bool]) -> tuple[str, ...]:
    entries, bulleted = listed
    out = []
    for entry in entries:
        for part in [entry] if bulleted else entry.split(";"):
            # `Đại học Đà Nẵng:`, its `;` read as a colon
            part = _ADDRESS_AFTER.sub("", " ".join(part.split())).strip(" ,.:;-–")
            # not a form's blank left to fill (`Kính gửi: …………`), nor a lone word in lower case: an addressee is
            # a body or an office, named with a capital (held out 6, ductho-pvhtt-cv-18: `đề:` from a
            # receipt stamp's remnants under the list)
            if any(c.isalnum() for c in part) and not (part[:1].islower() and len(part.split()) == 1):
                out.append(part)
    return tuple(out)
