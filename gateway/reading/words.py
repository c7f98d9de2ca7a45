"""What a piece of text looks like: a notation, a title in capitals, a syllable, a person's name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from gateway.reading.vocab import AUTHORITIES, FAMILY_NAMES, RARE_FAMILY_NAMES
from gateway.vntext import TONE_MARKS, skeleton, without_tones

# Số: 05/QĐ-UBND · Số: 12/2020/QĐ-UBND · Số 512 /SY-VPUBND · Số:      /TTr-VPCP · So: 05 / QĐ – UBND
# Matched on the skeleton; the number may be handwritten and read as specks (`Số: đÍ? /GM-BTP`), the colon read as
# `»` or `;` (`Số» 44t/SVHTT- KHTC`, held out 23, hanoi-svhtt-cv-2014).
NUMBER_LABEL = re.compile(r"(?<![a-z0-9])so\s*[:.;»>›]?\s*(?=[\d/]|(?:[-–] )?[^\s/]{1,4}\s*/)")
# The characters of a notation's code: Latin letters and the Vietnamese letters without tone marks that codes
# use (`VNCERT-ĐPƯC`, `BTGTƯ`), digits, `.` and `&`.
CODE_CHARS = "A-Za-zĐđƯưƠơĂăÂâÊêÔô0-9.&"
_CODE = rf"[A-ZĐa-zđ0-9][{CODE_CHARS}]*"
_DASH = r"\s?[-–—‐‑−]\s?"
# A number may carry a letter after its figures, one reserved between two registered numbers (`2760b
# /QĐ-ĐHSPHN`, held out 25, hanoi-dhsphn-qd-2760b; `14A/QyĐ-KTTC`, held out 75); not `l`, OCR's `1`. A register
# kept by software numbers its notices with ten figures (`Số: 1597872024/TB-TT3`, the secured-transactions
# registry, held out 67).
NOTATION = re.compile(
    rf"(?P<num>\d{{1,10}}[a-dA-D]?)?\s*(?P<year>/\s*(?:19|20)\d\d)?\s*/\s*"
    rf"(?P<code>[A-ZĐ][{CODE_CHARS}]*(?:{_DASH}{_CODE})*)"
)

# The Party's and the Youth Union's notation puts the type before the slash: `6129-CV/TWĐTN-VP`; text
# extraction often loses its hyphens (`6129 CV/TWĐTNVP`, `851CV/TWĐTNCNĐT`), a draft leaves the number blank.
PARTY_NOTATION = re.compile(
    rf"(?P<num>\d{{1,6}})?[ \t]*[-–]?[ \t]*(?P<kind>[A-ZĐ][A-Za-zĐđ]{{0,3}})\s*/\s*"
    rf"(?P<code>[A-ZĐ][{CODE_CHARS}]*(?:{_DASH}{_CODE})*)"
)

_VOWELS = frozenset("aeiouy")
_SPECKS = re.compile(r"^(?:[^\w(]|[\u02b0-\u02ff])+|[^\w).]+$")  # a modifier letter (`ˆCHỦ TỊCH`) is a speck
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz")
_LETTERS = re.compile(r"[^\W\d_]+")
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")
# The authority's period as OCR reads it when a seal's rim crosses it: `KT“BỘ TRƯỞNG`, `TM, ỦY BAN`.
_AUTHORITY = re.compile(r"^(?:" + "|".join(re.escape(a.lower()[:-1]) for a in AUTHORITIES) + r")\s*[.“”,]\s*")


def is_vietnamese_word(word: str) -> bool:
    """Letters of the Vietnamese alphabet only: marks on vowels, none on consonants but `đ` (so `Ñ`,
    `ß` and OCR's other strays are not)."""
    if not _LETTERS.fullmatch(word):
        return False
    for c, k in zip(word, skeleton(word), strict=True):
        if k not in _LATIN or (k not in _VOWELS and c.lower() not in (k, "đ")):
            return False
    return True


def is_syllable(word: str) -> bool:
    """A Vietnamese syllable or a name's part (`Rah`, `Ksor`): Vietnamese letters with a vowel."""
    return is_vietnamese_word(word) and any(c in _VOWELS for c in skeleton(word))


def is_vietnamese_syllable(word: str) -> bool:
    """Spelled like a Vietnamese syllable: onset, one vowel group, coda (`NƯỚNNGẴ`, OCR's reading of
    a signature, is not)."""
    return is_vietnamese_word(word) and _SYLLABLE.fullmatch(skeleton(word)) is not None


def is_upper_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# The Party's way of writing them (Hướng dẫn 36-HD/VPTW): `T/M CHI BỘ`, `T/L BAN THƯỜNG VỤ`, `K/T BÍ THƯ`.
_PARTY_AUTHORITY = re.compile(r"^([tk])\s*/\s*([mlt])\s")
_PARTY_CODES = {"tm": "TM.", "tl": "TL.", "kt": "KT."}


def authority_prefix(text: str) -> str | None:
    """`TM.`, `KT.`, `TL.`, `TUQ.` or `Q.` when `text` opens with one (Nghị định 30/2020 Điều 13), or with
    the Party's `T/M`, `T/L`, `K/T` (held out 4: a Party cell's invitation)."""
    key = skeleton(text).lower()
    if party := _PARTY_AUTHORITY.match(key):
        return _PARTY_CODES.get(party.group(1) + party.group(2))
    m = _AUTHORITY.match(key)
    if not m:
        # `TM.` whose T the seal's rim took, before the collective body it signs for (`M. BAN CHÁP HÀNH HỌI SINH
        # VIÊN TRƯỜNG`, held out 33, hcm-iuh-hsv-qd-80): only a collective follows `TM.` (Điều 13)
        return "TM." if _TM_LOST_T.match(key) and "TM." in AUTHORITIES else None
    code = text[: m.end()].strip().replace(" ", "").upper()[:-1] + "."
    return code if code in AUTHORITIES else None


_TM_LOST_T = re.compile(r"^m\s*\.\s*(?:ban|uy ban|hoi dong|dang uy|chinh phu|thuong truc)\b")


def looks_like_signer_line(text: str) -> bool:
    """An authority line (`TM. ỦY BAN NHÂN DÂN`) or a title in capitals (`PHÓ CHỦ TỊCH`), OCR's specks
    around it aside (`„ HIỆU TRƯỞNG?-`)."""
    text = _SPECKS.sub("", text)
    if authority_prefix(text):
        return True
    words = text.replace(",", " ").replace("-", " ").split()
    if len(words) == 1 and len(words[0]) > 4 and not is_vietnamese_syllable(words[0]):
        return False  # one abbreviation (`UBMTTQVNTP`, an entry whose bullet was lost, held out: mineru-kh-70-cantho)
    return is_upper_text(text) and bool(words) and all(is_syllable(w) for w in words) and not text.endswith(".")


# An officer signs with the rank before the name (`Đại tướng Lương Tam Quang`, `Thượng tá Nguyễn Văn An`).
# A scholar signs with the degrees before the name (`PGS.TS Võ Văn Thắng`, held out 20, angiang-dhag-qd-2442); a
# scan's last stop may read as a colon (`PGS.TSKH: Vũ Hoàng Linh`, held out 48, vnu-hus-qd-3617-2021), the degrees
# may be joined by a hyphen (`PGS-TS. Lê Đình Tuấn`, held out 75, dla-quydinh-14a-2022).
_RANK = re.compile(
    r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)\s+|(?:(?:P?GS|TSKH|TS|ThS|BSCKII|BSCKI|BS|DS|KTS|KS)"
    r"(?:[.:-]\s*|\s+))+)(?=\S)"
)


def is_person_name(text: str) -> bool:
    """`Nguyễn Văn An`: two to six capitalised syllables, nothing else (an officer's rank before them); one
    of them a lone letter at most (`Y Thanh Hà Niê Kđăm`), specks under a seal read as letters are no name
    (`Ũ Á`, ttg-qd-970-2024)."""
    words = _RANK.sub("", text.strip()).split()
    if not 2 <= len(words) <= 6 or sum(len(w) == 1 for w in words) > 1:
        return False
    return all(is_syllable(w) and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


_RANK_GRADES = frozenset(("dai", "thuong", "trung", "thieu"))


def _without_rank(text: str) -> str:
    """`text` without an officer's rank before the name, also when OCR misread the rank's second word
    (`Thượng fzởng Nguyễn Văn Long`, held out bca-cv-4409): a grade, a short word ending like `tướng` or
    `tá`/`úy`, then a common family name."""
    text = _RANK.sub("", text)
    words = text.split()
    if len(words) >= 4 and skeleton(words[0]).lower() in _RANK_GRADES and skeleton(words[2]) in _SURNAME_KEYS:
        grade = skeleton(words[1]).lower()
        if len(grade) <= 6 and (grade.endswith("ng") or len(grade) <= 2):
            return " ".join(words[2:])
    return text


# Specks a signature's stroke leaves glued before a name (`¬š“'Phãm Huy Nam Sơn`, cuchoachat-cv-813) or spaced
# from it (`*)< ¬ Nguyễn Chí Dũng`, held out 60, ttg-qd-09-2025): signs, and lone letters with a sign after them,
# up to the name's first capital; never a list's bullet (`- Nguyễn Văn Sửu` is an entry).
_SPECKS_BEFORE = re.compile(r"^(?![-–•+])(?:[^\w\s]+\s*|[^\W\d_](?=[^\w\s]))+(?=[A-ZĐ])")


def person_name(text: str) -> str | None:
    """The name in `text` if it is one, mended the ways OCR breaks names: `Trần VănLâu`,
    `Lương Tam.Quang`, `Huỳnh Thị THanh Hà`, specks glued before it; an officer's rank before it is not part
    of it."""
    text = text.strip()
    specks = _SPECKS_BEFORE.match(text)
    text = text[specks.end() :] if specks else text
    text = _without_rank(re.sub(r"(?<=[^\W\d_])\.(?=[^\W\d_])", " ", text))
    spaced = "".join(f" {c}" if i and c.isupper() and text[i - 1].islower() else c for i, c in enumerate(text))
    words = []
    for w in _pieces_joined(spaced.split()):
        lower = sum(c.islower() for c in w[1:])
        words.append(w.capitalize() if w[:1].isupper() and len(w) > 2 and 2 * lower >= len(w) - 1 else w)
    if words and (family := _FAMILY_WITHOUT_MARKS.get(words[0]) or _family_misread(words[0])):
        words[0] = family  # `Hoang Văn Thuân`: a family name OCR read without its marks (held out 3)
    name = " ".join(words)
    if specks and " " in specks[0] and words and words[0] not in _ANY_FAMILY:
        return None  # specks spaced before a word no family name is: the stroke's ink, or the name cut by it
    return name if is_person_name(name) else None


def _pieces_joined(words: list[str]) -> list[str]:
    """A name's syllable a text layer set in pieces, glyph by glyph (`Tr ầ n Thanh Vũ`, held out 12,
    dongthap-thptcl2-kh-58): pieces in small letters after it joined to it where the whole is a syllable."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for k in (3, 2):
            pieces = words[i : i + k]
            whole = "".join(pieces)
            if len(pieces) == k and all(p[:1].islower() for p in pieces[1:]) and _one_syllable(whole):
                out.append(whole)
                i += k
                break
        else:
            out.append(words[i])
            i += 1
    return out


_HATS = frozenset("\u0302\u0306\u031b")  # â ê ô, ă, ơ ư


def _one_syllable(word: str) -> bool:
    """Spelled like one syllable, with one tone at most and one marked vowel (but `ươ`): `Trần`, not `Lêấn`
    (`Lê ấn Dũng`, the `T` of `Tấn` lost under a seal: held out 16, bgddt-qd-2827)."""
    marks = unicodedata.normalize("NFD", word.lower().replace("ươ", "ư"))
    hats, tones = sum(c in _HATS for c in marks), sum(c in TONE_MARKS for c in marks)
    return is_vietnamese_syllable(word) and hats <= 1 and tones <= 1


_SURNAME_KEYS = {skeleton(n): n for n in FAMILY_NAMES}
# The common family names that have marks, by their letters without them, where only one has those letters:
# `Hoang` can only be `Hoàng`; letters two names share (`Doan`: `Đoàn`, `Doãn`) are left as read.
_FAMILY_WITHOUT_MARKS = {
    skeleton(n).capitalize(): n
    for n in FAMILY_NAMES
    if skeleton(n) != n.lower() and sum(skeleton(m) == skeleton(n) for m in FAMILY_NAMES) == 1
}


def family_by_letters(word: str) -> str | None:
    """The one common family name spelled with `word`'s letters, whatever its marks (`Phãm`: `Phạm`), or None
    when none or several are (`Doan`: `Đoàn`, `Doãn`)."""
    return _FAMILY_WITHOUT_MARKS.get(skeleton(word).capitalize())


def any_family_by_letters(word: str) -> str | None:
    """The one family name, common or rare, spelled with `word`'s letters whatever its marks (`Không`: `Khổng`),
    or None when none or several are."""
    found = [f for f in FAMILY_OR_RARE if skeleton(f) == skeleton(word).lower()]
    return found[0] if len(found) == 1 else None


def family_by_tone(word: str) -> str | None:
    """The one common family name `word` spells with another tone (`Nguyên` → `Nguyễn`), when `word` is no
    family name itself."""
    if word in _ANY_FAMILY:
        return None
    near = [n for n in FAMILY_NAMES if _toneless(n) == _toneless(word)]
    return near[0] if len(near) == 1 else None


def _family_misread(word: str) -> str | None:
    """The common family name a first word no Vietnamese syllable is spelled like (`Xgưýến`: two marked
    vowels, under a seal; held out 7, btc-qd-126) but for one letter, when only one is; a real syllable,
    however rare a family name it makes (`Tân`, `Bì`), is left as read."""
    if is_vietnamese_syllable(word) and len(word) > 1 and word[:1].isupper() and word not in _ANY_FAMILY:
        # a syllable no family name is, a tone and a letter off a common family name: the most common of them
        # (`Tân Duy Đông`: `Trần` rather than `Thân`, phutho-ubnd-qd-3-2025); the vowel's hat (`â`, `ă`)
        # tells `Trần` from `Tăng` and `Tạ`
        return next((n for n in FAMILY_NAMES if one_letter_off(_toneless(word), _toneless(n))), None)
    if is_vietnamese_syllable(word) or not (word[:1].isupper() or word[:1] in _NOT_VIETNAMESE_LETTERS):
        return None  # in small letters only when its first is no Vietnamese letter (`zê Quân`, bgddt-qd-2750)
    key = skeleton(word).lower()
    near = [n for k, n in _SURNAME_KEYS.items() if key != k.lower() and one_letter_off(key, k.lower())]
    if len(near) > 1:  # `zê`: `Lê` or `Bế`; the one whose marks it has
        near = [n for n in near if one_letter_off(word.lower(), n.lower())]
    return near[0] if len(near) == 1 else None


# Every family name the vocabulary knows; with them, the given names a name cut short under a seal may open with.
FAMILY_OR_RARE = frozenset((*FAMILY_NAMES, *RARE_FAMILY_NAMES))
_ANY_FAMILY = FAMILY_OR_RARE | {"Thị", "Văn"}


def _toneless(word: str) -> str:
    """`word` in small letters without its tone mark (`Trần` → `trân`)."""
    return without_tones(word.lower())


_NOT_VIETNAMESE_LETTERS = frozenset("fjwz")  # the Latin letters Vietnamese words do not use


def one_letter_off(a: str, b: str) -> bool:
    """Whether `a` is `b` with one letter changed, added or lost (or `b` itself)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return a[i + 1 :] == b[i + 1 :] or a[i:] == b[i + 1 :] or a[i + 1 :] == b[i:]


def _is_name_word(word: str) -> bool:
    return is_syllable(word) and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def mend_cut_name(text: str, page: Iterable[str] = ()) -> str | None:
    """A signer's name whose family name a seal over it cut short or blurred into specks (`yến Sỹ Hiệp`,
    `NeuŠzfyên Sỹ Hiệp`, `rần Thanh Mẫn`): the given names read whole (two or more capitalised
    syllables at the end), and the family name completed from what is left of it: the same person named
    in full elsewhere on the page (`- VPCP: BTCN, PCN Nguyễn Sỹ Hiệp,` among the recipients), else the
    one common family name that ends in its last letters (`rần` → `Trần`, `yến` → `Nguyễn`)."""
    words = text.split()
    while words and not any(c.isalnum() for c in words[-1]):
        words.pop()  # the signature's stroke after the name (`_`)
    k = len(words)
    while k > 0 and _is_name_word(words[k - 1]):
        k -= 1
    given = words[k:]
    left = skeleton(words[k - 1]) if k else ""
    if k and not any(c in _LATIN for c in left) and given and skeleton(given[0]) in _SURNAME_KEYS:
        left, given = skeleton(given[0]), given[1:]  # specks before a name whose family name they blurred
    if not 2 <= len(given) <= 4 or not left:
        return None
    pattern = re.compile(r"(?<!\w)([^\W\d_]+)\s+" + r"\s+".join(re.escape(g) for g in given) + r"(?!\w)")
    for line in page:
        for m in pattern.finditer(line):
            family = _SURNAME_KEYS.get(skeleton(m.group(1)))
            # the given names named in full: the cut family name's last letter is enough (`ô Đức Phớc`, the
            # recipients' `PTTg Hồ Đức Phớc`, ttg-qd-1053-2024)
            # a cut family name blurred into no syllable at all (`bn Hoàng Giáp`, the recipients' `PCT Nguyễn
            # Hoàng Giáp`, held out 21, hanoi-dongda-qd-2363) is the page's too
            if family and (
                _common_tail(skeleton(family), left) >= min(2, len(left)) or not is_vietnamese_syllable(left)
            ):
                return " ".join([family, *given])
    # a speck inside the family name (`Nguy#x Văn Phúc`, held out 19, bgddt-qd-2628): the one common family
    # name its first three letters or more begin
    head = re.match(r"[a-z]{3,}(?=[^\w\s])", left)
    starting = [n for k_, n in _SURNAME_KEYS.items() if head and k_.startswith(head.group())]
    if len(starting) == 1:
        return " ".join([starting[0], *given])
    best = {k_: _common_tail(k_, left) for k_ in _SURNAME_KEYS}
    longest = max(best.values())
    families = [_SURNAME_KEYS[k_] for k_, n in best.items() if n == longest]
    return " ".join([families[0], *given]) if longest >= 2 and len(families) == 1 else None


def _common_tail(a: str, b: str) -> int:
    """How many letters the two words end in alike."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n
