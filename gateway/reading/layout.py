"""Page text → rows of cells, with the two columns of the header and of the signer block told apart.

Text comes four ways: layout text (pypdf's layout mode, or `gateway.ocr`), where the columns stand
apart by runs of spaces; plain text, where each column's lines follow one another; flattened text,
where the columns share a line one space apart (`flatten`); and web copies converted from .docx, where the
header's and the closing's two-column tables are Markdown rows (`| BAN CHẤP HÀNH  Số: 245 KH/… | Hà Nội,
ngày … |`, a cell's lines two spaces apart). All become the same `Page`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from gateway.reading.cells import Cell, Page, Row
from gateway.reading.flatten import split_flattened
from gateway.reading.stream import unstreamed
from gateway.reading.web_cells import cell_lines, rewrapped, signer_cells
from gateway.reading.words import PARTY_NOTATION, is_upper_text, is_vietnamese_word
from gateway.vntext import nfc, skeleton

MAX_LINE = 400  # characters kept per line: hostile text cannot make the regexes slow
MAX_ROWS = 400
RIGHT_FROM = 0.40  # a cell starting past this fraction of the page width is in the right column

# Tabs are column gaps; OCR's fraction slash is a slash (`245⁄UBND-KT`).
# OCR reads `c)` as `©` (`để b/©)`): no administrative document prints the sign.
# Cyrillic letters that look like Latin ones are those (`TT-BTС` with a Cyrillic С, held out 71): a Word file's
# slip, which no Vietnamese document means; so are Word's hyphen and non-breaking hyphen (`QĐ‑ĐHBK`, held out 77).
_SPACES_AND_SLASHES = str.maketrans(
    {"\t": "    ", "\u00a0": " ", "\u2044": "/", "\u2215": "/", "\uff0f": "/", "\u00a9": "c"}
    | {"\u2010": "-", "\u2011": "-"}
    | dict(zip("АВЕКМНОРСТХаеорсх", "ABEKMHOPCTXaeopcx", strict=True))
)
_GAP = re.compile(r"\S+(?: {1,2}\S+)*")  # three spaces or more part two cells
_JUNK = "“”\"‘’'`~_^|\\[]{}<>*°«»¬„‚"
_LABEL_ONLY = re.compile(r"^so\s*[:.]?$")
_DATE_OPEN = re.compile(r"(?:ngay|thang)[\s.…_]*\d{0,2}$")
_DATE_REST = re.compile(r"^(?:\d{1,2}\s+)?(?:thang|nam)\b")  # `ngày   16  tháng 5`: the day apart
# A receipt stamp (`ĐẾN Số: … Ngày: …`, the receiving registry's box) is not the document's: its `ĐẾN`
# line, and its fill-in line where OCR glues it to the text beside it (`Bộ Xây dựng, [___ N#y.4L4122…`).
_RECEIPT = re.compile(r"^den\b(?!\s*(?:nam|ngay\s+\d|thang|hien|het|khi|nay|cuoi|\d{1,2}/\d))")
_RECEIPT_TAIL = re.compile(r"\s+[\[|]\s*_{2,}.*$")
_NOTE_AT_END = re.compile(r"^\(.*\)$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_DRAFT = re.compile(r"du\s*thao(?:\s*(?:lan\s*)?\d+)?")


def page_from_text(text: str) -> Page:
    """The rows and cells of one page's text (NFC, draft marks and OCR specks out)."""
    lines = nfc(text or "").replace("\r", "").split("\n")[:MAX_ROWS]
    lines = _without_gazette_heads(_table_rows_as_lines(unstreamed(_markdown_as_plain(lines)[:MAX_ROWS])))
    lines = [line[:MAX_LINE] for line in lines[:MAX_ROWS]]
    lines = [_tab_stop(line) for line in lines]
    lines = _dedented([_RULE_TOKEN.sub(_blank, line.translate(_SPACES_AND_SLASHES)).rstrip() for line in lines])
    width = _page_width(lines)
    rows: list[Row] = []
    split_rows = 0
    for line in lines:
        cells = []
        for start, end in _justified(_bracket_blanks(line, [m.span() for m in _GAP.finditer(line)]), width):
            piece = _clean_ends(_without_draft_mark(_without_receipt_tail(line[start:end])))
            # the stamp's `ĐẾN` opens with a capital; `đến` in small letters carries a line on (`… liên quan` /
            # `đến UBND xã Sơn Mỹ`, held out 64)
            receipt = piece[:1] != "đ" and _RECEIPT.match(skeleton(piece))
            if piece and any(c.isalnum() for c in piece) and not receipt:
                cells.append(Cell(" ".join(piece.split()), start, start >= RIGHT_FROM * width))
        cells = _merge_draft_blanks(cells)
        split_rows += len(cells) > 1 and not _NOTE_AT_END.match(cells[-1].text)
        rows.append(Row(tuple(piece for cell in cells for piece in split_flattened(cell))))
    # A brace note set far to the right of a recipient (`Bộ trưởng Bộ LĐTB&XH;          (Để b/c)`) does not
    # make plain text a layout.
    rows = _signer_lines_apart(rewrapped(rows) if split_rows else rows)
    return Page(tuple(_one_blank(_label_over_number(rows))), split_rows > 0)


# A Word file's text sets its right column after a tab (`Nơi nhận:⇥TL. CHỦ TỊCH`, `- Như trên;⇥⇥⇥⇥⇥⇥PHÓ CHÁNH VĂN
# PHÒNG`, held out 64 and 73): the column it stood in, whatever the tabs' count, is the right half of the page.
_TAB_COLUMN = 60
_TABS = re.compile(r"[ ]*\t[\t ]*")


def _tab_stop(line: str) -> str:
    """The line with the text after its first run of tabs set at the right column, when text stands on both
    sides and the left side is short of it; a text layer or OCR never gives tabs, so only a Word file's text is
    touched."""
    m = _TABS.search(line)
    if not m or not line[: m.start()].strip() or not line[m.end() :].strip() or m.start() >= _TAB_COLUMN - 4:
        return line
    return line[: m.start()] + " " * (_TAB_COLUMN - m.start()) + line[m.end() :]


def _signer_lines_apart(rows: list[Row]) -> list[Row]:
    """A cell holding a signer block's lines run together (`TM. ỦY BAN NHÂN DÂN CHỦ TỊCH`, `KT. BỘ TRƯỞNG THỨ TRƯỞNG Đỗ
    Hoàng Anh Tuấn`; `web_cells.signer_cells`): its first line where it stood, the others each on a row of its own
    under it, as a page prints them, and the cells after it on the row (`TM. CHÍNH PHỦ THỦ TƯỚNG     Nguyễn Xuân
    Phúc`) under those."""
    out: list[Row] = []
    for row in rows:
        for k, cell in enumerate(row.cells):
            first, *rest = signer_cells(cell)
            if rest:
                # what stood after the block's cell (its name set apart by a gap) goes on under its lines, and a name
                # in the right column takes the block's lines with it (a line that opened at the margin)
                after = row.cells[k + 1 :]
                lines = [replace(c, right=True) if any(a.right for a in after) else c for c in (first, *rest)]
                out.append(Row((*row.cells[:k], lines[0])))
                out += [Row((line,)) for line in lines[1:]] + ([Row(after)] if after else [])
                break
        else:
            out.append(row)
    return out


def _label_over_number(rows: list[Row]) -> list[Row]:
    """`Số:` last on its row and the notation first on the next (plain text of a header whose number cell
    broke after its label: `Số:` / `- KH/ĐTN`, a draft's blank Party notation, held out 66): one cell."""
    out: list[Row] = []
    for row in rows:
        last = out[-1].cells[-1] if out and out[-1].cells else None
        first = row.cells[0] if row.cells else None
        if (
            last
            and first
            and _LABEL_ONLY.match(last.key)
            and (first.text[:1] in "/0123456789" or PARTY_NOTATION.match(first.text))
        ):
            label = Cell(f"{last.text} {first.text}", last.start, last.right)
            out[-1] = Row((*out[-1].cells[:-1], label, *row.cells[1:]))
        else:
            out.append(row)
    return out


def _page_width(lines: list[str]) -> int:
    """The page's width in characters, which tells the right column from the left: the longest line's, but
    for a line of one token (a web copy's address), and but for paragraphs a text without wraps runs on
    (pandoc's `--wrap=none`, held out 74): when the widest line is over twice the widest line of two columns,
    that one's."""
    width = max((len(line) for line in lines if " " in line.strip()), default=0) or max(map(len, lines), default=1)
    two_columns = max((len(line) for line in lines if len(_GAP.findall(line)) >= 2), default=0)
    return max(1, two_columns if two_columns and width > 2 * two_columns else width)


def _bracket_blanks(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A count left blank in its brackets (`- Lưu: VT, KTTH (   b).`, held out 71, cp-nq-13-2026) is no column gap:
    the brackets' two sides are one span."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and line[out[-1][1] - 1] == "(" and ")" in line[start : start + 4]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _dedented(lines: list[str]) -> list[str]:
    """The page's lines without an indent they all share when it is wider than what they hold and they still
    hold two columns: a scan of two pages side by side on an A3 sheet, the page read in its right half (held out
    46, anphu-pktht-cv-141: `Nơi nhận:` 103 columns in). A page of the signer's column alone keeps its indent."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return lines
    indent = min(len(line) - len(line.lstrip()) for line in filled)
    content = max(len(line) for line in filled) - indent
    if indent <= content or not any(len(_GAP.findall(line)) >= 2 for line in filled):
        return lines
    return [line[indent:] for line in lines]


_JUSTIFIED_GAP = 4  # spaces: a justified line in a narrow column spreads its words up to this far apart


def _justified(spans: list[tuple[int, int]], width: int) -> list[tuple[int, int]]:
    """The cells' spans of a line, one span for a justified line of a narrow column, whose words stand three
    or four spaces apart (held out 5, thanhhoa-vpdbqh-cv-295: a subject under the number, `việc  quy   đổi
    theo   Nghị   định   số`): three cells or more, on one side of the page, none further apart than that."""
    if (
        len(spans) >= 3
        and all(b[0] - a[1] <= _JUSTIFIED_GAP for a, b in itertools.pairwise(spans))
        and len({start >= RIGHT_FROM * width for start, _ in spans}) == 1
    ):
        return [(spans[0][0], spans[-1][1])]
    return spans


# The Official Gazette's page head (`CÔNG BÁO/Số 302/Ngày 02-06-2026`, `CÔNG BÁO/Số 361 + 362/Ngày …`) and the
# page number on the line next to it belong to the gazette, not to the document it prints.
_GAZETTE_HEAD = re.compile(r"^\s*cong bao\s*/\s*so\s+[\d\s+]+/\s*ngay\s+\d{1,2}\s*-\s*\d{1,2}\s*-\s*\d{4}\s*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


# The rule under the agency's name or the motto, read by OCR with specks in it (`—====E====E`): blanked out,
# so the cells keep their places.
_RULE_TOKEN = re.compile(r"(?<!\S)(?=(?:[^\s=_—–~*-]*[=_—–~*-]){4})(?:[=_—–~*-]+[A-Za-z]?)+(?!\S)")


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _without_gazette_heads(lines: list[str]) -> list[str]:
    heads = {i for i, line in enumerate(lines) if _GAZETTE_HEAD.match(skeleton(line))}
    numbers = {j for i in heads for j in (i - 1, i + 1) if 0 <= j < len(lines) and _PAGE_NUMBER.match(lines[j])}
    return [line for i, line in enumerate(lines) if i not in heads | numbers]


def _table_rows_as_lines(lines: list[str]) -> list[str]:
    """Markdown table rows as plain text: each cell's lines (two spaces or more apart) one after the other,
    the left cell's before the right cell's, as plain text gives the two columns; rows without text go."""
    out: list[str] = []
    for line in lines:
        if not _TABLE_ROW.match(line[: MAX_LINE * 4]) or line.count("|") < 3:
            out.append(line)
            continue
        cells = [c for c in line[: MAX_LINE * 4].strip().strip("|").split("|") if any(ch.isalnum() for ch in c)]
        for cell in cells:
            out.extend(cell_lines(cell))
        if cells:
            out.append("")
    return out


# Markdown an OCR converter writes (Marker, MinerU, docling): a heading's `#` marks, and bold and italic stars
# (`## BỘ TƯ PHÁP CỤC … **TRUNG TÂM ĐĂNG KÝ …**`, `## *Nơi nhận:*`, held out 67). A bold run in capitals after
# capitals not in bold begins a line of its own: the header's lines were joined into the heading, and the
# issuer is the one printed in bold under its superiors.
# A heading's marks OCR read off a printed Markdown page keep the line's indent and may lose their space
# (`#**QUYẾT ĐỊNH**`, held out 77 as scans).
_HEADING_MARKS = re.compile(r"^(\s*)#{1,6}(?:\s+|(?=\*\*))")
# pandoc's Markdown (a Word file converted, held out 66): a backslash escapes a sign (`\***`, `\-\-\-`), and one
# before a line's end breaks it, also when a new wrap ran the next line on after it (held out 73: `VỤ\ QUỐC HỘI\`).
_ESCAPED = re.compile(r"\\(?=[-*_#.!+`()\[\]{}])|\\(?=\s|$)")
# A rule under the header glued to the line after it by text extraction (`----------------Thực hiện Chỉ thị …`,
# held out 66): the rule, then the line.
_RULE_GLUED = re.compile(r"^(\s*[-_=—–]{4,})(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ])")
_BOLD_AFTER = re.compile(r"(?<=\S)\s+(?=\*\*[^*\s][^*]*\*\*)")
# Bold marks left unpaired where a table's cell broke the bold apart (`Nơi nhận:\***`, the escaped star and the bold's
# end; held out 66, ubtvqh-nq-1662-2025): a document's text has no run of stars.
_STRAY_STARS = re.compile(r"\*{2,}")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2}|_{2})(?=[^\s*_])(.{1,300}?)(?<=[^\s*_])\1(?![\w*])")


# PyMuPDF4LLM's notes around a picture's text (`**==> picture [136 x 137] intentionally omitted <==**`,
# `**----- Start of picture text -----**<br>`, held out 71: the signer block drawn as an image), and its `<br>`
# line breaks inside them.
PICTURE_NOTE = re.compile(
    r"\**(?:==> picture \[[^\]]*\] intentionally omitted <==|-+ (?:Start|End) of picture text -+)\**"
)
BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A picture a converter left as a Markdown image (`![Handwritten signature](1f5654…_img.jpg)`, held out 77).
_IMAGE = re.compile(r"!\[[^\]]{0,200}\]\([^)\s]{0,300}\)")


def _markdown_as_plain(lines: list[str]) -> list[str]:
    out: list[str] = []
    lines = [
        piece for line in lines for piece in BREAK.split(_IMAGE.sub("", PICTURE_NOTE.sub("", line[: MAX_LINE * 4])))
    ]
    for line in lines:
        line = _HEADING_MARKS.sub(r"\1", _ESCAPED.sub("", line[: MAX_LINE * 4]))
        if glued := _RULE_GLUED.match(line):
            out.append(glued.group(1))
            line = line[glued.end() :]
        bold = _BOLD_AFTER.search(line)
        pieces = [line]
        if bold and is_upper_text(line[: bold.start()]) and is_upper_text(line[bold.end() :].replace("*", "")):
            pieces = [line[: bold.start()], line[bold.end() :]]
        out.extend(_STRAY_STARS.sub("", _EMPHASIS.sub(r"\2", piece)) for piece in pieces)
    return out


def _one_blank(rows: list[Row]) -> list[Row]:
    """A run of blank rows becomes one: a blank row separates blocks, its length means nothing."""
    out: list[Row] = []
    for row in rows:
        if not (row.blank and (not out or out[-1].blank)):
            out.append(row)
    return out


_WRAPPED_WORDS = 7  # words of a line whose last dash joins it to the next


def _clean_ends(text: str) -> str:
    """OCR specks at a cell's ends off (the seal's ring, the signature: `“PHÓ GIÁM ĐỐC`,
    `Ñ Nguyễn Xuân Phúc`), and table bars; a dash read as `~` is a bullet again."""
    text = text.strip()
    if text[:2] == "~ ":
        text = "- " + text[2:]
    # Specks and stops mixed ahead of the text (`„. „NGHỊ QUYẾT`, a seal's ring over the title) go together.
    stripped = text.strip(_JUNK + " ").lstrip(_JUNK + ":;,. ")
    # A quotation the cell opens and closes keeps its marks (`cuộc thi “Tự hào Việt Nam”`), after another one
    # closed that a line above opened too; a quote opened on one line and closed on another is junk at either
    # end, as the other marks are.
    if text.endswith("”") and "“" in stripped and "”" not in stripped[stripped.rindex("“") :]:
        stripped += "”"  # it closes the cell's last quotation (`ICD-10” và “Hướng dẫn … ICD-10”`, byt-qd-4469)
    if text.startswith("“") and stripped.count("”") > stripped.count("“"):
        stripped = "“" + stripped
    stripped = _quotation_kept(text, stripped)
    text = stripped
    words = text.split(" ")
    while len(words) > 1 and len(words[0]) == 1 and not is_vietnamese_word(words[0]) and words[0] not in "-+•(":
        words.pop(0)
    # A dash ending a long line joins it to the next (`trung tâm giáo dục nghề nghiệp -` / `giáo dục thường
    # xuyên`, held out hcm-sgddt-cv-4728); after a short one (a name, a title) it is a speck.
    while len(words) > 1 and len(words[-1]) == 1 and not words[-1].isalnum():
        if words[-1] in "-–" and len(words) >= _WRAPPED_WORDS:
            break
        before = " ".join(words[:-1])
        if words[-1] == ")" and before.count("(") > before.count(")"):
            break  # it closes a bracket the line opened (`Lưu: VT, KTTH (3 )`, held out 65, vpcp-cv-8424-2014)
        words.pop()
    return " ".join(words).strip()


def _quotation_kept(text: str, stripped: str) -> str:
    """`stripped` with the quotation marks a line of prose opens or closes kept (a subject's `“Vì an toàn giao
    thông Thủ đô năm 2020”` on a line of its own, hanoi-ubnd-kh-157; `“Nâng cấp …` / `… các ứng dụng CNTT”` over
    two, khanhhoa-stttt-cv-1091; held out 37): three words or more, not in capitals, an opening mark glued to a
    word in sentence case, a closing one glued to the last word of a line that opened the quotation or carries
    one on in small letters. A name's or a title's marks stay specks (`Nguyễn Thế Hùng”`, `“PHÓ GIÁM ĐỐC`)."""
    words = stripped.split()
    if len(words) < 3 or is_upper_text(stripped):
        return stripped
    if text.startswith("“") and not stripped.startswith("“") and re.match(r"“[A-ZĐÀ-Ỹ][a-zđà-ỹ]", text):
        stripped = "“" + stripped
    carries_on = stripped[:1].islower() or stripped.count("“") > stripped.count("”")
    if text.endswith("”") and not stripped.endswith("”") and re.search(r"[^\W_]”$", text) and carries_on:
        stripped += "”"
    return stripped


def _without_receipt_tail(text: str) -> str:
    return _RECEIPT_TAIL.sub("", text)


def _without_draft_mark(text: str) -> str:
    """A draft's mark (`Dự thảo 2`, `DỰ THẢO`) out, even glued to the number: `/2024/QĐ-UBNDDự thảo 2`.
    "dự thảo" inside a sentence stays."""
    for m in reversed(list(_DRAFT.finditer(skeleton(text)))):
        alone = m.start() == 0 and m.end() == len(text.rstrip())
        glued = m.start() > 0 and text[m.start() - 1].isupper()
        if text[m.start()] == "D" and (alone or glued):
            text = text[: m.start()] + " " + text[m.end() :]
    return text.strip()


def _merge_draft_blanks(cells: list[Cell]) -> list[Cell]:
    """A draft's blanks split a line into cells: `Số:` and `/TTr-VPCP` (the number left for the
    registry), `Hà Nội, ngày`, `tháng` and `năm 2024` (day and month left blank). One cell each."""
    out: list[Cell] = []
    for cell in cells:
        if out and (
            (_LABEL_ONLY.match(out[-1].key) and (cell.text[:1] in "/0123456789" or PARTY_NOTATION.match(cell.text)))
            or (_DATE_OPEN.search(out[-1].key) and _DATE_REST.match(cell.key))
        ):
            out[-1] = Cell(f"{out[-1].text} {cell.text}", out[-1].start, out[-1].right)
        else:
            out.append(cell)
    return out
