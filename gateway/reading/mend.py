"""OCR's misread tone and vowel marks in the subject mended from the same page (issue 9).

The subject is printed in bold or italics, which Tesseract reads less well than the body's roman type
(`hệ thông` / `hệ thống`, `Tông công ty` / `Tổng công ty`, `đôi với` / `đối với`). The body of the same
page usually repeats the subject's words. A word of the subject is replaced by the body's spelling when
the body has it next to the same neighbour, spelled alike but for its marks, more often than the
subject's spelling, and the subject's own spelling of that pair appears nowhere else on the page: what
a clerk does reading the page as a whole.
Only for OCR text: a text layer's words are the document's own.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from gateway.vntext import skeleton

_EDGE = ".,;:!?()[]\"'“”‘’"


def _core(token: str) -> tuple[str, str, str]:
    """(leading punctuation, the word, trailing punctuation)."""
    word = token.strip(_EDGE)
    if not word:
        return token, "", ""
    start = token.index(word)
    return token[:start], word, token[start + len(word) :]


def mend_marks(subject: str, page_text: str) -> str:
    """`subject` with words whose marks OCR misread spelled as the page's body spells them."""
    page = [_core(t)[1] for t in page_text.split()]
    pairs = Counter(pairwise(page))
    counts = Counter(page)
    tokens = subject.split(" ")
    words = [_core(t)[1] for t in tokens]
    out = list(tokens)
    for i, word in enumerate(words):
        if not word or not word.isalpha():
            continue
        key = skeleton(word)
        better: Counter[str] = Counter()
        for j, left in ((i - 1, True), (i + 1, False)):
            if not 0 <= j < len(words) or not words[j]:
                continue
            other = words[j]
            own = (other, word) if left else (word, other)
            if pairs[own] > 1:  # the subject's spelling is the page's elsewhere too
                better.clear()
                break
            for (a, b), n in pairs.items():
                neighbour, candidate = (a, b) if left else (b, a)
                if (
                    neighbour == other
                    and candidate != word
                    and skeleton(candidate) == key
                    and candidate.isalpha()
                    and len(candidate) == len(word)
                    and all(a.isupper() == b.isupper() for a, b in zip(candidate, word, strict=True))  # marks only
                ):
                    better[candidate] += n
        if better:
            choice = better.most_common(1)[0][0]
            if counts[choice] <= counts[word]:  # the page spells it both ways as often: no telling
                continue
            head, _, tail = _core(tokens[i])
            out[i] = head + choice + tail
    return " ".join(out)
