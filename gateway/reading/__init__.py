"""Reading an official document: `Metadata` from the text of its first and last pages (R16).

`read_metadata` is pure: text in (`gateway.pdf.text.DocumentText`, and the covering letter's subject and
body), metadata out. The layout it reads is Nghị định 30/2020/NĐ-CP Phụ lục I (see `header`, `closing`,
`copies`); the types and their abbreviations are Phụ lục III (`vocab`).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from gateway.models import CopyBlock, Metadata
from gateway.reading.addressees import read_addressees
from gateway.reading.cells import Page
from gateway.reading.closing import mend_purpose, mend_read_entry, read_closing
from gateway.reading.copies import find_copy, read_copy
from gateway.reading.formulas import complete_formula, standard_marks
from gateway.reading.handwriting import apply_handwriting
from gateway.reading.header import read_header
from gateway.reading.layout import page_from_text
from gateway.reading.letter import apply_file_name, apply_letter, letter_clues
from gateway.reading.mend import mend_marks, rejoin_split_syllables, tidy_subject
from gateway.reading.settings import ReadingSettings, reading_settings
from gateway.reading.spelling import commas_misread, mend_capitals, mend_spelling, unhyphenated
from gateway.reading.stamps import apply_stamps, stamp_clues
from gateway.reading.vocab import mend_agency, mend_districts, mend_own_districts, mend_provinces, named_districts

if TYPE_CHECKING:
    from gateway.pdf.document_text import DocumentText

__all__ = ["ReadingSettings", "read_metadata", "reading_settings"]

log = logging.getLogger(__name__)


def read_metadata(
    text: DocumentText,
    *,
    letter_subject: str | None = None,
    letter_body: str | None = None,
    attachment_name: str | None = None,
) -> Metadata:
    """The document's metadata; fields it does not show stay empty. What a clerk would also look at fills
    some of them and is cross-checked against the rest (`Metadata.mismatches`): the covering letter's
    subject line, then its body, then the attachment's file name; the digital signatures' stamps (a copy's
    form, a signing date). Before them, the number and date cells' handwritten digits read apart from the
    page's text (`DocumentText.handwriting`). `Metadata.field_sources` says where each field came from.

    Never raises: reading is best effort, and a document it cannot make sense of still goes on to the
    rules and the register (an unexpected error is logged and gives empty metadata)."""
    try:
        meta = _read(text)
        meta = replace(meta, field_sources=_sources(meta, text.source))
        if text.source == "ocr":
            meta = _spelled(meta)
        else:
            meta = _rejoined(meta)
        if text.handwriting:
            meta = apply_handwriting(meta, text.handwriting)
        if text.stamps:
            meta = apply_stamps(meta, stamp_clues(text.stamps, text.first_page))
        if letter_subject:
            meta = apply_letter(meta, letter_clues(letter_subject, None), "letter_subject")
        if letter_body:
            meta = apply_letter(meta, letter_clues(None, letter_body), "letter_body")
        if attachment_name:
            meta = apply_file_name(meta, attachment_name)
        return meta
    except Exception:  # a bug here must not stop a letter from being registered
        log.exception("reading the document's metadata failed")
        return Metadata(text_source=text.source)


def _read(text: DocumentText) -> Metadata:
    first = page_from_text(text.first_page)
    last = page_from_text(text.last_page)
    header_page, closing_page, copy_block = _set_copy_apart(first, last, text.first_page == text.last_page)
    header = read_header(header_page)
    closing = read_closing(closing_page.rows, closing_page.columns, header.issuer)
    return Metadata(
        issuer=header.issuer,
        parent_issuer=header.parent_issuer,
        number=header.number,
        doc_type=header.doc_type,
        legal_normative=header.legal_normative,
        date=header.date,
        place=header.place,
        subject=_without_stop(_mended(header.subject, text)),
        urgency=header.urgency,
        secrecy=header.secrecy,
        signer_name=closing.signer_name,
        # a scan's seal may take the title whole under `KT. <head>` or `TM. <body>`; a text layer shows what is
        # printed
        signer_title=closing.signer_title or (closing.implied_title if text.source == "ocr" else None),
        signing_authority=closing.signing_authority,
        recipients_paper=closing.recipients_paper,
        recipients_electronic=closing.recipients_electronic,
        addressees=read_addressees(header_page),
        copy_kind=copy_block.kind if copy_block else None,
        copy_block=copy_block,
        text_source=text.source,
    )


def _without_stop(subject: str | None) -> str | None:
    """A trích yếu without the full stop printed after it (`… năm 2016-2017.`): the register's entry, the reply and
    the edXML package carry the subject, not its sentence's end (Nghị định 30/2020 Phụ lục I sets none)."""
    if subject and subject.endswith(".") and not subject.endswith(".."):
        return subject[:-1].rstrip() or None
    return subject


def _mended(subject: str | None, text: DocumentText) -> str | None:
    """An OCR'd subject with the marks OCR misread spelled as the page's body spells them (`mend`); a text layer's
    with the syllables its font split before their vowel joined again (`rejoin_split_syllables`)."""
    if not subject:
        return subject
    if text.source != "ocr":
        return rejoin_split_syllables(subject)
    return mend_marks(tidy_subject(subject), text.first_page)


def _rejoined(meta: Metadata) -> Metadata:
    """A text layer's lists with the syllables its font split before their vowel joined again, as its subject's
    (`TT HĐND Thành ph ố`, held out 59, hn-ubnd-qd-01-2025)."""
    lists = ("recipients_paper", "recipients_electronic", "addressees")
    changes = {n: tuple(rejoin_split_syllables(v) for v in getattr(meta, n)) for n in lists}
    changes = {n: v for n, v in changes.items() if v != getattr(meta, n)}
    return replace(meta, **changes) if changes else meta  # type: ignore[arg-type]


# The fields whose words are the language's, mended with the lexicon when OCR read them; the signer's name,
# the number, the date and the place are not (names and notations are not in a lexicon).
_SPELLED = ("issuer", "parent_issuer", "subject", "recipients_paper", "recipients_electronic", "addressees")


def _spelled(meta: Metadata) -> Metadata:
    """An OCR'd document's fields with the misread marks and spacing the lexicon mends (`spelling`); a
    changed field's source says so (`ocr+lexicon`)."""
    changes: dict[str, object] = {}
    own: tuple[str, ...] = ()  # the issuer's districts, as its name spells them once mended
    for name in _SPELLED:
        value = getattr(meta, name)
        if not value:
            continue
        if isinstance(value, str):
            mended: object = mend_spelling(value)
            if name in ("issuer", "parent_issuer"):
                mended = mend_districts(mend_agency(mend_capitals(str(mended))))
                own += named_districts(str(mended))
            else:
                mended = mend_own_districts(mend_districts(mend_provinces(str(mended))), own)
        elif name == "recipients_paper":
            mended = tuple(
                standard_marks(
                    complete_formula(
                        mend_districts(
                            mend_provinces(
                                mend_spelling(unhyphenated(mend_purpose(mend_read_entry(commas_misread(v)))))
                            )
                        )
                    )
                )
                for v in value
            )
        else:
            mended = tuple(mend_districts(mend_provinces(mend_spelling(commas_misread(v)))) for v in value)
        if isinstance(mended, tuple):
            mended = tuple(mend_own_districts(v, own) for v in mended)
        if mended != value:
            changes[name] = mended
    if not changes:
        return meta
    sources = {**meta.field_sources, **{n: f"{meta.field_sources.get(n, 'ocr')}+lexicon" for n in changes}}
    return replace(meta, **changes, field_sources=sources)  # type: ignore[arg-type]


_NOT_FIELDS = ("text_source", "mismatches", "field_sources", "legal_normative")


def _sources(meta: Metadata, source: str) -> dict[str, str]:
    """Every field the document itself gave, marked with how its text was read (text_layer | ocr)."""
    return {
        f.name: source
        for f in dataclasses.fields(meta)
        if f.name not in _NOT_FIELDS and getattr(meta, f.name) not in (None, (), "")
    }


def _set_copy_apart(first: Page, last: Page, one_page: bool) -> tuple[Page, Page, CopyBlock | None]:
    """(header page, closing page, copy block): a copy's block read on its own and cut out of the page
    the original's fields are read from: before the original on page 1, or after it on the last page."""
    header_page, closing_page, block = first, last, None
    region = find_copy(first)
    if region is not None and region.start == 0 and region.end < len(first):
        block = read_copy(first, region)
        header_page = Page(first.rows[region.end :], first.columns)
    region = find_copy(last)
    if region is not None and region.start > 0 and region.end == len(last):
        block = read_copy(last, region)
        closing_page = Page(last.rows[: region.start], last.columns)
        if one_page:
            header_page = Page(header_page.rows[: region.start], first.columns)
    return header_page, closing_page, block
