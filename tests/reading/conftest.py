"""Session-wide readings of the labelled set: rendering, extraction and OCR happen once per test run."""

from __future__ import annotations

import pytest

from gateway.models import Metadata
from gateway.pdf.text import DocumentText, extract_text
from gateway.reading import ReadingSettings, read_metadata
from tests.reading import labelled

SETTINGS = ReadingSettings()


@pytest.fixture(scope="session")
def text_layer_readings() -> list[tuple[labelled.Case, DocumentText, Metadata]]:
    """Every rendered document, read from its text layer."""
    out = []
    for case in labelled.documents():
        text = extract_text(labelled.pdf(case), SETTINGS)
        out.append((case, text, read_metadata(text)))
    return out


@pytest.fixture(scope="session")
def scan_readings() -> list[tuple[labelled.Case, DocumentText, Metadata]]:
    """The quick OCR subset (`scan = true` in documents.toml), read from 200-dpi scans; the bench reads
    the whole scanned set."""
    out = []
    for case in labelled.documents():
        if case.scan and case.ocr:
            text = extract_text(labelled.scan(case), SETTINGS)
            out.append((case, text, read_metadata(text)))
    return out
