"""Flattened lines: the left and right columns on one line, one space apart, cut back into cells.

Most extractors (and copy-paste) give `UBND TỈNH KHÁNH HÒA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`,
`Số: 05/QĐ-UBND Hà Nội, ngày 05 tháng 01 năm 2020`, `VĂN PHÒNG UBND SAO Y` and, beside the signer block,
`- Như Điều 3; CHỦ TỊCH` or `- Ban Chỉ đạo quốc gia về phòng, chống thiên PHÓ CHỦ TỊCH`. The right-column
parts are known (the motto, the place and date, the form of a copy, the signer block): the line is cut
where one begins, and the piece is marked as in the right column.
"""

from __future__ import annotations

import re

from gateway.reading.cells import Cell
from gateway.reading.vocab import FAMILY_NAMES, MOTTO, MOTTO_LOOSE
from gateway.reading.words import (
    NOTATION,
    NUMBER_LABEL,
    is_person_name,
    is_upper_text,
    looks_like_signer_line,
)
from gateway.vntext import skeleton

_MOTTO = [
    *(re.compile(r"\s*".join(re.escape(w) for w in phrase.split()).replace("\\-", "[-–—]?")) for phrase in MOTTO),
    MOTTO_LOOSE,
]
# `, ngày 05 tháng`, `, ngày 05/…`, and a handwritten day read as specks (`, ngày Jf tháng`)
_DATE_START = re.compile(r",?\s*ngay\s*(?:\d{1,2}\s*|[^\s,]{1,3}\s+(?=thang))?(?:/|thang)")
_TERMINATOR = re.compile(r"[;.]\s+")
_COPY_TAIL = re.compile(r"(?<=\S)\s+(?:sao\s*y(?:\s+ban\s+chinh)?|trich\s+sao|sao\s+luc)$")
# Entries run together on one line with their bullets (`- Như trên; - TTCP, PTTg …; - Lưu: VT`: a web copy's table
# cell or a crawler's page text, held out 65 and 74): a dash after an entry's `;` opens the next, and so does one after
# the purpose note set after its `;` (`- Bộ LĐTB&XH; (để báo cáo) - TT Thành ủy;`, held out 72).
INLINE_BULLET = re.compile(r"(?<=[;)])\s+[-–+•]\s+(?=\S)")
HEADING = re.compile(r"^(?:[nm]oi\s*nh[ae][nm]|ban\s*dien\s*tu)\s*:\s*")  # `Mơi nhận:`, `Noi nhậm:` as OCR reads it
_LEADER_RUN = re.compile(
    r"^(?:pho\s+)?(?:chu\s+tich|giam\s+doc|bo\s+truong|thu\s+truong|thu\s+tuong|chanh\s+van\s+phong"
    r"|cuc\s+truong|vu\s+truong|truong\s+ban|tong\s+cuc\s+truong|chu\s+nhiem)\b"
)
# Common family names: where a signer's name begins when a wrapped entry runs into it.
_SURNAMES = frozenset(skeleton(n) for n in FAMILY_NAMES)
_PLACE_WORDS = frozenset(("phố", "xã", "thị", "trấn", "-", "–"))  # Thành phố Hồ Chí Minh, Phan Rang - Tháp Chàm
_STREET = frozenset(("phố", "đường", "Đường", "Phố", "phường", "Phường", "xã", "Xã", "quận", "Quận", "huyện", "Huyện"))


def split_flattened(cell: Cell) -> list[Cell]:
    """The cell, or the pieces of a flattened line, left to right."""
    key = cell.key
    for pattern in _MOTTO:
        m = pattern.search(key)
        if m and (m.start() > 0 or m.end() < len(key)):
            return _pieces(cell, [(0, m.start(), cell.right), (m.start(), m.end(), True), (m.end(), len(key), None)])
    m = _DATE_START.search(key)
    if m and m.start() > 0:
        place = place_start(cell.text, m.start())
        if 0 < place < m.start():
            return _pieces(cell, [(0, place, cell.right), (place, len(key), True)])
    m = _COPY_TAIL.search(key)
    if m and is_upper_text(cell.text[m.start() :]) and is_upper_text(cell.text[: m.start()]):
        return _pieces(cell, [(0, m.start(), cell.right), (m.start(), len(key), True)])
    if HEADING.match(key) or cell.text[:1] in "-+–•":
        cut = _signer_cut(cell.text, key)
        if cut:
            return _pieces(cell, [(0, cut, cell.right), (cut, len(key), True)])
    return [cell]


def _pieces(cell: Cell, spans: list[tuple[int, int, bool | None]]) -> list[Cell]:
    out = []
    for start, end, right in spans:
        text = cell.text[start:end].strip(" ,")
        if start:  # the gap between the two columns read as a dash or a bar: `- Như trên; — PHÓ CỤC TRƯỞNG`
            text = text.lstrip("—–|~ ")
        if text and any(c.isalnum() for c in text):
            piece = Cell(" ".join(text.split()), cell.start + start, cell.right if right is None else right)
            out.extend(split_flattened(piece))
    return out


def place_start(text: str, date_at: int) -> int:
    """Where the place name before `, ngày …` begins in a flattened line: after the number, or after
    the agency's name in capitals or whatever else is not a place."""
    label = NUMBER_LABEL.match(skeleton(text))
    head = NOTATION.match(text, label.end()) if label else None
    if head and head.end() <= date_at:
        return head.end()
    start = date_at
    for w in reversed(list(re.finditer(r"\S+", text[:date_at]))):
        token = w.group().strip(",").lstrip(")]}>|_^")  # a rule's bracket glued before it (`)Hà Nội`, held out 74)
        if not token:
            break
        capitalised = token[0].isupper() and not (len(token) > 1 and token.isupper() and token != "TP.")
        if not (capitalised or token in _PLACE_WORDS):
            break
        start = w.start()
    return start


# The signer block's note in brackets (`(Đã ký)`, `(ký tên)`, `(Ký, đóng dấu)`): after a recipient's `;` on a
# flattened line it begins the block; a purpose note there is the entry's own (`Sở Nội vụ; Sở GD-ĐT; (để báo
# cáo)`, held out 8, nghixuan-ubnd-kh-54).
_SIGNED_NOTE = re.compile(r"\(\s*(?:da\s*)?ky\b")


def _signer_cut(text: str, key: str) -> int:
    """Where the signer block begins in a flattened recipients line: `- Như Điều 3; CHỦ TỊCH`,
    `Nơi nhận: TM. ỦY BAN NHÂN DÂN`, `- Lưu: VT. (Đã ký)`, and mid-entry when an entry wraps beside the
    block: `- Ban Chỉ đạo quốc gia về phòng, chống thiên PHÓ CHỦ TỊCH` / `tai;`. 0: nowhere."""
    head = HEADING.match(key)
    candidates = [head.end()] if head else []
    candidates += [m.end() for m in _TERMINATOR.finditer(text)]
    for cut in candidates:
        rest = text[cut:].strip()
        if rest and (looks_like_signer_line(rest) or is_person_name(rest) or _SIGNED_NOTE.match(skeleton(rest))):
            return cut
    words = list(re.finditer(r"\S+", text))
    for k, w in enumerate(words[1:-1], start=1):  # a leader's title or a person's name ending the line
        rest = text[w.start() :]
        title = (
            looks_like_signer_line(rest)
            and not looks_like_signer_line(text[: w.start()])
            and _LEADER_RUN.match(skeleton(rest))
        )
        # a street named for a person is no signer (`… Số 82-84, phố Phạm Ngũ` / `Lão, …`, held out 67 printed)
        named = is_person_name(rest) and skeleton(w.group()) in _SURNAMES and words[k - 1].group() not in _STREET
        if title or named or _authority_opens(rest):
            return w.start()
    return 0


# An authority line opening the signer block run on after an entry (`- Thủ tướng Chính phủ KT. BỘ TRƯỞNG THỨ
# TRƯỞNG Nguyễn`, held out 65 as scans: OCR read the closing's first line across both columns).
_AUTHORITY_RUN = re.compile(r"^(?:KT|TM|TL|TUQ)\.\s*[A-ZĐÀ-Ỹ]{2,}\s+[A-ZĐÀ-Ỹ]{2,}")


def _authority_opens(rest: str) -> bool:
    return _AUTHORITY_RUN.match(rest) is not None
