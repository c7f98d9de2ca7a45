"""gateway.ocr: Tesseract's words laid out as column-keeping text; the red seal removed; the closing of a
last page found on the image. Real Tesseract, real rendered pages."""

from __future__ import annotations

from datetime import date

import pytest
from PIL import Image, ImageDraw

from gateway.ocr import Word, find_closing, layout_text, parse_tsv, prepare, run_tesseract
from gateway.pdf.text import _render
from gateway.samples.render import CopyBlock, SampleDoc, render_document, render_scan

DPI = 200


def _word(text: str, left: int, top: int, line: tuple[int, int, int], width: int | None = None) -> Word:
    return Word(text, left, top, width or 14 * len(text), 30, 95.0, line)


def test_layout_text_keeps_columns_apart_and_gaps_as_blank_lines():
    words = [
        _word("Nơi", 100, 1000, (1, 1, 1)),
        _word("nhận:", 160, 1000, (1, 1, 1)),
        _word("KT.", 900, 1004, (2, 1, 1)),  # another block, the same row
        _word("GIÁM", 950, 1004, (2, 1, 1)),
        _word("ĐỐC", 1024, 1004, (2, 1, 1)),
        _word("Nguyễn", 900, 1200, (3, 1, 1)),
        _word("Văn", 1000, 1200, (3, 1, 1)),
        _word("An", 1050, 1200, (3, 1, 1)),
    ]
    lines = layout_text(words).split("\n")
    assert lines[0].split() == ["Nơi", "nhận:", "KT.", "GIÁM", "ĐỐC"]
    assert "nhận:   " in lines[0] and "KT. GIÁM ĐỐC" in lines[0]  # a wide gap between, single spaces within
    assert lines[1] == ""  # the gap above the name
    assert lines[2].strip() == "Nguyễn Văn An"
    assert layout_text([]) == ""
    # a region where Tesseract found only lone letters and specks (a seal's rim on a page before an annex,
    # real dongnai-ubnd-qd-1772 at 180 dpi): laid out all the same, no exception
    specks = [_word("Ị", 900, 1000, (1, 1, 1)), _word("ị", 905, 1100, (1, 1, 2)), _word(":", 960, 1300, (1, 1, 3))]
    assert layout_text(specks).split() == ["Ị", "ị", ":"]


def test_a_lone_dash_is_named_by_its_width_not_by_tesseracts_guess():
    """Tesseract names a dash after the font (`~`, `—`, `-` for one en dash); its box says which it is:
    a hyphen is a third of the letters' height wide, an en dash half of it, an em dash all of it."""

    def dash(text: str, width: int) -> Word:
        return Word(text, 300, 108, width, 4, 90.0, (1, 1, 1))

    def line(*middle: Word) -> str:
        return layout_text([_word("2024", 100, 100, (1, 1, 1)), *middle, _word("2025", 340, 100, (1, 1, 1))])

    assert line(dash("~", 19)).split() == ["2024", "–", "2025"]  # 0.63 of the letters' 30 px
    assert line(dash("—", 18)).split() == ["2024", "–", "2025"]
    assert line(dash("-", 20)).split() == ["2024", "–", "2025"]
    assert line(dash("–", 10)).split() == ["2024", "-", "2025"]  # 0.33: a hyphen (`Hồ Chí Minh - Long Thành`)
    assert line(dash("-", 36)).split() == ["2024", "—", "2025"]
    assert line(dash("—-", 20)).split() == ["2024", "–", "2025"]  # one en dash read as two glyphs
    tall = Word("—", 300, 100, 19, 30, 90.0, (1, 1, 1))  # not a thin stroke: a box around something else
    assert line(tall).split() == ["2024", "—", "2025"]


def test_parse_tsv_keeps_words_only_and_nfc():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t10\t10\t200\t30\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t10\t60\t30\t91.5\tHo\u0300a\n"
        "5\t1\t1\t1\t1\t2\t80\t10\t60\t30\tbad\tx\n"
        "5\t1\t1\t1\t1\t3\t150\t10\t60\t30\t90\t \n"
    )
    assert parse_tsv(tsv) == [Word("Hòa", 10, 10, 60, 30, 91.5, (1, 1, 1))]


def test_parse_tsv_reads_a_letter_vietnamese_lacks_as_the_one_it_has():
    """Tesseract's Vietnamese model reads `đ` as `ñ` (`chỉ ñạo`, bacgiang-tu-bptt-cv-368): Vietnamese has none."""
    tsv = "5\t1\t1\t1\t1\t1\t10\t10\t60\t30\t80\tñạo\n5\t1\t1\t1\t1\t2\t80\t10\t60\t30\t80\tÑẠO\n"
    assert [w.text for w in parse_tsv(tsv)] == ["đạo", "ĐẠO"]


def test_prepare_removes_the_red_seal_and_keeps_black_and_blue_ink():
    img = Image.new("RGB", (300, 100), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 99, 99), fill=(200, 30, 30))  # seal red
    draw.rectangle((100, 0, 199, 99), fill=(20, 20, 20))  # print
    draw.rectangle((200, 0, 299, 99), fill=(25, 40, 140))  # a signature in blue ink
    gray = prepare(img)
    assert gray.mode == "L"
    assert gray.getpixel((50, 50)) == 255 and gray.getpixel((150, 50)) < 60 and gray.getpixel((250, 50)) < 60


def test_tesseract_reads_vietnamese():
    img = Image.new("L", (900, 120), 255)
    from PIL import ImageFont

    from gateway.fonts import font_path

    font = ImageFont.truetype(str(font_path("Serif")), 44)
    ImageDraw.Draw(img).text((20, 30), "Hà Nội, ngày 05 tháng 01 năm 2020", font=font, fill=0)
    words = [w.text for w in run_tesseract(img)]
    assert words == ["Hà", "Nội,", "ngày", "05", "tháng", "01", "năm", "2020"]


@pytest.fixture(scope="module")
def last_page_with_copy():
    doc = SampleDoc(
        body=tuple(["Các đơn vị thực hiện nghiêm chế độ gửi, nhận văn bản điện tử có ký số theo quy định. " * 3] * 2),
        authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH",
        copy=CopyBlock(date=date(2020, 1, 10)),
    )
    return prepare(_render(render_scan(render_document(doc), seed=5), 0, DPI))


def test_closing_is_found_under_the_body_with_a_gutter(last_page_with_copy):
    closing = find_closing(last_page_with_copy, DPI)
    width, height = last_page_with_copy.size
    assert 0 < closing.top < closing.split_top < height / 2  # under the body, above the signer block
    assert closing.gutter is not None and 0.38 * width <= closing.gutter <= 0.58 * width
    column = last_page_with_copy.crop((closing.gutter - 4, closing.split_top, closing.gutter + 4, height))
    assert sum(1 for v in column.tobytes() if v < 100) <= 0.002 * len(column.tobytes())  # no text crosses it


def test_no_body_line_means_the_whole_page():
    blank = Image.new("L", (1654, 2339), 255)
    closing = find_closing(blank, DPI)
    assert (closing.top, closing.split_top, closing.gutter) == (0, 0, None)


def test_skew_is_measured_and_mended():
    """A sheet fed askew: the angle that makes the lines horizontal is found to a quarter degree, and the
    page is turned straight before OCR; a straight page is left alone."""
    from gateway.ocr import DESKEW_FROM, deskew, skew_angle

    page = prepare(_render(render_document(SampleDoc()), 0, DPI))
    assert skew_angle(page) == 0.0 and deskew(page) is page
    for angle in (1.5, -2.0, 0.75):
        tilted = page.rotate(angle, fillcolor=255)
        assert skew_angle(tilted) == -angle
        if abs(angle) >= DESKEW_FROM:
            assert skew_angle(deskew(tilted)) == 0.0
        else:  # a small tilt Tesseract copes with: left alone, resampling would only blur
            assert deskew(tilted) is tilted


@pytest.mark.slow  # Tesseract
def test_a_blank_back_page_is_skipped_for_the_closing():
    """Duplex scanning adds an empty back page: the signer block is read from the page before it."""
    import io

    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    from gateway.ocr import ink_fraction
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata

    empty = io.BytesIO()
    sheet = canvas.Canvas(empty)
    sheet.showPage()
    sheet.save()
    back = render_scan(empty.getvalue(), seed=4, stamp=False)
    assert ink_fraction(_render(back, 0, 30)) < 0.002
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_scan(render_document(SampleDoc(pages=2)), seed=3))))
    writer.add_page(PdfReader(io.BytesIO(back)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    text = extract_text(out.getvalue(), ReadingSettings())
    assert text.pages == 3 and text.source == "ocr"
    meta = read_metadata(text)
    assert (meta.signer_name, meta.signer_title) == ("Nguyễn Văn An", "CHỦ TỊCH")


def _stamped(page: Image.Image, text: str, *, angle: float, at: tuple[int, int]) -> Image.Image:
    """`page` with a registry's hand stamp: `text` in capitals in a frame, turned `angle` degrees."""
    from PIL import ImageFont

    from gateway.fonts import font_path

    font = ImageFont.truetype(str(font_path("Serif-Bold")), 32)
    box = ImageDraw.Draw(page).textbbox((0, 0), text, font=font)
    stamp = Image.new("L", (box[2] + 48, box[3] + 36), 255)
    draw = ImageDraw.Draw(stamp)
    draw.rectangle((4, 4, stamp.width - 5, stamp.height - 5), outline=0, width=5)
    draw.text((24, 14), text, font=font, fill=0)
    turned = stamp.rotate(angle, expand=True, fillcolor=255)
    out = page.copy()
    out.paste(turned, at, mask=turned.point(lambda v: 255 if v < 128 else 0))
    return out


def test_an_askew_stamps_line_is_its_letters_one_after_the_other_not_a_slant_across_rows():
    """A `HỎA TỐC` arrow stamped at 30° above the portal's receipt stamp, its ink one with the receipt's
    (real Prime Minister's công điện 124/CĐ-TTg): a line at a slant through the receipt's straight rows
    meets more letters than the mark has, a few of each row; the stamp's letters, one after the other
    along their line, are the line read (`gateway.ocr_marks._line`)."""
    from PIL import ImageFont

    from gateway.fonts import font_path
    from gateway.ocr_marks import _line, letter_boxes

    big = ImageFont.truetype(str(font_path("Serif-Bold")), 36)
    small = ImageFont.truetype(str(font_path("Serif-Bold")), 15)
    box = Image.new("L", (460, 380), 255)
    stamp = Image.new("L", (230, 70), 255)
    ImageDraw.Draw(stamp).text((20, 12), "HỎA TỐC", font=big, fill=0)
    turned = stamp.rotate(30, expand=True, fillcolor=255)
    box.paste(turned, (0, 0), mask=turned.point(lambda v: 255 if v < 128 else 0))
    draw = ImageDraw.Draw(box)
    draw.rectangle((40, 230, 420, 340), outline=0, width=3)
    draw.text((50, 240), "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", font=small, fill=0)
    draw.text((50, 275), "ĐẾN", font=big, fill=0)
    draw.text((140, 275), "Số: 5 Ngày: 02/12/2024", font=small, fill=0)
    draw.text((200, 150), "liên quan đến đất đai", font=small, fill=0)
    line = _line(letter_boxes(box.point(lambda v: 1 if v < 140 else 0, mode="L"), DPI), DPI)
    assert line is not None
    angle, letters = line
    assert 27 <= angle <= 33
    assert all(c[0].bottom < 160 for c in letters)  # the stamp's letters and marks, none of the receipt's
    assert len(letters) >= 6


@pytest.mark.slow  # Tesseract on a whole page, twice
def test_an_urgency_stamp_turned_askew_is_read_and_none_is_invented_r14():
    """The registry's `HỎA TỐC` stamped by hand at 30° beside the subject (as on the Government Office's
    PDFs): page OCR leaves it unread; the unread ink is read again, turned straight. Without it, no mark."""
    import io

    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata

    page = _render(render_document(SampleDoc(title="", subject="V/v triển khai thực hiện Quy chế")), 0, DPI)

    def scan(image: Image.Image) -> bytes:
        out = io.BytesIO()
        image.convert("L").save(out, format="PDF", resolution=DPI)
        return out.getvalue()

    plain = read_metadata(extract_text(scan(page), ReadingSettings()))
    assert plain.number == "05/QĐ-UBND" and plain.urgency is None
    stamped = _stamped(page, "HỎA TỐC", angle=30, at=(10, 330))
    meta = read_metadata(extract_text(scan(stamped), ReadingSettings()))
    assert meta.urgency == "hoa_toc"
    assert (meta.number, meta.subject) == (plain.number, plain.subject)  # the header reads as before


def _sealed(page: Image.Image, centre: tuple[int, int]) -> Image.Image:
    """The page as a 1-bit scan with a black seal over the signer column, as agencies scan signed paper:
    the seal's rim and its emblem, a dense speckle like a halftone (a fixed pattern: seeded)."""
    import random

    rnd = random.Random(7)
    sealed = page.convert("L")
    draw = ImageDraw.Draw(sealed)
    x, y = centre
    draw.ellipse((x - 130, y - 130, x + 130, y + 130), outline=0, width=4)
    draw.ellipse((x - 100, y - 100, x + 100, y + 100), outline=0, width=2)
    for dy in range(-100, 100, 3):
        for dx in range(-100, 100, 3):
            if dx * dx + dy * dy < 100 * 100 and rnd.random() < 0.35:
                draw.rectangle((x + dx, y + dy, x + dx + 1, y + dy + 1), fill=0)
    return sealed.point(lambda v: 0 if v < 128 else 255).convert("1")


@pytest.mark.slow  # Tesseract, three runs
def test_a_signer_column_the_stacked_run_lost_under_a_seal_is_read_again():
    """A black seal over the signer block of a 1-bit scan: in the one stacked Tesseract run a document
    gets, the signer column comes out with fewer lines than any signer block (here: none); it is then read
    again on its own, which gives back what a run of its own reads (the signing authority, TM.: the signer
    and title go into the register, R16)."""
    import io

    from gateway.ocr import ocr_stacked, text_bands, too_few_lines
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata

    page = prepare(_render(render_document(SampleDoc()), 0, DPI))
    closing = find_closing(page, DPI)
    assert closing.gutter is not None
    title = text_bands(page.crop((closing.gutter, closing.split_top, page.width, page.height)))[0]
    sealed = _sealed(page, (closing.gutter + title.left + 150, closing.split_top + title.top + 150))
    pdf = io.BytesIO()
    sealed.save(pdf, "PDF", resolution=DPI)

    gray = prepare(sealed)
    header = (gray.crop((0, 0, gray.width, gray.height // 2)), (0, 0))
    signer = gray.crop((closing.gutter, closing.split_top, gray.width, gray.height))
    stacked = ocr_stacked([header, (signer, (closing.gutter, closing.split_top))], dpi=DPI)
    assert too_few_lines(stacked[1])  # the loss, as on the real scans: the stacked run drops the column

    meta = read_metadata(extract_text(pdf.getvalue(), ReadingSettings()))
    assert meta.signing_authority == "TM."
    assert meta.number is not None  # the rest of the page is still read from the stacked run
    # read again as one block of text (REREAD_PSM), the name's line under the seal is kept, not dropped
    # with the seal as a picture: its given names read whole (the seal may cost a letter of the family name)
    assert meta.signer_name is not None and meta.signer_name.endswith("Văn An")


def test_the_engine_is_loaded_once_and_reused_across_documents():
    """Tesseract is kept warm in the process (issue 16): the model is loaded at the first page read and
    every later region and document is read by the same API object, correctly."""
    from gateway import ocr_engine
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata

    settings = ReadingSettings()
    warm = ocr_engine.engine(settings.language, settings.tessdata)
    loads = ocr_engine.loads()
    read = []
    for number, subject in (
        ("37/STTTT-VP", "V/v triển khai nhiệm vụ chuyển đổi số"),
        ("1450/SNV-VTLT", "V/v gửi, nhận văn bản điện tử"),
    ):
        scan = render_scan(render_document(SampleDoc(number=number, title="", subject=subject)), seed=5)
        text = extract_text(scan, settings)
        assert text.source == "ocr" and text.problem is None
        meta = read_metadata(text)
        read.append((meta.number, meta.subject))
    assert read == [
        ("37/STTTT-VP", "V/v triển khai nhiệm vụ chuyển đổi số"),
        ("1450/SNV-VTLT", "V/v gửi, nhận văn bản điện tử"),
    ]
    assert ocr_engine.loads() == loads  # no model loaded again
    assert ocr_engine.engine(settings.language, settings.tessdata) is warm


def test_a_scanners_mark_along_the_sheets_edge_does_not_hide_the_closing(last_page_with_copy):
    """A scanner's mark down the sheet's edge (its shadow, punch holes) beside every body line made none of
    them a full-width line, and the closing was not found (a real VPCP scan: its columns read as one).
    The sheet's edges hold no text (`EDGE_MM`): the closing is found as on a clean scan."""
    from gateway.ocr import EDGE_MM

    clean = find_closing(last_page_with_copy, DPI)
    marked = last_page_with_copy.copy()
    draw = ImageDraw.Draw(marked)
    edge = int(EDGE_MM * DPI / 25.4)
    draw.rectangle((4, 0, 9, marked.height), fill=0)  # the left edge's shadow, top to bottom
    draw.rectangle((marked.width - edge + 6, 0, marked.width - edge + 9, marked.height), fill=0)
    assert find_closing(marked, DPI) == clean != (0, 0, None)


def test_the_gutter_is_the_middle_of_the_widest_white_strip():
    """The closing's columns are cut in the middle of the widest white strip between them, not at the
    white column nearest the page's middle, which may graze the end of a long recipient line (a real
    Government scan: `… cơ quan thuộc CP;` cut to `thuộc C`)."""
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    for x in range(240, 1480, 24):  # the body's last full line: words of ink across the page
        draw.rectangle((x, 300, x + 16, 330), fill=0)
    for y in range(420, 1400, 45):  # the recipients (left) and the signer block (right), apart
        draw.rectangle((240, y, 700, y + 25), fill=0)
        draw.rectangle((930, y, 1450, y + 25), fill=0)
    draw.rectangle((700, 600, 790, 625), fill=0)  # one long recipient line, its end thin ink
    draw.rectangle((790, 600, 792, 625), fill=0)
    closing = find_closing(page, DPI)
    assert closing.gutter is not None and 792 + 40 < closing.gutter < 930 - 40
    assert closing.gutter == pytest.approx((792 + 930) / 2, abs=12)


@pytest.mark.slow  # Tesseract
def test_lines_beside_an_askew_stamp_that_ocr_dropped_are_read_again():
    """Tesseract's layout analysis takes a stamp turned askew for a picture and leaves out the lines it
    stands beside (real Government Office scans: `Kính gửi:`, the second addressee next to `HỎA TỐC`). The
    band right of the stamp is read again; only lines the first reading has no word on are added."""
    from gateway.ocr_marks import Box
    from gateway.pdf.text import _lines_beside
    from gateway.reading import ReadingSettings

    page = _render(render_document(SampleDoc(title="", subject="V/v triển khai thực hiện Quy chế")), 0, DPI)
    header = prepare(page).crop((0, 0, page.width, page.height // 2))
    words = run_tesseract(header, dpi=DPI)
    label = next(w for w in words if w.text == "Số:")
    # a stamp in the margin left of the number's line; the first reading "lost" that line, kept the others
    stamp = Box(20, label.top - 30, label.left - 20, label.top + label.height + 30)
    kept = [w for w in words if not stamp.top <= w.top + w.height // 2 <= stamp.bottom]
    assert not any("/QĐ-UBND" in w.text for w in kept)
    added = _lines_beside(header, [stamp], kept, ReadingSettings())
    assert any("UBND" in w.text for w in added) and any(w.text == "2020" for w in added)
    assert all(stamp.top - 80 <= w.top <= stamp.bottom + 80 for w in added)  # the band, nothing else
    assert _lines_beside(header, [stamp], words, ReadingSettings()) == []  # nothing lost: nothing added


def test_a_blank_back_pages_dark_edges_are_not_ink():
    """A scanner's lid casts a dark border on an empty back page (held out bca-cv-4409's page 2 had 2 %
    dark pixels, all along its edges): the page is still blank; a line of text inside it is not."""
    from gateway.ocr import ink_fraction

    page = Image.new("L", (248, 351), 245)
    draw = ImageDraw.Draw(page)
    for box in ((0, 0, 8, 350), (240, 0, 247, 350), (0, 0, 247, 6), (0, 344, 247, 350)):
        draw.rectangle(box, fill=20)
    assert ink_fraction(page, margin=0.0) > 0.05
    assert ink_fraction(page) < 0.002
    draw.rectangle((40, 100, 200, 104), fill=20)  # one line of text at 30 dpi
    assert ink_fraction(page) >= 0.002


def test_a_pale_scans_half_filled_last_page_is_not_blank():
    """A pale colour scan (held out 58, nhs-dtn-kh-54-2019: page 1 has 0.38 % dark pixels at 30 dpi, its last
    page, half filled with the closing, 0.15 %): blank is little ink beside page 1's, so the closing's page is
    read; a truly blank back page after such pages is still skipped."""
    import io

    from pypdf import PdfReader

    from gateway.pdf.text import _last_page_with_ink
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "nhs-dtn-kh-54-2019")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    reader = PdfReader(io.BytesIO(data))
    assert _last_page_with_ink(data, reader, len(reader.pages)) == len(reader.pages) - 1
    pages = []
    # page 1 (0.52 % dark at 30 dpi), a last page with a short closing (0.17 %), a blank back page
    for lines, width in ((8, 460), (3, 300), (0, 0)):
        page = Image.new("RGB", (620, 877), (250, 250, 250))
        for k in range(lines):
            ImageDraw.Draw(page).rectangle((80, 100 + 18 * k, 80 + width, 101 + 18 * k), fill=(110, 110, 110))
        pages.append(page)
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=75)
    made = buf.getvalue()
    assert _last_page_with_ink(made, PdfReader(io.BytesIO(made)), 3) == 1


def test_the_closing_is_read_from_the_sealed_page_before_an_annex():
    """A colour scan of a letter, a blank back, then an outline it sends, and its blank back (held out
    bca-cv-5240 as published): the closing is on the page with the red seal, not on the outline."""
    import io

    from pypdf import PdfReader

    from gateway.ocr import seal_ink
    from gateway.pdf.text import _closing_page, _last_page_with_ink
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "bca-cv-5240")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    reader = PdfReader(io.BytesIO(data))
    last = _last_page_with_ink(data, reader, len(reader.pages))
    assert last == 2 and seal_ink(_render(data, 2, 30)) == 0  # the outline: ink, no seal
    assert seal_ink(_render(data, 0, 30)) >= 150
    assert _closing_page(data, reader, last) == 0
    grey = _render(data, 0, 30).convert("L")
    assert seal_ink(grey) == 0  # a grey scan's seal is not told from its text: the last inked page stays


def test_the_seal_look_back_keeps_no_image_stream_in_memory():
    """Issue 16: on a long colour scan without a seal, the look-back for a sealed page checks up to 40
    pages; pypdf kept every image stream it looked at (+65 MiB on a 49 MB scan of 44 pages, the big
    attachment then cost 4.1x its size). The pages' images are looked at through pdfium, page by page."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    from gateway.pdf.text import _closing_page, _last_page_with_ink

    pages = []
    for k in range(6):  # colour noise pages with some ink, no red seal (an annex of photographs)
        page = Image.effect_noise((400, 560), 60 + k).convert("RGB")
        ImageDraw.Draw(page).rectangle((50, 50, 350, 80), fill=(0, 0, 0))
        pages.append(page)
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=50)
    data = buf.getvalue()
    reader = PdfReader(io.BytesIO(data))
    last = _last_page_with_ink(data, reader, len(reader.pages))
    assert last == 5
    assert _closing_page(data, reader, last) == 5  # no sealed page before it: the last page with ink
    cached = [o for o in reader.resolved_objects.values() if isinstance(o, StreamObject)]
    assert cached == []


@pytest.mark.slow  # Tesseract on six pages
def test_a_real_scan_whose_pages_before_the_last_give_only_specks_is_read():
    """A real decision (held out 4, dongnai-ubnd-qd-1772, a phone scan) read at 180 dpi, where stop 25 found
    a page that gave only lone letters (the unit test of `layout_text` above keeps that case). Since its
    scanner's OCR layer no longer sends the closing to page 5 (stop 26), the last page's closing is found,
    and only pages 1 and 6 are read. extract_text never raises: any failure would be a reason in `problem`."""
    from gateway.pdf.text import extract_text
    from gateway.reading.settings import ReadingSettings
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "dongnai-ubnd-qd-1772")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, ReadingSettings(dpi=180))
    assert text.source == "ocr" and text.problem is None and text.ocr_pages == 2
    assert "ỦY BAN NHÂN DÂN" in text.first_page and "Nơi nhận" in text.last_page


def test_a_receipt_stamps_words_are_dropped_and_a_framed_mark_stays():
    """The `ĐẾN` receipt stamp beside the subject (every Government portal PDF) is found by its ruled
    frame, pressed a little askew, and its words dropped; a framed `HỎA TỐC` is not a receipt stamp."""
    from gateway.ocr_receipt import frames, outside, receipt_frames

    page = Image.new("L", (1600, 1100), 255)
    draw = ImageDraw.Draw(page)
    draw.polygon([(100, 400), (460, 396), (461, 398), (101, 402)], fill=0)  # top rule, 0.6° askew
    draw.rectangle((100, 540, 460, 542), fill=0)
    draw.rectangle((100, 400, 102, 542), fill=0)
    draw.rectangle((458, 396, 460, 542), fill=0)
    draw.rectangle((1000, 100, 1320, 102), fill=0)  # a framed mark, 40 mm by 14 mm
    draw.rectangle((1000, 210, 1320, 212), fill=0)
    draw.rectangle((1000, 100, 1002, 212), fill=0)
    draw.rectangle((1318, 100, 1320, 212), fill=0)
    draw.rectangle((300, 900, 800, 902), fill=0)  # an underline: a rule without a frame
    found = frames(page, DPI)
    assert len(found) == 2
    receipt = [_word("ĐẾN", 120, 470, (1, 1, 1)), _word("Ngày:", 200, 500, (1, 1, 2))]
    subject = [_word("Về", 480, 470, (2, 1, 1)), _word("việc", 530, 470, (2, 1, 1))]
    mark = [_word("HỎA", 1040, 140, (3, 1, 1)), _word("TỐC", 1120, 140, (3, 1, 1))]
    words = receipt + subject + mark
    boxes = receipt_frames(page, words, DPI)
    assert len(boxes) == 1
    assert outside(words, boxes) == subject + mark
    # OCR made nothing of the stamp's words (`NG THÔNG TNBIỆN`, `ẾH`): a frame tall enough for a receipt
    # stamp's lines, three words or more in it and no mark among them, is one all the same
    misread = [_word("NG", 110, 410, (4, 1, 1)), _word("TNBIỆN", 160, 410, (4, 1, 1)), _word("ẾH", 120, 470, (4, 1, 2))]
    assert outside(misread + subject, receipt_frames(page, misread + subject, DPI)) == subject
    assert receipt_frames(page, misread[:2], DPI) == []  # two words: too little to tell


def test_a_portal_receipt_stamp_beside_the_subject_is_not_read_into_it():
    """Real: the Government portal's `ĐẾN` stamp left of a Quyết định's subject (ttg-qd-1502)."""
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "ttg-qd-1502")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, ReadingSettings())
    assert "ĐẾN" not in text.first_page and "CỔNG THÔNG TIN" not in text.first_page
    assert read_metadata(text).subject == doc.case.expect["subject"]


def test_the_closing_before_an_annex_on_a_grey_scan_is_found_by_its_text():
    """A grey scan: a letter, then its list of recipient units (held out bca-cv-5689). The last page has
    no `Nơi nhận:` and no authority line, so the pages before it are read for the closing."""
    from gateway.pdf.text import _closes, extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    assert _closes("Nơi nhận:\n- Như trên;") and _closes("          KT. BỘ TRƯỞNG")
    assert not _closes("Danh sách các đơn vị nhận công văn\n1. UBND tỉnh Tuyên Quang")
    # a form annexed to the document, its signature left to fill in (added bentre-ubnd-qd-51-2024)
    assert not _closes(
        "Nơi nhận:      ĐẠI DIỆN TỔ CHỨC\n- Như trên;\n- Lưu:...\n   (Ký, ghi rõ họ tên, chức vụ và đóng dấu)"
    )
    assert not _closes("Nơi nhận:      THỦ TRƯỞNG ĐƠN VỊ\n- Lưu: VT.\n        (Ký tên, đóng dấu)")
    doc = next(d for d in real.real_pdfs() if d.case.id == "bca-cv-5689")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, ReadingSettings())
    assert text.ocr_pages == 3  # page 1, the list, and the page before it
    meta = read_metadata(text)
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "THỨ TRƯỞNG", "Nguyễn Văn Long")
    assert meta.recipients_paper == tuple(doc.case.expect["recipients_paper"])


def test_a_decision_signed_on_page_1_before_a_long_annex_is_found_from_the_start():
    """A grey scan of a decision signed on page 1 and followed by nine pages of annex (held out 4:
    hatinh-ubnd-qd-1740): the pages just before the last have no closing, the first does."""
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "hatinh-ubnd-qd-1740")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, ReadingSettings())
    assert text.ocr_pages == 5  # pages 1 and 10, then 9 and 8, then page 1's closing
    meta = read_metadata(text)
    assert (meta.signing_authority, meta.signer_title) == ("KT.", "PHÓ CHỦ TỊCH")


def test_a_phone_scans_signer_lost_by_layout_analysis_is_read_again():
    """A phone scan (Adobe Scan) of a decision (held out 4, dongnai-ubnd-qd-1772): its scanner's OCR layer,
    without Vietnamese marks, is not asked where the closing is (its specks took it to page 5); on page 6
    the stacked run kept `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` and lost all under the seal, so the signer
    column is read again as one block, and the name comes back."""
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "dongnai-ubnd-qd-1772")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    meta = read_metadata(extract_text(data, ReadingSettings()))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ CHỦ TỊCH", "Hồ Văn Hà")
    assert meta.recipients_paper[-1] == "Lưu: VT, KTNS, KTN"


def test_a_title_layout_analysis_dropped_under_a_seal_is_read_again():
    """A bitonal scan's invitation (hanoi-stttt-gm-87): the black seal's rim crosses `KT. GIÁM ĐỐC` / `PHÓ GIÁM
    ĐỐC`, and the stacked run's layout analysis dropped both lines, keeping only the name under them; a signer
    column with a name and no authority or title above it is read again as one block, and the title comes back."""
    from gateway.ocr import Word
    from gateway.pdf.text import _untitled, extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "hanoi-stttt-gm-87")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    meta = read_metadata(extract_text(data, ReadingSettings()))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == (
        "KT.",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Thị Mai Hương",
    )

    def column(*lines: str) -> list[Word]:
        return [
            Word(t, 10 * i, 20 * y, 8, 10, 90.0, (1, 1, y))
            for y, line in enumerate(lines)
            for i, t in enumerate(line.split())
        ]

    assert _untitled(column("để buổi họp đạt kết quả./", "Nguyễn Thị Mai Hương"))
    assert not _untitled(column("KT, GIÁM ĐÓC", "Nguyễn Thị Mai Hương"))  # its authority line: titled
    assert not _untitled(column("CHỦ TỊCH", "Nguyễn Văn An"))
    assert not _untitled(column("để buổi họp đạt kết quả./"))  # no name: `_unnamed`'s case, not this one


def test_a_form_annexed_with_its_own_closing_is_not_the_documents():
    """A grey scan of a decision signed on page 2, the Quy định it issues and its forms after it (added
    bentre-ubnd-qd-51-2024): the last form's `Nơi nhận:` and `ĐẠI DIỆN TỔ CHỨC` over `(Ký, ghi rõ họ
    tên, …)` is a template to fill in, so the closing is looked for on the pages before."""
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "bentre-ubnd-qd-51-2024")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    meta = read_metadata(extract_text(data, ReadingSettings()))
    assert (meta.signing_authority, meta.signer_name) == ("TM.", doc.case.expect["signer_name"])
    assert meta.recipients_paper == tuple(doc.case.expect["recipients_paper"])


def test_a_copys_own_page_after_the_original_is_read_apart_from_its_closing():
    """A ministry's decision scanned with the province office's SAO LỤC page stapled behind it (held out 7,
    btc-qd-126): the last page is the copy's own, so the original's closing is looked for on the pages
    before and read first; the copy block is then set apart and the signer is the minister's deputy's."""
    from gateway.pdf.text import _copy_page, extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    assert _copy_page("  UBND TỈNH BẮC GIANG        SAO LỤC\n   VĂN PHÒNG\n  Số: 34 /SL-VP\n")
    assert not _copy_page("Nơi nhận:        KT. BỘ TRƯỞNG\n- Như trên;\n")
    doc = next(d for d in real.real_pdfs() if d.case.id == "btc-qd-126")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    meta = read_metadata(extract_text(data, ReadingSettings()))
    assert (meta.signing_authority, meta.signer_title, meta.copy_kind) == ("KT.", "THỨ TRƯỞNG", "sao_luc")
    assert meta.recipients_paper == tuple(doc.case.expect["recipients_paper"])
    assert meta.copy_block is not None and meta.copy_block.number == "34/SL-VP"


def test_a_closing_seven_pages_before_the_end_is_found_leafing_back():
    """A grey scan of a nghị định signed on page 22 of 29, its forms after it (held out 5,
    chinhphu-nd-335-2025): after the two pages before the last and the first two, the others are looked
    at from the back, as a clerk leafs back from the end; twelve pages at most."""
    from gateway.pdf.text import _before_annex, extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    assert _before_annex(0, 28)[:7] == [27, 26, 0, 1, 25, 24, 23]
    assert sorted(_before_annex(0, 9)) == list(range(9)) and len(_before_annex(0, 99)) == 12
    doc = next(d for d in real.real_pdfs() if d.case.id == "chinhphu-nd-335-2025")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, ReadingSettings())
    meta = read_metadata(text)
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == (
        "KT.",
        "PHÓ THỦ TƯỚNG",
        doc.case.expect["signer_name"],
    )
    assert "Lưu: VT, TCCV (2)" in meta.recipients_paper


def test_a_scanned_decision_before_an_annex_with_a_good_text_layer_is_found_by_ocr():
    """A decision scanned on page 1 under a vendor's OCR layer without marks (`BO GIAO DVC VA DAO TAO`),
    then 17 pages of annex whose layer is good Vietnamese (held out 3: bgddt-qd-3588). The annex's layer
    has no closing, nor has any layer before it; the page whose layer is no Vietnamese text is read by OCR
    for the closing, and the signer comes from it."""
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata
    from tests.reading import real

    doc = next(d for d in real.real_pdfs() if d.case.id == "bgddt-qd-3588")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, ReadingSettings())
    assert text.source == "ocr" and text.ocr_pages == 2  # page 1's header, then page 1's closing
    meta = read_metadata(text)
    assert (meta.signer_title, meta.signer_name) == ("BỘ TRƯỞNG", "Nguyễn Kim Sơn")
    assert meta.recipients_paper == tuple(doc.case.expect["recipients_paper"])


def _reddened(doc: SampleDoc, lines: tuple[int, ...]) -> bytes:
    """`doc`'s colour scan with the signer column's lines `lines` (indexes of its text bands: -1 the name) in
    red, as a name stamped in red or under the seal's red comes out; black as ever elsewhere."""
    import io

    from gateway.ocr import text_bands

    page = _render(render_document(doc), 0, DPI).convert("RGB")
    closing = find_closing(prepare(page), DPI)
    assert closing.gutter is not None
    column = (closing.gutter, closing.split_top, page.width, page.height)
    bands = text_bands(prepare(page).crop(column))
    for k in lines:
        top, bottom = closing.split_top + bands[k].top - 4, closing.split_top + bands[k].bottom + 4
        band = (closing.gutter, top, page.width, bottom)
        red = page.crop(band).point(lambda v: v)
        pixels = red.load()
        for x in range(red.width):
            for y in range(red.height):
                if sum(pixels[x, y]) < 3 * 140:
                    pixels[x, y] = (205, 35, 45)
        page.paste(red, band[:2])
        assert not text_bands(prepare(page).crop(band))  # gone with the red
    pdf = io.BytesIO()
    page.save(pdf, "PDF", resolution=DPI)
    return pdf.getvalue()


@pytest.mark.parametrize("authority", ["TM. ỦY BAN NHÂN DÂN", ""])
def test_a_signers_name_in_red_ink_is_read_with_the_red_kept(authority: str):
    """A colour scan whose signer's name came out red (held out 7, brvt-ubnd-qd-546: `Nguyễn Văn Thọ` in the
    seal's red under its rim; held out 12, kiengiang-syt-cv-01: `Lê Hoàng Anh` stamped in red under `GIÁM ĐỐC`,
    no authority line): taking the red ink out for the seal takes the name too, so the signer column is read
    again with its red kept, and its name line alone is taken (R16: the signer goes into the register)."""
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata

    meta = read_metadata(extract_text(_reddened(SampleDoc(authority=authority), (-1,)), ReadingSettings()))
    assert meta.signer_name == SampleDoc().signer_name
    assert meta.signer_title is not None  # the column's other lines are the first reading's


def test_a_deputys_title_stamped_in_red_over_the_name_is_taken_with_it_r16():
    """The deputy's title and name stamped in red under the head's printed title, its `KT.` written in ink
    (held out 12, kiengiang-syt-gm-10: `GIÁM ĐỐC` / `Phó GIÁM ĐỐC` / `Hà Văn Phúc`): both come back from the
    red, the deputy signs for the head."""
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata

    doc = SampleDoc(authority="GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC")
    meta = read_metadata(extract_text(_reddened(doc, (1, -1)), ReadingSettings()))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ GIÁM ĐỐC", doc.signer_name)
    # printed in black, the deputy's title is read once (laocai-sct-tb-1894: not `PHÓ GIÁM ĐỐC, PHÓ GIÁM ĐỐC`)
    black = SampleDoc(authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC")
    meta = read_metadata(extract_text(_reddened(black, (-1,)), ReadingSettings()))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ GIÁM ĐỐC", doc.signer_name)


def _arrow_stamp(text: str, *, angle: float) -> Image.Image:
    """A registry's red arrow stamp (held out 9, Hải Phòng's `>—HỎA TỐC—>`): bold capitals drawn over
    an arrow's outlined shaft, which runs through them, with its tail and head; black on white, turned."""
    from PIL import ImageFont

    from gateway.fonts import font_path

    font = ImageFont.truetype(str(font_path("Serif-Bold")), 34)
    width = int(ImageDraw.Draw(Image.new("L", (1, 1))).textlength(text, font=font))
    stamp = Image.new("L", (width + 200, 90), 255)
    draw = ImageDraw.Draw(stamp)
    mid, right = 48, width + 190
    draw.line((40, mid - 6, right - 40, mid - 6), fill=0, width=2)  # the shaft's outline, through the letters
    draw.line((40, mid + 6, right - 40, mid + 6), fill=0, width=2)
    draw.line((right - 40, mid - 22, right, mid, right - 40, mid + 22), fill=0, width=3)  # the head
    draw.line((8, mid - 14, 40, mid - 6), fill=0, width=3)  # the tail's feathers
    draw.line((8, mid + 14, 40, mid + 6), fill=0, width=3)
    draw.text((100, mid - 22), text, font=font, fill=0)
    return stamp.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


def test_a_red_arrow_stamp_is_read_and_a_red_arrow_alone_invents_no_mark_r14():
    """A red `HỎA TỐC` arrow stamp beside the title of a colour scan (held out 9, haiphong-ubnd-tb-94 and
    cv-1666): the red ink read as a whole gives nothing, its shaft striking the letters through; the arrow's
    ink, long and low, turned straight and read between its tail and head, is the mark (R14: never missed).
    A red arrow with no letters is no mark (never invented)."""
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata

    for angle in (8, 45):  # Hải Phòng's lies nearly flat, Hà Nội's stands at 45° (held out 10, hanoi-ubnd-ct-11)
        meta = read_metadata(extract_text(_red_stamped(_arrow_stamp("HỎA TỐC", angle=angle), 700), ReadingSettings()))
        assert meta.urgency == "hoa_toc", angle
        assert meta.number == "05/QĐ-UBND"
    bare = read_metadata(extract_text(_red_stamped(_arrow_stamp("", angle=8), 700), ReadingSettings()))
    assert bare.urgency is None and bare.secrecy is None


def _red_stamped(stamp: Image.Image, left: int) -> bytes:
    """A colour scan of a short sample letter with `stamp` (black on white) stamped on it in red, `left` pixels
    from the page's edge in the header's band, which ends above the short sample's closing."""
    import io

    page = _render(render_document(SampleDoc(title="", subject="V/v triển khai thực hiện Quy chế")), 0, DPI)
    out = page.convert("RGB")
    red = Image.new("RGB", stamp.size, (205, 30, 45))
    out.paste(red, (left, 400 - stamp.height), mask=stamp.point(lambda v: 255 if v < 128 else 0))
    pdf = io.BytesIO()
    out.save(pdf, format="PDF", resolution=DPI)
    return pdf.getvalue()


def _framed_stamp(text: str) -> Image.Image:
    """A worn red box stamp (held out 12, Kiên Giang's `KHẨN`): bold capitals so heavy that they run together,
    in a thick frame close around them; black on white, set a little askew."""
    from PIL import ImageFont

    from gateway.fonts import font_path

    font = ImageFont.truetype(str(font_path("Serif-Bold")), 40)
    width = int(ImageDraw.Draw(Image.new("L", (1, 1))).textlength(text, font=font)) if text else 120
    stamp = Image.new("L", (width + 60, 90), 255)
    draw = ImageDraw.Draw(stamp)
    draw.rectangle((4, 4, width + 55, 85), outline=0, width=7)
    if text:
        draw.text((30, 18), text, font=font, fill=0, stroke_width=2, stroke_fill=0)
    return stamp.rotate(2, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


def test_a_red_framed_stamp_whose_letters_ran_together_is_read_r14():
    """A red box stamp beside the addressees (held out 12, kiengiang-syt-cv-01 `KHẨN`, kiengiang-syt-gm-10 `HỎA
    TỐC`): its frame and its heavy letters, which run together, leave the red ink's reading as a whole empty;
    each stamp-sized cluster read without its frame is the mark (R14: never missed). A frame alone is none."""

    from gateway.ocr_marks import Box, read_framed_stamp
    from gateway.pdf.text import extract_text
    from gateway.reading import ReadingSettings, read_metadata

    settings = ReadingSettings()
    args = {"language": settings.language, "timeout": 60.0, "tessdata": settings.tessdata}
    stamp = _framed_stamp("KHẨN")
    box = Box(0, 0, stamp.width, stamp.height)
    assert read_framed_stamp(stamp, box, DPI, **args) == "KHẨN"
    assert read_framed_stamp(_framed_stamp(""), box, DPI, **args) == ""

    meta = read_metadata(extract_text(_red_stamped(_framed_stamp("KHẨN"), 200), settings))
    assert meta.urgency == "khan"
    bare = read_metadata(extract_text(_red_stamped(_framed_stamp(""), 200), settings))
    assert bare.urgency is None and bare.secrecy is None


@pytest.mark.slow  # Tesseract on two pages, and a band read again
def test_a_closing_list_as_wide_as_the_body_is_read_from_its_heading_r12():
    """A real text's scan (held out 71, cp-nq-13-2026) whose recipients' entries run as wide as the body's lines:
    the closing's first band was taken for the body's last line, so OCR read the list from its middle, without
    `Nơi nhận:`. The band is read again from higher up, and the list from its heading."""
    from gateway.pdf.text import extract_text
    from gateway.reading import read_metadata
    from gateway.reading.settings import ReadingSettings
    from tests.reading import real

    case = next(c for c in real.real_texts() if c.id == "cp-nq-13-2026")
    text = extract_text(real.text_scan(case), ReadingSettings(dpi=200))
    assert "Nơi nhận" in text.last_page
    assert read_metadata(text).recipients_paper[:2] == (
        "Ban Bí thư Trung ương Đảng",
        "Thủ tướng, các Phó Thủ tướng Chính phủ",
    )
