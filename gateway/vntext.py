"""Vietnamese text: NFC storage form, and a folded form for matching words (R2: TCVN 6909, Unicode).

Stored text is always NFC. Matching uses `fold`: NFC, case-folded, the look-alike `Ð` (U+00D0, Icelandic
eth) read as `Đ`, and tone marks placed one way for the clusters where old and new orthography differ
(`hòa`/`hoà`, `thủy`/`thuỷ`, `khỏe`/`khoẻ`). `strip_diacritics=True` also drops every mark (`đ` → `d`),
for diacritics-insensitive matching.
"""

from __future__ import annotations

import functools
import re
import unicodedata

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"})
# Old-style placement puts the tone on the first vowel of oa/oe/uy when the syllable ends there;
# new-style on the second. Both occur in real documents; fold to the new style.
_OLD_STYLE = re.compile(r"([oOuU])([\u0300\u0301\u0303\u0309\u0323])([aAeEyY])(?![\w])")


def nfc(text: str) -> str:
    """The storage form of any text: NFC, look-alike Đ mended."""
    return unicodedata.normalize("NFC", text.translate(_LOOKALIKES))


def fold(text: str, *, strip_diacritics: bool = False) -> str:
    """The matching form: NFC, case-folded, tone placement unified; optionally with no diacritics at all."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LOOKALIKES)).casefold()
    decomposed = _OLD_STYLE.sub(r"\1\3\2", decomposed)
    if strip_diacritics:
        decomposed = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")
    return unicodedata.normalize("NFC", decomposed)


def without_tones(text: str) -> str:
    """`text` in NFC without its tone marks, its vowels' hats and horns and `đ` kept (`Trần` → `Trân`)."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text) if c not in TONE_MARKS))


def squash_spaces(text: str) -> str:
    """One line, single spaces."""
    return " ".join(text.split())


def contains_words(haystack: str, needle: str, *, strip_diacritics: bool = False) -> bool:
    """True when `needle` occurs in `haystack` as whole words, after folding both."""
    h = squash_spaces(fold(haystack, strip_diacritics=strip_diacritics))
    n = squash_spaces(fold(needle, strip_diacritics=strip_diacritics))
    if not n:
        return False
    return re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", h) is not None


@functools.lru_cache(maxsize=4096)
def _skeleton_char(c: str) -> str:
    folded = fold(c, strip_diacritics=True)
    return folded if len(folded) == 1 else c.lower() if len(c.lower()) == 1 else c


def skeleton(text: str) -> str:
    """`fold(text, strip_diacritics=True)` one character at a time, so that the result has exactly the
    length of `text` (NFC): a regex match on the skeleton (`ngay`, `thang`, `so`) gives positions in
    the original. Tolerates OCR's lost or wrong diacritics (`Nơi nhân`, `MÂT`)."""
    return "".join(_skeleton_char(c) for c in text)


def search_key(*parts: str | None) -> str:
    """Text to search in, or a query to search with: folded, without diacritics, single spaces — so that
    `quyet dinh`, `Quyết định` and `QUYẾT ĐỊNH` all find one another."""
    return squash_spaces(" ".join(fold(p, strip_diacritics=True) for p in parts if p))
