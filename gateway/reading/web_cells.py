"""A web copy's table cell whose lines were joined by single spaces, cut back into its lines.

Legal-database crawls turn the page's header and closing tables into Markdown rows and join each cell's
lines with one space (held out 65, a thuvienphapluat crawl): `| BỘ TÀI CHÍNH TỔNG CỤC THUẾ ------- | CỘNG HÒA
…`, `| Số: 8794/VPCP-KGVX V/v ban hành … |`, `| Nơi nhận: - Như trên; - TTCP, PTTg …; - Lưu: VT, KGVX. |`,
`| KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM Nguyễn Khắc Định |`. The lines are found again where the page
itself shows where one ends: the rule under a name, the `V/v` under the number, a dash after a `;`, an
authority (`KT.`), the known title that ends a block, the name under it and the parent body over its unit.
"""

from __future__ import annotations

import re

from gateway.reading.cells import Cell, Row
from gateway.reading.flatten import HEADING, INLINE_BULLET
from gateway.reading.vocab import AUTHORITIES, SIGNER_TITLES
from gateway.reading.words import FAMILY_OR_RARE, NUMBER_LABEL, is_person_name
from gateway.vntext import skeleton

_RULE = re.compile(r"\s*(?:-{3,}|={3,}|_{3,}|[—–]{2,}|\*{3,})\s*")
_SUBJECT_AFTER_NUMBER = re.compile(r"\s+(?=(?:V/[vV]|Về việc|VỀ VIỆC)\b)")
# a dash opens an entry after the last one's `;`, the heading's `:`, a full stop or a purpose note's bracket
_BULLET_AFTER = re.compile(r"(?:(?<=[;:.)])|^)\s*(?=[-–+•]\s+\S)")
_AUTHORITY = re.compile(r"\s+(?=(?:" + "|".join(re.escape(a) for a in AUTHORITIES) + r")\s*[A-ZĐÀ-Ỹ])")
_SIGNED_NOTE = re.compile(r"\s*(\((?:Đã ký|đã ký|Ký|ký)[^)]*\))\s*")
_TITLES = frozenset(SIGNER_TITLES)
# A unit printed under its parent (`BỘ TÀI CHÍNH` over `TỔNG CỤC THUẾ`, `UBND TỈNH X` over `SỞ Y`): where the
# unit's name begins when the two lines were joined. Kept to heads that never occur inside a parent's name.
_UNIT = re.compile(
    r"\s+(?=(?:TỔNG CỤC|CHI CỤC|CỤC|SỞ|BỆNH VIỆN|TRUNG TÂM|TRƯỜNG (?:ĐẠI HỌC|CAO ĐẲNG|TRUNG CẤP|THPT|THCS))\s)"
)
_PARENT = re.compile(r"^(?:BỘ|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|ĐẠI HỌC|TỔNG CỤC)\s")


def cell_lines(cell: str) -> list[str]:
    """The cell's lines, its own two-space breaks first, then those its single spaces hide."""
    out: list[str] = []
    for piece in re.split(r"\s{2,}", cell.strip()):
        for part in _RULE.split(piece):
            out.extend(line for line in _lines_of(part.strip()) if line)
    return out


def _lines_of(text: str) -> list[str]:
    if not text:
        return []
    key = skeleton(text)
    if NUMBER_LABEL.match(key):
        return _SUBJECT_AFTER_NUMBER.split(text, maxsplit=1)
    head = HEADING.match(key)
    if head or _BULLET_AFTER.search(text[1:]):
        lines = [text[: head.end()].strip()] if head else []
        lines += [p.strip() for p in _BULLET_AFTER.split(text[head.end() if head else 0 :]) if p.strip()]
        return lines
    if text.isupper() or text.startswith(AUTHORITIES) or _title_then_name(text):
        return _signer_lines(text)
    return [text]


def _title_then_name(text: str) -> bool:
    words = text.split()
    return len(words) >= 3 and words[0].isupper() and is_person_name(" ".join(trailing_name(words)))


def trailing_name(words: list[str]) -> list[str]:
    """The person's name ending the words (`… PHÓ CHỦ NHIỆM Nguyễn Khắc Định`): from its family name."""
    starts = range(max(1, len(words) - 6), len(words) - 1)
    after_caps = [k for k in starts if words[k - 1].isupper() or words[k - 1].endswith(")")]
    for k in after_caps:
        if words[k] in FAMILY_OR_RARE and is_person_name(" ".join(words[k:])):
            return words[k:]
    # a family name the list lacks (`CHỦ TỊCH Chẩu Văn Lâm`, held out 72): the name in small letters after the capitals
    return next((words[k:] for k in after_caps if is_person_name(" ".join(words[k:]))), [])


def _signer_lines(text: str) -> list[str]:
    """A signer block or an issuer's name: the authorities, the title, the note, the name, each a line;
    an issuer in capitals with its parent over it, two lines."""
    words = text.split()
    name = trailing_name(words)
    head = " ".join(words[: len(words) - len(name)])
    note = _SIGNED_NOTE.search(head)
    if note:
        head = head[: note.start()].strip()
    lines = []
    for part in _AUTHORITY.split(head):
        lines.extend(_title_apart(part))
    if len(lines) == 1 and not name and not note:
        return parent_and_unit(text)
    return [*lines, *([note.group(1)] if note else []), *([" ".join(name)] if name else [])]


def parent_and_unit(text: str) -> list[str]:
    """An issuer's line with its parent run on before it (`BỘ TÀI CHÍNH TỔNG CỤC THUẾ`): the two names, each a line."""
    unit = _UNIT.search(text)
    if unit and _PARENT.match(text) and len(text[: unit.start()].split()) >= 2:
        return [text[: unit.start()], text[unit.end() :]]
    return [text]


def _title_apart(part: str) -> list[str]:
    """`KT. BỘ TRƯỞNG THỨ TRƯỞNG` → the authority's line and the signer's title: the longest run of words
    ending the part that is a known title, when something stands before it."""
    words = part.split()
    lead = 1 if part.startswith(AUTHORITIES) else 0
    if " ".join(words[lead:]) in _TITLES:
        return [part]
    # two words before the title at least (`KT. TỎNG CỤC TRƯỞNG` is one title misread), and none after a comma (the
    # head's second office: `KT. BỘ TRƯỞNG, CHỦ NHIỆM`)
    for k in range(lead + 2, len(words)):
        if " ".join(words[k:]) in _TITLES and not words[k - 1].endswith(","):
            return [" ".join(words[:k]), " ".join(words[k:])]
    return [part]


def signer_cells(cell: Cell) -> list[Cell]:
    """A layout cell holding an authority line with the title run on (`TM. ỦY BAN NHÂN DÂN CHỦ TỊCH`, its name
    set apart by a gap; held out 78): the authority lines and the title, each a cell where the first stood."""
    if not cell.text.startswith(AUTHORITIES):
        return [cell]
    lines = _signer_lines(cell.text)
    return [Cell(line, cell.start, cell.right) for line in lines] if len(lines) > 1 else [cell]


_RUN = 4  # lines of the signer column a wrapped title-and-name run may fill


def rewrapped(rows: list[Row]) -> list[Row]:
    """A web copy's joined cells as a browser or a PDF printer wrapped them at the column's width (held out 65 and
    72 as printed pages): the `V/v` after the number set on a row of its own under it, and the signer column's
    run of title and name (`KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ` / `CHỦ NHIỆM Nguyễn Khắc Định`) cut back into its lines,
    each on a row of the run (rows added under it when they are too few). Only a run where capitals and a name
    share a line: a signer column printed line by line never has one."""
    rows = _lists_rewrapped(rows)
    out: list[Row] = []
    i = 0
    while i < len(rows):
        run = _signer_run(rows, i)
        if run:
            out.extend(run[1])
            i += run[0]
            continue
        out.extend(_number_apart(rows[i]))
        i += 1
    return out


def _lists_rewrapped(rows: list[Row]) -> list[Row]:
    out: list[Row] = []
    i = 0
    while i < len(rows):
        run = _list_run(rows, i)
        out.extend(run[1] if run else [rows[i]])
        i += run[0] if run else 1
    return out


def _list_run(rows: list[Row], i: int) -> tuple[int, list[Row]] | None:
    """The recipients' cell, its entries joined after their `;` and wrapped at the column's width anywhere, a purpose
    note opening a line (`Nơi nhận: - Như Điều 3; - Bộ LĐTB&XH;` / `(để báo cáo) - TT Thành ủy; TT HĐND TP;`, held
    out 72, hanoi-ubnd-qd-6154-2011, as a text-layer PDF): the column's lines, down to a blank row, run together and
    cut at the bullets again, one entry a row; the signer column beside them stays on its rows. Only a list whose
    lines hold a bullet after a `;`: one printed line by line has none."""
    head = next((c for c in rows[i].cells if not c.right), None)
    if head is None or not HEADING.match(head.key):
        return None
    texts: list[str] = []
    end = i
    for row in rows[i:]:
        if row.blank:
            break
        left = [c for c in row.cells if not c.right]
        if left and (len(left) > 1 or abs(left[0].start - head.start) > 2):
            break
        texts += [left[0].text] if left else []
        end += 1
    if not any(INLINE_BULLET.search(t) for t in texts):
        return None
    lines = cell_lines(" ".join(texts))
    out = []
    for k, row in enumerate(rows[i:end]):
        right = tuple(c for c in row.cells if c.right)
        out.append(Row((Cell(lines[k], head.start), *right) if k < len(lines) else right))
    out += [Row((Cell(line, head.start),)) for line in lines[end - i :]]
    return end - i, out


def _number_apart(row: Row) -> list[Row]:
    for k, cell in enumerate(row.cells):
        if not cell.right and NUMBER_LABEL.match(cell.key) and (m := _SUBJECT_AFTER_NUMBER.search(cell.text)):
            number = Cell(cell.text[: m.start()], cell.start, cell.right)
            return [Row((*row.cells[:k], number, *row.cells[k + 1 :])), Row((Cell(cell.text[m.end() :], cell.start),))]
        if not cell.right and NUMBER_LABEL.match(cell.key) and k + 1 < len(row.cells):
            # OCR's line through the number and the V/v under it, a little lower (held out 65 as scans,
            # ldtbxh-cv-2864-2015, vpcp-cv-8794-2013): the V/v goes under the number, in its column
            after = row.cells[k + 1]
            if _SUBJECT_AFTER_NUMBER.match(" " + after.text):
                kept = Row((*row.cells[: k + 1], *row.cells[k + 2 :]))
                return [kept, Row((Cell(after.text, cell.start),))]
    return [row]


def _right(row: Row) -> Cell | None:
    cells = [c for c in row.cells if c.right]
    return cells[0] if len(cells) == 1 else None


def _mixed(text: str) -> bool:
    """Capitals, then a word with a capital and small letters: a title and a name on one line."""
    words = text.split()
    return len(words) >= 2 and words[0].isupper() and any(w[:1].isupper() and w[1:].islower() for w in words[1:])


def _signer_run(rows: list[Row], i: int) -> tuple[int, list[Row]] | None:
    first = _right(rows[i])
    if first is None or not (first.text.startswith(AUTHORITIES) or first.text.split()[0].isupper()):
        return None
    cells = [first]
    for row in rows[i + 1 : i + _RUN]:
        cell = _right(row)
        if cell is None or abs(cell.start - first.start) > 2:
            break
        cells.append(cell)
    for end in range(len(cells), 0, -1):
        texts = [c.text for c in cells[:end]]
        words = " ".join(texts).split()
        if not any(_mixed(t) for t in texts) or not trailing_name(words):
            continue
        lines = _signer_lines(" ".join(words))
        if lines == texts or len(lines) < 2:
            return None
        out = []
        for k, row in enumerate(rows[i : i + end]):
            kept = tuple(c for c in row.cells if not c.right)
            out.append(Row((*kept, Cell(lines[k], first.start, True)) if k < len(lines) else kept))
        out += [Row((Cell(line, first.start, True),)) for line in lines[end:]]
        return end, out
    return None
