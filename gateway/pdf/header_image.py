"""The number and the place-and-day line a text layer leaves blank, read from the page's image (R16: the register
records the document's number and date as issued).

Registry software numbers and dates a born-digital document when it is issued by laying images over the blanks the
drafter left: `Số:        /GM-ĐLPC` with the figures in an image, and the place-and-day line (`Đăk Lăk, ngày 03
tháng 11 năm 2021`) as another (held out 45, the Công ty Điện lực Đắk Lắk's giấy mời 16778 and thông báo 16452).
The text layer then has the notation without its number and no date at all. When the first page's layer is so and
the page draws an image, the header's band is read by OCR, and the number's figures and the dated line found there
are put into the layer's text where the reader looks for them. What OCR does not find leaves the layer as it was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gateway.ocr import layout_text, ocr_words, prepare

if TYPE_CHECKING:
    from PIL import Image

DPI = 400  # the number's figures are typed small in their image (12 px high at 200 dpi)
_BAND = 0.3  # the header is in the page's top part: its agency, motto, number and date lines
_HEADER_LINES = 15  # lines of the layer's text the header is looked for in
# `Số:` and the notation's slash with nothing but blanks between: the number left for the registry to fill
_BLANK_NUMBER = re.compile(r"^(?P<label>\s*S[ốỐ]\s*:?)\s*(?=/[A-ZĐ])", re.MULTILINE)
_NUMBER_LINE = re.compile(r"^\s*S[ốỐ]\s*:?\s")
_DATED = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}", re.I)
# in OCR's reading of the band: `Số: 16778 /GM-ĐLPC`, and a place-and-day run (`Đăk Lăk, ngày 03 tháng 1Ì năm 2021`)
_OCR_NUMBER = re.compile(r"\bS[ốỐôÔoO]\s*[:.]?\s*(\d{1,6})\s*/")
_OCR_DATED = re.compile(
    r"(?<!\S)(?P<place>[^\W\d_][^\s,]*(?: [^\s,]+){0,4}),?\s+ngày\s+(?P<day>\S{1,3})\s+th\S{2,4}\s+(?P<month>\S{1,3})"
    r"\s+n\S{2}\s+(?P<year>\d{4})"
)
# a figure OCR read as a letter or a bracket in the italic date (`tháng 1Ì`, `1]`, `O3`)
_FIGURES = str.maketrans({"I": "1", "l": "1", "|": "1", "]": "1", "Ì": "1", "Í": "1", "í": "1", "O": "0", "o": "0"})
_GAP = " " * 8  # between the number's cell and the dated line put beside it


def blanks(text: str) -> tuple[bool, bool]:
    """Whether the page's header lacks the number's figures, and whether it lacks a dated line (neither when the
    header has no `Số:` line to put them on)."""
    lines = text.splitlines()[:_HEADER_LINES]
    numbered = next((k for k, line in enumerate(lines) if _NUMBER_LINE.match(line)), None)
    if numbered is None:
        return False, False
    head = "\n".join(lines[: numbered + 2])  # the dated line beside the number's or under it, not the body's days
    return bool(_BLANK_NUMBER.search(head)), not _DATED.search(head)


def header_in_image(page: Image.Image, *, language: str, timeout: float, tessdata: str) -> tuple[str, str]:
    """The number's figures and the place-and-day line in the top band of a page rendered at `DPI` with its
    form fields drawn; either empty when OCR does not find it."""
    w, h = page.size
    words = ocr_words(
        prepare(page.crop((0, 0, w, int(h * _BAND)))), language=language, timeout=timeout, tessdata=tessdata, dpi=DPI
    )
    text = layout_text(words)
    number = _OCR_NUMBER.search(text)
    return (number.group(1) if number else ""), _dated_line(text)


def _dated_line(text: str) -> str:
    """The place-and-day line OCR read in `text`, its day's and month's figures mended, or empty."""
    m = _OCR_DATED.search(text)
    if m is None:
        return ""
    day, month = m["day"].translate(_FIGURES), m["month"].translate(_FIGURES)
    if not (day.isdigit() and month.isdigit() and 1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return ""
    return f"{m['place']}, ngày {day} tháng {month} năm {m['year']}"


def with_header(text: str, number: str, dated: str) -> str:
    """The page's text with the number's figures after `Số:` and the dated line beside the number's cell; as it
    was when neither is given or the number's line is not found."""
    m = _BLANK_NUMBER.search(text)
    if m is None or not (number or dated):
        return text
    end = text.find("\n", m.end())
    end = len(text) if end < 0 else end
    line = text[m.end() : end].rstrip()
    filled = f"{m['label']} {number}{line}" if number else f"{m['label']}{text[m.end('label') : m.end()]}{line}"
    if dated:
        filled += _GAP + dated
    return text[: m.start()] + filled + text[end:]
