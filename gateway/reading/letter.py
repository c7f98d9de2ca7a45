"""What the covering e-mail says about the document (`Số 123/UBND-VP ngày 05/01/2020 V/v …`), and what the
attachment's file name says (`299 UB.signed.pdf`, `TB_so_561_Vv_….pdf`): a fallback for fields the document
does not yield (a number or a day written by hand), and a cross-check for those it does."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from datetime import date

from gateway.models import Metadata
from gateway.reading.fields import abbreviation_type, find_short_date, normalize_number, number_parts, party_number
from gateway.reading.header import is_normative
from gateway.reading.vocab import BY_CODE
from gateway.reading.words import CODE_CHARS, NOTATION
from gateway.vntext import nfc, skeleton

_LABELLED = re.compile(r"(?<![a-z0-9])(?:so|ky hieu|so ky hieu)\s*[:.]?\s*(?=[\d/])")
_BARE = re.compile(r"(?<![\w/])\d{1,6}(?:/(?:19|20)\d\d)?/[A-ZĐ][" + CODE_CHARS + r"]*(?:-[" + CODE_CHARS + r"]+)+")
_VV = re.compile(r"(?<![a-z])(?:v\s*/\s*v|ve\s+viec)\b\s*:?\s*")
_PREFIX = re.compile(r"^(?:v\s*/\s*v|ve\s+viec)\b\s*:?\s*")
_EDGE = ".,;:!?()[]\"'“”‘’"


@dataclass(frozen=True)
class LetterClues:
    numbers: tuple[str, ...] = ()
    subject: str | None = None
    date: date | None = None


def letter_clues(subject: str | None, body: str | None) -> LetterClues:
    """The numbers (`Số 123/UBND-VP`, `số 01-GM/CBIOC`, or a bare `123/UBND-VP`), the `V/v …` subject and the
    date next to a number (`ngày 05/01/2020`) that the letter's subject line and body mention."""
    subject, body = nfc(subject or "")[:2000], nfc(body or "")[:20000]
    numbers: list[str] = []
    for text in (subject, body):
        key = skeleton(text)
        typed: list[range] = []  # where a whole notation typed up to its date stands
        for m in _LABELLED.finditer(key):
            n = NOTATION.match(text, m.end())
            if n and (n.group("num") or n.group("year")):
                number = normalize_number(n.group())
            elif (party := party_number(text[m.end() : m.end() + 60])) and party[:1].isdigit():
                number = party  # the Party's notation, its type before the slash (`số 01-GM/CBIOC`)
            else:
                continue
            whole, end = _whole(text, m.end(), number)
            numbers.append(whole)
            if whole != number:
                typed.append(range(m.end(), end))
        bare = [m for m in _BARE.finditer(text) if not any(m.start() in span for span in typed)]
        numbers += [normalize_number(m.group()) for m in bare]
    when = None
    for text in (subject, body):
        for number_text in re.finditer(r"\d{1,6}[a-d]?(?:/\d{4})?/\S+|\d{1,6}-[A-ZĐ]{1,4}/\S+", text):
            when = when or find_short_date(text[number_text.end() : number_text.end() + 40])
    return LetterClues(tuple(dict.fromkeys(numbers)), _subject(subject) or _subject(body), when)


# A number's notation as the sender typed it, up to the date after it: `số 695/BCĐ 389/TP-CQTT ngày 31/7/2020`.
_UP_TO_DATE = re.compile(r"([^\n]{1,40}?)(?=\s+ngày\s+\d)")
_SEPARATOR = re.compile(r"\s*([/:,&\-–—])\s*")


def _whole(text: str, start: int, number: str) -> tuple[str, int]:
    """`number` (read at `start` of `text`) and where it ends; or the whole notation typed there up to `ngày`
    and where that ends, when it goes on past `number` in capitals and figures: a code with a space
    (`695/BCĐ 389/TP-CQTT`, `09-CV/ĐTN CCQ`), a colon (`2489/BCLN:SGDĐT-ĐPTTH`) or commas
    (`154/CTPH-LĐLĐ-SVH,TT,DL`) inside, where the notation's pattern stops. Its spaces between letters or
    figures stay, as printed; those about a separator go."""
    span = _UP_TO_DATE.match(text, start)
    if span is None or any(c.islower() for c in span[1]):
        return number, start
    typed = " ".join(normalize_number(part) for part in _SEPARATOR.sub(r"\1", span[1]).split())
    whole = skeleton(typed).replace(" ", "")
    if whole.startswith(skeleton(number)) and len(whole) > len(skeleton(number)):
        return typed, span.end()
    return number, start


def _subject(text: str) -> str | None:
    """`V/v …` to the end of its line or sentence."""
    key = skeleton(text)
    m = _VV.search(key)
    if not m:
        return None
    rest = text[m.start() :].split("\n")[0]
    rest = re.split(r"(?<=[.;])\s|\s{2,}", rest)[0].strip(" .;")
    return " ".join(rest.split()) or None


def _comparable(subject: str) -> str:
    key = _PREFIX.sub("", skeleton(subject).strip())
    return " ".join(re.sub(r"[^\w\s]", " ", key).split())


def _same_subject(a: str, b: str) -> bool:
    x, y = _comparable(a), _comparable(b)
    if not x or not y:
        return True
    if x.startswith(y) or y.startswith(x):  # e-mail subjects get cut short
        return True
    return difflib.SequenceMatcher(None, x, y).ratio() >= 0.85


def _same_number(a: str, b: str) -> bool:
    return skeleton(a).replace(" ", "") == skeleton(b).replace(" ", "")


def _blank_number(number: str) -> bool:
    return number_parts(number)[0] is None


# `299 UB.signed.pdf`, `TB_so_561_Vv_….pdf`, `1135_CV_gui_….pdf`, `QD-539-2025.pdf`: the number the sender
# named the file after, at its start or after a type and `so`.
_FILE_NUMBER = re.compile(
    r"^(?:(?P<kind>[a-z]{2,4})[\s_.-]+(?:so[\s_.-]*)?)?(?P<num>\d{1,6})(?=[\s_.-]|[a-z]{2}\b|$)", re.IGNORECASE
)


def file_number(name: str | None) -> str | None:
    """The document number a file name starts with (`299` of `299 UB.signed.pdf`), or None."""
    if not name:
        return None
    stem = skeleton(nfc(name)).rsplit("/", 1)[-1]
    m = _FILE_NUMBER.match(stem)
    return m.group("num").lstrip("0") or None if m else None


def apply_file_name(meta: Metadata, name: str | None) -> Metadata:
    """A number left blank on the page (handwritten, or a draft's) completed from the file name's:
    `/TB-ĐHTĐ` and `TB_so_561_….pdf` give `561/TB-ĐHTĐ`; an OCR'd subject's word with a speck inside
    (`GDQ@D`) mended by the file name's (`…_he_thong_GDQD_24.10.2025.pdf`)."""
    meta = _subject_from_name(meta, name)
    num = file_number(name)
    if num is None or meta.number is None or not _blank_number(meta.number) or meta.number[:1] not in "/-":
        return meta
    sources = {**meta.field_sources, "number": "attachment_name"}
    return replace(meta, number=f"{num}{meta.number}", field_sources=sources)


_NAME_WORDS = re.compile(r"[^\W_]+")


def _subject_from_name(meta: Metadata, name: str | None) -> Metadata:
    """The OCR'd subject's words that a speck split (`GDQ@D`, `kiểm.định`) spelled as the file name spells
    them, where the name has the word without the speck: the sender typed the name."""
    if not name or not meta.subject or meta.text_source != "ocr":
        return meta
    named = {w.lower() for w in _NAME_WORDS.findall(skeleton(nfc(name)))}
    tokens = meta.subject.split(" ")
    for i, token in enumerate(tokens):
        inner = token.strip(_EDGE)
        bare = "".join(c for c in inner if c.isalnum())
        if bare != inner and len(bare) >= 3 and skeleton(bare).lower() in named:
            tokens[i] = token.replace(inner, bare)
    subject = " ".join(tokens)
    if subject == meta.subject:
        return meta
    sources = {**meta.field_sources, "subject": f"{meta.field_sources.get('subject', 'ocr')}+attachment_name"}
    return replace(meta, subject=subject, field_sources=sources)


def _mend_words(subject: str, letter: str) -> str:
    """The OCR'd subject with each word spelled as the letter's subject spells it where the two differ only in
    marks (`đôi với` / `đối với`): the sender typed the letter."""
    ours, theirs = subject.split(" "), letter.split(" ")
    keys = [skeleton(w).lower() for w in ours], [skeleton(w).lower() for w in theirs]
    out = list(ours)
    for block in difflib.SequenceMatcher(None, *keys, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            a, b = ours[block.a + k], theirs[block.b + k]
            if [c.isupper() for c in a] == [c.isupper() for c in b]:  # marks only, not the case
                out[block.a + k] = b
    return " ".join(out)


def apply_letter(meta: Metadata, clues: LetterClues, source: str = "letter_subject") -> Metadata:
    """Fill what the document left blank from the letter, and list where they disagree."""
    mismatches = list(meta.mismatches)
    changes: dict[str, object] = {}
    if clues.numbers:
        if meta.number is None or _blank_number(meta.number):
            # A number left blank (a draft's `Số:      /TTr-VPCP`, or one written by hand and lost to
            # OCR): the letter's, if exactly one number of it fits.
            fits = [n for n in clues.numbers if meta.number is None or _same_code(n, meta.number)]
            if len(fits) == 1:
                changes["number"] = fits[0]
        elif not any(_same_number(meta.number, n) for n in clues.numbers):
            mismatches.append(_mismatch("number", ", ".join(clues.numbers), meta.number))
            # On a scan the number is most often written by hand and OCR misreads it; the sender's typed
            # letter naming the same notation is the better source (the disagreement stays listed).
            code = meta.number.split("/", 1)[-1]
            fits = [n for n in clues.numbers if _near_code(n, code) or _cut_short(meta.number, n)]
            if meta.text_source == "ocr" and len(fits) == 1:
                changes["number"] = fits[0]
        elif meta.text_source == "ocr" and meta.number not in clues.numbers:
            # the same notation but for a space OCR lost inside its code (`09-CV/ĐTNCCQ` for the letter's
            # `09-CV/ĐTN CCQ`, held out 23): as the sender typed it
            spaced = [n for n in clues.numbers if _same_number(meta.number, n) and " " in n]
            if len(spaced) == 1:
                changes["number"] = spaced[0]
    if clues.subject:
        if meta.subject is None:
            changes["subject"] = clues.subject
        elif not _same_subject(clues.subject, meta.subject):
            mismatches.append(_mismatch("subject", clues.subject, meta.subject))
        elif meta.text_source == "ocr" and (mended := _mend_words(meta.subject, clues.subject)) != meta.subject:
            changes["subject"] = mended
    if clues.date:
        if meta.date is None:
            changes["date"] = clues.date
        elif clues.date != meta.date:
            mismatches.append(_mismatch("date", clues.date.isoformat(), meta.date.isoformat()))
            if meta.text_source == "ocr":  # the day, too, is often handwritten on a scan
                changes["date"] = clues.date
    sources = {**meta.field_sources, **dict.fromkeys(changes, source)}
    if meta.subject is not None and "subject" in changes:  # mended word by word: the page's and the letter's
        sources["subject"] = f"{meta.field_sources.get('subject', 'ocr')}+{source}"
    if isinstance(changes.get("number"), str):
        typed = typed_by_number(meta, str(changes["number"]))
        sources.update(dict.fromkeys(set(typed) - {"legal_normative"}, source))
        changes.update(typed)
    return replace(meta, **changes, mismatches=tuple(mismatches), field_sources=sources)  # type: ignore[arg-type]


def typed_by_number(meta: Metadata, number: str) -> dict[str, object]:
    """What a number read from the letter or from handwriting says besides itself: the type its notation
    names where the title was lost (`82/NQ-CP`), and whether the document is normative
    (`73/2025/UBTVQH15`, R9)."""
    kind = BY_CODE.get(meta.doc_type) if meta.doc_type else abbreviation_type(number)
    out: dict[str, object] = {"legal_normative": is_normative(kind, number)}
    if meta.doc_type is None and kind is not None:
        out["doc_type"] = kind.code
    return out


def _same_code(number: str, blank: str) -> bool:
    """Whether `number` ends with a blank number's code, OCR's lost marks aside (`/TB-DHTD`), or goes on
    from it after a separator OCR cut it at (`/CTPH-LĐLĐ-SVH` of `154/CTPH-LĐLĐ-SVH,TT,DL`, held out 16)."""
    whole, code = (skeleton(x).replace(" ", "") for x in (number, blank))
    at = whole.find(code)
    return at >= 0 and (at + len(code) == len(whole) or not whole[at + len(code)].isalnum())


def _cut_short(read: str, number: str) -> bool:
    """Whether the page's number is the letter's cut short where OCR lost the code's rest after a `&`, a `:` or
    a space (`876/BQLDADD` for `876/BQLDADD&CN-PPP`, held out 23, hanoi-bqldaddcn-cv-876): the same figures, the
    code's first three characters at least."""
    a, b = (skeleton(x).replace(" ", "") for x in (read, number))
    return len(a.split("/", 1)[-1]) >= 3 and b.startswith(a) and len(b) > len(a) and not b[len(a)].isalnum()


def _near_code(number: str, code: str) -> bool:
    """Whether `number`'s code (after its first `/`) is `code` but for one character OCR added, lost or
    misread (`ĐTB-ĐHKTCN` for `TB-ĐHKTCN`, `UBTVQHI5` for `UBTVQH15`), its lost marks and an H read as `II` aside;
    a digit read as another (a year's) or added is never that character, and a code of four characters or fewer
    must be the same."""
    # a scan's H broken into two strokes reads `II` (`QĐ-DIIBK` for `QĐ-ĐHBK`, held out 49, hust-qd-6126-2023)
    a = skeleton(number.split("/", 1)[-1]).replace(" ", "").replace("ii", "h")
    b = skeleton(code).replace(" ", "").replace("ii", "h")
    if a == b:
        return True
    if min(len(a), len(b)) <= 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(differ) == 1 and not all(c.isdigit() for c in differ[0])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short and not long[i].isdigit() for i in range(len(long)))


def _mismatch(field: str, letter: str, document: str) -> str:
    return f"{field}: thư điện tử ghi «{letter}», văn bản ghi «{document}»"
