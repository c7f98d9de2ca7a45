"""Is it a PDF at all: the header test, without the PDF library (`gateway.pdf.inspect` does the safety scan).
`gateway.letter` uses it for every attachment, and the daemon's parent imports `gateway.letter` (the letters
its workers parse come back as `Letter`s) without importing pypdf (issue 16)."""

from __future__ import annotations

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # readers accept the header anywhere in the first 1024 bytes; %%EOF in the last 1024


def looks_like_pdf(data: bytes) -> bool:
    """True when `%PDF-` starts within the first 1024 bytes, as PDF readers allow."""
    return data.find(PDF_MAGIC, 0, MAGIC_WINDOW + len(PDF_MAGIC) - 1) != -1
