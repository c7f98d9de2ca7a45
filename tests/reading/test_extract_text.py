"""extract_text: the text layer where there is one, Tesseract OCR where there is not; never an exception,
always a reason when there is no text. OCR text is returned, the original untouched (R20)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from gateway.pdf.text import DocumentText, _render, extract_text, usable_text
from gateway.reading import ReadingSettings, read_metadata
from gateway.samples.render import CopyBlock, SampleDoc, render_document, render_scan

SETTINGS = ReadingSettings()
DOC = SampleDoc(
    parent_issuer="UBND TỈNH KHÁNH HÒA",
    issuer="SỞ NỘI VỤ",
    number="1450/SNV-VTLT",
    place="Khánh Hòa",
    date=date(2022, 9, 8),
    title="",
    subject="V/v gửi, nhận văn bản điện tử",
    authority="KT. GIÁM ĐỐC",
    signer_title="PHÓ GIÁM ĐỐC",
    signer_name="Lê Thị Hồng Vân",
    recipients_paper=("Như trên;", "Lưu: VT."),
)


@pytest.fixture(scope="module")
def born_digital() -> bytes:
    return render_document(DOC)


@pytest.fixture(scope="module")
def two_page_scan() -> bytes:
    long_body = tuple(["Sở Nội vụ hướng dẫn việc gửi, nhận văn bản điện tử qua hộp thư điện tử công vụ. " * 6] * 4)
    return render_scan(render_document(SampleDoc(**{**DOC.__dict__, "body": long_body, "pages": 2})), seed=3)


def test_text_layer_keeps_the_two_columns_apart(born_digital):
    text = extract_text(born_digital, SETTINGS)
    assert (text.source, text.pages, text.problem, text.ocr_pages) == ("text_layer", 1, None, 0)
    first_line = text.first_page.splitlines()[0]
    assert "UBND TỈNH KHÁNH HÒA" in first_line and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first_line
    assert "   " in first_line.split("HÒA", 1)[1]  # a run of spaces between the columns
    assert text.first_page == text.last_page  # one page: the same page twice


@pytest.mark.slow  # Tesseract
def test_scan_is_read_by_ocr_on_the_regions_that_carry_the_fields(two_page_scan):
    text = extract_text(two_page_scan, SETTINGS)
    assert (text.source, text.pages, text.ocr_pages, text.problem) == ("ocr", 2, 2, None)
    assert 0 < text.ocr_seconds < 30
    assert "1450/SNV-VTLT" in text.first_page
    assert "Lê Thị Hồng Vân" in text.last_page
    assert "Lê Thị Hồng Vân" not in text.first_page  # page 1's top half only
    meta = read_metadata(text)
    assert (meta.number, meta.signer_name, meta.text_source) == ("1450/SNV-VTLT", "Lê Thị Hồng Vân", "ocr")


def test_broken_and_empty_pdfs_say_why():
    broken = extract_text(b"%PDF-1.7\nnot really a pdf", SETTINGS)
    assert broken.source == "none" and broken.problem.startswith("unreadable PDF")
    assert extract_text(b"", SETTINGS).problem.startswith("unreadable PDF")
    out = io.BytesIO()
    PdfWriter().write(out)
    assert extract_text(out.getvalue(), SETTINGS).problem == "the PDF has no pages"


def test_encrypted_pdf_says_so(born_digital):
    from pypdf import PdfReader

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(born_digital)))
    writer.encrypt(user_password="bí mật", owner_password="chủ", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    text = extract_text(out.getvalue(), SETTINGS)
    assert text.source == "none" and "encrypted" in text.problem


def test_missing_tesseract_models_are_a_reason_not_an_exception(two_page_scan, tmp_path):
    text = extract_text(two_page_scan, ReadingSettings(tessdata=str(tmp_path)))
    assert (text.source, text.first_page, text.last_page) == ("none", "", "")
    assert text.problem == f"Tesseract model 'vie' not found or not loadable in {tmp_path}"
    meta = read_metadata(text)
    assert meta.text_source == "none" and meta.number is None


def test_ocr_timeout_is_a_reason(two_page_scan):
    """Tesseract's own deadline (a run that never ends is the pool's time limit, tests/test_workers.py)."""
    text = extract_text(two_page_scan, ReadingSettings(ocr_timeout_seconds=0.001))
    assert text.source == "none" and text.problem == "tesseract took longer than 0.001 s"


def test_ocr_off(two_page_scan):
    text = extract_text(two_page_scan, ReadingSettings(ocr=False))
    assert text.source == "none" and text.problem == "no usable text layer and OCR is off"


def test_mojibake_text_layer_is_not_used():
    """A legacy-font (TCVN3) layer reads as Latin-1 soup: not Vietnamese, so the page goes to OCR."""
    legacy = "Céng hßa x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc Sè: 05/Q§-UBND Hµ Néi"
    assert not usable_text(legacy)
    assert usable_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 05/QĐ-UBND")
    assert not usable_text("   \n  ")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 12)
    for k in range(5):
        c.drawString(60, 780 - 20 * k, legacy)
    c.save()
    text = extract_text(buf.getvalue(), SETTINGS)
    assert text.source == "ocr" and text.ocr_pages == 1


def test_a_layer_whose_header_font_lost_letters_is_read_by_ocr():
    """A born-digital nghị định whose bold font maps `H` and `Í` to nothing (held out 5,
    chinhphu-nd-47-2020): its motto reads `CỘNG ÒA XÃ ỘI C Ủ NG ĨA VIỆT NAM`, its issuer `C N P Ủ`; page 1
    is read by OCR, the last page's layer is kept. Clean mottos, the Party's, and a company's name ending
    in `VIỆT NAM` are not taken for it."""
    from gateway.pdf.text import letters_lost
    from tests.reading import real

    assert letters_lost("   C  N  P Ủ          CỘNG  ÒA XÃ  ỘI C Ủ NG ĨA VIỆT NAM\n  Độc lập - Tự do -  ạnh phúc")
    assert letters_lost("BỘ CÔNG THƯƠNG   CỘNG ÒA XÃ ỘI C Ủ NG ĨA VIỆT NAM")
    for clean in (
        "BỘ CÔNG THƯƠNG   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "UBND TỈNH   CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH ỦY KHÁNH HÒA   ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỔNG CÔNG TY ĐIỆN LỰC VIỆT NAM",
    ):
        assert not letters_lost(clean), clean
    doc = next(d for d in real.real_pdfs() if d.case.id == "chinhphu-nd-47-2020")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, SETTINGS)
    assert text.source == "ocr" and text.ocr_pages == 2  # the signer's title is set in that font too
    assert "CHÍNH PHỦ" in text.first_page and "NGHỊ ĐỊNH" in text.first_page
    meta = read_metadata(text)
    assert (meta.signing_authority, meta.signer_title) == ("TM.", "THỦ TƯỚNG")  # the layer's `T Ủ TƯỚNG`
    assert meta.subject == doc.case.expect["subject"]  # the layer's marks, where OCR read `kêt nôi … sô`
    assert meta.recipients_paper == tuple(doc.case.expect["recipients_paper"])  # the layer's, OCR's aside


def test_a_layer_line_that_lost_letters_is_mended_from_the_ocr_line_it_is_part_of():
    """`_mended_layer`: a layer's line is replaced by the OCR line that has its letters in order with
    others between them; a line the font set whole keeps the layer's marks, and an OCR line with a speck
    before or after the layer's letters does not replace it."""
    from gateway.pdf.text import _mended_layer

    layer = "C  N  P Ủ   CỘNG  ÒA XÃ  ỘI C Ủ NG ĨA VIỆT NAM\nQuản lý, kết nối và chia sẻ dữ liệu số\n- Lưu: VT, KSTT."
    ocr = "CHÍNH PHỦ    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQuản lý, kêt nôi và chia sẻ dữ liệu sô\n- Lưu: VT, KSTT. K"
    assert _mended_layer(layer, ocr).splitlines() == [
        "CHÍNH PHỦ    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Quản lý, kết nối và chia sẻ dữ liệu số",
        "- Lưu: VT, KSTT.",
    ]
    assert _mended_layer("TM. UBND", "TM. UỶ BAN NHÂN DÂN") == "TM. UBND"  # too few of its letters


@pytest.mark.slow  # Tesseract
def test_thin_text_over_a_scan_is_not_the_text_layer(two_page_scan):
    """A scan with a little text of its own (a typed registry stamp) is still read by OCR."""
    from pypdf import PdfReader

    stamp = io.BytesIO()
    c = canvas.Canvas(stamp, pagesize=A4)
    c.setFont("Helvetica", 9)
    c.drawString(400, 20, "Received: 2024-03-01 08:15 (registry)")
    c.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(two_page_scan)))
    for page in writer.pages:
        page.merge_page(PdfReader(io.BytesIO(stamp.getvalue())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    text = extract_text(out.getvalue(), SETTINGS)
    assert text.source == "ocr" and "1450/SNV-VTLT" in text.first_page


def test_hostile_page_size_is_rendered_within_bounds():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(14_000, 14_000))  # about 5 m square
    c.drawString(100, 100, "x")
    c.save()
    image = _render(buf.getvalue(), 0, 200)
    assert image.width * image.height <= 20_000_000


def test_copy_of_a_scan_and_document_text_defaults():
    assert DocumentText() == DocumentText("", "", "none", 0, 0.0, 0, None)
    doc = render_document(SampleDoc(copy=CopyBlock()))
    assert "SAO Y" in extract_text(doc, SETTINGS).last_page


@pytest.mark.slow  # Tesseract
def test_settings_are_used_for_ocr_language(two_page_scan):
    text = extract_text(two_page_scan, ReadingSettings(language="eng"))
    # The English model cannot read the Vietnamese marks: proof the setting reaches Tesseract.
    assert text.source == "ocr" and "Lê Thị Hồng Vân" not in text.last_page


def test_the_closing_before_a_long_annex_in_a_text_layer_is_found():
    """A decision signed on its first pages and its Quy chế annexed after it, twenty pages (held out 18,
    khanhhoa-ubnd-qd-11-2026: signed on page 3 of 24): every page's text layer is looked at, back to the
    first, for the closing the last page lacks."""
    from pypdf import PdfReader

    annex = io.BytesIO()
    c = canvas.Canvas(annex, pagesize=A4)
    for k in range(20):
        c.setFont("Helvetica", 11)
        c.drawString(72, 760, f"Dieu {k + 1}. Quy che bao dam an ninh mang, an toan thong tin tren dia ban tinh.")
        c.showPage()
    c.save()
    long_body = tuple(["Sở Nội vụ hướng dẫn việc gửi, nhận văn bản điện tử qua hộp thư điện tử công vụ. " * 6] * 4)
    decision = render_document(SampleDoc(**{**DOC.__dict__, "body": long_body, "pages": 3}))
    writer = PdfWriter()
    for source in (decision, annex.getvalue()):
        for page in PdfReader(io.BytesIO(source)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    text = extract_text(out.getvalue(), SETTINGS)
    assert text.pages == 23 and "Nơi nhận" in text.last_page
    assert read_metadata(text).recipients_paper == ("Như trên", "Lưu: VT")


def test_a_text_layer_annex_full_of_web_addresses_is_still_vietnamese_text():
    """Held out 31 (hue-ubnd-qd-441): a decision signed on page 2, its annex's table on pages 3 and 4 repeating
    `(https://dichvucong.gov.vn)`: the addresses' words are no syllables and made the last page's layer look like a
    scanner's OCR without Vietnamese, so the closing was never looked for before it. Addresses aside, it is text,
    and the closing on page 2 is read."""
    from gateway.pdf.text import _syllable_share, marked_like_vietnamese
    from tests.reading import real

    page = "Nộp hồ sơ trực tiếp hoặc qua Cổng Dịch vụ công quốc gia (https://dichvucong.gov.vn); " * 20
    assert _syllable_share(page) == 1.0 and marked_like_vietnamese(page)
    assert not marked_like_vietnamese("CQNG HOA xA HQI CHU NGHiA VIET NAM Doc lap Tu do Hanh phuc thuc hien " * 20)
    doc = next(d for d in real.real_pdfs() if d.case.id == "hue-ubnd-qd-441")
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    assert data is not None
    text = extract_text(data, ReadingSettings())
    meta = read_metadata(text)
    assert text.source == "text_layer"
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Thanh Bình")
    assert meta.recipients_paper[-1] == "Lưu: VT, KSTT"


def test_a_scan_drawn_inside_a_form_under_an_unmarked_ocr_layer_is_read_by_ocr(two_page_scan):
    """The Government portal signs a scan by wrapping its page whole in a form XObject, the scanner's own OCR layer
    without Vietnamese marks over it (held out 39, chinhphu-nq-168-2022: `CQNG HOA XA HOI CHU NGHIA VIET NAM`): the
    image inside the form still makes the page a scan, so the layer is set aside and the page is read by OCR."""
    from reportlab.lib.utils import ImageReader

    image = _render(two_page_scan, 0, 150)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.beginForm("Fg")
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    c.endForm()
    c.doForm("Fg")
    layer = c.beginText(60, 800)
    layer.setTextRenderMode(3)  # invisible, as a scanner's OCR layer is
    layer.setFont("Helvetica", 9)
    for line in ["CHINH PHU CQNG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc"] * 6:
        layer.textLine(f"{line} Can cu Luat To chuc Chinh phu ngay 19 thang 6 nam 2015")
    c.drawText(layer)
    c.showPage()
    c.save()
    text = extract_text(out.getvalue(), SETTINGS)
    assert text.source == "ocr" and "1450/SNV-VTLT" in text.first_page


Line = tuple[float, float, str, str]  # x, y, text, font
Picture = tuple[Image.Image, float, float, float, float]  # the image, x, y, width, height


def _page_of(lines: Sequence[Line], pictures: Sequence[Picture]) -> bytes:
    """A one-page born-digital PDF: the lines as its text layer (12 pt), the pictures laid on the page as images."""
    from reportlab.lib.utils import ImageReader

    from gateway.fonts import register_fonts

    register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for x, y, text, font in lines:
        c.setFont(font, 12)
        c.drawString(x, y, text)
    for image, x, y, width, height in pictures:
        c.drawImage(ImageReader(image), x, y, width=width, height=height)
    c.showPage()
    c.save()
    return out.getvalue()


def _born_digital_with_the_name_in_an_image(name: str | None) -> bytes:
    """A born-digital công văn whose closing's text layer has the authority line and the title, and the signer's
    name only in the signature's image under them, as e-office systems lay it (held out 43, daknong-stc-cv-1322)."""
    lines = [
        (60, 790, "UBND TỈNH ĐẮK NÔNG", "Serif-Bold"),
        (300, 790, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Serif-Bold"),
        (90, 775, "SỞ TÀI CHÍNH", "Serif-Bold"),
        (340, 775, "Độc lập - Tự do - Hạnh phúc", "Serif-Bold"),
        (60, 750, "Số: 1322/STC-GCS&TCDN", "Serif"),
        (320, 750, "Đắk Nông, ngày 18 tháng 6 năm 2019", "Serif"),
        (60, 735, "V/v công bố thông tin bán cổ phần", "Serif"),
        (200, 700, "Kính gửi: Văn phòng Ủy ban nhân dân tỉnh.", "Serif"),
        (80, 670, "Sở Tài chính kính đề nghị Văn phòng UBND tỉnh công bố thông tin./.", "Serif"),
        (60, 640, "Nơi nhận:", "Serif-Bold"),
        (360, 640, "KT. GIÁM ĐỐC", "Serif-Bold"),
        (60, 625, "- Như trên;", "Serif"),
        (355, 625, "PHÓ GIÁM ĐỐC", "Serif-Bold"),
        (60, 610, "- Lưu VT, GCS&TCDN.", "Serif"),
    ]
    return _page_of(lines, [(_signature_image(name), 320, 520, 210, 72)] if name else [])


def _signature_image(name: str) -> Image.Image:
    """The signature's stroke and the signer's name under it, in one image."""
    from PIL import ImageDraw, ImageFont

    from gateway.fonts import font_path

    image = Image.new("RGB", (700, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(120, 90), (300, 40), (420, 110), (560, 60)], fill=(20, 40, 160), width=6)
    draw.text((190, 160), name, fill="black", font=ImageFont.truetype(str(font_path("Serif-Bold")), 44))
    return image


def test_the_signers_name_in_the_signatures_image_is_read_under_a_text_layers_title():
    """R16: the register records who signed. A text layer with a title and no name under it, the name only in the
    image laid on the page: the image's name is read by OCR (`gateway.pdf.signer_image`), the text layer kept."""
    text = extract_text(_born_digital_with_the_name_in_an_image("Nguyễn Ngọc Đức"), SETTINGS)
    assert text.source == "text_layer"
    meta = read_metadata(text)
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ GIÁM ĐỐC", "Nguyễn Ngọc Đức")
    # without an image nothing is read, and with OCR off the text layer is as it was
    assert read_metadata(extract_text(_born_digital_with_the_name_in_an_image(None), SETTINGS)).signer_name is None
    off = extract_text(_born_digital_with_the_name_in_an_image("Nguyễn Ngọc Đức"), ReadingSettings(ocr=False))
    assert read_metadata(off).signer_name is None


def test_the_signers_name_in_a_signature_fields_appearance_is_read_too():
    """The image laid as the visible signature's appearance, in the signature field (held out 43: the e-office's
    signature with the name under it), not on the page: drawn with the page's forms and read all the same."""
    from gateway.samples.pki import sign_pdf
    from tests.conftest_pki import pki

    unsigned = _born_digital_with_the_name_in_an_image(None)
    signed = sign_pdf(
        unsigned, pki().person, visible=True, box=(320, 520, 530, 592), stamp_image=_signature_image("Lữ Quang Ngời")
    )
    meta = read_metadata(extract_text(signed, SETTINGS))
    assert meta.signer_name == "Lữ Quang Ngời"


def _issued_with_the_number_and_day_in_images(number: str | None, dated: str | None) -> bytes:
    """A born-digital giấy mời the drafter left `Số:        /GM-ĐLPC` on, without a date line, and the registry
    software numbered and dated at issue by laying the figures and the place-and-day line on it as images (held out
    45, the Công ty Điện lực Đắk Lắk's giấy mời 16778/GM-ĐLPC)."""
    from PIL import ImageDraw, ImageFont

    from gateway.fonts import font_path

    lines = [
        (70, 790, "TỔNG CÔNG TY", "Serif"),
        (300, 790, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Serif-Bold"),
        (60, 775, "ĐIỆN LỰC MIỀN TRUNG", "Serif"),
        (340, 775, "Độc lập - Tự do - Hạnh phúc", "Serif-Bold"),
        (50, 760, "CÔNG TY ĐIỆN LỰC ĐẮK LẮK", "Serif-Bold"),
        (70, 740, "Số:             /GM-ĐLPC", "Serif"),
        (270, 700, "MỜI HỌP", "Serif-Bold"),
        (80, 680, "Giám đốc thông báo và mời tham dự họp ngày 3/11/2021 với những nội dung như sau:", "Serif"),
        (60, 640, "Nơi nhận:", "Serif-Bold"),
        (360, 640, "TL. GIÁM ĐỐC", "Serif-Bold"),
        (60, 625, "- Lưu: VT, KT.", "Serif"),
        (345, 625, "CHÁNH VĂN PHÒNG", "Serif-Bold"),
        (350, 560, "Nguyễn Văn Thoan", "Serif-Bold"),
    ]
    pictures: list[Picture] = []
    for text, (x, y, width, height), italic in ((number, (90, 737, 32, 14), False), (dated, (320, 737, 230, 16), True)):
        if text:
            image = Image.new("RGB", (width * 6, height * 6), "white")
            font = ImageFont.truetype(str(font_path("Serif-Italic" if italic else "Serif")), 60)
            ImageDraw.Draw(image).text((4, 4), text, fill="black", font=font)
            pictures.append((image, x, y, width, height))
    return _page_of(lines, pictures)


def test_the_number_and_day_the_registry_lays_as_images_fill_the_layers_blanks():
    """R16: the register records the number and date as issued. The text layer leaves the number blank and has no
    dated line; both are images laid on the page at issue: OCR reads them from the header's band
    (`gateway.pdf.header_image`), the rest of the text layer kept."""
    pdf = _issued_with_the_number_and_day_in_images("16778", "Đắk Lắk, ngày 03 tháng 11 năm 2021")
    text = extract_text(pdf, SETTINGS)
    assert text.source == "text_layer"
    meta = read_metadata(text)
    assert (meta.number, meta.date, meta.place) == ("16778/GM-ĐLPC", date(2021, 11, 3), "Đắk Lắk")
    assert meta.signer_name == "Nguyễn Văn Thoan"
    # the body's day is no dated line (`họp ngày 3/11/2021`); without the images the blanks stay blank, and with OCR
    # off the text layer is as it was
    blank = read_metadata(extract_text(_issued_with_the_number_and_day_in_images(None, None), SETTINGS))
    assert (blank.number, blank.date) == ("/GM-ĐLPC", None)
    off = read_metadata(extract_text(pdf, ReadingSettings(ocr=False)))
    assert (off.number, off.date) == ("/GM-ĐLPC", None)


def test_an_italic_days_figures_ocr_reads_as_letters_are_mended():
    """The registry's italic date line, OCR's `tháng 1Ì` for `tháng 11` (held out 45, daklak-pc-gm-16778)."""
    from gateway.pdf.header_image import _dated_line

    assert _dated_line("  Số: 16778 /GM-ĐLPC      Đăk Lăk, ngày 03 tháng 1Ì năm 2021") == (
        "Đăk Lăk, ngày 03 tháng 11 năm 2021"
    )
    assert _dated_line("Đăk Lăk, ngày 03 tháng 1Q năm 2021") == ""  # not figures: no date rather than a wrong one


def test_a_submissions_closing_before_the_draft_annexed_to_it_is_the_documents():
    """A tờ trình with its draft nghị quyết annexed (held out 43, daknong-hdnd-ttr-04): the draft ends on a closing
    of its own (`Nghị quyết này đã được … thông qua`, the council's chairman's name printed, no signature), which is
    not the submission's; the tờ trình's closing on the page before it is the document's."""
    pages = [
        [
            (60, 790, "HỘI ĐỒNG NHÂN DÂN"),
            (300, 790, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (70, 775, "TỈNH ĐẮK NÔNG"),
            (330, 775, "Độc lập - Tự do - Hạnh phúc"),
            (60, 750, "Số: 04/TTr-HĐND"),
            (320, 750, "Đắk Nông, ngày 01 tháng 7 năm 2019"),
            (270, 715, "TỜ TRÌNH"),
            (150, 700, "Về việc miễn nhiệm chức vụ Trưởng ban Pháp chế HĐND tỉnh"),
            (200, 670, "Kính gửi: Hội đồng nhân dân tỉnh"),
            (80, 640, "Thường trực Hội đồng nhân dân tỉnh trình Hội đồng nhân dân tỉnh xem xét, quyết định./."),
        ],
        [
            (60, 780, "Nơi nhận:"),
            (360, 780, "TM. THƯỜNG TRỰC HĐND"),
            (60, 765, "- Thường trực Tỉnh uỷ (B/c);"),
            (380, 765, "KT. CHỦ TỊCH"),
            (60, 750, "- Lưu VT."),
            (375, 750, "PHÓ CHỦ TỊCH"),
            (365, 690, "Nguyễn Thị Hoa"),
        ],
        [
            (80, 780, "Nghị quyết này đã được Hội đồng nhân dân tỉnh Đắk Nông khóa III thông qua./."),
            (60, 750, "Nơi nhận:"),
            (400, 750, "CHỦ TỊCH"),
            (60, 735, "- Ủy ban thường vụ Quốc hội;"),
            (60, 720, "- Lưu: VT, phòng Tổng hợp."),
            (395, 680, "Lê Diễn"),
        ],
    ]
    meta = read_metadata(extract_text(_pages_pdf(pages), SETTINGS))
    assert (meta.doc_type, meta.number) == ("to_trinh", "04/TTr-HĐND")
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Thị Hoa")
    assert meta.recipients_paper == ("Thường trực Tỉnh uỷ (B/c)", "Lưu VT")


def _pages_pdf(pages: Sequence[Sequence[tuple[float, float, str]]]) -> bytes:
    """A born-digital PDF of the pages, each its lines at (x, y), in the serif font at 12 pt."""
    from gateway.fonts import register_fonts

    register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for page in pages:
        c.setFont("Serif", 12)
        for x, y, text in page:
            c.drawString(x, y, text)
        c.showPage()
    c.save()
    return out.getvalue()


def _list_over_two_pages() -> bytes:
    """A công văn whose recipients' list runs over onto its last page: the remaining entries and the filing entry
    alone there (held out 71, bldtbxh-tt-10-2020-md and cp-nd-293-2025-md as printed)."""
    entries = [f"- Sở Lao động - Thương binh và Xã hội tỉnh số {k};" for k in range(1, 9)]
    pages = [
        [
            (60, 790, "BỘ LAO ĐỘNG - THƯƠNG BINH"),
            (300, 790, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (85, 775, "VÀ XÃ HỘI"),
            (330, 775, "Độc lập - Tự do - Hạnh phúc"),
            (60, 750, "Số: 2864/LĐTBXH-NCC"),
            (320, 750, "Hà Nội, ngày 22 tháng 7 năm 2015"),
            (60, 735, "V/v giải quyết chế độ chính sách"),
            (80, 700, "Bộ Lao động - Thương binh và Xã hội có ý kiến như sau./."),
        ],
        [
            (80, 780, "Đề nghị các Sở thực hiện./."),
            (60, 750, "Nơi nhận:"),
            (380, 750, "KT. BỘ TRƯỞNG"),
            (385, 735, "THỨ TRƯỞNG"),
            *((60, 735 - 15 * k, entry) for k, entry in enumerate(entries)),
            (380, 640, "Lê Tấn Dũng"),
        ],
        [(60, 780, "- Bộ trưởng (để báo cáo);"), (60, 765, "- Lưu: VT, NCC.")],
    ]
    return _pages_pdf(pages)


@pytest.mark.parametrize("scanned", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["text layer", "scan"])
def test_a_list_run_over_onto_the_last_page_keeps_its_tail_r12(scanned):
    """The last page holds only the list's last entries and `Lưu: …`: the closing is read on the page before, and
    the tail is its list's, not lost (a text layer's last page, and a scan's too little ink to count as text)."""
    pdf = _list_over_two_pages()
    meta = read_metadata(extract_text(render_scan(pdf, seed=7) if scanned else pdf, SETTINGS))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "THỨ TRƯỞNG", "Lê Tấn Dũng")
    assert meta.recipients_paper[-2:] == ("Bộ trưởng (để báo cáo)", "Lưu: VT, NCC")
    assert len(meta.recipients_paper) == 10


@pytest.mark.slow  # Tesseract
def test_a_scanned_closing_run_on_as_a_paragraph_is_read_from_its_heading_r12():
    """A web copy's closing printed as one paragraph, then scanned (held out 74 as scans, cp-nd-12-2022-txt): its
    lines are as wide as the body's, so the closing's band starts at the last of them; the entries run on there
    after their `;`, no `Nơi nhận:` over them, and the band is read again from higher up."""
    closing = [
        "Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực",
        "thuộc trung ương chịu trách nhiệm thi hành Nghị định này. Nơi nhận: - Ban Bí thư Trung",
        "ương Đảng; - Thủ tướng, các Phó Thủ tướng Chính phủ; - Các bộ, cơ quan ngang bộ, cơ quan",
        "thuộc Chính phủ; - HĐND, UBND các tỉnh, thành phố trực thuộc trung ương; - Văn phòng",
        "Trung ương và các Ban của Đảng; - Văn phòng Tổng Bí thư; - Văn phòng Chủ tịch nước; - Hội",
        "đồng Dân tộc và các Ủy ban của Quốc hội; - Văn phòng Quốc hội; - Tòa án nhân dân tối cao;",
        "- Viện kiểm sát nhân dân tối cao; - Kiểm toán nhà nước; - Ngân hàng Chính sách xã hội; - Cơ",
        "quan trung ương của các đoàn thể; - VPCP: BTCN, các PCN, Trợ lý TTg, TGĐ Cổng TTĐT, các",
        "Vụ, Cục, đơn vị trực thuộc, Công báo; - Lưu: VT, KGVX (2b). TM. CHÍNH PHỦ KT. THỦ TƯỚNG",
        "PHÓ THỦ TƯỚNG Vũ Đức Đam",
    ]
    header = [(60, 790, "CHÍNH PHỦ"), (60, 770, "Số: 12/2022/NĐ-CP"), (60, 740, "NGHỊ ĐỊNH"), (60, 720, "Quy định")]
    pdf = _pages_pdf([header, [(50, 790 - 17 * k, line) for k, line in enumerate(closing)]])
    meta = read_metadata(extract_text(render_scan(pdf, seed=3), SETTINGS))
    assert meta.recipients_paper[:2] == ("Ban Bí thư Trung ương Đảng", "Thủ tướng, các Phó Thủ tướng Chính phủ")
    assert meta.recipients_paper[-1] == "Lưu: VT, KGVX (2b)"
    assert len(meta.recipients_paper) == 16
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ THỦ TƯỚNG", "Vũ Đức Đam")


def test_a_converters_picture_notes_do_not_make_a_page_foreign():
    """A PyMuPDF4LLM text printed (held out 71, cp-nd-293-2025-md): its notes on a picture (`**==> picture [136 x
    137] intentionally omitted <==**`, `----- Start of picture text -----`, `<br>`) are no words of the page, whose
    Vietnamese text is still the page's; the same page's words in English are not."""
    from gateway.pdf.text import marked_like_vietnamese

    body = (
        "Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân "
        "tỉnh, thành phố trực thuộc trung ương và người sử dụng lao động chịu trách nhiệm thi hành Nghị định này.\n"
        "Nơi nhận:\n- Ban Bí thư Trung ương Đảng;\n- Thủ tướng, các Phó Thủ tướng Chính phủ;\n"
    )
    notes = (
        "**==> picture [136 x 137] intentionally omitted <==**\n**----- Start of picture text -----**<br>\n"
        "TM. CHÍNH PHỦ<br>KT. THỦ TƯỚNG<br>PHÓ THỦ TƯỚNG<br>Hồ Đức Phớc<br>**----- End of picture text -----**<br>\n"
    )
    assert marked_like_vietnamese(body + notes)
    assert not marked_like_vietnamese(body + "The picture is intentionally omitted from this text of the page, " * 3)
