"""The number and date a registry clerk wrote by hand, read apart from the page's text
(`gateway.ocr_digits`, kept in `DocumentText.handwriting`), put in place of what Tesseract made of the
same ink (issue 9). Only cells Tesseract was not sure of are read apart, so what is found here is the
better reading of the page; the covering letter and the file name are still weighed against it after
(`gateway.reading.letter`). A field changed here has the source `ocr+handwriting`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from gateway.models import Metadata
from gateway.reading.fields import normalize_number
from gateway.reading.letter import typed_by_number
from gateway.reading.vocab import BY_CODE


def handwriting_clues(text: str) -> dict[str, str]:
    """`number=1135 code=ĐHTĐ day=24 month=10 year=2025` as a dict; words not of that form are left out."""
    return dict(w.split("=", 1) for w in text.split() if re.fullmatch(r"(?:code=\S+|[a-z]+=\d+)", w))


def _year_on_a_type_without_one(doc_type: str | None, code: str) -> bool:
    """A code with a year (`2014/QH13`) read beside the cell of a document whose type never numbers so (a tờ
    trình's, a công văn's): the code of a law the text cites, not the document's (held out 21,
    hanoi-sgtvt-ttr-3296)."""
    kind = BY_CODE.get(doc_type) if doc_type else None
    return kind is not None and kind.normative == "never" and bool(re.match(r"(?:19|20)\d\d/", code))


def apply_handwriting(meta: Metadata, text: str) -> Metadata:
    """The number's digits and the date's day and month, as read by hand-written digit recognition."""
    clues = handwriting_clues(text)
    changes: dict[str, object] = {}
    digits = clues.get("number")
    if digits and meta.number and "/" in meta.number:
        # The printed code after the cell (`/TB-ĐHTĐ`) stays as the page's text gave it.
        number = digits + meta.number[meta.number.index("/") :]
        if number != meta.number:
            changes["number"] = number
    elif (
        digits
        and meta.number is None
        and re.fullmatch(r"(?:(?:19|20)\d\d/)?[A-ZĐ][A-ZĐ0-9-]*[A-ZĐ0-9]", clues.get("code", ""))
        and not _year_on_a_type_without_one(meta.doc_type, clues["code"])
    ):
        # The page's text lost the line (`Số:l145”TB-ĐHTĐ`): the code as read beside the cell.
        changes["number"] = normalize_number(f"{digits}/{clues['code']}")
    if all(k in clues for k in ("day", "month", "year")):
        try:
            date = dt.date(int(clues["year"]), int(clues["month"]), int(clues["day"]))
        except ValueError:  # 31 in a 30-day month: no date is better than a wrong one
            date = None
        if date is not None and date != meta.date:
            changes["date"] = date
    if not changes:
        return meta
    sources = {**meta.field_sources, **{name: "ocr+handwriting" for name in changes}}
    if "number" in changes:  # its notation may say the type and whether it is normative (`66/2024/QĐ-UBND`)
        typed = typed_by_number(meta, str(changes["number"]))
        sources.update(dict.fromkeys(set(typed) - {"legal_normative"}, "ocr+handwriting"))
        changes.update(typed)
    return replace(meta, **changes, field_sources=sources)  # type: ignore[arg-type]
