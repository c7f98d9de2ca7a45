"""A page whose lines were run together: a crawler's page text joined with spaces and wrapped anywhere.

A legal-database page's text taken with one space between its parts (held out 74, a thuvienphapluat-style crawl)
reads `CHÍNH PHỦ ------- CỘNG HÒA XÃ HỘI` / `CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- Số:
80/2021/NĐ-CP Hà Nội, ngày 26` / `tháng 8 năm 2021 NGHỊ ĐỊNH QUY` / `ĐỊNH CHI TIẾT … Căn cứ Luật …`, and its
closing `… thi hành Nghị định này. Nơi nhận: - Ban Bí thư …; - Lưu: VT, ĐMDN (2b). TM. CHÍNH PHỦ KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG Lê Minh Khái`. The header's lines are found again where the page shows where one ends: the
number's label, the date's year, the type's title and the body's first words; the closing's where a web copy's
table cell shows them (`gateway.reading.web_cells`). Text whose motto ends its line, and whose `Nơi nhận:` opens
one, is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gateway.reading.cells import Cell
from gateway.reading.fields import title_type
from gateway.reading.flatten import INLINE_BULLET
from gateway.reading.vocab import AUTHORITIES, MOTTO_LOOSE, SIGNER_TITLES
from gateway.reading.web_cells import cell_lines, trailing_name
from gateway.reading.words import NUMBER_LABEL, is_person_name
from gateway.vntext import skeleton

_HEADER_LINES = 12  # the header runs on over this many lines at most
_AFTER_MOTTO = re.compile(r"^[\s\-–—=_*]*(?=\S)")
_LABEL_LAST = re.compile(r"^so\s*:\s*$")  # `… Hạnh phúc --------------- Số:` / `219/2013/TT-BTC …`
_YEAR_END = re.compile(r"nam\s+(?:19|20)\d\d\b")
_BODY = re.compile(r"\s(?=(?:Căn cứ|Kính gửi|Theo đề nghị|Xét đề nghị|Thực hiện)\b)")
_HEADING = r"N[ơo]i nh[ậa]n\s*:"  # the recipients' heading
_CLOSING = re.compile(r"(?<=[.;:])\s+(?=" + _HEADING + ")")
_LIST_START = 300  # characters of the list where its second entry begins when the entries ran together
_SIGNER_AFTER_FILING = re.compile(
    r"(?<=[.)])\s+(?=(?:" + "|".join(re.escape(a) for a in AUTHORITIES) + r")\s*[A-ZĐ]|[A-ZĐ]{2,}\s+[A-ZĐ]{2,})"
)


def unstreamed(lines: list[str]) -> list[str]:
    """The page's lines, its run-together header and closing cut back into lines."""
    lines = [part for line in lines for part in _label_apart(line)]
    return _titles_apart(_unglued([*map(_authority_off_filing, _closing_apart(_header_apart(lines)))]))


# A Word file's text without its line breaks (held out 73, bthuan-ubnd-qd-hdkientruc-2025 and -totacttptqd-2025): the
# number's label glued to the issuer's last word (`ỦY BAN NHÂN DÂNTỈNH BÌNH THUẬNSố:    /QĐ-UBND`), the recipients'
# heading to the body's end (`… thi hành Quyết định này./.Nơi nhận:`).
_GLUED_LABEL = re.compile(r"(?<=[A-ZĐÀ-Ỹ])(?=Số\s*:)|(?<=\./\.)(?=" + _HEADING + ")")


def _label_apart(line: str) -> list[str]:
    """The line, cut where a label was glued on; the label's line keeps its column (and the cells after it theirs)."""
    m = _GLUED_LABEL.search(line)
    return [line[: m.start()], " " * m.start() + line[m.start() :]] if m else [line]


# The filing entry with the signer's authority after it on its line, one space apart (a Word file's `- Lưu: VT,
# NCKS.Hữu⇥TL. CHỦ TỊCH` printed to PDF, the tab a space: held out 64 and 73 as text-layer PDFs and scans).
# A unit's own stop before the signer column a wide gap sets apart (`- Lưu: VT, KT.      PHÓ CHỦ TỊCH`) is no authority.
_AUTHORITY_AFTER_FILING = re.compile(
    r"^(\s*[-–+•]?\s*L[ưu]u\b.*?\S) (?=(?:" + "|".join(re.escape(a) for a in AUTHORITIES) + r") ?[A-ZĐ]{2})"
)


def _authority_off_filing(line: str) -> str:
    """The filing entry, then the authority in the column a tab sets (`layout`), as the Word file had it."""
    m = _AUTHORITY_AFTER_FILING.match(line) if "   " not in line.strip() else None
    return f"{m[1]}\t{line[m.end() :]}" if m else line


# A signer's title glued to the word before it or to the name after it, no space between (a Word corpus's text,
# held out 64 and 73: `- Lưu: VT, NCKS.ChâuCHỦ TỊCH`, `CHỦ TỊCHĐỗ Hữu Huy`): the longest titles first.
_TITLES_BY_LENGTH = sorted(set(SIGNER_TITLES), key=len, reverse=True)


def _unglued(lines: list[str]) -> list[str]:
    """Lines with a title glued to what stands before or after it, the title a line of its own where it stood."""
    out: list[str] = []
    for line in lines:
        body = line.rstrip()
        text = body.lstrip()
        indent = len(body) - len(text)
        before = next(
            (t for t in _TITLES_BY_LENGTH if body.endswith(t) and body[-len(t) - 1 : -len(t)].islower()), None
        ) or _title_after_entry(body)
        after = next((t for t in _TITLES_BY_LENGTH if text.startswith(t) and _opens_name(text[len(t) :])), None)
        if before:  # the title keeps its column
            cut = len(body) - len(before)
            out += [body[:cut], " " * cut + before]
        elif after:
            out += [" " * indent + after, " " * indent + text[len(after) :]]
        else:
            out.append(line)
    return out


def _title_after_entry(body: str) -> str | None:
    """A known title in capitals after an entry's words in small letters, a space apart: the signer column's line
    run onto the list's (a pandoc table printed, its columns a space apart: `- Các ban đảng, đảng ủy trực thuộc TỔNG
    BÍ THƯ`, held out 66, tw-nq-60-2025)."""
    if not _ENTRY_OPENS.match(body) or "   " in body.strip():  # a wide gap: the columns stand apart already
        return None
    title = next((t for t in _TITLES_BY_LENGTH if body.endswith(" " + t) and body[-len(t) - 2].islower()), None)
    # a title's own `Phó` in small letters before the rest in capitals (`Phó GIÁM ĐỐC`) is no entry's word
    return title if title and body[: -len(title) - 1].split()[-1].lower() != "phó" else None


_ENTRY_OPENS = re.compile(r"^\s*[-–+•]\s+\S")


def _opens_name(rest: str) -> bool:
    return rest[:1].isupper() and rest[1:2].islower() and is_person_name(rest)


def _titles_apart(lines: list[str]) -> list[str]:
    """A signer's title and name run together on a line (`HIỆU TRƯỞNG Nguyễn Thanh Giang`, a converter's bold
    line, held out 75): the title, then the name; only a known title, alone or under its authority."""
    out: list[str] = []
    for line in lines:
        words = line.split()
        # one run of words (a line of two cells is the columns' to read), kept where it stands
        titled = 3 <= len(words) <= 12 and words[0].isupper() and "   " not in line.strip()  # titles open in capitals
        name = trailing_name(words) if titled else []
        head = " ".join(words[: len(words) - len(name)])
        if name and (
            head in SIGNER_TITLES or (head.startswith(AUTHORITIES) and head.split(None, 1)[-1] in SIGNER_TITLES)
        ):
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + head, indent + " ".join(name)]
        else:
            out.append(line)
    return out


def _header_apart(lines: list[str]) -> list[str]:
    """A header whose motto goes on into the number on its line (`… Hạnh phúc ----- Số: 80/2021/NĐ-CP …`): its
    lines up to the body's first words joined, then cut at the number, the date's year and the type's title."""
    head = lines[:_HEADER_LINES]
    at = next((i for i, line in enumerate(head) if _motto_runs_on(line)), None)
    if at is None:
        return lines
    end = next((i for i in range(at, len(head)) if _BODY.search(" " + head[i])), len(head) - 1)
    stream = " ".join(" ".join(lines[: end + 1]).split())
    body = _BODY.search(stream)
    header, rest = (stream[: body.start()], stream[body.start() + 1 :]) if body else (stream, "")
    return [*_header_lines(header), *([rest] if rest else []), *lines[end + 1 :]]


def _motto_runs_on(line: str) -> bool:
    key = skeleton(line)
    m = MOTTO_LOOSE.search(key)
    if not m:
        return False
    after = _AFTER_MOTTO.sub("", key[m.end() :])
    return bool(NUMBER_LABEL.match(after) or _LABEL_LAST.match(after))


def _header_lines(header: str) -> list[str]:
    """`CHÍNH PHỦ ------- CỘNG HÒA … Hạnh phúc ---- Số: 80/2021/NĐ-CP Hà Nội, ngày 26 tháng 8 năm 2021 NGHỊ ĐỊNH
    QUY ĐỊNH CHI TIẾT …` → the issuer and the motto (one line, as a flattened line is), the number and the date,
    the title, the subject."""
    key = skeleton(header)
    label = NUMBER_LABEL.search(key)
    if not label:
        return [header]
    year = _YEAR_END.search(key, label.end())
    if not year:
        return [header[: label.start()], header[label.start() :]]
    out = [header[: label.start()].strip(), header[label.start() : year.end()].strip()]
    rest = header[year.end() :].split()
    for n in range(min(3, len(rest)), 0, -1):
        found = title_type(Cell(" ".join(rest[:n]), 0))
        if found and not found[1]:
            out += [" ".join(rest[:n]), " ".join(rest[n:])]
            break
    else:
        out.append(" ".join(rest))
    return [line for line in out if line]


def _closing_apart(lines: list[str]) -> list[str]:
    """`… thi hành Nghị định này. Nơi nhận: - Ban Bí thư …; - Lưu: VT (2b). TM. CHÍNH PHỦ …`: from `Nơi nhận:`
    on, the lines joined and cut as a web copy's table cells are."""
    at = next((i for i, line in enumerate(lines) if _CLOSING.search(line)), None)
    if at is None:
        return _signer_after_list([*_list_lines_apart(lines)])
    before, heading = _CLOSING.split(lines[at], maxsplit=1)
    # a seal's or a signature's specks OCR read under the block (`NA /`) are no part of it
    stream = " ".join(" ".join([heading, *(line for line in lines[at + 1 :] if not _specks(line))]).split())
    if not INLINE_BULLET.search(stream[:_LIST_START]):
        return lines  # a list set out line by line: the flattened columns' reading (`gateway.reading.flatten`)
    filing = re.search(r"L[ưu]u\s*:?\s*V", stream)
    signer = _SIGNER_AFTER_FILING.search(stream, filing.end()) if filing else None
    listed, block = (stream[: signer.start()], stream[signer.end() :]) if signer else (stream, "")
    return [*lines[:at], before, *cell_lines(listed), *(cell_lines(block) if block else [])]


def _specks(line: str) -> bool:
    return sum(c.isalpha() for c in line) <= 3


def _list_lines_apart(lines: list[str]) -> Iterator[str]:
    """A line opening with `Nơi nhận:` that runs its entries on with their bullets (`Nơi nhận: - Ban Bí thư …; - Thủ
    tướng …; …`, held out 74, cp-nd-14-2018, 19 entries on one line): the heading and each entry a line, before a
    line's length is cut to its bound."""
    for line in lines:
        # one run of words: a line with a wide gap holds the signer column beside the entries
        if _HEADING_OPENS.match(line) and len(INLINE_BULLET.findall(line)) >= 2 and "   " not in line.strip():
            yield from cell_lines(line)
        else:
            yield line


_HEADING_OPENS = re.compile(r"^\s*" + _HEADING)
_TAIL_LINES = 25  # lines at the page's foot where a run-on list is looked for when its heading is lost


def _signer_after_list(lines: list[str]) -> list[str]:
    """A run-on list whose `Nơi nhận:` was lost (a scan's seal or specks over it, held out 74): the signer block run
    on after the filing entry (`… - Lưu: VT, KGVX (2b). TM. CHÍNH PHỦ KT. THỦ TƯỚNG …`) is cut into its lines all
    the same; the entries stay as they are, with no heading to say they are the recipients."""
    start = max(0, len(lines) - _TAIL_LINES)
    at = next((i for i in range(start, len(lines)) if INLINE_BULLET.search(lines[i])), None)
    if at is None:
        return lines
    stream = " ".join(" ".join(lines[at:]).split())
    filing = re.search(r"L[ưu]u\s*:?\s*V", stream)
    signer = _SIGNER_AFTER_FILING.search(stream, filing.end()) if filing else None
    if signer is None:
        return lines
    return [*lines[:at], stream[: signer.start()], *cell_lines(stream[signer.end() :])]
