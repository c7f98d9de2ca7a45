"""The signer's name a text layer lacks, read from the page's image (R16: the register records who signed).

Document-management systems sign a born-digital document by laying an image on its last page: the signature,
often with the signer's name printed under it, and the signature stamp's text beside it (Nghị định 30/2020
Phụ lục I: the name under the signature). The text layer then has the authority line and the title but no name
(held out 43, daknong-stc-cv-1322: `KT. GIÁM ĐỐC` / `PHÓ GIÁM ĐỐC`, `Nguyễn Ngọc Đức` only in the image).
Such a page's right half is read by OCR, and the first person's name under a title there is the signer's; it
is added to the page's text under the title, where the closing's reader looks for it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gateway.ocr import layout_text, ocr_words, prepare
from gateway.reading.vocab import canonical_title
from gateway.reading.words import authority_prefix, person_name

if TYPE_CHECKING:
    from PIL import Image
    from pypdf import PageObject

_SEGMENTS = re.compile(r"\S+(?: \S+)*")  # a line's runs of text, two spaces or more between them
_SPECKS = re.compile(r"^[\W_]+\s*")  # the signature's stroke read before the name (`_ Lữ Quang Ngời`)
_RIGHT_COLUMN = 30  # a signer block's line starts at this column or further right in a layout text
_LEFT_EDGE = 0.45  # the page's right part OCR reads, from this fraction of its width
DPI = 300  # a name printed small in a signature image needs more than the scans' 200 dpi


def title_without_name(text: str) -> int | None:
    """The column of the signer's title when the page's text has an authority line or a title in its right
    column and no person's name after it, else None."""
    column, lines = None, text.splitlines()
    for k, line in enumerate(lines):
        for m in _SEGMENTS.finditer(line):
            if m.start() >= _RIGHT_COLUMN and (authority_prefix(m[0]) or canonical_title(m[0])):
                column, at = m.start(), k
    if column is None:
        return None
    after = (m[0] for line in lines[at + 1 :] for m in _SEGMENTS.finditer(line))
    return None if any(person_name(segment) for segment in after) else column


def draws_image(page: PageObject, *, fields: bool = True) -> bool:
    """Whether the page draws an image: itself, in a form it draws (a page the Government portal's signing
    wrapped whole in one, held out 39, chinhphu-nd-168-2022), a few forms deep, or, with `fields`, in its
    signature fields' appearances (the signature's image). Read from the resources; nothing is decoded."""
    resources = [page.get("/Resources")]
    if fields:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            normal = (widget.get("/AP") or {}).get("/N") if widget.get("/Subtype") == "/Widget" else None
            if normal is not None:
                resources.append(normal.get_object().get("/Resources"))
    return any(_images_in(r, _FORM_DEPTH) for r in resources)


_FORM_DEPTH = 3  # forms inside forms looked into


def _images_in(resources: Any, depth: int) -> bool:
    if resources is None:
        return False
    xobjects = resources.get_object().get("/XObject")
    for x in xobjects.get_object().values() if xobjects is not None else ():
        thing = x.get_object()
        if thing.get("/Subtype") == "/Image":
            return True
        if thing.get("/Subtype") == "/Form" and depth > 0 and _images_in(thing.get("/Resources"), depth - 1):
            return True
    return False


def name_in_image(page: Image.Image, *, language: str, timeout: float, tessdata: str) -> str | None:
    """The first person's name under a title in the right part of a page rendered at `DPI` with its form fields
    drawn (a signature field's appearance is its image), or None."""
    w, h = page.size
    crop = prepare(page.crop((int(w * _LEFT_EDGE), 0, w, h)))  # a short letter's closing is high up
    words = ocr_words(crop, language=language, timeout=timeout, tessdata=tessdata, dpi=DPI)
    title: tuple[int, int] | None = None  # the last title's span on the layout's character grid
    for line in layout_text(words).splitlines():
        for m in _SEGMENTS.finditer(line):
            if authority_prefix(m[0]) or canonical_title(m[0]):
                title = m.span()
            elif title and _under(m.span(), title) and (name := person_name(_SPECKS.sub("", m[0]))):
                return name
    return None


def _under(span: tuple[int, int], title: tuple[int, int]) -> bool:
    """Whether a run of text is centred under the title, as the name is (the signature stamp's text stands
    beside it: `Cơ quan: Tỉnh Đắk Nông`)."""
    middle, title_middle = sum(span) / 2, sum(title) / 2
    return abs(middle - title_middle) <= max(span[1] - span[0], title[1] - title[0]) / 2


def with_name(text: str, name: str, column: int) -> str:
    """The page's text with the signer's name on a line of its own at its end, in the title's column."""
    return f"{text.rstrip()}\n\n{' ' * column}{name}\n"
