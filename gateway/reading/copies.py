"""Copies (*sao y*, *trích sao*, *sao lục*; Nghị định 30/2020 Điều 25–27, Phụ lục I, IV).

A copy carries the copying agency's block: its name, the copy's own number (`15/SY-VP`), the form of
copy (`SAO Y`), place and date, recipients and signer. It sits under a rule after the original's last
line, or — in some renderings of a copy — before the original. The original's fields must not be read
from it, and it is reported apart (`Metadata.copy_block`).
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.models import CopyBlock
from gateway.reading.cells import Page
from gateway.reading.closing import read_closing
from gateway.reading.fields import find_date, find_number, mark, title_type
from gateway.reading.header import agencies
from gateway.reading.vocab import canonical_title
from gateway.reading.words import authority_prefix, is_person_name, is_upper_text


@dataclass(frozen=True)
class CopyRegion:
    kind: str  # sao_y | trich_sao | sao_luc
    start: int  # rows [start, end) of the page
    end: int


def find_copy(page: Page) -> CopyRegion | None:
    """The copy block on the page, found by its form of copy (`SAO Y`…) printed on its own line."""
    rows = page.rows
    for i, row in enumerate(rows):
        for cell in row.cells:
            found = mark(cell)
            if found and found[0] == "copy":
                return _region(page, i, found[1])
    return None


def _region(page: Page, at: int, kind: str) -> CopyRegion:
    """The block's rows around its mark: from the copying agency's name down to the end of the page,
    or, printed before the original (whose title follows), from the top down to the copy's signer."""
    rows = page.rows
    title_after = any(len(r.cells) == 1 and title_type(r.cells[0]) for r in rows[at + 1 : at + 30])
    if title_after and at < len(rows) // 2:  # the copy block printed before the original
        for j in range(at + 1, min(len(rows), at + 25)):
            if any(is_person_name(c.text) for c in rows[j].cells):
                return CopyRegion(kind, 0, j + 1)
        return CopyRegion(kind, 0, at + 1)
    start = at
    for j in range(at - 1, max(at - 5, -1), -1):  # the agency name and number may sit above the mark
        cells = [c for c in rows[j].cells if not c.right or not page.columns]
        if rows[j].blank or not cells or any(is_person_name(c.text) for c in rows[j].cells):
            break
        if all(find_number(c) or _agency_line(c.text) for c in cells):
            start = j
        else:
            break
    return CopyRegion(kind, start, len(rows))


def _agency_line(text: str) -> bool:
    """A line of the copying agency's name, not of the original's signer block above it."""
    return is_upper_text(text) and not authority_prefix(text) and canonical_title(text) is None


def read_copy(page: Page, region: CopyRegion) -> CopyBlock:
    """The copying agency's block: agency, the copy's number, place and date, recipients, signer."""
    rows = page.rows[region.start : region.end]
    number = when = place = None
    number_row = None
    for i, row in enumerate(rows):
        for cell in row.cells:
            if number is None and (found := find_number(cell)):
                number, number_row = found, i
            if when is None and place is None and (dated := find_date(cell)):
                place, when = dated
    head = rows[: number_row if number_row is not None else 3]
    _, issuer = agencies(head)
    closing = read_closing(rows, page.columns)
    return CopyBlock(
        kind=region.kind,
        issuer=issuer,
        number=number,
        date=when,
        place=place,
        signer_name=closing.signer_name,
        signer_title=closing.signer_title,
        signing_authority=closing.signing_authority,
        recipients=closing.recipients_paper,
    )
