"""What reading a PDF's text gives (`DocumentText`), without the PDF and image libraries that make it
(`gateway.pdf.text`): the daemon's parent receives these from its evaluation workers and stores them
(`gateway.derived`) without importing pypdf, Pillow or the OCR code (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Source = Literal["text_layer", "ocr", "none"]


@dataclass(frozen=True)
class DocumentText:
    """Layout text of the first and last pages (the same text twice for a one-page document)."""

    first_page: str = ""
    last_page: str = ""
    source: Source = "none"
    pages: int = 0
    ocr_seconds: float = 0.0  # wall time spent in OCR
    ocr_pages: int = 0  # pages OCR'd
    problem: str | None = None  # why there is no text, or only part of it
    stamps: str = ""  # the visible text of the digital signatures' stamps (`SAO Y; ỦY BAN …; Thời gian ký: …`)
    reading: str = ""  # the reading settings and OCR code it was made with (`gateway.derived.reading_key`)
    # The digits a registry clerk wrote by hand in page 1's number and date cells, read apart from the
    # page's text (`gateway.ocr_digits.read_cells`): `number=1135 day=24 month=10 year=2025`, or "".
    handwriting: str = ""
    reused: bool = False  # the stored text of the same document, not read again (`gateway.derived.load`)
