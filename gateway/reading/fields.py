"""Single fields found in one cell: number and notation, place and date, marks, titles, motto."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from gateway.reading.cells import Cell
from gateway.reading.vocab import (
    ABBREVIATIONS,
    ABBREVIATIONS_LOOSE,
    COPY_KINDS,
    MOTTO,
    MOTTO_LOOSE,
    ORGANISATION_MOTTOS,
    SECRECY,
    TITLES,
    URGENCY,
    DocType,
    is_province,
    mend_place,
)
from gateway.reading.words import CODE_CHARS, NOTATION, NUMBER_LABEL, PARTY_NOTATION, is_upper_text, one_letter_off
from gateway.vntext import skeleton

# `ĐĐ` alone between the notation's separators (`TB-ĐĐ`, `ĐĐ+KT`): a unit's code, not a doubled letter
_WHOLE_CODE = re.compile(r"[/+-]ĐĐ(?:[-+/]|$)")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def normalize_number(raw: str) -> str:
    """`05 / QĐ – UBND` → `05/QĐ-UBND`: no spaces, ASCII hyphens, a `1` OCR read as a letter before a code's
    digits, one `Đ` where OCR doubled it (`QĐĐ`, `ĐĐHTĐ`), unless the two are a code of their own (a Phòng Điều
    độ's `505/TB-ĐĐ`, held out 45)."""
    text = "".join(raw.split()).translate(_DASHES).rstrip(".-")
    # OCR's `I` or `l` for a `1` between a code's capitals and its digits (`UBTVQHI5` for `UBTVQH15`)
    text = re.sub(r"(?<=[A-ZĐ])[Il](?=\d)", "1", text)
    # A type code spelt with `Đ` (Phụ lục III: QĐ, NĐ, CĐ, QyĐ) whose stroke OCR lost (held out 5: `46/QD-BCĐCCHC`)
    text = re.sub(r"(?<=/)(Q|N|C|Qy)D(?=-)", r"\1Đ", text)
    return re.sub(r"ĐĐ+", lambda m: m.group() if _WHOLE_CODE.fullmatch(text, m.start() - 1, m.end() + 1) else "Đ", text)


def find_number(cell: Cell, *, bare: bool = False) -> str | None:
    """The number and notation after `Số:` in the cell; with `bare`, also a cell that is only one."""
    key = cell.key
    label = NUMBER_LABEL.search(key)
    # `Số:` / `SỐ:`, or OCR's lower-case `số:` opening the cell; a sentence's "số 28/2018/…" is not it
    if label and (cell.text[label.start()] == "S" or (label.start() == 0 and ":" in key[: label.end()])):
        m = NOTATION.match(cell.text, label.end())
        if m and (m.group("num") or m.group("year") or "-" in m.group("code")):
            return normalize_number(m.group())
        party = party_number(cell.text[label.end() :])
        if party:
            return party
        # The number written by hand and unreadable (`Số: 5Gi/TB-DHTD`): the notation's code is printed,
        # the number is left blank for the letter or the file name to fill.
        code = _CODE_AFTER_NUMBER.match(cell.text, label.end())
        if code:
            return normalize_number("/" + code.group("code"))
    if bare:
        m = NOTATION.fullmatch(cell.text.strip().rstrip("."))
        if m and m.group("num") and "-" in m.group("code").translate(_DASHES):
            return normalize_number(m.group())
    return None


# The inked number read as one or two pieces (`5Gi/TB-DHTD`, `3 3Ø/C04-P6`: held out c04-cv-3980).
_CODE_AFTER_NUMBER = re.compile(
    r"[^\s/]{1,6}(?:\s[^\s/]{1,4})?\s*/\s*(?P<code>[A-ZĐ][" + CODE_CHARS + r"]*(?:\s?[-–]\s?[" + CODE_CHARS + r"]+)+)"
)


def party_number(text: str) -> str | None:
    """A Party or Youth Union notation at the start of `text` (`6129 CV/TWĐTNVP` → `6129-CV/TWĐTNVP`; a
    draft's `   CV/TWĐTNBTC` → `-CV/TWĐTNBTC`), its type a known one; None otherwise."""
    m = PARTY_NOTATION.match(text.strip())
    if not m or not (ABBREVIATIONS.get(m.group("kind")) or ABBREVIATIONS_LOOSE.get(skeleton(m.group("kind")))):
        return None
    return normalize_number(f"{m.group('num') or ''}-{m.group('kind')}/{m.group('code')}")


def number_parts(number: str) -> tuple[str | None, str | None, str]:
    """`12/2020/QĐ-UBND` → ("12", "2020", "QĐ-UBND"); `6129-CV/TWĐTNVP` → ("6129", None, "CV/TWĐTNVP")."""
    m = NOTATION.fullmatch(number)
    if not m:
        party = PARTY_NOTATION.fullmatch(number)
        if party:
            return party.group("num"), None, f"{party.group('kind')}/{party.group('code')}"
        return None, None, number
    year = m.group("year")
    return m.group("num"), year.strip("/ ") if year else None, m.group("code")


def abbreviation_type(number: str | None) -> DocType | None:
    """The type the notation names (`QĐ` in 05/QĐ-UBND); a công văn's notation names its issuer."""
    if not number:
        return None
    first = re.split(r"[-/]", number_parts(number)[2])[0]
    return ABBREVIATIONS.get(first) or ABBREVIATIONS_LOOSE.get(skeleton(first))


# Hà Nội, ngày 05 tháng 01 năm 2020 · Quảng Bình, ngày       tháng     năm 2024
_DATE = re.compile(
    r",?\s*ngay\s*(?P<d>\d{1,2})?\s*[/.-]?\s*(?:thang\s*)?(?P<m>\d{1,2})?\s*[/.-]?\s*(?:nam\s*)?(?P<y>(?:19|20)\d\d)"
)
# The day and month are often written by hand on the printed form: OCR reads them as junk glued to the
# words (`ngày‹t⁄4 tháng4O năm 2025`, `ngày98tháng`), which leaves the place and the year, and no date; the ink
# over `ngày` may make it `ngàp` (held out 41, mytu-ubnd-tb-26-2022).
_DATE_STRICT = re.compile(
    r"nga[yp][\s.…_]*(?:(?P<d>\d\s\d|\d{1,2})(?=[\s.…_]*thang)|(?P<dj>\S{1,6}?))?[\s.…_]*"
    r"thang[\s.…_]*(?:(?P<m>\d\s\d|\d{1,2})(?=[\s.…_]*na[mn])|(?P<mj>\S{1,6}?))?[\s.…_]*"
    r"na[mn]\s*(?P<y>(?:19|20)\d\d)"
)  # `năm` read `nàn` (held out 35, hatinh-ubnd-bc-110); a figure split by a space (`tháng 0 6`, held out 65)


_PLACE_WORDS = 8  # `Thành phố Hồ Chí Minh`, `Phan Rang - Tháp Chàm`: a place of issue is a few words
_NOTATION_IN = re.compile(r"\d+/\d{4}/|\d+/[A-ZĐ]{2,}")


class Dated(NamedTuple):
    place: str | None
    date: date | None  # None when the day or month is blank (a draft) or impossible


def find_date(cell: Cell) -> Dated | None:
    """The place and date of `<place>, ngày … tháng … năm …` in the cell."""
    key = cell.key
    m = _DATE_STRICT.search(key)
    if not m:
        return _place_only(cell)
    # a rule's or a bracket's end glued before the place (`)Hà Nội, ngày …`: pandoc's superscript rule, held out 74)
    place = cell.text[: m.start()].strip(" ,.;:").lstrip(")]}>|_^-–—")
    if place and not (place[0].isupper() or place[0].isdigit()):
        return None
    if len(place.split()) > _PLACE_WORDS or _NOTATION_IN.search(place):
        return None  # a sentence citing a decision of that day (a web page's title over the header, held out 72)
    when = None
    if m.group("d") and m.group("m") and not (m.group("dj") or m.group("mj")):
        try:
            when = date(int(m.group("y")), int(m.group("m").replace(" ", "")), int(m.group("d").replace(" ", "")))
        except ValueError:
            when = None
    return Dated(mend_place(place) if place else None, when)


# `ngày` with the ink glued to it (`Hà Nội, ngàuÊŸtháng 7 năm 2025`, held out 49, tlu-tb-630-2025) opens it too.
# So does `ngày` with ink after it before a spaced `tháng`, and `năm` misread whole before the year (`ngàyÊ tháng 0Lhăm
# 2026`, `ngày tháng 9 rrăm 2025`, held out 63).
_DATE_LOOSE = re.compile(
    r",\s*nga(?:[yp]\b|\S{0,4}\s*(?=thang)).{0,24}?"
    r"(?:na[mn]\s*(?:19|20)\d\d|thang.{0,12}?na[mn]\b|thang.{0,14}?(?:19|20)\d\d)"
)


def _place_only(cell: Cell) -> Dated | None:
    """`Cần Thơ, ngày †lHháng 7 năm 2025`: the day and month handwritten past reading, or the year too (`Hà
    Nội, ngày} tháng⁄#_ năm.#6#2`, held out 13, byt-qd-4750). The place still counts when it is a province's
    (the date is left to the letter, R16)."""
    m = _DATE_LOOSE.search(cell.key)
    if not m:
        return None
    place = mend_place(cell.text[: m.start()].strip(" ,.;:"))
    return Dated(place, None) if is_province(place) else None


def find_short_date(text: str) -> date | None:
    """`ngày 05/01/2020` or `ngày 05 tháng 01 năm 2020` in free text (a letter)."""
    key = skeleton(text)
    for m in _DATE.finditer(key):
        if m.group("d") and m.group("m"):
            try:
                return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
    return None


def _squeezed(cell: Cell) -> str:
    return "".join(c for c in cell.key if c.isalpha())


def mark(cell: Cell) -> tuple[str, str] | None:
    """("urgency"|"secrecy"|"copy", code) when the cell is one of the marks, printed on its own."""
    if not is_upper_text(cell.text):
        return None
    squeezed = _squeezed(cell)
    for table, kind in ((URGENCY, "urgency"), (SECRECY, "secrecy"), (COPY_KINDS, "copy")):
        if squeezed in table:
            return kind, table[squeezed]
    return None


# The marks a stamp turned askew carries, long enough to be told apart with one letter misread; `KHẨN` and
# `MẬT` are not: a short word one letter off is another word.
_STAMPED = {"hoatoc": "HỎA TỐC", "hoatochengio": "HỎA TỐC HẸN GIỜ", "thuongkhan": "THƯỢNG KHẨN"}
_STAMPED |= {"toimat": "TỐI MẬT", "tuyetmat": "TUYỆT MẬT"}
_STAMP_JUNK = " .,;:'\"`‘’“”-_~—"


def stamp_mark(text: str) -> str | None:
    """The urgency or secrecy mark read off a stamp turned askew (`gateway.ocr_marks.read_stamp`), as it
    is printed; None when the stamp is not one. A worn stamp read with one letter wrong (`HỎA TẾC`) is
    still its mark: the line came from a stamp-sized box of ink in the header, turned 8–60°, not from
    the body, where `khẩn trương` or `KHẨN CẤP` are words, not marks (R6, R14)."""
    cleaned = text.strip(_STAMP_JUNK)
    kind = mark(Cell(cleaned, 0)) if cleaned else None
    if kind is not None and kind[0] in ("urgency", "secrecy"):
        return cleaned
    squeezed = "".join(c for c in skeleton(cleaned) if c.isalpha())
    near = [shown for key, shown in _STAMPED.items() if one_letter_off(squeezed, key)]
    return near[0] if len(near) == 1 else None


def is_motto(cell: Cell) -> bool:
    """The national motto, or a piece of it (a line broken in a table cell: `CỘNG` / `HÒA XÃ HỘI …`)."""
    key = " ".join(cell.key.replace("-", " ").split())
    if len(key) < 4:
        return False
    if is_upper_text(cell.text) and key in ORGANISATION_MOTTOS:
        return True
    # spaces aside: OCR moves one between words (`CỘNG HÒA XÃ HỘI CH UNGHIA VIỆT NAM`, quangngai-ubnd-qd-237)
    bare = key.replace(" ", "")
    return any(bare in "".join(phrase.replace("-", " ").split()) for phrase in MOTTO) or bool(
        MOTTO_LOOSE.fullmatch(cell.key)
    )


def title_and_subject(cell: Cell) -> tuple[DocType, str] | None:
    """(type, subject) when a title in capitals has the subject after it on its own line, in sentence case:
    `KẾ HOẠCH Thực hiện công tác dân vận …` (a Markdown heading, a line copied from a web page); or in
    capitals too when it opens with `VỀ` (`THÔNG BÁO VỀ VIỆC XÓA ĐĂNG KÝ`, an OCR converter's heading, held out 67)."""
    words = cell.text.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        head, rest = " ".join(words[:n]), words[n:]
        found = title_type(Cell(head, cell.start)) if is_upper_text(head) else None
        capitals = is_upper_text(" ".join(rest))
        if found and not found[1] and rest[0][:1].isupper() and (not capitals or skeleton(rest[0]) == "ve"):
            return found[0], " ".join(rest)
    return None


_DOUBLED_VOWEL = re.compile(r"([aeiouy])\1")


def _title_with_small_letter(text: str) -> tuple[DocType, str] | None:
    """A title in capitals a vendor's OCR layer read with one letter small and set apart (`THÔNG T ư`, held out
    37, sbv-tt-02-2023): the whole line, spaces aside, is a type's name."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 5 or sum(c.islower() for c in letters) > 1:
        return None
    squeezed = "".join(skeleton(text).split())
    return next(((doc_type, "") for name, doc_type in TITLES if squeezed == name.replace(" ", "")), None)


def title_type(cell: Cell) -> tuple[DocType, str] | None:
    """(type, rest) when the cell is a title in capitals (`QUYẾT ĐỊNH`, `LỊCH CÔNG TÁC TUẦN`)."""
    text = cell.text.strip()
    if not is_upper_text(text):
        return _title_with_small_letter(text)
    key = re.sub(r"^[^\w]+", "", " ".join(skeleton(text).split()))  # a speck before it (`,QUYẾT ĐỊNH`)
    if text.endswith(":"):
        # `QUYẾT ĐỊNH:` / `QUYẾT NGHỊ:` open the articles of a decision's body, no title; another title's
        # colon is a speck read after it (held out 9, haiphong-ubnd-tb-94: `THÔNGBÁO:`)
        if key.replace(" ", "").startswith(("quyetdinh", "quyetnghi")):
            return None
        text, key = text[:-1].rstrip(), key[:-1].rstrip()
    if key.startswith("ouy"):  # a bold serif `Q` read as `O` (`OUYÉT ĐỊNH`, ttg-qd-01-2025)
        key = "q" + key[1:]
    for name, doc_type in TITLES:
        if key == name or key.startswith(name + " "):
            rest = " ".join(text.split()[len(name.split()) :])
            # the issuer after `CỦA` on the title's line (`CHỈ THỊ CỦA UBND TỈNH LÂM ĐỒNG`, held out 18,
            # lamdong-ubnd-ct-24-2003, as the Party's style sets it on the next line)
            if len(rest.split()) <= 4 or skeleton(rest).startswith("cua "):
                return doc_type, rest
    # OCR splits a title's wide-spaced capitals (`QUYẾT ĐỊN H`) and reads a stacked mark as a second vowel
    # (`QUYẾÉT ĐỊNH`, held out 19, bgddt-qd-2628); no type's name doubles a vowel
    squeezed = _DOUBLED_VOWEL.sub(r"\1", key.replace(" ", ""))
    for name, doc_type in TITLES:
        if squeezed == name.replace(" ", ""):
            return doc_type, ""
    return None
