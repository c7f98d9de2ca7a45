"""The last page's closing: the signer block and the recipient lists (R12).

Nghị định 30/2020 Phụ lục I: "Nơi nhận:" and its entries on the left (paper recipients), an optional
"Bản điện tử:" list below them (electronic recipients, R12; BG Đ6), and on the right the signer block:
authority lines (TM. / KT. / TL. / TUQ. / Q.), the signer's title, the signature and seal, the name.
Text extraction puts the two side by side on the same lines (`- Như Điều 3;      CHỦ TỊCH`), or one after
the other; both read the same here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from gateway.reading.cells import Cell, Row
from gateway.reading.fields import find_date, mark
from gateway.reading.flatten import INLINE_BULLET
from gateway.reading.lexicon import key, lexicon
from gateway.reading.vocab import (
    FAMILY_NAMES,
    OPENS_ORGAN,
    SIGNER_TITLES,
    canonical_title,
    squashed_key,
)
from gateway.reading.words import (
    FAMILY_OR_RARE,
    any_family_by_letters,
    authority_prefix,
    family_by_letters,
    is_person_name,
    is_upper_text,
    is_vietnamese_syllable,
    looks_like_signer_line,
    mend_cut_name,
    one_letter_off,
    person_name,
)
from gateway.vntext import skeleton

_PAPER = re.compile(r"^noi\s*nhan\s*[:;]?\s*")  # its colon printed or read as `;` (hanoi-bqldavhxh-ttr-88)
# OCR's readings of the heading, `Mơi nhận:`, `Wơi nhận:` (N read as M or W, held out 14, khanhhoa-ubnd-qd-21-2023),
# `Noi nhậm:` (n read as m), `Ảơi nhận:` (N read as another capital, held out 29, quangninh-ubnd-qd-2545-2015), `Nơi
# nhật:`, `@ơi nhận:` (N read as a sign, held out 43, krongno-ubnd-tb-217), `Nơi nàng` (its h lost, held out 43,
# daknong-hdnd-ttr-04): with their colon only, a speck or two read for it (`Nơi nhật j2`, held out 30,
# tayninh-ubnd-qd-308), or nothing after them
_PAPER_MISREAD = re.compile(r"^(?:[^\W\d_]|[^\w\s])?oi\s*n(?:h[ae][nmt]|ang)(?:\s*:\s*|\s+[^\W\d_]?\d?$|$)")
_ELECTRONIC = re.compile(r"^(?:gui\s*)?ban\s*dien\s*tu\s*:?\s*")  # `Gửi bản điện tử:` (held out 32, backan-ubnd-qd-176)
_BULLET = re.compile(r"^[-+–—•*·_~][-+–—•*·_~\s]*")  # OCR reads a dash as `_`, `~`, `--`, `-_`
_FILED = re.compile(r"^Lưu\b")
# After the filing entry's last abbreviation, the typist's initials and the copies count, in lower case
# (`Lưu: VT, CN (2). Ha`, `Lưu: VT, CN. pvc`, `Lưu: VT, V.I(3b).sop`), the copies typed or inked after them
# (`Lưu: VT, KH. Tiên85`, `Lưu: VT, NN (2). Tuynh 19`), or a name in brackets (`Lưu: VT, TCCC.(Ngan)`,
# `Lưu: VT, KGVX(Ngoc).`): not part of the entry. Capitals in brackets (`C04 (P6)`) are a desk's and stay, and so
# does a count's letter after its stop (`Lưu: VT, KGVX (2.b)`, held out 65, ttg-qd-773-2018). The name's count in
# brackets goes with it (`Lưu: VT, NC.Châu(04b)`, held out 73, lamdong-ubnd-cv-bng60-2026).
_TYPIST = re.compile(
    r"(?<=[.)])(?<!\(\d\.)(?<!\(\d\d\.)\s*(?:[a-zà-ỹ].*|[A-ZĐ][a-zà-ỹ]{1,4}\d{0,3}(?:\s+\S{1,3}|\s*\(\d{1,3}b?\))?)$"
)
# A name in brackets (`(Ngan)`, `( Hằng)`, `(M.Cường)`), or its bracket OCR left open (`(ng`, `(w`).
# (`(b)` alone is a count of copies left blank, no name: `Lưu: VT, ĐMDN (b)`)
_BRACKETED = re.compile(r"\s*\(\s*(?!b\s*\))((?:[^\W\d_]\.)?[^\W\d_]{1,7})\s*(?:\)\W*)?$")
# A drafter's initials in brackets, spaced after the last unit: one or two capitals (`Lưu: VT, HSSV (ĐĐ)`, `TCCB
# (PL)`, `KGVX (S)`: held out 25, daknong-ubnd-cv-3206), or
# small letters whatever follows them (`NNMT (đ_5b)`); or three capitals glued to the last unit, a person's three
# initials (`Lưu: VT, KT(NNT)`, `TTPVHCC(HVT)`: Lạng Sơn's committee, held out 31 and 42). A desk's own code has a
# digit (`C04 (P6)`), or another length (`TP(H)`, `SNV(TCBC)`).
_INITIALS = re.compile(r"\s+\((?:[A-ZĐ]{1,2}|(?!b\))[a-zđ][^()\s]{0,5})\)\W*$|(?<=[A-ZĐ])\([A-ZĐ]{3}\)\W*$")
# The copies count closes the filing entry: what follows it is the typist's initials whatever their case,
# or OCR's reading of them (`Lưu: VT, CN (2). HH`, `Lưu: VT, CN (2) 1rs +`, `Lưu: Văn thư, KGVX (03), 45`), glued to
# the count's stop (`KTTH (3b).¿4o`, `TCCV (2).,KN 05`: held out 8).
_AFTER_COUNT = re.compile(
    r"(?:(?<=\(\d\))|(?<=\(\d\d\))|(?<=\(\db\))|(?<=\(\d\db\)))(?:[.,]?\s+|[.,]+)\S{1,4}(?:\s+\S{1,2})?$"
)
# The first entry read with a colon for its `;` or `.`, or its two words run together (`Nhưtrên`).
_AS_ABOVE = re.compile(r"^Như\s*trên\s*:?$")
# The first entry of a decision's list, `Như Điều 3`, read with its `Đ` as `D` or its marks lost (`Như Diều 3`,
# `Như Diêu 3`; held out 16, bgddt-qd-2827) or its `;` as a letter glued to the number (`Như Điều 3y`,
# bgddt-qd-2750): the formula as written (Nghị định 30/2020 Phụ lục III).
_AS_ARTICLE = re.compile(r"^Như\s+[DĐ]i[eêềếểễệ]u\s+(\d{1,2})[a-zđ]?$")
# The filing entry's first unit is the registry's, `VT` (Văn thư); OCR reads its `T` as `I` (`Lưu: VI, VP`).
_CLERK_MISREAD = re.compile(r"^(Lưu\s*:?\s*)VI\b")
# The comma after `VT` read as a small letter glued to it (`Lưu VTj CTCT & QLSV`, held out 61, nuce-tb-424-letter).
_CLERK_COMMA = re.compile(r"^(Lưu\s*:?\s*VT)[a-z](?=\s+[A-ZĐ])")
# `để` before a purpose, its mark misread (`(đề p/h)`, `(đẻ p/h)`, `(đê phôi hợp)`); `(đề nghị …)` is not one.
_FOR = re.compile(r"(\()đ[eêềếễệẻẹèéẽ]\s+(\S+(?:\s+\S+)?)")
# On an OCR'd page also with its `đ` read as `d`, and after another note in the same brackets (`(VBĐT, dễ biết)`,
# held out 26, khanhhoa-stttt-cv-1091); a text layer's own spelling stays (`(dé b/c)`, typed so in tct-cv-4222).
_FOR_READ = re.compile(r"(\(|, )[đd][eêềếểễệẻẹèéẽ]\s+(\S+(?:\s+\S+)?)")
_PURPOSE_WORDS = frozenset(
    ("bao cao", "phoi hop", "thuc hien", "theo doi", "chi dao", "thong bao", "kiem tra", "dua tin", "tong hop")
)
_NOTE = re.compile(r"^\(.*\)$|^(?:da\s*ky|ky\s*ten)")
# The purpose noted after a recipient, in its usual abbreviations (`(để b/c)` báo cáo, `(để t/h)` thực hiện,
# `(để t/b)` thông báo, `(để p/h)` phối hợp, `(để c/đ)` chỉ đạo, `(để t/d)` theo dõi): OCR loses the slash
# (`(để th)`) or reads the `c` as a sign (`(để b/€)`, `(để b/©)`).
_PURPOSES = frozenset(("b/c", "t/h", "t/b", "p/h", "c/đ", "t/d"))
_PURPOSE = re.compile(r"\(để ([a-zđ])\s?/?\s?([a-zđ€©])\)")
_READ_AS_C = str.maketrans({"€": "c", "©": "c"})
# A purpose note whose second letter OCR lost (`(B/)`, held out 6: ductho-pvhtt-cv-18), mended when one
# abbreviation alone starts with its first (`b/c`, `p/h`, `c/đ`; `t/…` are three).
_PURPOSE_CUT = re.compile(r"\((để )?([a-zđA-ZĐ])/\)")
# A purpose note whose `c` OCR read as a sign in italics (`(B/€)`, `(/€)` with the `b` lost, `(7/€)`, held out
# 55 and 58): `b/c` is the one abbreviation that ends in `c`.
_PURPOSE_C = re.compile(r"\((để )?([^\W_]?)/[€©]\)")
# A purpose note's abbreviation whose slash OCR lost (`(để thiện)`, held out bca-cv-4552): the ones written
# with the word's first letter or two, a slash, and the rest (`t/hiện`: thực hiện; `b/cáo`; `ph/hợp`).
_SLASH_LOST = {"thiện": "t/hiện", "thhiện": "th/hiện", "bcáo": "b/cáo", "phhợp": "ph/hợp", "phợp": "p/hợp"}
# `Đ/c` (đồng chí) before an office whose `/c` OCR lost (`Đ Bộ trưởng`, held out bca-cv-5240), read its slash
# as a thin letter (`Đíc Bí thư Thành ủy`, held out 20, hanoi-tu-tb-2788) or its `c` as `e` (`Đ/e Giám đốc`), and
# a speck a seal left after an entry's own `;` on its line (`(để b/cáo); Ẵ`).
_COMRADE_CUT = re.compile(r"^Đ(?:\s|[íìil1|]c\s|/e\s)(?=[A-ZĐ\u00C0-\u00DD\u1EA0-\u1EF8][^\W\d_]*\s)")
# An entry's first word read in capitals before a name in sentence case (`SỞ Tài chính`, held out 21,
# hanoi-dongda-qd-2363): a word with marks is no abbreviation (those have none but `Đ`), so it is `Sở`.
_SHOUTED_FIRST = re.compile(r"^[A-ZĐ\u00C0-\u1EF8]{2,}(?= [A-ZĐ\u00C0-\u1EF8][a-zđ\u00E0-\u1EF9])")


def _marked_word(word: str) -> bool:
    return is_vietnamese_syllable(word) and skeleton(word).upper() != word.replace("Đ", "D")


_SPECK_AFTER = re.compile(r";\s*[^\w\s]*\w?[^\w\s]*$")
_PURPOSE_SLASH = re.compile(r"\(để (" + "|".join(_SLASH_LOST) + r")\)")
# A purpose abbreviation whose slash OCR read as a thin letter (`(píh)` for `(p/h)`, held out 10,
# laichau-ubnd-qd-1629) or lost (`Như Điều 4 (th)`, held out 29, quangninh-ubnd-qd-2545-2015), with its `để` or
# without.
_SLASH_AS_LETTER = re.compile(r"\((để )?([a-zđ])[íìil1|]?([a-zđ])\)")
# The authority at the head of the signer column's first line as OCR reads it when the seal's ring crosses
# it: a speck or two, or a lone letter, before it and its period read as a comma (`=a-KT,   THỦ TƯỚNG`, `c KT. THỦ
# TƯỚNG`); the code in capitals.
_AUTHORITY_UNDER_SEAL = re.compile(r"^(?:[^\w\s]*\w?[^\w\s]+|[^\W\d_])\s*(TM|KT|TL|TUQ|Q)\s*[.,“”]")
# A filing entry's last abbreviation is followed by what a seal or a signature left beside it: a lone digit
# or a lone sign (not a dash or `&` joining an abbreviation's parts: `TC – HC`, `CTCT&QLSV`).
_FILED_JUNK = re.compile(r"^(?:\d|[^\w\s\-–—&/(),;.]+)$")


@dataclass(frozen=True)
class Closing:
    signer_name: str | None = None
    signer_title: str | None = None
    signing_authority: str | None = None
    recipients_paper: tuple[str, ...] = ()
    recipients_electronic: tuple[str, ...] = ()
    # `KT. <head>` or `TM. <body>` read and no title under it: the title it implies (`_implied_title`), for a
    # scan whose seal took the title whole (`gateway.reading`)
    implied_title: str | None = None


_OWN_NOTE = re.compile(r"^\([^()]+\)[;.]?$")
_MARGIN = 6  # columns left of the recipients' heading where no entry begins
_LETTER = re.compile(r"[^\W\d_]")
_WORDED = re.compile(r"[^\W\d_]{2}|\d")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
# `Kiêm` alone on its line between two titles, the signature's or a seal's specks beside it (`Kiêm -`, `. Kiếm`)
_CONCURRENTLY = re.compile(r"^\W{0,3}kiem\W{0,3}$")


_NAME_ROWS_UP = 3  # rows above the recipients' heading where a signer's name may stand, the seal's ink between


def _name_above_heading(rows: Sequence[Row]) -> str | None:
    """The name on the nearest of the rows right above the recipients' heading, the rightmost of two (a joint
    document's heads side by side, their titles lost in the seals: held out 16, angiang-ldld-ctph-154), where no
    signer block was found above the heading for the seal's ink between its lines."""
    for row in reversed(rows[-_NAME_ROWS_UP:]):
        names = [found for cell in row.cells if (found := person_name(cell.text))]
        if names:
            return names[-1]
    return None


def _beside_another_signer(cell: Cell, row: Row) -> bool:
    """Whether a signer line of a joint document has another signer's to its right (held out 23,
    hanoi-sgddt-dptth-bc-2489: `TỔNG GIÁM ĐỐC` of the broadcaster left, `GIÁM ĐỐC` of the Sở right): the two
    heads sign side by side, and the register takes the one on the right, as the set's joint documents do."""
    lines = [c for c in row.cells if len(_LETTER.findall(c.text)) >= 4 and _signer_line(c.text)]
    return len(lines) >= 2 and cell in lines[:-1]


def _signer_line(text: str) -> bool:
    """A name, or a line mostly in capitals (a title with a speck or a small letter OCR made of it)."""
    letters = _LETTER.findall(text)
    return is_person_name(text) or 3 * sum(c.isupper() for c in letters) >= 2 * len(letters)


# The filing entry's start with the registry's unit (`Lưu VT`, `Lưu: Văn thư`; OCR's `VI`), not a name's word
# carried on (`Trung tâm` / `Lưu trữ lịch sử tỉnh`).
_FILED_CLERK = re.compile(r"luu\s*:?\s*(?:vt|vi|van thu)\b", re.IGNORECASE)


def _filed(entry: str) -> bool:
    """The archive entry (`Lưu: VT, PC.`, OCR's `Luu: VT`)."""
    return skeleton(entry.strip()).startswith("luu")


def _signs(text: str) -> bool:
    """An authority line, a known title or a person's name: a signer block's line."""
    return authority_prefix(text) is not None or canonical_title(text) is not None or is_person_name(text)


def _signer_goes_on(text: str) -> bool:
    return not _BULLET.match(text) and _signs(text)


def _name_like(text: str) -> bool:
    """A person's name, its first capital lost to the seal or the signature over it (`oàng Văn Thức`, held out 80,
    hvm-qd-1067-2024): under the filing entry it is the signer's, no unit's."""
    text = text.strip()
    return is_person_name(text) or (
        text[:1].islower() and len(text.split()) >= 3 and is_person_name(text[:1].upper() + text[1:])
    )


def _files_last(entry: str) -> bool:
    """The entry is the filing entry, or a line of entries run together whose last is (`… Trung tâm Hành chính công
    tỉnh;Lưu: VT, NCKS`, a Word copy without its tabs, held out 64)."""
    return _filed(entry) or _filed(_BULLET.sub("", _FILING_RUN_ON.split(_ENTRY_END.split(entry)[-1])[-1]))


def _heading(cell: Cell) -> tuple[str, str] | None:
    """("paper"|"electronic", text after the heading) for a `Nơi nhận:` / `Bản điện tử:` cell."""
    # a speck OCR read as a small letter, a sign or a digit glued before the heading's capital (`ắNơi nhân:`,
    # daklak-cbioc-gm-01; `@Wơi nhận:`), or a bullet's before it (`-_ Nơi nhận:`, held out 7, bacgiang-hddg-ttr-10)
    speck = not (cell.text[:1].isupper() or cell.text[:1].isspace())  # `ắ`, `@`, `4` (held out 16, bgddt-qd-2827)
    lead = 1 if speck and cell.text[1:2] in ("N", "M", "W") else 0
    if (bullet := _BULLET.match(cell.text)) and skeleton(cell.text[bullet.end() :]).startswith(("noi", "moi")):
        lead = bullet.end()
    key = cell.key[lead:]
    for pattern, kind in ((_PAPER, "paper"), (_PAPER_MISREAD, "paper"), (_ELECTRONIC, "electronic")):
        m = pattern.match(key)
        if m and (":" in key[: m.end()] or ";" in key[: m.end()] or m.end() == len(key)):
            return kind, cell.text[lead + m.end() :].strip()
    return None


def read_closing(rows: Sequence[Row], columns: bool, issuer: str | None = None) -> Closing:
    """Signer and recipients from the rows of a last page (the original's part, without a copy block).

    Walks the rows from the closing's first: headings switch the recipient list, bullets open
    entries, lines without one carry an open entry on; what is not a recipient is the signer block. A
    title OCR misread is mended to the issuer's head's (`_head_of`) when it spells nearly that."""
    closing = _read_closing(rows, columns, issuer)
    title = closing.signer_title
    if title and (known := canonical_title(title)) and known != title and skeleton(known) == skeleton(title):
        # a title made of the authority line's words as read (`KT. GIÁM ĐÓC` → `PHÓ GIÁM ĐÓC`, held out 17,
        # danang-sgddt-cv-1595), its marks as the known title has them
        return replace(closing, signer_title=known)
    if issuer and title and canonical_title(title) is None and (head := _head_of(issuer)):
        letters = _letters(title).replace(" ", "")
        for known in (head, f"PHÓ {head}"):
            if difflib.SequenceMatcher(None, letters, _letters(known).replace(" ", "")).ratio() >= _HEAD_LIKE:
                return replace(closing, signer_title=known)
    return closing


# How alike a misread title's letters must be to the issuer's head's (`THIỆN TRƯỞNG` is 0.86 of `HIỆU
# TRƯỞNG`; `GIÁM ĐỐC` and `TRƯỞNG PHÒNG` are 0.11 apart).
_HEAD_LIKE = 0.75
# The issuing body, by the start of its name, and the title of its head (Nghị định 30/2020 Phụ lục I).
_HEADS = (
    ("thu tuong", "THỦ TƯỚNG"),
    ("chinh phu", "THỦ TƯỚNG"),
    ("bo ", "BỘ TRƯỞNG"),
    ("uy ban nhan dan", "CHỦ TỊCH"),
    ("hoi dong nhan dan", "CHỦ TỊCH"),
    ("truong ", "HIỆU TRƯỞNG"),
    ("so ", "GIÁM ĐỐC"),
    ("tong cuc", "TỔNG CỤC TRƯỞNG"),
    ("cuc ", "CỤC TRƯỞNG"),
    ("vu ", "VỤ TRƯỞNG"),
    ("vien ", "VIỆN TRƯỞNG"),
    # a Party's or the Youth Union's standing or executive committee (`TM. BAN THƯỜNG VỤ`), headed by its secretary
    # (held out 23, hanoi-dtnkcq-cv-09)
    ("ban thuong vu", "BÍ THƯ"),
    ("ban chap hanh", "BÍ THƯ"),
    ("ban ", "TRƯỞNG BAN"),
)


# An entry of three words or more closed by a colon: a recipient, not a heading over sub-entries (`Văn phòng:`,
# `VPCP:`), whose colon is the list's `;` (Nghị định 30/2020 Phụ lục I) printed or read as `:` (`- UBND xã,
# phường:`, `- Như thành phần:`, held out 21, 22).
_SEPARATED_BY_COLON = re.compile(r"^(?:\S+\s+){2,}\S+:\s*$")


def _head_under_seal(cells: list[Cell], head: str) -> tuple[str | None, str | None]:
    """(title, authority) where the signer column's first lines gave no title and no authority line: a line
    that spells more than half of the issuer's head's title (ttg-cd-34: `⁄<4 PHỦ đƯỚN` under the seal, for
    `THỦ TƯỚNG`) is the head's, who signs himself; two such lines one under the other are `KT. <head>` and
    the deputy's title (held out 10, ttg-qd-1360-2025: `“*S JHỦ TƯỚNG` / `2 RNU TƯỞNG`)."""
    alike = [_like_head(cell, head) for cell in cells[:2]]
    if len(alike) == 2 and all(alike) and (deputy := _deputy_title(head)):
        return deputy, "KT."
    return (head, None) if any(alike) else (None, None)


_T_STOP = re.compile(r"^\W*T\s*[.,]\s*(?=\S)")


def _k_lost(cells: list[Cell], head: str) -> bool:
    """Whether the signer column opens with `T.` before the head's title and a line like the head's title
    follows (`T. GIÁM ĐÓC` / `5> Sở` / `LAÁM ĐỌC`, held out 26, khanhhoa-stttt-cv-1091): `KT.` whose `K` the seal
    took, the deputy's title under it; `TL.` is followed by another title (`CHÁNH VĂN PHÒNG`), no head's."""
    first = _T_STOP.match(cells[0].text) if cells else None
    if first is None or _head_ratio(cells[0].text[first.end() :], head) < _HEAD_UNDER_SEAL:
        return False
    return any(_like_head(cell, head) for cell in cells[1:])


def _both_like_head(cells: list[Cell], head: str) -> bool:
    """The signer column's first two lines both like the head's title, whatever a title read in the first
    (`ZEGÀS, THỦ TƯỚNG` / `⁄ .=— 3>THỦ TƯỚNG`, ttg-qd-1053-2024: `KT. THỦ TƯỚNG` / `PHÓ THỦ TƯỚNG` under the seal)."""
    return len(cells) == 2 and all(_like_head(cell, head) for cell in cells)


def _seal_names(cells: list[Cell], issuer: str) -> bool:
    """Whether the lines read under the title spell the issuer's name, as the seal over them prints it
    (`-/ TRƯỜNG À` / `ĐẠI HỌC, ⁄C` / `ÁN GIANG`, held out 20, angiang-dhag-qd-2442): `TRƯỜNG` is then the
    seal's, not a deputy's title like the head's `HIỆU TRƯỞNG`."""
    name = _letters(issuer).replace(" ", "")
    read = _letters(" ".join(c.text for c in cells)).replace(" ", "")
    found = sum(b.size for b in difflib.SequenceMatcher(None, name, read, autojunk=False).get_matching_blocks())
    return len(name) >= 8 and found >= _SEAL_SPELLS * len(name)


_SEAL_SPELLS = 0.8

_NO_TITLE_NEAR_HEAD = 0.5  # `TIỀN ƠNG` is 0.53 of `THỦ TƯỚNG`: read as no title at all, it is the head's


def _near_head(text: str, head: str) -> bool:
    return text.isupper() and _head_ratio(text, head) >= _NO_TITLE_NEAR_HEAD


def _head_ratio(text: str, head: str) -> float:
    """How much of the head's title a line's letters spell (difflib's ratio, spaces and marks aside)."""
    letters = _letters(text).replace(" ", "")
    return difflib.SequenceMatcher(None, letters, _letters(head).replace(" ", "")).ratio()


_HEAD_UNDER_SEAL = 0.6  # `PHỦ ĐƯỚN` is 0.67 of `THỦ TƯỚNG`; `TIỀN ƠNG` 0.53


def _like_head(cell: Cell, head: str) -> bool:
    """Whether a signer line in capitals spells more than half of the head's title (`_HEAD_UNDER_SEAL`)."""
    capitals = [c.isupper() for c in cell.text if c.isalpha()]
    if 3 * sum(capitals) < 2 * len(capitals):  # a title is in capitals; small letters are a body's or a name's
        return False
    return _head_ratio(cell.text, head) >= _HEAD_UNDER_SEAL


def _head_of(issuer: str) -> str | None:
    key = " ".join(skeleton(issuer).lower().split())
    return next((head for start, head in _HEADS if key.startswith(start)), None)


def _read_closing(rows: Sequence[Row], columns: bool, issuer: str | None) -> Closing:
    start = _zone_start(rows, columns)
    if start is None:
        return _bottom_up(rows, issuer)
    entries: list[list[str]] = []  # [kind, text]
    signer: list[Cell] = []
    signer_rows: list[int] = []  # the row of each of the signer's cells
    kind: str | None = None
    signing = False  # plain text: the signer block began after the list (`TM. …`); notes under it are its own
    bulleted = False  # entries open with bullets: a line without one carries an entry on, whatever its `;`
    filed = False  # the `Lưu: …` entry, the list's last (Nghị định 30/2020 Phụ lục I), ended by a blank line
    margin: int | None = None  # the column left of which a seal's ink at the page's edge stands (`TẠN`, `VN`)
    joint = False  # two heads sign side by side (a joint document): the right one's block is read
    heading_at = 0
    for i, row in enumerate(rows[start:]):
        if not row.cells and entries and _files_last(entries[-1][1]):
            filed = True
        for cell in row.cells:
            heading = _heading(cell)
            if heading:
                margin = cell.start - _MARGIN if columns else None
            if margin is not None and cell.start < margin and len(_LETTER.findall(cell.text)) <= 4:
                # held out 20, hanoi-bchpctt-bc-107: the seal stamped across the page's left edge; the filing entry
                # with its bullet is the list's, the heading set in further (`-Lưu.`, held out 37,
                # vinhlong-dukcq-qcdc-kh-02-2006)
                if not (_BULLET.match(cell.text) and _filed(_BULLET.sub("", cell.text))):
                    continue
            if heading:
                kind, rest = heading
                heading_at = i
                if _WORDED.search(rest):  # the seal's specks beside the heading are no entry (`Nơi nhận: Â-`)
                    entries.append([kind, _BULLET.sub("", rest)])
                continue
            if kind is None:
                beside = _beside_another_signer(cell, row)
                joint = joint or beside
                if (cell.right or not columns or i == 0) and not beside:
                    signer.append(cell)
                    signer_rows.append(i)
                continue
            left = not cell.right if columns else None
            after_filing = bool(entries) and _files_last(entries[-1][1]) and not _BULLET.match(cell.text)
            if after_filing and (_signs(cell.text) or _name_like(cell.text)):
                # `Lưu: …` closes the list (Phụ lục I): an authority or a title on the lines under it is the
                # signer's, set in the left column or not (a Word file's text: `- Lưu: VT, NCKS⇥TL. CHỦ TỊCH` /
                # `CHÁNH VĂN PHÒNG`, held out 64)
                filed = True
            if filed and not _BULLET.match(cell.text):  # after the list: the seal's specks, the signer block
                signer.append(cell)
                signer_rows.append(i)
                continue
            if not entries and signer_rows and signer_rows[-1] >= heading_at and _signer_goes_on(cell.text):
                # the signer block begun beside the heading goes on under it, in the left column, before the
                # first entry (a Word file's text without its tabs: `Nơi nhận:⇥TL. CHỦ TỊCH` / `KT. CHÁNH VĂN
                # PHÒNG` / `PHÓ CHÁNH VĂN PHÒNG` / `Nguyễn Đức Hải Tùng` / `- Như trên;`, held out 64)
                signer.append(cell)
                signer_rows.append(i)
                continue
            if _BULLET.match(cell.text) and left is not False:
                if entries and _SEPARATED_BY_COLON.search(entries[-1][1]) and cell.text.lstrip()[:1] == "-":
                    # a long entry closed by `:` before the next dashed one: its `;` printed or read as a colon
                    # (`- Ban Bí thư Trung ương Đảng:` / `- Thủ tướng, …`; held out 8, chinhphu-nd-101-2017);
                    # a heading's colon opens sub-entries (`- Văn phòng:` / `+ LĐVP`)
                    entries[-1][1] = entries[-1][1].rstrip()[:-1]
                entries.append([kind, _BULLET.sub("", cell.text)])
                bulleted = True
                continue
            open_entry = bool(entries) and not entries[-1][1].rstrip().endswith((";", "."))
            signer_like = looks_like_signer_line(cell.text) or is_person_name(cell.text)
            # Plain text whose bullets the extraction lost (` Như trên;`): a line that is not the signer
            # block's opens an entry, or carries on one not closed by `;` or `.`.
            if left is None and entries and not open_entry and authority_prefix(cell.text):
                signing = True
            if left is True and cell is not row.cells[0] and _NOTE.match(cell.key):
                if entries and entries[-1][1].rstrip().endswith(";") and _OWN_NOTE.match(cell.text.strip()):
                    # a purpose note in brackets typed after its entry's own `;` is the entry's, set apart or not
                    # (held out 59, hn-ubnd-qd-40-2025: `- Văn phòng Chính phủ;  (để báo cáo)`)
                    entries[-1][1] += " " + cell.text.strip()
                continue  # a brace note set apart to the right of recipients belongs to no one entry (`} (báo cáo)`)
            # an entry cut after a comma, or anywhere with its next line in small letters, goes on on the list's side
            # whatever signer block began beside or between the entries (a pandoc table printed to PDF, its columns
            # a space apart: `- VPCP: …, đơn vị trực thuộc,` / `Công báo;`, held out 74, cp-nd-356-2025-docx; a
            # converter's text printed: `… trực thuộc, Công` / `báo;`, held out 71, cp-nd-293-2025-md)
            carried = bool(entries) and not cell.right
            carried = carried and (entries[-1][1].rstrip().endswith(",") or (open_entry and cell.text[:1].islower()))
            if left is True or (
                left is None and not ((signing and not carried) or signer_like or find_date(cell) or mark(cell))
            ):
                # A bulleted list's line without a bullet that opens in lower case carries its entry on, even
                # after a `;` inside the entry (`- VPCP: BTCN, …, TGĐ Cổng TTĐT;` / `các Vụ: KTTH, TH;`); so
                # does any line under an entry listing one agency's units after a colon (`- VPCP: BTCN, các
                # PCN, …, các PTTg;` / `TGĐ Cổng TTĐT, các Vụ, Cục;`: the units go on, `;` between groups).
                # The filing entry `Lưu: …` is one of its own, its bullet lost or not.
                grouped = bool(entries) and ":" in entries[-1][1] and not _filed(entries[-1][1])
                grouped = grouped and not _filed(cell.text)
                lower = cell.text.lstrip()[:1].islower()
                # a note in brackets on a line of its own under an entry closed by `;` is the entry's (held out 23,
                # hanoi-syt-qd-936: `- KBNN nơi giao dịch;` / `(gửi qua đơn vị sử dụng ngân sách);`)
                lower = lower or (bulleted and _OWN_NOTE.match(cell.text.strip()) is not None)
                # the filing entry `Lưu: …` is one of its own, its bullet lost, after an entry whose `;` OCR lost
                # too (`- Đãng ctueLedu.Vn` / `Lưu VT,`, ctuet-tb-430)
                opens_filing = bool(_FILED_CLERK.match(skeleton(cell.text.strip()))) and not _filed(
                    entries[-1][1] if entries else ""
                )
                if (open_entry and not opens_filing) or (
                    bulleted and left is not False and entries and (lower or grouped)
                ):
                    entries[-1][1] += " " + cell.text
                elif not _NOTE.match(cell.key):
                    entries.append([kind, cell.text])
                continue
            signer.append(cell)
            signer_rows.append(i)
    signer = _without_office(*_titles_joined_rows(signer, signer_rows))
    if issuer and signer:
        signer = [_collective_line(signer[0], issuer), *signer[1:]]
    name, title, authority = _signer(signer, [row.text for row in rows])
    if name is None and not signer:
        name = _name_above_heading(rows[:start])
    if joint and title:  # each head's title over the name of the body he heads (`GIÁM ĐỐC` / `SỞ GIÁO DỤC …`)
        words = title.split()
        cut = next((k for k in range(1, len(words)) if OPENS_ORGAN.match(squashed_key(" ".join(words[k:])))), None)
        title = " ".join(words[:cut]) if cut else title
    if authority is None and issuer and (head := _head_of(issuer)):
        if _k_lost(signer[:4], head) and (deputy := _deputy_title(head)):
            title, authority = deputy, "KT."  # `T. GIÁM ĐÓC` over a line like the head's: the deputy's
        elif title and canonical_title(title) is None and _near_head(title, head):
            title = head  # no title at all, the head's under the seal (`TIỀN ƠNG`, ttg-cd-125-hoa-toc)
        if _seal_names(signer[1:5], issuer):
            signer = signer[:1]  # the seal's own words under the title, no deputy's title
        if title is None or _both_like_head(signer[:2], head):
            title, authority = _head_under_seal(signer[:2], head)
        elif (at := next((k for k, c in enumerate(signer) if c.text == title), 0)) and _like_head(signer[at - 1], head):
            # a title read under the seal beneath a line like the head's: `KT. <head>` / the deputy's
            if _like_head(signer[at], head) and (deputy := _deputy_title(head)):
                title, authority = deputy, "KT."
    return Closing(
        signer_name=name,
        signer_title=title,
        signing_authority=authority,
        implied_title=_implied_title(signer, authority) if title is None else None,
        recipients_paper=_clean((e for k, e in entries if k == "paper"), split=not bulleted),
        recipients_electronic=_clean((e for k, e in entries if k == "electronic"), split=not bulleted),
    )


def _zone_start(rows: Sequence[Row], columns: bool) -> int | None:
    """The row where the closing begins: the last `Nơi nhận:` heading, or a signer line just above it;
    without a heading, the first authority line among the last rows."""
    heading = None
    for i, row in enumerate(rows):
        if any((h := _heading(c)) is not None and h[0] == "paper" for c in row.cells):
            heading = i
    if heading is None:
        for i, row in enumerate(rows):
            if i >= len(rows) - 30 and any(authority_prefix(c.text) for c in row.cells):
                return i
        return None
    # The signer block may stand above the heading (authority, title, the name: Party and Youth Union
    # documents, and web copies): the rows right above it that are all signer lines, names or notes.
    start = heading
    for i in range(heading - 1, max(heading - 10, -1), -1):
        mine = [c for c in rows[i].cells if c.right or not columns]
        if mine and all(_signer_cell(c) for c in mine):
            start = i
        elif not rows[i].blank:
            break
    if start < heading and not any(
        looks_like_signer_line(c.text) for row in rows[start:heading] for c in row.cells if c.right or not columns
    ):
        return heading  # a name alone above the heading is not a signer block
    return start


def _signer_cell(cell: Cell) -> bool:
    """A line of a signer block standing above the recipients' heading; a line closed by a colon is the
    heading of what follows it (`QUYẾT NGHỊ:` over a resolution's articles), not a title."""
    if cell.text.rstrip().endswith(":"):
        return False
    return (
        looks_like_signer_line(cell.text)
        or is_person_name(cell.text)
        or bool(_NOTE.match(cell.key))
        or _title_in_strokes(cell.text) is not None
        or _title_before_specks(cell.text) is not None
    )


def _bottom_up(rows: Sequence[Row], issuer: str | None = None) -> Closing:
    """No heading and no authority line: the last name, and the title lines right above it."""
    cells = [c for row in rows for c in row.cells]
    collective = _collective_block(cells, issuer) if issuer else None
    for i in range(len(cells) - 1, -1, -1):
        if is_person_name(cells[i].text):
            titles: list[Cell] = []
            for cell in reversed(cells[max(0, i - 4) : i]):
                # a brace note, or the signature's stroke read as a sign and a letter (`)C`, held out 37,
                # vinhlong-dukcq-btc-bc-04-2006)
                if _NOTE.match(cell.key) or len(_LETTER.findall(cell.text)) <= 1:
                    continue
                if not looks_like_signer_line(cell.text):
                    break
                titles.insert(0, cell)
            name, title, authority = _signer([*titles, cells[i]])
            if authority is None and collective and title in (None, collective[0]):
                title, authority = collective
            return Closing(signer_name=name, signer_title=title, signing_authority=authority)
    # The page's last line a name whose family name the seal over it cut (`rần Thanh Mẫn`): a resolution
    # passed at a session ends on its signer block alone, without recipients (real UBTVQH scan)
    mended = mend_cut_name(cells[-1].text, [c.text for c in cells]) if cells else None
    title, authority = collective or (None, None)
    return Closing(signer_name=mended, signer_title=title, signing_authority=authority)


# The head of a collective body, who signs for it under `TM.` (Nghị định 30/2020 Điều 13), by the last
# word of his title: what a seal over the title's first word leaves readable (`¿TỊCH`).
_COLLECTIVE_HEADS = {"tich": "CHỦ TỊCH", "tuong": "THỦ TƯỚNG", "nhiem": "CHỦ NHIỆM", "thu": "BÍ THƯ"}
_TM_LOOKS_BACK = 12  # lines above the page's end where the signer block of a page without recipients is


def _collective_block(cells: list[Cell], issuer: str) -> tuple[str, str] | None:
    """(title, "TM.") of `TM. <the issuing body>` / `<the head's title>` / the name without recipients (a
    resolution passed at a session), whose `TM.` and the title's first word a seal over them took (a real
    UBTVQH scan: `#Š Nà RHƯỜNG VỤ QUỐC H` / `ng » ¿TỊCH` / `rần Thanh Mẫn`). Only `TM.` is followed by a
    body's name (KT., TL., TUQ. and Q. by a title), so a short line ending in most of the issuer's name,
    among the page's last lines, is the TM. line; the line under it is the head's title, read by its last
    word when the seal left no more of it."""
    body = _letters(issuer).replace(" ", "")
    if len(body) < 8:
        return None
    tail = cells[-_TM_LOOKS_BACK:]
    for i, cell in enumerate(tail[:-1]):
        key = _letters(cell.text).replace(" ", "")
        if not 8 <= len(key) <= len(body) + 6:  # a body line is longer; a speck shorter
            continue
        blocks = difflib.SequenceMatcher(None, body, key, autojunk=False).get_matching_blocks()[:-1]
        matched = sum(b.size for b in blocks if b.size >= 3)
        if matched < 0.6 * len(body) or not blocks or len(key) - (blocks[-1].b + blocks[-1].size) > 1:
            continue  # not most of the body's name, or the line goes on after it
        words = _letters(tail[i + 1].text).split()
        title = canonical_title(tail[i + 1].text) or (_COLLECTIVE_HEADS.get(words[-1]) if words else None)
        return (title, "TM.") if title else None
    return None


def _name_goes_on(name: str, after: list[Cell]) -> str:
    """The name with its last syllable a printer wrapped onto the next line (`Hồ Đức` / `Phớc`, held out 71,
    cp-nd-293-2025-md as a text-layer PDF): one capitalised word alone there that makes a longer name."""
    words = after[0].text.split() if after else []
    if len(words) != 1 or len(words[0]) < 2 or len(name.split()) > 3 or not is_person_name(f"{name} {words[0]}"):
        return name
    return f"{name} {words[0]}"


def _signer(cells: list[Cell], page: Sequence[str] = ()) -> tuple[str | None, str | None, str | None]:
    """(name, title, authority) from the signer block's cells, top to bottom, junk (the seal and the
    signature read by OCR) skipped; a name whose family name the seal cut is completed (`mend_cut_name`)
    from the page's other lines (`page`) or the family names."""
    authority = authority_rest = None
    titles: list[str] = []
    titles_closed = False
    name = None
    pending_principal = False
    unread: list[str] = []  # lines under the authority line not taken as a title (a seal over them)
    below: list[str] = []  # lines under the title not taken as part of it
    seen: list[str] = []  # every line above the name, whatever it was taken for
    for k, cell in enumerate(cells):
        text = cell.text.strip()
        if _NOTE.match(cell.key) or mark(cell) or find_date(cell):
            continue
        # the first line, or the second after a speck the seal left alone on its line (`Z6` / `c KT. THỦ TƯỚNG`,
        # held out 11, ttg-qd-970-2024)
        first = not seen or (len(seen) == 1 and len(seen[0]) <= 3 and not titles and authority is None)
        under_seal = _AUTHORITY_UNDER_SEAL.match(text) if first else None
        seen.append(text)
        if under_seal and not authority_prefix(text):
            text = text[under_seal.start(1) :]  # the seal's specks before the signer column's first line
        elif (first or (authority is not None and not titles)) and not authority_prefix(text):
            text = _code_misread(text)  # the first line, or the one under `TM. …` (`TM. THƯỜNG TRỰC` / `KT. CHỦ TỊCH`)
        prefix = authority_prefix(text)
        if prefix and name is None:
            authority = prefix
            # the principal: TM. «ỦY BAN NHÂN DÂN»; the period may be read as a quote or a comma (`KT“BỘ`)
            party = re.match(r"^\W*[TtKk]\s*/\s*[MmLlTt]\s", text)  # `T/M CHI BỘ`: no period to split at
            authority_rest = text[party.end() :].strip() if party else re.split(r"[.“”,]", text, maxsplit=1)[1].strip()
            pending_principal = not authority_rest
            titles, titles_closed = [], False
            continue
        if pending_principal and (looks_like_signer_line(text) or canonical_title(text)):
            authority_rest, pending_principal = text, False
            continue
        if found := person_name(text):
            name = _family_marked(_name_goes_on(found, cells[k + 1 : k + 2]))
            break
        if (authority or titles) and (mended := mend_cut_name(text, page)):
            name = mended
            break
        if titles and not titles_closed and _CONCURRENTLY.match(skeleton(text).lower()):
            # one person holding two offices signs with both, `Kiêm` on a line between them (held out 47,
            # sonla-btc-cds-kh-07; bacgiang-tu-bptt-cv-368: `PHÓ BÍ THƯ THƯỜNG TRỰC TỈNH ỦY` / `Kiêm` / `PHÓ BỘ PHẬN
            # THƯỜNG TRỰC`): the next title line carries the title on
            titles.append("Kiêm")
            continue
        known = (
            _title_before_specks(text)
            or canonical_title(text)
            or _title_missing_first_letter(text)
            or _title_read_with_digits(text)
            or _title_after_specks(text)
            or _title_in_strokes(text)
            or _title_cut_short(text)
            or _title_with_a_sign(text)
        )
        if (known or (looks_like_signer_line(text) and len(text.split()) > 1)) and not titles_closed:
            if not titles or titles[-1] == "Kiêm" or _continues(titles[-1], text):
                titles.append(known or text)
                continue
        if titles:
            titles_closed = True
            below.append(text)
        elif authority:
            unread.append(text)
    if titles and titles[-1] == "Kiêm":
        titles.pop()  # no second title came after it
    if authority is None and len(titles) == 1 and (head := _head_under_lost_kt(titles[0], below)):
        return name, f"PHÓ {head}", "KT."  # the `KT.` of the first line lost in the seal's rim
    if authority is None and len(titles) == 1 and (office := _office_under_lost_tl(titles[0], below)):
        return name, office, "TL."
    if authority is None and not titles:
        for i, line in enumerate(seen):  # the first line's `KT.` lost, and OCR's specks before its title
            if head := _head_under_lost_kt(line, seen[i + 1 : i + 3]):
                return name, f"PHÓ {head}", "KT."
        if seen and (office := _office_under_lost_tl(seen[0], seen[1:2])):
            return name, office, "TL."
    if (
        authority in ("TM.", None)  # None: the `KT.` before the head's title lost in the seal's rim too
        and 1 <= len(titles) <= 2
        and (deputy := _deputy_under_collective(titles[0], [*titles[1:], *below]))
    ):
        return name, deputy, "KT."
    title = " ".join(titles) or (authority_rest if authority == "Q." else None)
    if authority == "KT." and authority_rest:
        title = _deputy(authority_rest, title, unread) or title
        if title is None or canonical_title(title) is None:  # no known title under the authority line
            title = _deputy_unread(authority_rest, [title] if title else unread) or title
    if title and authority == "Q." and not titles:
        title = canonical_title(title) or title
    return name, (_two_offices(" ".join(title.split())) if title else None), authority


_OFFICE = re.compile(r"(?:^|[^a-z])van\s*phong$")


def _office_under_lost_tl(title: str, below: list[str]) -> str | None:
    """`TL. <the head's title>` / `CHÁNH VĂN PHÒNG` with the `TL.` and the office's first word lost in the seal
    (held out 22, hanoi-ubnd-tb-789: `Zzf›CHỦ TỊCH` / `ế thÁSÍ:VĂN PHÒNG`): the head of the office signs for the
    head (Nghị định 30/2020 Điều 13), `PHÓ` when the line shows it."""
    head = skeleton(title).lower().strip(" .,;:")
    heads = (skeleton(h).lower() for h in _COLLECTIVE_HEADS.values())
    if not below or not any(re.search(rf"(?:^|[^a-z]){h}$", head) for h in heads):
        return None
    line = skeleton(below[0]).lower().strip(" .,;:")
    if not _OFFICE.search(line):
        return None
    return "PHÓ CHÁNH VĂN PHÒNG" if re.search(r"(?:^|[^a-z])pho\s", line) else "CHÁNH VĂN PHÒNG"


def _family_marked(name: str) -> str:
    """A name whose family name OCR read with marks no word has (`Phãm Huy Nam Sơn`: the lexicon never saw
    `phãm`), spelled as the one common family name with its letters (`Phạm`); or read with a letter lost into
    a rare word (`Bi`), the one common family name it is but for that letter (`Bùi`). A common word (`Tân`,
    `Lễ`) or a family name of its own (`Hầu`) is left as read."""
    first, _, rest = name.partition(" ")
    if garbled := _family_garbled(first):
        return f"{garbled} {rest}"
    known = family_by_letters(first)
    if known and known != first and first not in FAMILY_OR_RARE and lexicon().count(key(first)) == 0:
        return f"{known} {rest}"
    if first not in FAMILY_OR_RARE and (kin := any_family_by_letters(first)) is not None:
        # a word no family name is, read for the one family name, common or rare, with its letters
        # (hanoi-ttytdp-cv-3324, held out 36: `Không Minh Tuấn` for `Khổng`)
        return f"{kin} {rest}"
    if first not in FAMILY_OR_RARE and lexicon().count(key(first)) < _RARE_WORD:
        # a letter lost (hatinh-ubnd-kh-418: `Bi Khắc Bằng` for `Bùi`, its `ù` under the signature): the one
        # common family name it is but for that letter; a family name of its own (`Hầu`, `Vi`:
        # `RARE_FAMILY_NAMES`) or a word as long or longer is left as read
        lost = [f for f in FAMILY_NAMES if len(f) == len(first) + 1 and one_letter_off(skeleton(first), skeleton(f))]
        if len(lost) == 1:
            return f"{lost[0]} {rest}"
    return name


def _family_garbled(first: str) -> str | None:
    """The one common family name a word no syllable is opens with, two letters and their marks, as long as it or
    two letters shorter (`Đặxfg`: `Đặng`, the signature's stroke through its end; held out 35, hatinh-ubnd-cd-04)."""
    if len(first) < 3 or is_vietnamese_syllable(first.lower()):
        return None
    found = [f for f in FAMILY_NAMES if f[:2] == first[:2] and len(first) - 2 <= len(f) <= len(first)]
    return found[0] if len(found) == 1 else None


_RARE_WORD = 50  # a word the lexicon counts fewer times than this is no common word (`COMMON` in `spelling`)


def _two_offices(title: str) -> str:
    """`BỘ TRƯỞNG, CHỦ NHIỆM`: a head who holds two offices signs with both titles, a comma between them
    (the Government Office's minister; Nghị định 30/2020 Phụ lục I); OCR may lose the comma (held out 5,
    vpcp-tb-79: `BỘ TRƯỞNG CHỦ NHIỆM`)."""
    if "," in title:
        return title
    for known in SIGNER_TITLES:
        rest = title[len(known) + 1 :]
        # `PHÓ TRƯỞNG PHÒNG PHỤ TRÁCH`: in charge, no second office (danang-pa83-cv-115)
        if title.startswith(known + " ") and canonical_title(rest) == rest and not rest.startswith("PHỤ TRÁCH"):
            return f"{known}, {rest}"
    return title


def _letters(text: str) -> str:
    return " ".join("".join(c if c.isalpha() else " " for c in skeleton(text)).split())


# The known titles by their letters, marks and spaces aside (`thutuong`): a title read in part is matched
# against them.
_SQUEEZED_TITLES = tuple((_letters(t).replace(" ", ""), t) for t in SIGNER_TITLES)


def _title_with_a_sign(text: str) -> str | None:
    """The one known title a line in capitals spells but for one letter OCR read as a sign glued to its word (`PHÓ
    £RƯỞNG PHÒNG`, held out 63, uit-ttptcntt-tb-593-2025): the sign stands for any one letter."""
    words = text.split()
    signs = [w for w in words if not w.isalpha()]
    if len(words) < 2 or len(signs) != 1 or not all(w.isupper() for w in words if w.isalpha()):
        return None
    sign = signs[0]
    odd = [c for c in sign if not c.isalpha()]
    if len(odd) != 1 or len(sign) < 2 or not any(c.isupper() for c in sign):
        return None
    kept = (c for c in "".join(words) if c.isalpha() or c == odd[0])
    letters = "".join("." if c == odd[0] else skeleton(c).lower() for c in kept)
    found = [t for key, t in _SQUEEZED_TITLES if re.fullmatch(letters, key)]
    return found[0] if len(found) == 1 else None


def _title_missing_first_letter(text: str) -> str | None:
    """The known title a line spells but for its first letter, which the seal's ring ate with OCR's specks
    before it (`=s11HỦ TƯỚNG` for `THỦ TƯỚNG`): the line's last two or more words in capitals, after
    specks with no capital among them, are the end of exactly one known title one letter longer. A
    deputy's `PHÓ` read in part (`PH HỦ TƯỚNG`) is capitals before them, so is never taken for specks."""
    words = text.split()
    tail: list[str] = []
    while words and words[-1].isalpha() and words[-1].isupper():
        tail.insert(0, words.pop())
    if words:  # the first word's capitals glued to the specks before it (`=s11HỦ`)
        cut = len(words[-1])
        while cut and words[-1][cut - 1].isalpha() and words[-1][cut - 1].isupper():
            cut -= 1
        if cut < len(words[-1]):
            tail.insert(0, words[-1][cut:])
            words[-1] = words[-1][:cut]
    if len(tail) < 2 or any(c.isupper() for c in " ".join(words)):
        return None
    read = _letters(" ".join(tail)).replace(" ", "")
    if len(read) < 5:
        return None
    found = [t for key, t in _SQUEEZED_TITLES if len(key) == len(read) + 1 and key.endswith(read)]
    return found[0] if len(found) == 1 else None


def _title_cut_short(text: str) -> str | None:
    """The one known title a line in capitals begins, its last letters lost at the scan's edge (`CHÁNH THANH T`
    for `CHÁNH THANH TRA`, held out 43, daknong-thanhtra-tb-269): two words at least, and at most two letters
    short."""
    if len(text.split()) < 2 or not text.replace(" ", "").isalpha() or not text.isupper():
        return None
    read = _letters(text).replace(" ", "")
    found = [t for key, t in _SQUEEZED_TITLES if key.startswith(read) and 0 < len(key) - len(read) <= 2]
    return found[0] if len(found) == 1 else None


# Capitals OCR reads as the digits they look like in a title set in bold capitals (`8O.TRƯỞNG`, the `BỘ`
# half-covered by the seal's rim).
_DIGIT_CAPITALS = str.maketrans({"8": "B", "0": "O", "1": "I", "5": "S"})


def _title_read_with_digits(text: str) -> str | None:
    """The known title a line of capitals spells when the digits in it are read as the capitals they look
    like (`8O.TRƯỞNG` for `BỘ TRƯỞNG`): only a line without small letters, whose digits touch a capital."""
    if any(c.islower() for c in text) or not re.search(r"[8015](?=[^\W\d_])|(?<=[^\W\d_])[8015]", text):
        return None
    return canonical_title(text.translate(_DIGIT_CAPITALS))


# A seal's rim read as a short word in small letters and a dash before the title (held out 5, bcdcchc-qd-46:
# `sặc — TRƯỜNG BẠN`).
_SPECKS_BEFORE_TITLE = re.compile(r"^(?P<specks>\S{0,8})\s+[—–-]+\s*(?=\S)")


def _title_before_specks(text: str) -> str | None:
    """The known title before a speck the seal left after it, read as a word of two letters at most (`PHÓ GIÁM
    ĐÓC CÁ`, held out 21, hanoi-sgtvt-ttr-3296) or of a letter and a digit after a comma (`PHÓ HIỆU TRƯỞNG, J2`,
    held out 28, hanoi-dhvn-qd-1592)."""
    words = text.split()
    while (
        len(words) > 2
        and len(words[-1]) <= 2
        # a word of marks (`CÁ`) or with a digit (`J2`), not an abbreviation (`UBND TP`)
        and (skeleton(words[-1]) != words[-1].lower() or any(c.isdigit() for c in words[-1]))
        and not lexicon().association(key(words[-2]), key(words[-1]))  # nor a title's own word (`TỈNH ỦY`)
    ):
        words.pop()
    return canonical_title(" ".join(words).rstrip(",")) if len(words) < len(text.split()) else None


def _title_in_strokes(text: str) -> str | None:
    """The known title between the strokes a signature left before and after it on its line, the last glued to
    its last word (`__... PHÓ CHỦ TỊCHww#/⁄⁄`, held out 26, brvt-ubnd-cv-1602)."""
    words = text.strip().lstrip("_.,-–—…~`'\" ").split()
    if len(words) < 2 or not all(w.isupper() for w in words[:-1]):
        return None
    last = words[-1]
    cut = next((k for k, c in enumerate(last) if not (c.isalpha() and c.isupper())), len(last))
    core = " ".join([*words[:-1], last[:cut]])
    return canonical_title(core) if cut >= 2 and core != text.strip() else None


def _title_after_specks(text: str) -> str | None:
    """The known title after the seal's specks and a dash, when what stands before the dash has no capital."""
    m = _SPECKS_BEFORE_TITLE.match(text)
    if m is None or any(c.isupper() for c in m["specks"]) or not is_upper_text(rest := text[m.end() :]):
        return None
    return canonical_title(rest)


def _head_under_lost_kt(first: str, below: list[str]) -> str | None:
    """The head's title when the signer block's first line is a `KT.` line whose `KT.` a seal took:
    the head's double title (`ƯỞNG, CHỦ NHIỆM` for `KT. BỘ TRƯỞNG, CHỦ NHIỆM`) with, under it, a line
    `PH… <the same title>` (`PH )CHỦ NHIỆM`, the deputy's title under the seal). A head's own title
    is never followed by his deputy's."""
    if "," not in first:
        return None
    head = first.split(",")[-1].strip()
    tail = _letters(head)
    if len(tail) < 6 or head.upper() != head:
        return None
    deputy = re.compile(r"(?:^|\s)[a-z]{0,2}ph[a-z]{0,2}\s?" + re.escape(tail) + "$")
    for line in below:
        if deputy.search(_letters(line)):
            return head
    return None


def _deputy_under_collective(title: str, below: list[str]) -> str | None:
    """The deputy's title when `TM. <the collective body>` / `KT. <the head's title>` / `PHÓ <the head's
    title>` lost its `KT.` and most of the deputy's title under the seal (a real Government resolution:
    `TM. CHÍNH PHỦ` / `THỦ TƯỞNG` or `ERHÚ TƯỞNG` / `T9 H0) LẦU TƯỚNG`), or `KT. <the head's title>` /
    `PHÓ <the head's title>` lost its `KT.` (added ttg-qd-756: `4©>1HỦ TƯỚNG` / `ẠOP HOXN TƯỚNG`): the head
    signs with his title alone, so a line right under it ending in the same word, and longer, is his
    deputy's (Nghị định 30/2020 Điều 13)."""
    head = _near_title(title)
    # a line of the seal's specks between them (`“      ỗ   ^     2.     z`, held out 47, ttg-qd-146-2022) is none
    below = [line for line in below if _TWO_LETTERS.search(line)][:1]
    if not below or head is None:
        return None
    words, key = _letters(head).split(), _letters(below[0]).split()
    return f"PHÓ {head}" if len(words) >= 2 and len(key) > len(words) and key[-1] == words[-1] else None


def _near_title(text: str) -> str | None:
    """The head's title `text` spells, or spells but for a letter or two OCR misread under a seal (`ERHÚ
    TƯỞNG`): the one title ending in the same word whose letters are at least 80 % the same."""
    if (known := canonical_title(text)) is not None:
        return known
    key = _letters(text)
    if not key or text.upper() != text:
        return None
    near = [
        t
        for t in SIGNER_TITLES
        if not t.startswith("PHÓ ")
        and (other := _letters(t)).split()[-1] == key.split()[-1]
        and difflib.SequenceMatcher(None, key.replace(" ", ""), other.replace(" ", "")).ratio() >= 0.8
    ]
    return near[0] if len(near) == 1 else None


def _deputy(principal: str, title: str | None, unread: list[str]) -> str | None:
    """Under `KT. <the head's title>` the deputy signs (Nghị định 30/2020 Điều 13): `PHÓ <the head's
    title>` (a minister's: `THỨ TRƯỞNG`). When the seal over the signer's title leaves only its end
    readable (`KT. BỘ TRƯỞNG, CHỦ NHIỆM` / `SHỦ NHIỆM`, `2 TNĐ,CHỦ NHIỆM`), the title is the deputy's;
    a title read whole stays."""
    head = principal.split(",")[-1].strip()
    tail = " ".join("".join(c for c in skeleton(head) if c.isalpha() or c == " ").split())
    if len(tail) < 6 or tail.startswith("pho ") or head.upper() != head:
        return None
    for text in ([title] if title else []) + unread:
        key = " ".join("".join(c if c.isalpha() else " " for c in skeleton(text)).split())
        if key.startswith(("pho ", "thu truong")):
            return None
        # the line's end is the head's title, but for OCR's misreading of its first letter, or that letter
        # lost in the seal's specks before it (`Z6 PHẾ€HỦ NHIỆM`)
        if (
            key == tail
            or key.endswith((" " + tail, " " + tail[1:]))
            or (key.endswith(tail[1:]) and len(key) <= len(tail) + 1)
            or _misread_first_letter(key, tail)
        ):
            return "THỨ TRƯỞNG" if tail == "bo truong" else f"PHÓ {head}"  # a minister's deputy
    return None


# Heads with no deputy of the same name (a minister's is `THỨ TRƯỞNG`: `_deputy_title`), and titles that
# are a deputy's or not a head's.
_NOT_HEADS = frozenset(("THỨ TRƯỞNG", "CHỦ TRÌ", "THƯ KÝ"))


_WORD_GAP = 8  # columns between two cells of a title line: room for a word of it the seal took


def _titles_joined_rows(cells: list[Cell], rows: list[int]) -> tuple[list[Cell], list[int]]:
    """The signer's cells, and their rows, with two of one row joined where together they are a title and the
    second alone is not: a justified title line whose first word stands apart (held out 9, haiduong-ubnd-gm-272:
    `CHÁNH   VĂN  PHÒNG` read as `CHÁNH` and `VĂN PHÒNG`), or a name and its last syllable."""
    out: list[Cell] = []
    out_rows: list[int] = []
    for k, cell in enumerate(cells):
        if out and rows[k] == rows[k - 1] and canonical_title(cell.text) is None:
            joined = f"{out[-1].text} {cell.text}"
            # a title, or a name whose last syllable a justified line set apart (`Trần Quốc      Văn`, held out
            # 18, hungyen-hdnd-nq-773-2025)
            name = is_person_name(out[-1].text) and len(cell.text.split()) == 1 and is_person_name(joined)
            # a gap a word would fill: the seal took it (`PHO           VĂN PHONG`), though the two ends
            # make a title of their own (`PHÓ VĂN PHÒNG`, Hà Tĩnh's)
            gap = cell.start - out[-1].start - len(out[-1].text) >= _WORD_GAP
            if gap and (whole := _title_with_word_lost(joined)) is not None:
                out[-1] = replace(out[-1], text=whole)
                continue
            if canonical_title(joined) is not None or name:
                out[-1] = replace(out[-1], text=joined)
                continue
            if (whole := _title_with_word_lost(joined)) is not None:
                out[-1] = replace(out[-1], text=whole)
                continue
        out.append(cell)
        out_rows.append(rows[k])
    return out, out_rows


def _title_with_word_lost(text: str) -> str | None:
    """The one title that `text` spells but for an inner word the seal took, its two ends read apart on the
    row (`PHO           VĂN PHONG` for `PHÓ CHÁNH VĂN PHÒNG`, held out 20, hanoi-tu-tb-2788)."""
    words = skeleton(text).upper().split()
    found = {
        t
        for t in SIGNER_TITLES
        for k in range(1, len(t.split()) - 1)
        if (w := skeleton(t).upper().split())[:k] + w[k + 1 :] == words
    }
    return found.pop() if len(found) == 1 and len(words) >= 2 else None


_SIGNATURE_ROWS = 2  # the signature's space: the office under it more than this many rows below the title


def _without_office(cells: list[Cell], rows: list[int]) -> list[Cell]:
    """The signer's cells without the office printed or stamped under the signature, right above the name
    (`TM. HỘI ĐỒNG` / `CHỦ TỊCH` / the signature / `GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO` / `Lê Quang Trí`; held out
    12, dongthap-hdxth-bc-355): lines in capitals after the signature's blank rows, a title read above them, are
    the signer's office, not the title."""
    for k in range(1, len(cells)):
        if rows[k] - rows[k - 1] <= _SIGNATURE_ROWS or not any(canonical_title(c.text) for c in cells[:k]):
            continue
        end = k
        while end < len(cells) and is_upper_text(cells[end].text) and not authority_prefix(cells[end].text):
            end += 1
        if end > k and end < len(cells) and person_name(cells[end].text):
            return [*cells[:k], *cells[end:]]
    return cells


def _collective_line(cell: Cell, issuer: str) -> Cell:
    """The signer column's first line as `TM. <the issuer>` when it is the issuer's name after a `T` and
    specks, the `M.` lost to the seal (held out 8, chinhphu-nd-101-2017: `T „CHÍNH PHỦ`)."""
    text = cell.text.strip()
    body = _letters(issuer).replace(" ", "")
    letters = _letters(text).replace(" ", "")
    if authority_prefix(text) or not letters.endswith(body) or text[:1] not in "Tt":
        return cell
    before = letters[: -len(body)]
    return replace(cell, text=f"TM. {issuer}") if before in ("t", "tm") else cell


def _implied_title(cells: list[Cell], authority: str | None) -> str | None:
    """The title the signer block's authority line implies when none was read under it: under `KT. <head>`
    the deputy's (`KT. CHỦ TỊCH`: `PHÓ CHỦ TỊCH`), under `TM. <body>` its head's (`TM. ỦY BAN NHÂN DÂN`:
    `CHỦ TỊCH`; Nghị định 30/2020 Điều 13); None for another authority, or a head or body not known."""
    if authority not in ("KT.", "TM."):
        return None
    for cell in cells:
        text = cell.text if authority_prefix(cell.text) else _code_misread(cell.text)
        if authority_prefix(text) == authority:
            rest = re.split(r"[.“”,]", text, maxsplit=1)[-1].strip()
            if authority == "TM.":
                return _head_of(rest)
            head = canonical_title(rest)
            return _deputy_title(head) if head else None
    return None


def _deputy_title(head: str) -> str | None:
    """The title of the deputy who signs `KT. <head>` (Nghị định 30/2020 Phụ lục I, ký thay): `PHÓ <head>`,
    a minister's `THỨ TRƯỞNG`; None for a title that is no head's."""
    if head.startswith("PHÓ ") or head in _NOT_HEADS:
        return None
    deputy = "THỨ TRƯỞNG" if head == "BỘ TRƯỞNG" else f"PHÓ {head}"
    return deputy if deputy in SIGNER_TITLES else None


def _deputy_unread(principal: str, unread: list[str]) -> str | None:
    """The deputy's title under `KT. <the head's title>` when the line under it (`unread`'s first) is no
    known title (the seal over it: `KT. THỦ TƯỚNG` / `c1 E DĐ Ủ TƯỞNG`, `HŨ ĐỐC`): under KT. the head's
    deputy signs, so a line there ending in the head's title's last word, as every deputy's title does
    (`THỨ TRƯỞNG` too), is the deputy's title misread. The seal's specks may stand apart before it on the
    same line, a cell of their own (held out 5, chinhphu-nd-335-2025: `hủ; /Zo I` and `TƯỞNG` under `KT. THỦ
    TƯỚNG`), so the first two lines are looked at. Nothing like a title there makes none up."""
    head = canonical_title(principal.split(",")[-1].strip())
    if head is None or not unread or (deputy := _deputy_title(head)) is None:
        return None
    last = _letters(head).split()[-1]
    return deputy if any((under := _letters(text).split()) and under[-1] == last for text in unread[:2]) else None


def _misread_first_letter(key: str, tail: str) -> bool:
    """Whether the line's last word(s) are `tail` but for their first letter, misread (`ZS PHG@SHÚ NHIỆM`
    for `PHÓ CHỦ NHIỆM` under a seal: `shu nhiem` for `chu nhiem`)."""
    end = key[-len(tail) :]
    return len(key) > len(tail) and key[-len(tail) - 1] == " " and end[1:] == tail[1:] and end[:1].isalpha()


def _continues(previous: str, text: str) -> bool:
    """Whether `text` carries on a title line (`VỤ TRƯỞNG VỤ VĂN THƯ,` / `LƯU TRỮ`) rather than being
    OCR's reading of the signature."""
    if previous.rstrip().endswith((",", "-", "VÀ", "&")):
        return True
    words = text.replace(",", " ").split()
    # a lone letter is the seal's rim read around a word of its (`È PHÒNG Ị` under `PHÓ TRƯỞNG PHÒNG`, held out
    # 46, anphu-ptp-bc-63): a title's words have two letters or more
    return (
        len(words) >= 2
        and sum(len(w) for w in words) >= 6
        and all(len(w) >= 2 and is_vietnamese_syllable(w) for w in words)
    )


# The signer column's first line opening with two capitals and a stop before a head's title (`ST, THỦ TƯỚNG`, held
# out 60, ttg-qd-09-2025: `KT.` under the seal's rim): an authority code with one letter misread.
_CODE_MISREAD = re.compile(r"^\W*([A-ZĐ]{2})\s*[.,]\s*(?=\S)")
# … its T read as a sign (`.K*. CHỦ TỊCH`, held out 54, dakrlap-hdnd-tb-08), or its stop lost (`KT TRƯỞNG PHÒNG`,
# held out 63, uit-ttptcntt-tb-593-2025).
_K_AND_SIGN = re.compile(r"^\W*K[^\w\s][.,]\s*(?=\S)")
_CODE_UNSTOPPED = re.compile(r"^\W*(KT|TL)\s+(?=\S)")


def _code_misread(text: str) -> str:
    """`text` opening with the authority code it misread, spelled right, where one code alone is a letter off it:
    `KT.` or `TL.`, the codes that stand before a head's title (`TM.` stands before a collective body); `K` and a
    sign (only `KT.` opens with K), or the code without its stop, before a head's title too."""
    for pattern in (_K_AND_SIGN, _CODE_UNSTOPPED):
        if (m := pattern.match(text)) and canonical_title(rest := text[m.end() :]) is not None:
            return f"{m[1] if m.groups() else 'KT'}. {rest}"
    m = _CODE_MISREAD.match(text)
    rest = text[m.end() :] if m else ""
    if not m or canonical_title(rest) is None:
        return text
    near = [code for code in ("KT", "TL") if sum(a != b for a, b in zip(code, m[1], strict=True)) == 1]
    return f"{near[0]}. {rest}" if len(near) == 1 else text


def mend_purpose(entry: str) -> str:
    """An OCR'd entry's purpose abbreviation whose slash was read as a thin letter (`(píh)` → `(p/h)`), and its
    `để` misread with `d` or after another note (`_FOR_READ`); a text layer's own spelling (`(để bíc)`, `(dé
    b/c)` typed so) is not for this."""
    entry = _FOR_READ.sub(_for_purpose, entry)
    return _SLASH_AS_LETTER.sub(
        lambda m: f"({m[1] or ''}{m[2]}/{m[3]})" if f"{m[2]}/{m[3]}" in _PURPOSES else m[0], entry
    )


def mend_read_entry(entry: str) -> str:
    """An OCR'd entry without what OCR alone puts there: a brace read as `|` and the note after it, a speck read
    as a stop after a comma or as a semicolon before a word; and the filing entry's `Lưu` read without its horn,
    cleaned as the filing entry (`_filing`). A text layer's entries are as typed (`Luu: VT, PC(Ib). a`, a web
    copy's, tct-cv-4222)."""
    entry = _RULE_AFTER.sub("", entry).strip(" ;,")
    if _FILED_UNMARKED.match(entry):
        entry = _filing(_CLERK_MISREAD.sub(r"\1VT", _FILED_UNMARKED.sub("Lưu", entry)))
    if _FILED.match(entry) and _SEMICOLON_IN_FILING.search(entry):
        # the filing entry's parts are set apart by commas, so a semicolon there is one OCR misread (`Lưu: VT; Th.`,
        # added bentre-ubnd-qd-51-2024), and the entry is cleaned again with it read so; a text layer's semicolon is
        # the document's own (`Lưu: VT; TCT (VT, CS)`, btc-tt-219-2013-txt)
        return _filing(_SEMICOLON_IN_FILING.sub(",", entry))
    return _GLUED_SEMICOLON.sub(" ", _COMMA_SPECK.sub(", ", entry))


_SEMICOLON_IN_FILING = re.compile(r"(?<=\w);(?=\s)")


# A brace or a rule beside the list read as `|`, and the note beside it (`Thường trực HĐND TP; | (để b/c)`, held out
# 21, hanoi-ubnd-kh-157; `Thường trực HĐND, UBND TP; | báo`): no entry holds the sign.
_RULE_AFTER = re.compile(r"\s*\|.*$")


# `Lưu` read without its horn (`Luu: VT, KTTH (3b)`, held out 26, chinhphu-nd-149-2016), and a speck read as a
# stop after a comma (`các Vụ,.Cục`).
_FILED_UNMARKED = re.compile(r"^(?:Luu|[Kk]uu)(?=\s*:?\s*(?:VT|Văn thư)\b)")  # its L read as k too (held out 63)
_COMMA_SPECK = re.compile(r",\.(?=[^\W\d_])")
# A speck read as a semicolon glued to the next word inside an entry (`TGĐ Cổng ;TTĐT`, held out 50, ttg-qd-63-2015):
# an entry's own semicolon ends a word, it does not open one.
_GLUED_SEMICOLON = re.compile(r"\s+;(?=[^\W\d_])")


def _clean(entries: Iterable[str], *, split: bool = True) -> tuple[str, ...]:
    """Entries without their terminators: `Lưu: VT, VP.` → `Lưu: VT, VP`; where the extraction lost the
    bullets (`split`), one entry per `;`."""
    out = []
    entries = [part for entry in entries for part in INLINE_BULLET.split(entry) for part in _FILING_RUN_ON.split(part)]
    for entry in _one_per_semicolon(entries) if split else entries:
        # a colon OCR read twice (`VPCP::BTCN`, held out 39, ttg-qd-38-2016): no entry doubles one
        text = _COLON_TWICE.sub(": ", " ".join(entry.split()).strip(" ;,-–"))
        # a brace's note beside the entries it gathers, typed after one of them (`BTV Đảng ủy Sở GDĐT } để báo
        # cáo`, held out 53, cdgdhcm-cv-91-2017): it belongs to no one entry, as a note set apart does not
        text = text if "{" in text else _BRACE_NOTE.sub("", text)
        if _FILE_PATH.search(text):
            continue  # the draft's file name Word printed under the list (`C:\MM\Q.VINH\ Kế hoạch.DOC`, held out 37)
        if _FILED.match(text):
            text = _filing(_CLERK_COMMA.sub(r"\1,", _CLERK_MISREAD.sub(r"\1VT", text)))
        text = _AS_ARTICLE.sub(r"Như Điều \1", _AS_ABOVE.sub("Như trên", text))
        text = _FOR.sub(_for_purpose, text)
        text = _PURPOSE.sub(_purpose, text)
        text = _PURPOSE_CUT.sub(_purpose_cut, text)
        text = _PURPOSE_C.sub(lambda m: f"({m[1] or ''}{'B' if m[2].isupper() else 'b'}/c)", text)
        text = _PURPOSE_SLASH.sub(lambda m: f"(để {_SLASH_LOST[m.group(1)]})", text)
        text = _COMRADE_CUT.sub("Đ/c ", _SPECK_AFTER.sub("", text))
        text = _SHOUTED_UY.sub(lambda m: m[0].lower(), text)
        text = _SHOUTED_FIRST.sub(lambda m: m[0].capitalize() if m[0].isupper() and _marked_word(m[0]) else m[0], text)
        text = text[:-1] if text.endswith("):") else text  # the `;` after a purpose read as a colon
        text = text[:-1] if text.endswith(".") and not text.endswith("..") else text
        if text:
            out.append(text.strip())
        if _FILED.match(text):
            break  # `Lưu:` closes the list (Phụ lục I): what a bullet adds under it is how copies went
    return tuple(out)


# `ủy` of a Party committee read in capitals after a word in small letters (`Ban Tổ chức Huyện ỦY`, held out 41,
# mytu-ubnd-tb-26-2022): OCR reads the two alike.
_SHOUTED_UY = re.compile(r"\b(?:(?<=Huyện )|(?<=Tỉnh )|(?<=Thành )|(?<=Thị )|(?<=Quận )|(?<=Đảng ))(?:ỦY|UỶ)\b")
_COLON_TWICE = re.compile(r"::\s*")
_BRACE_NOTE = re.compile(r"\s+\}\s*(?=[^\W\d_]).*$")
_FILE_PATH = re.compile(r"^[A-Za-z]:\\|\.docx?$", re.IGNORECASE)


# Specks after the filing entry's last abbreviation or copies count, which end in a letter, a digit or a
# bracket (Nghị định 30/2020 Phụ lục I: `Lưu: VT, <unit> (<copies>)`): `Lưu VT, TTHT (6b),/`, `KTTH) „/`.
_TRAILING_SPECKS = re.compile(r"[^\w)]+$")


# The copies count last on the filing entry with its opening bracket read as a letter (`NN Q3)` for `NN
# (3)`): a closing bracket never stands without its opening one.
_COUNT_OPENED = re.compile(r"(?<=\s)[^\W\d_](\d{1,2}b?)\)$")
# `(3` read as `G` before the count's `b)` or `)` (`V.IGb)` for `V.I(3b)`, `KTTH G)`; cp-nq-82-hoa-toc): the bold
# bracket and 3 of Times New Roman run together into a G.
_THREE_OPENED = re.compile(r"(?<=[A-ZĐ.\s])G(b?)\)$")


# The registry's tick after the filing entry, read as a last part of a sign and a letter at most (`Lưu: VT, /ự`),
# or as a small letter glued to `VT` (`Lưu: VTạ`; held out 9, Hải Phòng) or to a unit of three capitals or more
# (`Lưu VT, SR, KST&CTg`, held out 36, hanoi-ttytdp-cv-3324): no desk is written so.
_TICK_AFTER = re.compile(r",\s*[^\w\s]+\w?$|(?<=\bVT)[^\W\d_A-ZĐ](?=$)|(?<=[A-ZĐ&]{3})[a-zà-ỹđ](?=$)")


# A drafter's login after the units (`Lưu: VT, pthtran`, `Lưu VT, ntphong (02b)`, `Lưu: VT, csthuan, "HT"`; held out
# 12, Kiên Giang's Sở Y tế): a word in small letters, four to twelve of them, that is no Vietnamese syllable (its
# first `l` OCR may read as `I`: `Idluc`); it and what follows it (its copies, the clerk's urgency note) are the
# drafter's, not the entry's. A unit in words keeps them (`Lưu: Văn thư`, `phòng KT`).
_LOGIN = re.compile(r",\s*(?P<login>[a-zI][a-z]{3,11})\b[^,]*(?:,.*)?$")


# The entry's full stop, then more stops and commas and what follows them: the clerk's ink initials beside it
# (`Lưu: VT.,.HB,HEe`, held out 14, khanhhoa-ubnd-qd-2-2020), no unit; or the drafter's initials glued to the last
# unit by a stop (`Lưu: VP, QLGCSDN.HT`, haugiang-stc-bc-01; a unit's own stop stands between single letters: `V.I`),
# or in brackets glued to the entry's stop (`Lưu VT,TCKT.(N.H.C-05b)`, held out 20, hanoi-bqldavhxh-ttr-88).
_INK_AFTER_STOP = re.compile(r"(?<=[A-ZĐ0-9)])\.[.,]+\S.*$|(?<=[A-ZĐ]{3})\.[A-ZĐ]{1,3}$|(?<=[A-ZĐ]{2})\.\(.*\)$")
# The drafter's initials in capitals after the last unit, set apart by a space, not a comma (`Lưu: VT, CV   VA`,
# held out 18, hungyen-hdnd-nq-773-2025, the initials raised beside it); units are set apart by commas.
_INITIALS_APART = re.compile(r"(?<=,\s)([A-ZĐ][A-ZĐ0-9&]+)\s+[A-ZĐ]{1,3}$")


# One letter last after a comma (`Lưu: VT, V.`, `Lưu: VT, QLG, N.`, typed so): the drafter's initial (Nghị định
# 30/2020 Phụ lục I, (8)), not a unit, whose abbreviation has two letters at least; or a short piece in anything
# but capitals after the last unit's stop (`Lưu: VT, KHTC. 2`, `Lưu VT, CQTT. Ajl/Z`), or an ink count in brackets
# with a space (`Lưu: VT, NC, NL. ( 4)`, held out 35, hatinh-ubnd-cv-740): what the clerk's tick or pen or a
# signature's stroke left. A unit after a stop OCR read for a comma is in capitals (`Lưu: VT. TH`), and
# stays. So are the drafter's initials and the copies count joined by a stop as the last part (`Lưu: VT, TCCB,
# TTC.10`, held out 25, bvhttdl-qd-1469).
_SPECK_LAST = re.compile(
    r",\s*(?:[^\W_]|[A-ZĐ]{2,4}\.\d{1,2}b?)$|(?<=[A-ZĐ0-9)]) ?\.\s+(?:(?![A-ZĐ&]{2,}$)\S{1,5}|\(\s+\d{1,3}\))$"
)


# The drafter's initials run into the count of copies, last after two units or more (`Lưu: HCTH, ĐT, L03`, `Lưu:
# VT, ĐT, Th16`, `Lưu VT, QT, KHTC, D(16)`, `Lưu: VT, KHTC, P3`, held out 28 and 29; Nghị định 30/2020 Phụ lục I,
# (8): the typist's initials and the number of copies), or the initials alone, a capital and a small letter (`Lưu:
# VT, KSTTHC, Tr.`, held out 31): no unit is abbreviated so after the units. Two letters and one figure are a desk's
# (`Lưu: VT, TTTH-CB,VP6, VP7`, held out 31), and alone after the registry any of them may be (`Lưu: VT, C04`, `Lưu:
# VT, Th`).
_DRAFTER_LAST = re.compile(
    r",\s*(?:[A-ZĐ]\.?\s?\(?\d{1,2}\)?"
    r"|[A-ZĐ][A-Za-zĐđ]\.?\s?\(?\d[^\W\d_]?\d{1,2}b?\)?"  # `Th1ó6`: a slip in the count; `ĐH30b` (held out 72)
    r"|[A-ZĐ][a-zđ])$"
)


# A drafter's mark in brackets whose opening bracket OCR lost with its first letters, glued to the last unit or after
# a space (`KSTT\\rvA)` for `KSTT (NTVA)`, `TTHCạu)` for `TTHC (htd)`, held out 30): a tail that does not begin with
# a capital or a digit and closes a bracket it never opened is no unit's.
_UNOPENED_TAIL = re.compile(r"(?<=[A-ZĐ0-9])\s*[^\sA-ZĐ0-9(),][^\s(),]{0,4}\)$")
# A short word in capitals with a mark other than Đ's after the last unit, set apart by a space (`Lưu: VT, KSTT GHẾ`
# for `KSTT (Ánh)`, held out 30, tiengiang-ubnd-qd-241): abbreviations carry no marks but Đ's, so it is what OCR made
# of a drafter's name in brackets.
_MARKED_AFTER_UNIT = re.compile(r"(?<=[A-ZĐ0-9]) +([A-ZĐ\u00C0-\u1EF8]{1,4})$")


def _without_misread_mark(entry: str) -> str:
    last = entry.rsplit(",", 1)[-1]
    if "(" not in last:
        entry = _UNOPENED_TAIL.sub("", entry)
    m = _MARKED_AFTER_UNIT.search(entry)
    if m and m[1].isupper() and _marked_word(m[1]) and "," in entry:
        entry = entry[: m.start()]
    return entry


# Other drafters' marks after the last unit, behind two units or more (held out 32): initials in capitals after a stop
# (`Lưu: VT, TTPVHCC. NHD`; after `VT` alone a unit, `Lưu: VT. TH`), a name glued to the unit (`Lưu: VT, THCBKSHuyền`,
# printed small under it), and initials with a count in brackets (`Lưu: VT, KSTTHC (Tg 4)`; a desk's `(Đội 1)`, `(P6)`
# stay).
_DRAFTER_AFTER_UNIT = re.compile(
    r"(?<=[A-ZĐ0-9])\.\s+[A-ZĐ]{1,3}\d{0,3}$|(?<=[A-ZĐ]{2})[A-ZĐ][a-zđà-ỹ]{3,}$|\s*\([A-ZĐ][a-zđ]\s\d{1,3}\)$"
)


# A desk of a numbered series (`Lưu: VT, K1, K9, K15`, held out 72, binhdinh-ubnd-qd-518-2023): a letter and a
# figure that an earlier unit shares the letter and the shape of.
_DESK = re.compile(r"([A-ZĐ]{1,2})\d{1,2}")


def _desk_of_series(entry: str, last: str) -> bool:
    desk = _DESK.fullmatch(last.strip(" ,"))
    if desk is None:
        return False
    units = [u.strip() for u in entry.split(",")[:-1]]
    return any((m := _DESK.fullmatch(u)) is not None and m[1] == desk[1] for u in units)


def _without_drafter(entry: str) -> str:
    m = _DRAFTER_LAST.search(entry)
    if m and entry[: m.start()].count(",") >= 1 and not _desk_of_series(entry, m[0]):
        return entry[: m.start()]
    m = _DRAFTER_AFTER_UNIT.search(entry)
    return entry[: m.start()] if m and entry.count(",") >= 1 else entry


# The day the draft was typed, in brackets after the entry (`Lưu: VT-TH7 (12.02.2019)`, held out 26,
# brvt-ubnd-cv-1602): no unit's and no copies count.
_DATED_AFTER = re.compile(r"\s*\(\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d\)$")


def _without_login(entry: str) -> str:
    m = _LOGIN.search(entry)
    if m is None or is_vietnamese_syllable(m["login"].lower()):
        return entry
    return entry[: m.start()]


def _filing(entry: str) -> str:
    """The filing entry `Lưu: VT, <unit> (<copies>)` (R12; Nghị định 30/2020 Phụ lục I) without what follows
    it on its lines: specks (`_TRAILING_SPECKS`), a seal's or signature's junk (`_before_junk`), the typist's
    initials and count (`_AFTER_COUNT`, `_TYPIST`, a name in brackets, `(w.cường)-` too), and a last word
    in lower case after the unit's abbreviation in capitals (`_after_unit`); a count's opening bracket read
    as a letter is a bracket again (`_COUNT_OPENED`); its parts are set apart by commas, so a semicolon
    there is one misread (`Lưu: VT; Th.`, added bentre-ubnd-qd-51-2024)."""
    entry = _ONE_AS_I.sub("1", _STROKES_AFTER.sub("", entry))
    entry = _SPECK_LAST.sub("", _INK_AFTER_STOP.sub("", _DATED_AFTER.sub("", _without_drafter(entry.rstrip(" .")))))
    entry = _without_drafter(entry)  # the drafter's mark the ink after it hid (`HC. T24. 1u`, held out 80)
    entry = _INITIALS_APART.sub(r"\1", entry).rstrip(" .")
    entry = _without_login(_TICK_AFTER.sub("", entry))
    text = _unbracketed(_TRAILING_SPECKS.sub("", entry) if len(entry.split()) > 1 else entry)
    text = _TYPIST.sub("", _AFTER_COUNT.sub("", _after_count(_before_junk(text.rstrip(".")))))
    text = _COUNT_OPENED.sub(r"(\1)", _after_unit(_unbracketed(text)))
    text = _without_misread_mark(_THREE_OPENED.sub(r"(3\1)", text).rstrip(" ,."))
    return text.rstrip(" ,")  # the comma before a drafter's name gone (`VT, (Vanpt)`)


# The count of copies filed, in brackets (`(2b)`, `(3)`, `(b)`, `(05 bản)`), and a drafter's mark after it, not a unit
# after a comma: the drafter's initials and the count of copies issued (Nghị định 30/2020 Phụ lục I, (8): `(2b). TLK
# 440`, `(3)Q.Cường`, `(b).KN`; held out 67, 74 and 78).
_COUNT_THEN = re.compile(r"\((?:\s*\d{1,3}\s*(?:b|bản)?|\s*b)\s*\)(?=\s*[.]?\s*[^\s,.;])")


def _after_count(entry: str) -> str:
    counts = list(_COUNT_THEN.finditer(entry))
    return entry[: counts[-1].end()] if counts else entry


# Strokes read as slashes glued to the last unit, and what follows them (`Lưu: HC, KT/// s J`, held out 46,
# soctrang-ctubnd-qd-1120-2014): a desk's code has one slash at most between its parts (`VP/UBND`).
_STROKES_AFTER = re.compile(r"(?<=[A-ZĐ0-9])/{2,}.*$")
# A desk's or a file's 1 read as I beside a figure (`M.Phong/TBI1` for `TB11`, held out 41, mytu-ubnd-tb-26-2022).
_ONE_AS_I = re.compile(r"(?<=[A-ZĐ])I(?=\d)|(?<=\d)I(?![^\W\d_])")


def _unbracketed(entry: str) -> str:
    """The entry without a name or a drafter's initials in brackets last on it (`(Ngan)`, `(w.cường)`, `(ĐĐ)`);
    a desk's code in brackets stays (`_INITIALS`)."""
    named = _BRACKETED.search(entry)
    if named and any(c.islower() for c in named.group(1)):
        return entry[: named.start()]
    initials = _INITIALS.search(entry)
    return entry[: initials.start()] if initials else entry


def _after_unit(entry: str) -> str:
    """The filing entry without a short last word in lower case after the unit's abbreviation in capitals
    (`Lưu: VT, Cục QLĐT qxÈ`, `Lưu: VT, C04 li`): a unit is abbreviated in capitals and a copies count is
    a number in brackets (Phụ lục I), so such a word is the typist's initials or what OCR read in a
    signature's stroke. So is a typist's name after the units, listed as one of them (`Lưu: VT, KTNS, KTN,
    Tan`, held out 4, dongnai-ubnd-qd-1772). A unit named in words (`Lưu: Chi bộ`) is no abbreviation and
    keeps its words."""
    words = entry.split()
    if len(words) < 3 or not (last := words[-1]).isalpha():
        return entry
    initials = len(last) <= 4 and last[0].islower()
    named = (  # a name is a syllable (`Tan`); a unit's abbreviation in lower case is not (`Th`, Tổng hợp)
        len(last) <= 6
        and last[0].isupper()
        and last[1:].islower()
        # listed as a unit, or set after the last one with its marks (`Lưu: VT, KT Hồng`, held out 59)
        and (words[-2].endswith(",") or not last.isascii())
        and is_vietnamese_syllable(last)
    )
    if not (initials or named):
        return entry
    unit = words[-2].rstrip(".,;")
    if len(unit) >= 2 and unit.isupper() and all(c.isalnum() or c in "&.-" for c in unit):
        return " ".join(words[:-1]).rstrip(",")
    return entry


def _before_junk(entry: str) -> str:
    """The filing entry without what a seal or a signature left after it on the same lines: from a lone
    digit or a lone sign followed by more (`Lưu: VT, NN 4 ˆ VĂN sên` → `Lưu: VT, NN`). A count or a sign
    last on the line (`Lưu: VT, KTTH (02) 44`, `… (2) 1rs +`) is the typist's, cut with the initials."""
    words = entry.split()
    for i in range(2, len(words) - 1):
        if _FILED_JUNK.match(words[i]):
            return " ".join(words[:i])
    return entry


def _for_purpose(m: re.Match[str]) -> str:
    """`(đề p/h` → `(để p/h`: the misread `để` of a purpose note, known by what follows it; after a comma, only
    inside brackets (`(VBĐT, dễ biết)`)."""
    opener, purpose = m.group(1), m.group(2)
    before = m.string[: m.start()]
    if opener == ", " and before.count("(") <= before.count(")"):
        return m.group()
    words = " ".join(skeleton(purpose).lower().strip(");.,").split()[:2])
    if re.match(r"[a-zđ]{1,3}/", purpose) or words in _PURPOSE_WORDS or words.split(" ")[0] == "biet":
        return f"{opener}để {purpose}"
    return m.group()


def _purpose(m: re.Match[str]) -> str:
    """`(để th)` → `(để t/h)`: a purpose note OCR misread, spelled as the usual abbreviation it is."""
    abbreviation = f"{m.group(1)}/{m.group(2).translate(_READ_AS_C)}"
    if abbreviation not in _PURPOSES and m.group(2) == "e":  # `(để b/e)`: OCR's `e` for a small `c`
        abbreviation = f"{m.group(1)}/c"
    return f"(để {abbreviation})" if abbreviation in _PURPOSES else m.group()


def _purpose_cut(m: re.Match[str]) -> str:
    """`(B/)` → `(B/c)`: the one purpose abbreviation that starts with the letter read, in its case."""
    first = m.group(2)
    known = [p for p in _PURPOSES if p[0] == first.lower()]
    if len(known) != 1:
        return m.group()
    return f"({m.group(1) or ''}{first}{known[0][1:]})"


# `;` ends an entry; a Word copy without its tabs glues the next one to it (`Sở Khoa học và Công nghệ;Trung tâm Hành
# chính công tỉnh;Lưu: VT`, held out 64, bthuan-ubnd-qd-qtnb-2025). A space before it and none after is OCR's speck
# inside an entry (`_GLUED_SEMICOLON`).
_ENTRY_END = re.compile(r";\s+|(?<=[^\W\d_]);(?=[A-ZĐ])")


# The filing entry's dash after the last entry whose `;` was lost (`… Hải Dương, Việt Nam - Lưu: VT.`, held out 67,
# dkgd-dn-tb-9328117475): `- Lưu:` opens it wherever it stands, no unit's name holds it.
_FILING_RUN_ON = re.compile(r"\s[-–]\s+(?=L[ưu]u\s*:)")


def _one_per_semicolon(entries: Iterable[str]) -> Iterable[str]:
    """Two entries on one line whose bullet the extraction lost (`Văn phòng Chính phủ; Ban Tuyên giáo …`):
    `;` ends an entry (Nghị định 30/2020 Phụ lục I), so a capital after it opens the next."""
    for entry in entries:
        if _FILED.match(entry.lstrip("-+• ")):  # the filing entry is one, a semicolon in it a misread comma
            yield entry
            continue
        parts = _ENTRY_END.split(entry)
        merged = [parts[0]]
        for part in parts[1:]:
            if part[:1].isupper():
                merged.append(part)
            else:
                merged[-1] += "; " + part
        yield from merged
