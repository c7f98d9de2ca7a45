"""A legal-database crawl's Markdown tables whose cells joined their lines with one space (held out 65, a
thuvienphapluat crawl): the header, the number with its V/v, the recipients and the signer block are read as
the page printed them. R16 (the register's fields), R12 (Nơi nhận)."""

from __future__ import annotations

from datetime import date

import pytest

from gateway.pdf.text import DocumentText
from gateway.reading import read_metadata
from gateway.reading.web_cells import cell_lines

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
