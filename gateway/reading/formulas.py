"""The recipients every Government document lists in the same words (Nghị định 30/2020 Phụ lục III's
samples: `Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ`, `HĐND, UBND các tỉnh, thành phố trực thuộc
trung ương`, …), completed where OCR lost their end, and spelled with their marks where OCR misread them
(`Kiêm toán nhà nước`, `STANDARD`) (issue 9).

On a scan the recipient column is cut from the signer's at a gutter; where the seal or the signature reaches
into the list, the gutter cuts a long entry's last word or two (`… cơ quan thuộc Chính p`, `… trực thuộc
tru`, `… trung ư0Š đố`). A clerk reads the rest of such a formula without seeing it. An entry that ends in
enough of a formula that nothing else can follow (`FORMULAS`), then nothing or no words, is completed with
the formula's rest; an
abbreviation there is the document's own (`trực thuộc TW`, `cơ quan thuộc CP`) and stays, as does any
entry whose words go on after the formula (`… Chính phủ (để t/h)`).
"""

from __future__ import annotations

import difflib
import re

from gateway.reading.lexicon import is_lexicon_word, key
from gateway.vntext import fold, skeleton

# Each formula, and how much of it must be read for the rest to be its own: `cơ quan thuộc` may go on with
# `Bộ`, `Văn phòng Trung ương` with `Đảng`, so those are no formulas here.
FORMULAS = (
    ("cơ quan thuộc Chính phủ", len("cơ quan thuộc Ch")),
    ("thành phố trực thuộc trung ương", len("thành phố trực thuộc tr")),
    ("Hội đồng Dân tộc và các Ủy ban của Quốc hội", len("Hội đồng Dân tộc và các Ủy")),
    ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", len("Ủy ban Trung ương Mặt trận")),
    ("Tòa án nhân dân tối cao", len("Tòa án nhân dân tối")),
    ("Viện kiểm sát nhân dân tối cao", len("Viện kiểm sát nhân dân tối")),
)
# The Government's standard recipients, whole entries as its documents list them (a nghị định's list among the
# seed regulations: Nghị định 30/2020 Phụ lục III's samples): an OCR'd entry that spells one of them but for its
# marks is that one (`Kiêm toán nhà nước`, held out 26, chinhphu-nd-149-2016), its own case kept (`Nhà nước`).
STANDARD = (
    "Ban Bí thư Trung ương Đảng",
    "Thủ tướng, các Phó Thủ tướng Chính phủ",
    "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    "HĐND, UBND các tỉnh, thành phố trực thuộc trung ương",
    "Văn phòng Trung ương và các Ban của Đảng",
    "Văn phòng Tổng Bí thư",
    "Văn phòng Chủ tịch nước",
    "Hội đồng dân tộc và các Ủy ban của Quốc hội",
    "Văn phòng Quốc hội",
    "Tòa án nhân dân tối cao",
    "Viện kiểm sát nhân dân tối cao",
    "Kiểm toán nhà nước",
    "Ủy ban Giám sát tài chính Quốc gia",
    "Ngân hàng Chính sách xã hội",
    "Ngân hàng Phát triển Việt Nam",
    "Ủy ban trung ương Mặt trận Tổ quốc Việt Nam",
    "Cơ quan trung ương của các đoàn thể",
)
_STANDARD_BY_KEY = {" ".join(skeleton(s).lower().split()): s for s in STANDARD}


def standard_marks(entry: str) -> str:
    """`entry` with the marks of the standard recipient it spells but for them, letter by letter in its own case;
    or, read with a few letters misread, lost or added where the seal or the signature crossed it, that
    standard recipient (`_near_standard`); any other entry as it is. Old and new tone placement (`Hòa`/`Hoà`) are
    both the standard's."""
    standard = _STANDARD_BY_KEY.get(" ".join(skeleton(entry).lower().split()))
    if standard is None:
        return _near_standard(entry) or entry
    if len(standard) != len(entry) or fold(entry) == fold(standard):
        return entry
    return "".join(s.upper() if e.isupper() else s.lower() for e, s in zip(entry, standard, strict=True))


_NEAR = 0.88  # how alike an entry and a standard recipient are, case aside, for the one to be a misreading of the other
_ABBREVIATION = re.compile(r"\b[A-ZĐ]{2,}\b")
_SIGNS = re.compile(r"[^\w\s]+")


def _own(tag: str, read: str, standard: str) -> bool:
    """Whether a difference is the entry's own wording, not a misreading: words the standard lacks (`Thủ tướng
    Chính phủ, các Phó …`, btc-tt-142-2015), or another sign in a sign's place (`ngang Bộ; cơ quan`)."""
    if tag == "delete":
        return any(_real_word(w) for w in re.findall(r"[^\W\d_]+", read))
    return tag == "replace" and bool(_SIGNS.fullmatch(read.strip())) and bool(_SIGNS.fullmatch(standard.strip()))


def _real_word(word: str) -> bool:
    """Whether `word`, its signs aside, is a word of the lexicon's of three letters or more."""
    letters = re.sub(r"[^\w]", "", word)
    return len(letters) >= 3 and letters.isalpha() and is_lexicon_word(key(letters))


def _word_at(text: str, start: int, end: int) -> str:
    """The words of `text` the span from `start` to `end` lies in or touches."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    return text[left : len(text) if right < 0 else right]


def _near_standard(entry: str) -> str | None:
    """The standard recipient `entry` is a misreading of (held out 47 and 50, the Prime Minister's decisions under
    the seal: `… thành phố trực thuộc Tn ng ương`, `Ủy ban Trung ương Mặt trận Tổ quốc V Tệt Nam`), its letters
    in the case the entry has them where the two agree: opening with the same word, alike but for a few letters,
    and differing in no abbreviation of the entry's own (`trực thuộc TW`, `cơ quan thuộc CP` stay), nor in words
    of its own put for the standard's (`Ban Bí thư Trung ương Đoàn`, the Youth Union's, not the Party's)."""
    read = entry.casefold()
    first = read.split(" ", 1)[0]
    for standard in STANDARD:
        if standard.casefold().split(" ", 1)[0] != first:
            continue
        matcher = difflib.SequenceMatcher(None, read, standard.casefold(), autojunk=False)
        if matcher.ratio() < _NEAR:
            continue
        opcodes = matcher.get_opcodes()
        # the entry's words a difference touches, whole
        touched = [_word_at(entry, i1, i2) for tag, i1, i2, _, _ in opcodes if tag != "equal"]
        if any(_ABBREVIATION.search(word) or any(c.isdigit() for c in word) for word in touched):
            return None
        if any(_own(tag, entry[i1:i2], standard[j1:j2]) for tag, i1, i2, j1, j2 in opcodes):
            return None
        own = [w for w in touched if re.sub(r"[^\w]", "", w).casefold() not in standard.casefold().split()]
        if len(entry.split()) == len(standard.split()) and own and all(_real_word(word) for word in own):
            return None  # a word for a word, each a word of its own: `Ban Bí thư Trung ương Đoàn` is the Youth Union's
        return "".join(entry[i1:i2] if tag == "equal" else standard[j1:j2] for tag, i1, i2, j1, j2 in opcodes)
    return None


# What may follow a formula's cut and be no words: OCR's reading of the seal's or signature's ink.
_MAX_JUNK = 15
# Letters whose capital is their small letter drawn bigger: OCR mistakes one for the other (`tối Cao`).
_SHAPE_ALIKE = frozenset("cosuvwxzp")


def _common(a: str, b: str) -> int:
    """How many characters `a` and `b` share at their start, case aside."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x.casefold() != y.casefold():
            break
        n += 1
    return n


def _junk(rest: str) -> bool:
    """Whether what follows a cut formula is no words: short, and none of its pieces a word of three letters
    or more."""
    return len(rest) <= _MAX_JUNK and not any(_real_word(p) for p in rest.split())


def _cased(read: str, formula: str) -> str:
    """`read` (the formula's words as OCR read them) with a shape-alike letter's case as the formula has it."""
    return (
        "".join(
            f if r != f and r.casefold() == f.casefold() and f.casefold() in _SHAPE_ALIKE else r
            for r, f in zip(read, formula, strict=False)
        )
        + read[len(formula) :]
    )


def complete_formula(entry: str) -> str:
    """`entry` with a standard recipient formula OCR cut short completed (module doc), and its shape-alike
    letters' case set right (`Tòa án nhân dân tối Cao`)."""
    for formula, least in FORMULAS:
        first = formula.split(" ", 1)[0].casefold()
        for m in re.finditer(rf"(?<!\w){re.escape(first)}", entry.casefold()):
            start = m.start()
            shared = _common(entry[start:], formula)
            rest = entry[start + shared :]
            if shared == len(formula):
                if not rest.strip(" .;,"):
                    return entry[:start] + _cased(entry[start:], formula)
                if rest[:1] in ";.," and "(" not in rest and _junk(rest):  # specks after its end (`;.j 5`)
                    return entry[:start] + _cased(entry[start : start + shared], formula)
                continue
            if shared < least or not _junk(rest):
                continue
            word_start = entry.rfind(" ", 0, start + shared) + 1
            word = re.sub(r"\W", "", entry[word_start:].split(" ", 1)[0])
            if len(word) > 1 and word.isupper():  # an abbreviation: `trực thuộc TW`, `thuộc CP`
                continue
            return entry[:start] + _cased(entry[start : start + shared], formula) + formula[shared:]
    return entry
