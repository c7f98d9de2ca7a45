"""Web copies and converters' text: a legal-database crawl's Markdown tables whose cells joined their lines with
one space (held out 65, a thuvienphapluat crawl), an OCR converter's Markdown (held out 67) and pandoc's (held out
66): the header, the number with its V/v, the recipients and the signer block are read as the page printed them.
R16 (the register's fields), R12 (Nơi nhận)."""

from __future__ import annotations

from datetime import date

import pytest

from gateway.pdf.text import DocumentText
from gateway.reading import read_metadata
from gateway.reading.cells import Cell
from gateway.reading.layout import page_from_text
from gateway.reading.web_cells import cell_lines, signer_cells

HEADER = """*Source: https://example.invalid/cong-van-1414*

# V/v hỗ trợ người có công với cách mạng cải thiện nhà ở

| BỘ TÀI CHÍNH TỔNG CỤC THUẾ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |
|---|---|
| Số: 1414/TCT-CS V/v hỗ trợ người có công với cách mạng cải thiện nhà ở | Hà Nội, ngày 26 tháng 0 4 năm 2013 |

Kính gửi: Cục Thuế tỉnh Hà Tĩnh

Tổng cục Thuế nhận được công văn của Cục Thuế tỉnh Hà Tĩnh."""

CLOSING = (
    "Tổng cục Thuế trả lời để Cục Thuế được biết.\n\n"
    "| Nơi nhận: - Như trên; - UBND tỉnh Hà Tĩnh; - VPCP: BTCN, các PCN; Trợ lý TTg; - Lưu: VT, CS (2.b). "
    "| TL. BỘ TRƯỞNG KT. VỤ TRƯỞNG VỤ CHÍNH SÁCH PHÓ VỤ TRƯỞNG Ngô Văn Độ |\n|---|---|"
)


def test_a_crawled_letter_reads_as_printed():
    meta = read_metadata(DocumentText(HEADER, CLOSING, "text_layer"))
    assert (meta.parent_issuer, meta.issuer) == ("BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ")
    assert (meta.number, meta.doc_type) == ("1414/TCT-CS", "cong_van")
    assert meta.subject == "V/v hỗ trợ người có công với cách mạng cải thiện nhà ở"
    assert meta.date == date(2013, 4, 26)  # the month's figures a space apart
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ VỤ TRƯỞNG", "Ngô Văn Độ")
    assert meta.recipients_paper == (
        "Như trên",
        "UBND tỉnh Hà Tĩnh",
        "VPCP: BTCN, các PCN; Trợ lý TTg",
        "Lưu: VT, CS (2.b)",
    )


@pytest.mark.parametrize(
    ("cell", "lines"),
    [
        ("VĂN PHÒNG CHÍNH PHỦ -------", ["VĂN PHÒNG CHÍNH PHỦ"]),
        ("ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH SỞ Y TẾ", ["ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH", "SỞ Y TẾ"]),
        ("BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", ["BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG"]),  # TRƯỜNG alone opens no unit
        ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", ["ỦY BAN THƯỜNG VỤ QUỐC HỘI"]),
        (
            "TM. CHÍNH PHỦ KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Trần Hồng Hà",
            ["TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Trần Hồng Hà"],
        ),
        (
            "KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM Nguyễn Khắc Định",
            ["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "Nguyễn Khắc Định"],
        ),
        (
            "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI CHỦ TỊCH Nguyễn Sinh Hùng",
            ["TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI", "CHỦ TỊCH", "Nguyễn Sinh Hùng"],
        ),
        ("TM. BAN THƯỜNG VỤ BÍ THƯ (Đã ký) Nguyễn Văn An", ["TM. BAN THƯỜNG VỤ", "BÍ THƯ", "(Đã ký)", "Nguyễn Văn An"]),
        ("THỦ TƯỚNG Nguyễn Tấn Dũng", ["THỦ TƯỚNG", "Nguyễn Tấn Dũng"]),
        ("KT. CHỦ TỊCH", ["KT. CHỦ TỊCH"]),  # a title the authority stands before, not one to cut off
        ("PHÓ CHỦ TỊCH", ["PHÓ CHỦ TỊCH"]),
        ("Kính gửi: - Sở Tài chính; - Sở Nội vụ", ["Kính gửi:", "- Sở Tài chính;", "- Sở Nội vụ"]),
        # an entry's purpose note after its `;` closes it too (held out 72, hanoi-ubnd-qd-6154-2011)
        (
            "Nơi nhận: - Bộ LĐTB&XH; (để báo cáo) - TT Thành ủy; - Lưu: VT.",
            ["Nơi nhận:", "- Bộ LĐTB&XH; (để báo cáo)", "- TT Thành ủy;", "- Lưu: VT."],
        ),
        ("Hà Nội, ngày 21 tháng 10 năm 2013", ["Hà Nội, ngày 21 tháng 10 năm 2013"]),
        ("BAN CHẤP HÀNH  Số: 245 KH/TWĐTN", ["BAN CHẤP HÀNH", "Số: 245 KH/TWĐTN"]),  # two-space breaks first
    ],
)
def test_cell_lines(cell, lines):
    assert cell_lines(cell) == lines


PRINTED = (
    "*Source:\nhttps://thuvienphapluat.vn/van-ban/Tai-chinh-nha-nuoc/Nghi-dinh-55-2023-ND-CP-sua-doi-Nghi-dinh-75-2021"
    "-ND-CP-che-do-uu-dai-nguoi-co-cong-cach-mang-563148.aspx*\n\n"
    "CHÍNH PHỦ                                         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\n"
    "                                                  NAM Độc lập - Tự do - Hạnh phúc\n\n"
    "Số: 55/2023/NĐ-CP                                  Hà Nội, ngày 21 tháng 7 năm 2023\n\n"
    "NGHỊ ĐỊNH\n\nSỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA NGHỊ ĐỊNH SỐ 75/2021/NĐ-CP\n\nCăn cứ Luật Tổ chức Chính phủ;"
)


def test_a_printed_crawl_keeps_its_columns_apart():
    """The crawl printed to PDF: the address line, one long token, sets no page width, so the motto's last word
    wrapped in its column stays the motto's, not the issuer's."""
    meta = read_metadata(DocumentText(PRINTED, PRINTED, "text_layer"))
    assert (meta.issuer, meta.number, meta.date) == ("CHÍNH PHỦ", "55/2023/NĐ-CP", date(2023, 7, 21))


OCR_MARKDOWN = """## BỘ TƯ PHÁP CỤC ĐĂNG KÝ GIAO DỊCH BẢO ĐẢM **TRUNG TÂM ĐĂNG KÝ GIAO DỊCH, TÀI SẢN TẠI TP. ĐÀ NẴNG**

## **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc**

*Đà Nẵng, ngày 11 tháng 07 năm 2025*

Số: 1597872024/TB-TT3

## **THÔNG BÁO**

**Về việc xóa đăng ký**

**Kính gửi:** Ngân hàng Thương mại cổ phần Ngoại thương Việt Nam

Thực hiện quy định tại Điều 15 Nghị định số 99/2022/NĐ-CP."""


def test_an_ocr_converters_markdown_reads_as_plain_text():
    """Marker's Markdown (held out 67): the heading marks and stars go, and the issuer printed in bold under its
    superiors, all joined into one heading, is a line of its own; a registry's software numbers with ten
    figures."""
    meta = read_metadata(DocumentText(OCR_MARKDOWN, OCR_MARKDOWN, "text_layer"))
    assert meta.issuer == "TRUNG TÂM ĐĂNG KÝ GIAO DỊCH, TÀI SẢN TẠI TP. ĐÀ NẴNG"
    assert meta.parent_issuer == "BỘ TƯ PHÁP CỤC ĐĂNG KÝ GIAO DỊCH BẢO ĐẢM"
    assert (meta.number, meta.doc_type, meta.subject) == ("1597872024/TB-TT3", "thong_bao", "Về việc xóa đăng ký")
    assert (meta.place, meta.date) == ("Đà Nẵng", date(2025, 7, 11))
    assert meta.addressees == ("Ngân hàng Thương mại cổ phần Ngoại thương Việt Nam",)


PANDOC = r"""  -------------------------------- --------------------------------------
    **BAN CHẤP HÀNH TRUNG ƯƠNG\          **ĐẢNG CỘNG SẢN VIỆT NAM\
                \***                  \-\-\-\-\-\-\-\-\-\-\-\-\-\--**

            Số 60-NQ/TW              *Hà Nội, ngày 12 tháng 4 năm 2025*
  -------------------------------- --------------------------------------

**NGHỊ QUYẾT**

HỘI NGHỊ LẦN THỨ 11 BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHÓA XIII

Hội nghị lần thứ 11 Ban Chấp hành Trung ương Đảng khóa XIII họp từ ngày 10/4 đến ngày 12/4/2025."""

WORD_EXPORT = """THÀNH ĐOÀN HÀ NỘI
BCH ĐOÀN XÃ PHÚC THỊNH
***
Số: 03-KH/ĐTN

ĐOÀN TNCS HỒ CHÍ MINH
Phúc Thịnh, ngày 5 tháng 1 năm 2026

KẾ HOẠCH
Tổ chức chương trình “Xuân tình nguyện – Tết sẻ chia” năm 2026
----------------Thực hiện Chỉ thị số 12-CT/ĐU ngày 15/12/2025 của Ban Thường vụ Đảng ủy xã Phúc Thịnh về việc tập
trung thực hiện các nhiệm vụ trước, trong và sau Tết Nguyên đán Bính Ngọ năm 2026"""


def test_pandoc_escapes_and_a_rule_glued_to_the_body():
    """pandoc's Markdown of a Word file escapes signs and breaks lines with a backslash; text extraction glues
    the rule under the header to the body's first line (held out 66): neither reaches the fields."""
    meta = read_metadata(DocumentText(PANDOC, PANDOC, "text_layer"))
    assert (meta.issuer, meta.number, meta.date) == ("BAN CHẤP HÀNH TRUNG ƯƠNG", "60-NQ/TW", date(2025, 4, 12))
    assert meta.subject == "HỘI NGHỊ LẦN THỨ 11 BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHÓA XIII"
    assert page_from_text(PANDOC).rows[0].text == "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "\\" not in "".join(row.text for row in page_from_text(PANDOC).rows)
    export = read_metadata(DocumentText(WORD_EXPORT, WORD_EXPORT, "text_layer"))
    assert export.subject == "Tổ chức chương trình “Xuân tình nguyện – Tết sẻ chia” năm 2026"


PYMUPDF4LLM = """Điều 3. Các Bộ trưởng chịu trách nhiệm thi hành Nghị định này.

**Nơi nhận:**

- Ban Bí thư Trung ương Đảng;

- Tòa án nhân dân tối cao;

**==> picture [136 x 137] intentionally omitted <==**

**----- Start of picture text -----**<br>
TM. CHÍNH PHỦ<br>KT. THỦ TƯỚNG<br>PHÓ THỦ TƯỚNG<br>Hồ Đức Phớc<br>**----- End of picture text -----**<br>

- Viện kiểm sát nhân dân tối cao;

- Lưu: VT, KTTH (2)."""

BLANK_COUNT = """Điều 3. Các Bộ trưởng chịu trách nhiệm thi hành Nghị quyết này.
Nơi nhận:
- Ban Bí thư Trung ương Đảng;
- Lưu: VT, KTTH (\u00a0\u00a0\u00a0b).
TM. CHÍNH PHỦ
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG
(Đã ký)
Hồ Đức Phớc"""


def test_a_converters_picture_notes_and_a_count_left_blank():
    """PyMuPDF4LLM's notes around a picture's text and its `<br>` breaks (the signer block drawn as an image,
    among the recipients), and a count left blank in its brackets, no column gap (held out 71). R12, R16."""
    meta = read_metadata(DocumentText("CHÍNH PHỦ\nSố: 293/2025/NĐ-CP\n", PYMUPDF4LLM, "text_layer"))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ THỦ TƯỚNG", "Hồ Đức Phớc")
    assert meta.recipients_paper == (
        "Ban Bí thư Trung ương Đảng",
        "Tòa án nhân dân tối cao",
        "Viện kiểm sát nhân dân tối cao",
        "Lưu: VT, KTTH (2)",
    )
    blank = read_metadata(DocumentText("CHÍNH PHỦ\nSố: 13/NQ-CP\n", BLANK_COUNT, "text_layer"))
    assert (blank.signing_authority, blank.signer_title, blank.signer_name) == ("KT.", "PHÓ THỦ TƯỚNG", "Hồ Đức Phớc")


def test_a_web_pages_title_is_no_date_line_and_a_tay_family_name_stays():
    """The crawler's heading over the header cites another decision's day (`… quyết định số 290/2005/QĐ-TTg
    ngày 08 tháng 11 năm 2005 …`): no place of issue is a sentence; a Tày family name the common list lacks is
    the signer's own (`Chẩu Văn Lâm`, not `Châu`; held out 72). R16."""
    header = (
        "# Thực hiện chế độ bảo hiểm y tế theo quyết định số 290/2005/QĐ-TTg ngày 08 tháng 11 năm 2005\n\n"
        "| UỶ BAN NHÂN DÂN TỈNH TUYÊN QUANG -------- "
        "| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc |\n"
        "|---|---|\n| Số: 12/2012/QĐ-UBND | Tuyên Quang, ngày 25 tháng 6 năm 2012 |\n\nQUYẾT ĐỊNH\n"
    )
    closing = (
        "| Nơi nhận: - Văn phòng Chính phủ; - Lưu VT, VX. | TM. UỶ BAN NHÂN DÂN TỈNH CHỦ TỊCH Chẩu Văn Lâm |\n|---|---|"
    )
    meta = read_metadata(DocumentText(header, closing, "text_layer"))
    assert (meta.place, meta.date) == ("Tuyên Quang", date(2012, 6, 25))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("TM.", "CHỦ TỊCH", "Chẩu Văn Lâm")


STREAM_HEADER = """CHÍNH PHỦ ------- CỘNG HÒA XÃ HỘI
  CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- Số: 80/2021/NĐ-CP Hà Nội, ngày 26
  tháng 8 năm 2021 NGHỊ ĐỊNH QUY
ĐỊNH CHI TIẾT VÀ HƯỚNG DẪN THI HÀNH MỘT SỐ ĐIỀU CỦA LUẬT HỖ TRỢ DOANH NGHIỆP NHỎ
VÀ VỪA Căn cứ Luật Tổ chức
Chính phủ ngày 19 tháng 6 năm 2015; Căn cứ Luật Tổ chức"""

STREAM_CLOSING = """thuộc trung ương chịu trách nhiệm thi hành Nghị định này. Nơi nhận: - Ban Bí thư Trung ương
  Đảng; - Thủ tướng, các Phó Thủ tướng Chính phủ; - Lưu: VT, ĐMDN (2b). TM. CHÍNH PHỦ KT. THỦ TƯỚNG PHÓ THỦ
  TƯỚNG Lê Minh Khái"""


def test_a_page_whose_lines_ran_together():
    """A crawler's page text joined with spaces and wrapped anywhere (held out 74): the header's number, date,
    title and subject, and the closing's recipients and signer, are found where the page shows them. R12, R16."""
    meta = read_metadata(DocumentText(STREAM_HEADER, STREAM_CLOSING, "text_layer"))
    assert (meta.issuer, meta.number, meta.doc_type) == ("CHÍNH PHỦ", "80/2021/NĐ-CP", "nghi_dinh")
    assert (meta.place, meta.date) == ("Hà Nội", date(2021, 8, 26))
    assert meta.subject == "QUY ĐỊNH CHI TIẾT VÀ HƯỚNG DẪN THI HÀNH MỘT SỐ ĐIỀU CỦA LUẬT HỖ TRỢ DOANH NGHIỆP NHỎ VÀ VỪA"
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ THỦ TƯỚNG", "Lê Minh Khái")
    assert meta.recipients_paper == (
        "Ban Bí thư Trung ương Đảng",
        "Thủ tướng, các Phó Thủ tướng Chính phủ",
        "Lưu: VT, ĐMDN (2b)",
    )


PANDOC_TABLES = (
    "  -----------------------------------------------------------------------\n"
    "  CHÍNH PHỦ                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "  ^(__________)             Độc lập - Tự do - Hạnh phúc\n"
    "  Số: 356/2025/NĐ-CP        ^(______________________\n"
    "                            )Hà Nội, ngày 31 tháng 12 năm 2025\n"
    "  ------------------------- ---------------------------------------------\n\nNGHỊ ĐỊNH\n\n"
    "Quy định chi tiết một số điều và biện pháp thi hành Luật Bảo vệ dữ liệu cá nhân\n\n"
    + "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15; " * 8
    + "\n\n"
    + "Điều 3. Các Bộ trưởng chịu trách nhiệm thi hành Nghị định này, " * 8
    + "\n\n  Nơi nhận:                                      TM. CHÍNH PHỦ\n"
    "  - Ban Bí thư Trung ương Đảng;                   KT. THỦ TƯỚNG\n"
    "  - Lưu: VT, PL (2b).                             PHÓ THỦ TƯỚNG\n"
    "                                                  Nguyễn Hòa Bình\n"
)


def test_pandocs_tables_beside_paragraphs_without_wraps():
    """pandoc's plain text of a Word file (`--wrap=none`, held out 74): a paragraph runs on as one line, so the
    page's width is the two columns' (the signer's column stays the right one), and the date line glued to the
    superscript rule's bracket (`)Hà Nội, ngày …`) still has its place. R12, R16."""
    meta = read_metadata(DocumentText(PANDOC_TABLES, PANDOC_TABLES, "text_layer"))
    assert (meta.number, meta.place, meta.date) == ("356/2025/NĐ-CP", "Hà Nội", date(2025, 12, 31))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ THỦ TƯỚNG", "Nguyễn Hòa Bình")
    assert meta.recipients_paper == ("Ban Bí thư Trung ương Đảng", "Lưu: VT, PL (2b)")


def test_a_title_and_name_on_one_line_and_a_number_with_a_capital_letter():
    """A converter's bold line holding the signer's title and name (`**HIỆU TRƯỞNG Nguyễn Thanh Giang**`), and
    a number reserved between two with a capital letter after its figures (`14A/QyĐ-KTTC`; held out 75). R16."""
    closing = "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n**HIỆU TRƯỞNG Nguyễn Thanh Giang**"
    meta = read_metadata(
        DocumentText("TRƯỜNG ĐẠI HỌC KINH TẾ CÔNG NGHIỆP LONG AN\nSố: 14A/QyĐ-KTTC\n", closing, "text_layer")
    )
    assert meta.number == "14A/QyĐ-KTTC"
    assert (meta.signer_title, meta.signer_name) == ("HIỆU TRƯỞNG", "Nguyễn Thanh Giang")
    assert meta.recipients_paper == ("Như Điều 3", "Lưu: VT")


def test_signer_cells():
    """An authority line with the title run on is cut before the title (held out 78), never after a comma (the
    head's second office) nor inside one title OCR misspelled."""
    cells = signer_cells(Cell("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH", 50, True))
    assert [(c.text, c.start, c.right) for c in cells] == [("TM. ỦY BAN NHÂN DÂN", 50, True), ("CHỦ TỊCH", 50, True)]
    for kept in ("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "KT. TỎNG CỤC TRƯỞNG", "KT. CHỦ TỊCH", "Nguyễn Văn An"):
        assert [c.text for c in signer_cells(Cell(kept, 0))] == [kept]


def test_entries_run_together_after_a_purpose_note_r12():
    """A crawl's closing on one line (held out 72, tuyenquang-ubnd-qd-986-2024): the dash after an entry's purpose
    note, set after its `;`, opens the next entry as the dash after a `;` does."""
    closing = (
        "Quyết định này có hiệu lực kể từ ngày ký./.\n\n"
        "Nơi nhận: - Bộ Giáo dục và Đào tạo; (báo cáo) - Thường trực Tỉnh uỷ; (báo cáo) - Các PCT UBND tỉnh; "
        "- Lưu: VT, THVX.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn Sơn"
    )
    meta = read_metadata(DocumentText("", closing, "text_layer"))
    assert meta.recipients_paper == (
        "Bộ Giáo dục và Đào tạo; (báo cáo)",
        "Thường trực Tỉnh uỷ; (báo cáo)",
        "Các PCT UBND tỉnh",
        "Lưu: VT, THVX",
    )


WRAPPED_HEADER = (
    "VĂN PHÒNG CHÍNH PHỦ -------                            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\n"
    "                                                       NAM Độc lập - Tự do - Hạnh phúc\n"
    "Số: 8794/VPCP-KGVX V/v ban hành Thông                  Hà Nội, ngày 21 tháng 10 năm 2013\n"
    "tư liên tịch hướng dẫn về quy trình xác nhận\n"
    "đối tượng người có công bị nhiễm chất độc\n"
    "hóa học/dioxin\n\n"
    "Kính gửi: Bộ Lao động - Thương binh và Xã hội\n\n"
    "Ngày 19 tháng 9 năm 2013, Văn phòng Chính phủ có văn bản số 349/TB-VPCP."
)
WRAPPED_CLOSING = (
    "Văn phòng Chính phủ đề nghị quý Bộ khẩn trương có báo cáo.\n\n"
    "Nơi nhận: - Như trên; - TTCP, PTTg Nguyễn            KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ\n"
    "Thiện Nhân (để b/c); - VPCP: BTCN, PCN               CHỦ NHIỆM Nguyễn Khắc Định\n"
    "Nguyễn Khắc Định; - Lưu: VT, KGVX (3)."
)


def test_a_crawls_joined_cells_wrapped_at_the_columns_width():
    """The crawl's page printed to PDF (held out 65 as a text-layer PDF): each joined cell wrapped at its column's
    width. The V/v after the number opens the subject, and the signer column's run, capitals and a name sharing a
    line, is cut back into authority, title and name."""
    meta = read_metadata(DocumentText(WRAPPED_HEADER, WRAPPED_CLOSING, "text_layer"))
    assert meta.number == "8794/VPCP-KGVX"
    assert meta.subject == (
        "V/v ban hành Thông tư liên tịch hướng dẫn về quy trình xác nhận đối tượng người có công bị nhiễm chất độc "
        "hóa học/dioxin"
    )
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ CHỦ NHIỆM", "Nguyễn Khắc Định")


def test_a_signer_column_printed_line_by_line_is_left_as_it_is():
    """No line of the signer column holds capitals and a name together: the run is not cut again."""
    rows = page_from_text(
        "Nơi nhận:                         KT. CHỦ TỊCH\n- Như trên;                        PHÓ CHỦ TỊCH\n"
        "- Lưu: VT.                        Nguyễn Văn An"
    ).rows
    assert [c.text for r in rows for c in r.cells if c.right] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]


# OCR of a run-on closing: the signer block after the filing entry though specks hid `Nơi nhận:` (held out 74), and
# the closing's first line read across both columns, the name's end on the next line (held out 65 as scans).
RUN_ON_CLOSINGS = [
    (
        "Các Bộ trưởng chịu trách nhiệm thi hành Nghị định này.\n"
        "           SH DEH2 + YĐUk kiuxïĐ Xa UY HE AO HHỢY, – 1XO1L 11G ELIŒU\n"
        "           ương Mặt trận Tổ quốc Việt Nam; - Cơ quan trung ương của các đoàn thể; - VPCP: BTCN,\n"
        "           các PCN, Trợ lý TTg, Công báo; - Lưu:\n"
        "           VT, KGVX (2b). TM. CHÍNH PHỦ KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Vũ Đức Đam\n",
        ("KT.", "PHÓ THỦ TƯỚNG", "Vũ Đức Đam"),
    ),
    (
        "Đề nghị các cơ quan có liên quan tổ chức thực hiện./.\n\n"
        "         Nơi nhận: - Như trên; - Thủ tướng Chính phủ KT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn\n"
        "         (để b/c); - Ủy ban các vấn đề Xã hội của   Trần Nam\n"
        "         Quốc hội; - Bộ Tài chính; -\n"
        "         Lưu: VT, QLN (2b)\n",
        ("KT.", "THỨ TRƯỞNG", "Nguyễn Trần Nam"),
    ),
]


@pytest.mark.parametrize(("closing", "signer"), RUN_ON_CLOSINGS)
def test_an_ocr_read_run_on_closing_names_its_signer_r12(closing, signer):
    """The authority, title and name cut apart where the filing entry or an entry runs on into them."""
    meta = read_metadata(DocumentText("", closing, "ocr"))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == signer


def test_pandocs_line_break_inside_a_line_goes():
    """pandoc's hard line break, a backslash, run into one line with the next when its cell was wrapped anew (held
    out 73 as text-layer PDFs: `ỦY BAN THƯỜNG VỤ\\ QUỐC HỘI\\`): the backslashes go, the words stay."""
    rows = page_from_text("ỦY BAN THƯỜNG VỤ\\ QUỐC HỘI\\        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").rows
    assert [c.text for c in rows[0].cells] == ["ỦY BAN THƯỜNG VỤ QUỐC HỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]


def test_a_signer_blocks_lines_run_together_in_one_cell_each_get_a_row_r12():
    """The signer block run on in one cell beside the filing entry (held out 74, btc-tt-219-2013-txt: `- Lưu: VT;
    TCT (VT, CS).Hien KT.` / `BỘ TRƯỞNG THỨ TRƯỞNG Đỗ Hoàng Anh Tuấn`): authority, title and name each get a row of
    the signer column, so the title's last word is not read into the name."""
    rows = page_from_text(
        "- Website Bộ Tài chính;\n- Lưu: VT, CS.       KT. BỘ TRƯỞNG THỨ TRƯỞNG Đỗ Hoàng Anh Tuấn"
    ).rows
    assert [[c.text for c in r.cells] for r in rows[1:]] == [
        ["- Lưu: VT, CS.", "KT. BỘ TRƯỞNG"],
        ["THỨ TRƯỞNG"],
        ["Đỗ Hoàng Anh Tuấn"],
    ]


def test_a_signer_line_at_the_margin_with_its_name_set_apart_r12():
    """A crawl's closing: the entries on one line, then the authority and title run together at the margin with the
    name set apart by a gap (held out 78, namdinh-ubnd-qd-1680-2017): authority, title and name, in that order."""
    closing = (
        "Quyết định có hiệu lực thi hành kể từ ngày ký./.\n"
        "Nơi nhận: - Bộ Tư pháp (Cục Kiểm tra VBQPPL); - Như Điều 3; - Công báo tỉnh; - Lưu VP1, VP6, VP8.\n"
        "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH     Phạm Đình Nghị"
    )
    meta = read_metadata(DocumentText("", closing, "text_layer"))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("TM.", "CHỦ TỊCH", "Phạm Đình Nghị")
    assert meta.recipients_paper == (
        "Bộ Tư pháp (Cục Kiểm tra VBQPPL)",
        "Như Điều 3",
        "Công báo tỉnh",
        "Lưu VP1, VP6, VP8",
    )


def test_heading_marks_ocr_read_off_a_printed_page_go_r16():
    """A Markdown copy printed and scanned (held out 77 as scans): OCR gives the heading marks indented like the page
    and without their space (`#**QUYẾT ĐỊNH**`); they go as they do in the Markdown itself, and the authority line
    under the subject names the issuer of a copy without its header."""
    first = (
        "         Số: 715 /QĐ-ĐHKTQD\n\n         Hà Nội, ngày 03 tháng 6 năm 2025\n\n         #**QUYẾT ĐỊNH**\n\n"
        "         **Về việc Ban hành Quy chế tuyển sinh đại học**\n\n"
        "         ## **GIÁM ĐỐC ĐẠI HỌC KINH TẾ QUỐC DÂN**\n\n         Căn cứ Luật Giáo dục đại học ngày 18/6/2012;\n"
    )
    meta = read_metadata(DocumentText(first, "", "ocr"))
    assert (meta.doc_type, meta.issuer) == ("quyet_dinh", "ĐẠI HỌC KINH TẾ QUỐC DÂN")
    assert meta.subject == "Về việc Ban hành Quy chế tuyển sinh đại học"


def test_a_long_list_run_on_one_line_keeps_its_last_entries_r12():
    """Nineteen entries on the line `Nơi nhận:` opens (held out 74, cp-nd-14-2018), longer than the bound a line is
    cut to: the entries are set apart first, so the last ones and the filing entry are not lost."""
    entries = [f"Ủy ban nhân dân tỉnh số {k} thuộc trung ương" for k in range(1, 19)]
    closing = "Nghị định này có hiệu lực./.\nNơi nhận: - " + "; - ".join(entries) + "; - Lưu: VT, KTTH (2b).\n"
    closing += "TM. CHÍNH PHỦ\nTHỦ TƯỚNG\nNguyễn Xuân Phúc"
    assert len(closing.split("\n")[1]) > 400
    meta = read_metadata(DocumentText("", closing, "text_layer"))
    assert meta.recipients_paper == (*entries, "Lưu: VT, KTTH (2b)")


def test_a_title_glued_to_the_filing_entry_or_to_the_name_is_set_apart_r12():
    """A Word corpus's text without the tab between the columns (held out 64 and 73): `- Lưu: VT, NCKS.ChâuCHỦ TỊCH`
    and `CHỦ TỊCHĐỗ Hữu Huy`; the title, the name and the filing entry are each read."""
    for closing in (
        "Nơi nhận:\n- Như Điều 4;\n- Lưu: VT, THĐT, NCKS.Châu\nCHỦ TỊCHĐỗ Hữu Huy",
        "Nơi nhận:\n- Như Điều 4;\n- Lưu: VT, THĐT, NCKS.ChâuCHỦ TỊCH\n\n   Đỗ Hữu Huy",
    ):
        meta = read_metadata(DocumentText("", closing, "text_layer"))
        assert (meta.signer_title, meta.signer_name) == ("CHỦ TỊCH", "Đỗ Hữu Huy"), closing
        assert meta.recipients_paper == ("Như Điều 4", "Lưu: VT, THĐT, NCKS")


def test_the_authority_run_onto_the_filing_entry_opens_the_signer_column_r12():
    """A Word file's `- Lưu: VT, NCKS.Hữu⇥TL. CHỦ TỊCH` printed to PDF, the tab a space (held out 64 and 73 as
    text-layer PDFs and scans): the authority is the signer's, not the filing entry's."""
    closing = (
        "Nơi nhận:\n- Như trên;\n- Chủ tịch UBND tỉnh;\n- Lưu: VT, NCKS.Hữu TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\n\n"
        "Nguyễn Ngọc Nam"
    )
    meta = read_metadata(DocumentText("", closing, "text_layer"))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == (
        "TL.",
        "CHÁNH VĂN PHÒNG",
        "Nguyễn Ngọc Nam",
    )
    assert meta.recipients_paper == ("Như trên", "Chủ tịch UBND tỉnh", "Lưu: VT, NCKS")
    # a unit's own stop before the signer column a wide gap sets apart is no authority (the rendered set's
    # cv-kinh-gui-bulleted: `- Lưu: VT, KT.      PHÓ CHỦ TỊCH`)
    apart = (
        "Nơi nhận:" + " " * 43 + "TM. ỦY BAN NHÂN DÂN\n- Như trên;" + " " * 46 + "KT. CHỦ TỊCH\n"
        "- Lưu: VT, KT." + " " * 43 + "PHÓ CHỦ TỊCH\n\n\n" + " " * 58 + "Lê Hữu Hoàng\n"
    )
    meta = read_metadata(DocumentText("", apart, "text_layer"))
    assert (meta.signing_authority, meta.signer_title) == ("KT.", "PHÓ CHỦ TỊCH")
    assert meta.recipients_paper == ("Như trên", "Lưu: VT, KT")


def test_addressees_joined_in_a_cell_and_wrapped_by_the_printer_are_one_each_r16():
    """A web copy's addressee cell joined its bulleted entries with their `;`; printed, it wraps anywhere, in a
    name (`tỉnh Hòa` / `Bình`) and before a name's own hyphen (`Sở Lao động` / `- Thương binh`; held out 65,
    ldtbxh-cv-5115-2018, as a text-layer PDF)."""
    gap = " " * 16
    first = (
        f"Số: 5115/LĐTBXH-KHTC{gap}Hà Nội, ngày 03 tháng 12 năm 2018\nV/v thí điểm chi trả\n\n"
        f"Kính gửi:{gap}{' ' * 11}- Sở Lao động - Thương binh và Xã hội\n"
        f"{' ' * 36}thành phố Cần Thơ; - Sở Lao động - Thương\n"
        f"{' ' * 36}binh và Xã hội tỉnh Hòa\n"
        f"{' ' * 36}Bình; - Sở Lao động\n"
        f"{' ' * 36}- Thương binh và Xã hội tỉnh Ninh Thuận.\n\n"
        "Qua sơ kết đánh giá kết quả thực hiện thí điểm tại 06 địa phương, Bộ đã có Công văn số 3395.\n"
    )
    meta = read_metadata(DocumentText(first, "", "text_layer"))
    assert meta.addressees == (
        "Sở Lao động - Thương binh và Xã hội thành phố Cần Thơ",
        "Sở Lao động - Thương binh và Xã hội tỉnh Hòa Bình",
        "Sở Lao động - Thương binh và Xã hội tỉnh Ninh Thuận",
    )


def test_recipients_joined_in_a_cell_and_wrapped_by_the_printer_are_one_each_r12():
    """The recipients' cell joined its entries after their `;`; printed, a purpose note opens a wrapped line (`Nơi
    nhận: - Như Điều 3; - Bộ LĐTB&XH;` / `(để báo cáo) - TT Thành ủy; …`, held out 72, hanoi-ubnd-qd-6154-2011, as a
    text-layer PDF): one entry per bullet again, the signer column beside the list read as before."""
    right = " " * 14
    closing = (
        f"Nơi nhận: - Như Điều 3; - Bộ LĐTB&XH;{right}TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH\n"
        f"(để báo cáo) - TT Thành ủy; TT HĐND TP; {right}PHÓ CHỦ TỊCH Nguyễn Huy Tưởng\n"
        "(để báo cáo) - Đ/c Chủ tịch UBND TP; (để\nbáo cáo) - Các đ/c PCT UBND TP; - Lưu: VT.\n"
    )
    meta = read_metadata(DocumentText("", closing, "text_layer"))
    assert meta.recipients_paper == (
        "Như Điều 3",
        "Bộ LĐTB&XH; (để báo cáo)",
        "TT Thành ủy; TT HĐND TP; (để báo cáo)",
        "Đ/c Chủ tịch UBND TP; (để báo cáo)",
        "Các đ/c PCT UBND TP",
        "Lưu: VT",
    )
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Huy Tưởng")


def test_a_parent_and_its_unit_joined_on_one_printed_line_are_two_names_r16():
    """A web copy's header cell (`BỘ TÀI CHÍNH TỔNG CỤC THUẾ`) printed on one line beside the motto (held out 65,
    tct-cv-1414-2013, as a text-layer PDF and a scan): the parent and the issuer."""
    first = (
        "BỘ TÀI CHÍNH TỔNG CỤC THUẾ                           CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "                                                     Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 1414/TCT-CS                                      Hà Nội, ngày 26 tháng 04 năm 2013\n"
        "V/v hỗ trợ người có công\n\nKính gửi: Cục Thuế tỉnh Hà Tĩnh\n"
    )
    meta = read_metadata(DocumentText(first, "", "text_layer"))
    assert (meta.parent_issuer, meta.issuer) == ("BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ")


def test_the_bodys_first_lines_after_the_addressee_are_no_addressee_r16():
    """A printed page's body after `Kính gửi:` and a blank line (held out 65, ldtbxh-cv-2864-2015, as a text-layer
    PDF): a long line carried on by another in small letters or a figure is a paragraph, not a second addressee."""
    first = (
        "Số: 2864/LĐTBXH-NCC\nV/v giải quyết các chế độ chính sách\n\nKính gửi: Ủy ban nhân dân tỉnh Long An\n\n"
        "Bộ Lao động - Thương binh và Xã hội nhận được Công văn số 1879/UBND-VX ngày\n"
        "27/05/2015 của Ủy ban nhân dân tỉnh Long An về việc giải quyết chính sách đối với quân nhân\n"
    )
    assert read_metadata(DocumentText(first, "", "text_layer")).addressees == ("Ủy ban nhân dân tỉnh Long An",)


def test_bold_marks_a_table_cell_broke_apart_are_no_bullet_r12():
    """A pandoc table printed to PDF, its columns one space apart (held out 66, ubtvqh-nq-1662-2025 and tw-nq-60-2025):
    the escaped star and the bold's end left after the heading (`Nơi nhận:\\*** CHỦ TỊCH\\`) or inside the issuer's
    cell (`BAN CHẤP HÀNH TRUNG ƯƠNG\\ **ĐẢNG CỘNG SẢN VIỆT NAM\\`) are neither a bullet nor a word."""
    closing = (
        " ------------------------------- ---------------------------------------\n"
        " ***\\ **TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\\\n Nơi nhận:\\*** CHỦ TỊCH\\\n - Chính phủ;\\ \\\n"
        " - Kiểm toán nhà nước;\\ Trần Thanh Mẫn**\n - Lưu: HC, PLTP.\n"
    )
    meta = read_metadata(DocumentText("", closing, "text_layer"))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("TM.", "CHỦ TỊCH", "Trần Thanh Mẫn")
    assert meta.recipients_paper == ("Chính phủ", "Kiểm toán nhà nước", "Lưu: HC, PLTP")


def test_the_partys_line_run_onto_the_issuers_is_not_the_issuers_r16():
    """The header's two cells a space apart on a printed page (held out 66, tw-nq-60-2025): `ĐẢNG CỘNG SẢN VIỆT NAM`
    stands over the right column as the motto does; run onto the issuer's line, it is no part of the issuer."""
    first = (
        " -------------------------------- --------------------------------------\n"
        "  **BAN CHẤP HÀNH TRUNG ƯƠNG\\ **ĐẢNG CỘNG SẢN VIỆT NAM\\\n"
        "           \\*** \\-\\-\\-\\-\\-\\-\\-\\-\\-\\-\\-\\-\\-\\--**\n\n"
        "        Số 60-NQ/TW *Hà Nội, ngày 12 tháng 4 năm 2025*\n"
        " -------------------------------- --------------------------------------\n\n**NGHỊ QUYẾT**\n"
    )
    meta = read_metadata(DocumentText(first, "", "text_layer"))
    assert (meta.issuer, meta.number, meta.doc_type) == ("BAN CHẤP HÀNH TRUNG ƯƠNG", "60-NQ/TW", "nghi_quyet")


def test_a_vv_ocr_read_onto_the_numbers_line_goes_under_the_number_r16():
    """OCR's line through the number, the V/v printed a little lower and the date, one space apart (held out 65 as
    scans, ldtbxh-cv-2864-2015 and vpcp-cv-8794-2013): the V/v's first line stays the subject's."""
    first = (
        "          BỘ LAO ĐỘNG – THƯƠNG BINH VÀ XÃ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\n"
        "          HỘI -------                               NAM Độc lập - Tự do - Hạnh phúc\n\n"
        "          Số: 2864/LĐTBXH-NCC V/v giải quyết các Hà Nội, ngày 22 tháng 07 năm 2015\n"
        "          chế độ chính sách cho những trường hợp từ\n"
        "          trần hoặc bị thương trong lúc thực hiện nghĩa\n\n"
        "          Kính gửi: Ủy ban nhân dân tỉnh Long An\n"
    )
    meta = read_metadata(DocumentText(first, "", "ocr"))
    assert meta.number == "2864/LĐTBXH-NCC"
    assert meta.subject == (
        "V/v giải quyết các chế độ chính sách cho những trường hợp từ trần hoặc bị thương trong lúc thực hiện nghĩa"
    )


def test_a_title_run_onto_an_entry_a_space_apart_is_the_signers_r12():
    """A pandoc table printed to PDF, its columns a space apart (held out 66, tw-nq-60-2025): the signer column's
    `TỔNG BÍ THƯ\\` after an entry's words in small letters is the signer's title, not the entry's end."""
    closing = (
        " ------------------------------- ---------------------------------------\n"
        " ***Nơi nhận:\\*** **T/M BAN CHẤP HÀNH TRUNG ƯƠNG\\**\n"
        " - Các ban đảng, đảng ủy trực thuộc TỔNG BÍ THƯ\\\n Trung ương,\\ **\\\n - Các tỉnh ủy, thành ủy,\\ \\\n"
        " - Lưu Văn phòng Trung ương Đảng. Tô Lâm**\n"
        " ------------------------------- ---------------------------------------\n"
    )
    meta = read_metadata(DocumentText("", closing, "text_layer"))
    assert (meta.signing_authority, meta.signer_title) == ("TM.", "TỔNG BÍ THƯ")
    assert meta.recipients_paper[0] == "Các ban đảng, đảng ủy trực thuộc Trung ương"
    # a deputy's title whose `Phó` OCR read in small letters is not cut from its `Phó` (kiengiang-syt-gm-10)
    from gateway.reading.stream import _title_after_entry

    assert _title_after_entry("- Như TP mời; Phó GIÁM ĐỐC") is None
