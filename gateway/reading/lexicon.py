"""A Vietnamese lexicon: syllables and syllable bigrams with their frequencies in public-domain legal and
administrative text (issue 9), built by scripts/build_lexicon.py into defaults/lexicon/syllables.tsv.xz
(its header names the sources). Read once per process, on first use.

Keys are `key(word)`: NFC, lower case, the tone where the text put it (so a key is also a spelling). A
bigram is two words read next to each other with nothing but a space between them; abbreviations (`ttđt`,
`ubnd`) count as words in bigrams, so that `cổng ttđt` is known as well as `cổng thông`.
"""

from __future__ import annotations

import functools
import lzma
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from gateway.reading.words import is_vietnamese_syllable, is_vietnamese_word
from gateway.vntext import TONE_MARKS, fold, nfc

DATA_FILE = Path(__file__).resolve().parents[1] / "defaults" / "lexicon" / "syllables.tsv.xz"

_MAX_ABBREVIATION = 8
MIN_PAIR = 2
MIN_LIFT = 4.0


def key(word: str) -> str:
    """The lexicon's form of a word: NFC, lower case (`Đối` → `đối`)."""
    return nfc(word).lower()


def is_lexicon_syllable(word: str) -> bool:
    """A word (`key`) the lexicon may hold as a syllable: spelled like one, with one tone mark at most."""
    if not is_vietnamese_syllable(word):
        return False
    return sum(c in TONE_MARKS for c in unicodedata.normalize("NFD", word)) <= 1


def is_lexicon_word(word: str) -> bool:
    """A word (`key`) that takes part in bigrams: a syllable, or an abbreviation without a vowel's marks
    (`ttđt`, `ubnd`, `tgđ`)."""
    return is_lexicon_syllable(word) or (
        len(word) <= _MAX_ABBREVIATION and is_vietnamese_word(word) and not any(c in TONE_MARKS for c in word)
    )


def base(word: str) -> str:
    """The letters without any mark (`đối` → `doi`): the key of the syllables OCR confuses."""
    return fold(word, strip_diacritics=True)


@dataclass(frozen=True)
class Lexicon:
    unigrams: dict[str, int]
    bigrams: dict[str, int]
    by_base: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def count(self, word: str) -> int:
        return self.unigrams.get(word, 0)

    def pair(self, left: str, right: str) -> int:
        return self.bigrams.get(f"{left} {right}", 0)

    @functools.cached_property
    def total(self) -> int:
        return max(1, sum(self.unigrams.values()))

    def association(self, left: str, right: str) -> int:
        """The bigram's count when the two words go together (seen `MIN_PAIR` times at least, and
        `MIN_LIFT` times as often as two words that frequent would meet by chance), else 0: `với thể`
        is only chance, `đối với` and `cổng ttđt` are not."""
        n = self.pair(left, right)
        if n < MIN_PAIR:
            return 0
        chance = self.count(left) * self.count(right) / self.total
        return n if n >= MIN_LIFT * chance else 0

    def variants(self, word: str) -> tuple[str, ...]:
        """The known syllables spelled with the same letters as `word` (a `key`) but other marks."""
        return tuple(v for v in self.by_base.get(base(word), ()) if v != word)


def parse(text: str) -> Lexicon:
    unigrams: dict[str, int] = {}
    bigrams: dict[str, int] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, key, count = line.split("\t")
        (unigrams if kind == "1" else bigrams)[key] = int(count)
    by_base: dict[str, list[str]] = defaultdict(list)
    for word in unigrams:
        if is_lexicon_syllable(word):
            by_base[base(word)].append(word)
    return Lexicon(unigrams, bigrams, {k: tuple(v) for k, v in by_base.items()})


@functools.cache
def lexicon() -> Lexicon:
    """The lexicon shipped with the gateway, loaded on first use."""
    return parse(lzma.decompress(DATA_FILE.read_bytes()).decode("utf-8"))
