"""Handwritten digits in the number and date cells (issue 9): `gateway.ocr_digits` on real agency scans
(tests/reading/real_pdfs, their labels in real_pdfs.toml) and `gateway.reading.handwriting` putting what
it read in place of Tesseract's reading. Real Tesseract, real scans, the stored MNIST samples."""

from __future__ import annotations

import datetime as dt

from PIL import Image, ImageDraw

from gateway.derived import parse, render
from gateway.models import Metadata
from gateway.ocr import deskew, ocr_words, prepare
from gateway.ocr_digits import classify, glyphs, read_bounded, read_cells
from gateway.pdf.document_text import DocumentText
from gateway.pdf.text import _render, extract_text
from gateway.reading import ReadingSettings, read_metadata
from gateway.reading.handwriting import apply_handwriting, handwriting_clues
from tests.reading import real

DPI = 200


def _cells(doc_id: str) -> str:
    doc = next(d for d in real.real_pdfs() if d.case.id == doc_id)
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    gray = deskew(prepare(_render(data, 0, DPI)))
    header = gray.crop((0, 0, gray.width, gray.height // 2))
    return read_cells(header, ocr_words(header, dpi=DPI), language="vie", tessdata="", dpi=DPI, timeout=30)


def test_a_clerks_handwritten_number_and_date_are_read_from_a_real_scan():
    # Trường Đại học Tây Đô's 1135/ĐHTĐ: `1135`, `24` and `10` written in ink; Tesseract reads `4132`.
    assert handwriting_clues(_cells("tdu-cv-1135")) == {
        "number": "1135",
        "code": "ĐHTĐ",
        "day": "24",
        "month": "10",
        "year": "2025",
    }


def test_printed_digits_tesseract_is_sure_of_are_left_to_it():
    # A Government Office letter: number and day typed. MNIST would read its 4 as a 6 (2994 → 2996).
    clues = handwriting_clues(_cells("vpcp-cv-2994-hoa-toc"))
    assert "number" not in clues
    assert (clues.get("day"), clues.get("month")) == ("9", "4")  # Tesseract's own reading of the cells


def test_a_drafts_blank_number_cell_gets_no_digit_made_up():
    """A real draft's number cell left blank (held out 64, lamdong-ubnd-cv-thads-2026, as a 200-dpi scan: `Số:
    /UBND-NC`): one shape where Tesseract saw nothing is no handwritten number (it was read `1`)."""
    case = next(c for c in real.real_texts() if c.id == "lamdong-ubnd-cv-thads-2026")
    gray = deskew(prepare(_render(real.text_scan(case), 0, DPI)))
    header = gray.crop((0, 0, gray.width, gray.height // 2))
    clues = handwriting_clues(
        read_cells(header, ocr_words(header, dpi=DPI), language="vie", tessdata="", dpi=DPI, timeout=30)
    )
    assert "number" not in clues


def test_a_date_in_a_body_line_is_not_taken_for_the_headers():
    # A resolution without a place and date line: `… số 29/2022/UBTVQH15 ngày 12 tháng 12 năm 2022` in
    # its preamble is another document's date.
    assert "day" not in handwriting_clues(_cells("ubtvqh-nq-73"))


def test_the_reader_takes_the_handwritten_reading_and_says_so():
    doc = next(d for d in real.real_pdfs() if d.case.id == "tdu-cv-1135")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, ReadingSettings())
    assert "number=1135" in text.handwriting
    meta = read_metadata(text)
    assert (meta.number, meta.date) == ("1135/ĐHTĐ", dt.date(2025, 10, 24))
    assert meta.field_sources["number"] == meta.field_sources["date"] == "ocr+handwriting"
    plain = read_metadata(DocumentText(text.first_page, text.last_page, "ocr", text.pages))
    assert plain.number != "1135/ĐHTĐ" and plain.date is None  # what Tesseract alone gives


def test_apply_handwriting_keeps_the_printed_code_and_refuses_impossible_dates():
    meta = Metadata(number="4132/ĐHTĐ", date=None, field_sources={"number": "ocr"})
    done = apply_handwriting(meta, "number=1135 code=ĐHTĐ day=31 month=4 year=2025")  # 31 April
    assert done.number == "1135/ĐHTĐ" and done.date is None
    assert done.field_sources == {"number": "ocr+handwriting"}
    lost = apply_handwriting(Metadata(), "number=1145 code=TB-ĐHTĐ day=28 month=10 year=2025")
    assert (lost.number, lost.date) == ("1145/TB-ĐHTĐ", dt.date(2025, 10, 28))
    assert apply_handwriting(Metadata(), "number=1145 code=;-)") == Metadata()  # no code: no number
    # a law's code with its year read beside a tờ trình's cell is the text's citation, not its number (held out
    # 21, hanoi-sgtvt-ttr-3296); a quyết định may be numbered so
    cited = apply_handwriting(Metadata(doc_type="to_trinh"), "number=1711 code=2014/QH13")
    assert cited.number is None
    normative = apply_handwriting(Metadata(doc_type="quyet_dinh"), "number=12 code=2020/QĐ-UBND")
    assert normative.number == "12/2020/QĐ-UBND"


def test_read_bounded_picks_the_likeliest_valid_value():
    one, three, seven = ([0.0] * 10 for _ in range(3))
    one[1], three[3], three[8], seven[7] = 1.0, 0.6, 0.4, 1.0
    assert read_bounded([three, seven], 1, 31) is None  # 37 and 87 are no day
    assert read_bounded([one, three], 1, 12) is None  # 13 is no month; nothing else is likely
    assert read_bounded([one, seven], 1, 31) == 17
    assert read_bounded([], 1, 31) is None


def test_glyphs_are_cut_apart_and_classified():
    cell = Image.new("L", (200, 80), 255)
    draw = ImageDraw.Draw(cell)
    draw.line((30, 15, 30, 65), fill=0, width=5)  # a 1
    draw.ellipse((80, 15, 120, 65), outline=0, width=5)  # a 0
    draw.point((160, 40), fill=0)  # a speck
    found = glyphs(cell, DPI, 10, 70)
    assert len(found) == 2
    assert max(range(10), key=classify(found[0][1]).__getitem__) == 1
    assert max(range(10), key=classify(found[1][1]).__getitem__) == 0


def test_the_handwriting_survives_the_stored_derived_text():
    text = DocumentText("a", "b", "ocr", 1, handwriting="number=1135 code=ĐHTĐ day=24 month=10 year=2025")
    assert parse(render(text)) == text


def test_a_handwritten_normative_number_makes_the_document_normative():
    # Real 66/2024/QĐ-UBND: the page's text lost the number; the one read by hand has the year.
    meta = Metadata(doc_type="quyet_dinh", field_sources={"doc_type": "ocr"}, text_source="ocr")
    done = apply_handwriting(meta, "number=66 code=2024/QĐ-UBND day=15 month=11 year=2024")
    assert (done.number, done.legal_normative, done.date) == ("66/2024/QĐ-UBND", True, dt.date(2024, 11, 15))
    assert done.field_sources["number"] == "ocr+handwriting"


def test_a_fault_in_the_cells_reader_costs_only_the_handwriting(monkeypatch):
    doc = next(d for d in real.real_pdfs() if d.case.id == "tdu-cv-1135")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None

    def broken(*args, **kwargs):  # a fault injected where a hostile scan could trip the cells reader
        raise ValueError("box outside the image")

    monkeypatch.setattr("gateway.pdf.text.read_cells", broken)
    text = extract_text(data, ReadingSettings())
    assert text.problem is None and text.handwriting == ""
    assert "TRƯỜNG ĐẠI HỌC TÂY ĐÔ" in text.first_page  # the page's OCR text is kept
