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


def test_parse_tsv_keeps_words_only_and_nfc():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t10\t10\t200\t30\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t10\t60\t30\t91.5\tHo\u0300a\n"
        "5\t1\t1\t1\t1\t2\t80\t10\t60\t30\tbad\tx\n"
        "5\t1\t1\t1\t1\t3\t150\t10\t60\t30\t90\t \n"
    )
    assert parse_tsv(tsv) == [Word("Hòa", 10, 10, 60, 30, 91.5, (1, 1, 1))]


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
