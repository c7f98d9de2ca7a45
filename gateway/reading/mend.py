"""OCR's misreadings in the subject mended from the same page (issue 9).

The subject is printed in bold or italics, which Tesseract reads less well than the body's roman type
(`hệ thông` / `hệ thống`, `Tông công ty` / `Tổng công ty`, `khóa 1ó` / `khóa 16`, `cao tc` / `cao tốc`). The
body of the same page usually repeats the subject's words. A word of the subject is replaced by the body's
spelling when the body has it next to the same neighbours, spelled alike (`_alike`), in two readings at
least and more often than the subject's spelling, the subject's own occurrence on the page aside: what a
clerk does reading the page as a whole. A syllable no word has (a stop coda without the sắc or nặng tone:
`thuôc`) takes the body's spelling wherever on the page it is.
Only for OCR text: a text layer's words are the document's own."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from gateway.reading.lexicon import key, lexicon
from gateway.reading.words import is_syllable, is_vietnamese_syllable
from gateway.vntext import skeleton

_VOWELS = frozenset("aeiouy")

_EDGE = ".,;:!?()[]\"'“”‘’"


def core_word(token: str) -> tuple[str, str, str]:
    """(leading punctuation, the word, trailing punctuation)."""
    word = token.strip(_EDGE)
    if not word:
        return token, "", ""
    start = token.index(word)
    return token[:start], word, token[start + len(word) :]


def _alike(candidate: str, word: str) -> bool:
    """Whether OCR could have read `candidate` as `word`: the same letters but for their marks (`đôi` for
    `đối`), a digit read as a letter (`1ó` for `16`), or a vowel lost with its marks (`tc` for `tốc`)."""
    if candidate == word or not candidate.isalnum():
        return False
    if len(candidate) == len(word):
        if candidate.isdigit():
            return any(c.isdigit() for c in word) and all(
                a == b for a, b in zip(candidate, word, strict=True) if b.isdigit()
            )
        return (
            candidate.isalpha()
            and skeleton(candidate) == skeleton(word)
            and all(a.isupper() == b.isupper() for a, b in zip(candidate, word, strict=True))
        )
    if not (candidate.isalpha() and word.isalpha()) or is_syllable(word):
        return False
    return "".join(c for c in skeleton(candidate) if c not in _VOWELS) == skeleton(word)


# A syllable that ends in c, ch, p or t carries the sắc or the nặng tone, never another (Vietnamese phonotactics):
# `thuôc` is OCR's, for `thuốc` or `thuộc` (held out 12, kiengiang-syt-cv-01: `cung ứng thuôc`).
_STOP_CODA = re.compile(r"(?:c|ch|p|t)$")
_STOP_TONES = frozenset("\u0301\u0323")


def _toneless_stop(word: str) -> bool:
    """A word in small letters (an abbreviation in capitals, `NGƯT`, is no syllable) that no syllable is."""
    if word.isupper() or not (is_vietnamese_syllable(word) and _STOP_CODA.search(skeleton(word).lower())):
        return False
    return not any(c in _STOP_TONES for c in unicodedata.normalize("NFD", word))


def _body(page: list[str], words: list[str]) -> tuple[list[str], bool]:
    """The page's words without the subject's own (its first word aside, which OCR may have read otherwise:
    `V/W` for `V/v`), and whether they were found and cut: only the body votes, and the subject's other
    words (`quản lý, vận hành`) do not vote for its misread one (`quản lý văn bản`)."""
    n = len(words)
    for i in range(len(page) - n + 1):
        if page[i + 1 : i + n] == words[1:]:
            return page[:i] + page[i + n :], True
    return page, False


_PHRASE = 2  # words each side of a misread one that the body must repeat exactly


def _in_phrase(page: list[str], words: list[str], i: int) -> str | None:
    """The one spelling, alike the subject's word `i`, that the body has between the same words, `_PHRASE`
    on each side (three at least in all, at the subject's ends), and never the subject's own spelling there."""
    left, right = words[max(0, i - _PHRASE) : i], words[i + 1 : i + 1 + _PHRASE]
    if len(left) + len(right) < 3 or not all(left + right):
        return None
    found = {
        page[p]
        for p in range(len(left), len(page) - len(right))
        if page[p - len(left) : p] == left and page[p + 1 : p + 1 + len(right)] == right
    }
    alike = [f for f in found if _alike(f, words[i])]
    if len(alike) != 1 or words[i] in found:
        return None
    # the body is OCR's too: its spelling must be a word at least as common as the subject's (`Sao Dộc lập` in the
    # body is no reason to respell the subject's `Độc`); figures are no words (`31` for `á1`)
    counts = lexicon().count
    figures = any(c.isdigit() for c in alike[0] + words[i])
    return alike[0] if figures or counts(key(alike[0])) >= max(1, counts(key(words[i]))) else None


def mend_marks(subject: str, page_text: str) -> str:
    """`subject` with words OCR misread spelled as the page's body spells them: the body has the word
    next to one of the same neighbours, spelled alike (`_alike`), in two places at least and in more
    places than the subject's spelling (the subject's own occurrence on the page aside)."""
    tokens = subject.split(" ")
    words = [core_word(t)[1] for t in tokens]
    page, cut = _body([core_word(t)[1] for t in page_text.split()], words)
    out = list(tokens)
    for i, word in enumerate(words):
        if not word or not word.isalnum():
            continue
        left = words[i - 1] if i > 0 else ""
        right = words[i + 1] if i + 1 < len(words) else ""
        votes: Counter[str] = Counter()
        own = 0
        for p, found in enumerate(page):
            if not ((left and p > 0 and page[p - 1] == left) or (right and p + 1 < len(page) and page[p + 1] == right)):
                continue
            if found == word:
                own += 1
            elif _alike(found, word):
                votes[found] += 1
        impossible = _toneless_stop(word)
        if impossible:  # no such syllable: the body's spelling of it anywhere on the page, once is enough
            votes = Counter(found for found in page if _alike(found, word) and not _toneless_stop(found))
        elif not votes or votes.most_common(1)[0][1] < 2:
            # the body repeating the subject's phrase, two words each side alike: once is enough (`công trình
            # cầu Việt Trì - Ba` for the subject's `câu`, `mại 31 Láng Hạ` for `á1`; held out 22)
            repeated = _in_phrase(page, words, i)
            if repeated:
                votes, impossible = Counter([repeated]), True
        if not votes:
            continue
        choice, n = votes.most_common(1)[0]
        if impossible or (n >= 2 and n > (own if cut else max(0, own - 1))):  # uncut, the subject's own counts once
            head, _, tail = core_word(tokens[i])
            out[i] = head + choice + tail
    return " ".join(out)


# A speck ahead of the subject's first line (a seal's ring under the title: `cự ? về dự thảo Luật …`): a lone
# sign among its first three words, and the words before it.
# A token of specks alone among the subject's words (`PCMT -_ đến`, `nhiệm vụ, ‹ quyền hạn`); a spaced dash
# (`kinh tế - xã hội`) and brackets are the subject's own.
_TONED_LETTER = re.compile(r"[áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựỳỷỹỵ](?<![ởý])")
_SPECK_TOKEN = re.compile(r"[‹›ˆ˜_~|«»¬•·*]+|[-–—]*_[-–_—]*")
# `Về việc` read with its `ề` as another mark (`Và việc`, `Vẻ việc`, `Vệ việc`): how a decision's subject opens.
# A dash OCR read ahead of it (`- và việc thay đổi …`, held out 35, hatinh-ubnd-tb-340) goes with it.
_ABOUT = re.compile(r"^(?:[-–—]\s*)?[Vv][àảạẻẽệèếễ] việc\b")
# `Về` opening a subject (a chỉ thị's `Về công tác …`) read with its `V` as `Đ` or its `ề` as another mark
# (btttt-ct-01: `Đế công tác`); no subject opens with `đế` or `vế` followed by a word in small letters.
_ABOUT_WORD = re.compile(r"^(?:[Đđ]ế|[Vv][ếểễ]) (?=[a-zà-ỹđ])")
# A lone letter ahead of a subject that opens with a capital (`À Chấp thuận các vị trí …`, a seal's or a
# stamp's ink read as a letter); `Ý kiến …` opens with a one-letter word, the word after it in lower case.
_LEADING_LETTER = re.compile(r"^[^\W\d_]\s+(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ])")
_LEADING_SPECK = re.compile(r"^(?:\S+\s+){0,2}?[?!|\\@#$%^*=<>•·©®™¬]{1,2}\s+(?=[^\W\d_])")


_MONTH_ONES = re.compile(r"(?<=\btháng )(?=[Il1]{2}\b)(?=\S*1)[Il1]{2}(?= năm\b)")
_GLUED_SIGN = re.compile(r"(?<=[^\W\d_])[!|]$")


def _unpaired_bracket(tokens: list[str], k: int) -> bool:
    if tokens[k] == "(":
        return not any(")" in t for t in tokens[k + 1 :])
    if tokens[k] == ")":
        return not any("(" in t for t in tokens[:k])
    return False


_QUOTE_GAP_BEFORE = re.compile(r"(?<=\S)\s+”(?=\s|$|[.,;:)])")
_QUOTE_GAP_AFTER = re.compile(r"“\s+(?=\S)")


def tidy_subject(subject: str) -> str:
    """An OCR'd subject without a speck ahead of it, opening with a capital as every trích yếu does
    (Nghị định 30/2020 Phụ lục I; OCR reads a bold `V` as `v`)."""
    subject = _LEADING_SPECK.sub("", subject, count=1)
    subject = _LEADING_LETTER.sub("", subject, count=1)
    tokens = [t for t in subject.split() if not _SPECK_TOKEN.fullmatch(t)]
    # a bracket alone that none closes or opens (`Thủ tướng ( Chính phủ`, held out 35, hatinh-ubnd-cv-740)
    tokens = [t for k, t in enumerate(tokens) if not _unpaired_bracket(tokens, k)]
    # a sign glued to a word inside the subject (`trên cây trồng, vật! nuôi`, held out 35, hatinh-ubnd-cd-04)
    tokens = [
        _GLUED_SIGN.sub("", t) if k + 1 < len(tokens) and tokens[k + 1].islower() else t for k, t in enumerate(tokens)
    ]
    # a lone small letter with a tone between two words: a speck read as one (`dự án á hoàn thành`, held out 23,
    # hanoi-syt-qd-936); `ý`, `ở` and `y` are words, toneless `ô`, `ơ` too (`một phần ô quy hoạch`)
    tokens = [t for k, t in enumerate(tokens) if not (0 < k < len(tokens) - 1 and _TONED_LETTER.fullmatch(t))]
    # lone letters after the subject's last word, two or more: a seal's or a stamp's ink beside its line
    # (`… thuộc lĩnh vực tài chính Ữ í Ữ`, held out 11, ttg-qd-970-2024)
    end = len(tokens)
    while end and len(tokens[end - 1]) == 1 and tokens[end - 1].isalpha():
        end -= 1
    subject = " ".join(tokens[:end] if len(tokens) - end >= 2 else tokens)
    # a month's 1 read as I or l beside a digit (`ngày 03 tháng I1 năm 2022`, held out 39, chinhphu-nq-168-2022)
    subject = _MONTH_ONES.sub(lambda m: m[0].replace("I", "1").replace("l", "1"), subject)
    subject = _ABOUT.sub("Về việc", subject, count=1)
    subject = _ABOUT_WORD.sub("Về ", subject, count=1)
    # OCR's gap inside a pair of curly quotes, which open and close on their words (`“Tri thức trẻ vì giáo dục ”`,
    # held out 58, nhs-dtn-cv-52-2019)
    subject = _QUOTE_GAP_AFTER.sub("“", _QUOTE_GAP_BEFORE.sub("”", subject))
    # OCR's bold `V` read as `v` (`về việc`, `v/v`); a subject the page opens in small letters otherwise is
    # printed so (a Party's thông báo: `THÔNG BÁO` / `kết luận của Ban Thường vụ …`, held out 20, hanoi-tu-tb-2788)
    return subject[:1].upper() + subject[1:] if subject[:1] == "v" else subject


# A syllable a text layer split before its vowel (`s ửa`, `th ế`, `đư ờng`, `quy ết`): the glyphs of a font with
# the marks drawn apart, placed one by one (held out 32, Hậu Giang's and Cà Mau's decisions).
_RARE_PIECE = 5  # a piece seen fewer times than this in the lexicon's 3 million words is no word of its own
_COMMON_WHOLE = 50
_VOWEL_LETTERS = "aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_A_VOWEL = re.compile(f"[{_VOWEL_LETTERS}]")
_VOWEL_FIRST = re.compile(f"^[{_VOWEL_LETTERS}]")


def rejoin_split_syllables(text: str) -> str:
    """A text layer's line with the syllables it split before their vowel joined again: two pieces in small letters
    (the first capitalised or not), the second opening with a vowel, one of which the lexicon hardly knows and which
    together are a syllable it knows well (`Sở Giáo d ục` → `dục`, `giải quy ết` → `quyết`); two words it knows
    stay apart (`giao ước`, `ăn uống`)."""
    out: list[str] = []
    for word in text.split(" "):
        if out and _VOWEL_FIRST.match(word):
            last = out[-1]
            head, tail = last.lower(), word.rstrip(",.;:)")
            joined = head + tail
            lex = lexicon()  # loaded only when a piece opening with a vowel follows a word
            if (
                last.isalpha()
                and last[1:] == last[1:].lower()
                and tail.isalpha()
                # a head without a vowel is no syllable (`c ấp`, `th ế`), whatever the lexicon counts of a lone letter
                and (not _A_VOWEL.search(head) or min(lex.count(key(head)), lex.count(key(tail))) < _RARE_PIECE)
                and lex.count(key(joined)) >= _COMMON_WHOLE
            ):
                out[-1] = last + word
                continue
        out.append(word)
    return " ".join(out)
