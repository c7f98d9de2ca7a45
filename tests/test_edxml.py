"""edXML packages (QCVN 102:2016; EDXML.md): what we write matches our schema and reads back field for
field, Vietnamese intact, files byte-identical; the reader copes with what other systems write."""

from __future__ import annotations

import base64
import io
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from lxml import etree

from gateway.edxml import (
    NS,
    Attachment,
    Business,
    BusinessType,
    DocumentHeader,
    DocumentPackage,
    Organ,
    PackageError,
    ReadDocument,
    ReadStatus,
    ResponseFor,
    StatusPackage,
    TraceHeader,
    document_xml,
    read_package,
    schema_errors,
    status_xml,
)
from gateway.samples.render import SampleDoc, render_document
from gateway.vntime import VN_TZ

SUBJECT = "Về việc phân bổ kinh phí chuyển đổi số năm 2026 cho các xã, phường thuộc tỉnh Khánh Hòa"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_document(SampleDoc(number="125/QĐ-STC", title="QUYẾT ĐỊNH", subject=SUBJECT))


def full_package(pdf: bytes) -> DocumentPackage:
    nfd = unicodedata.normalize("NFD", SUBJECT)  # decomposed input is written NFC (R2)
    header = DocumentHeader(
        from_=Organ(
            "000.00.12.H34",
            "Sở Tài chính tỉnh Khánh Hòa",
            "vanthu@stc.khanhhoa.gov.vn",
            organization_in_charge="Ủy ban nhân dân tỉnh Khánh Hòa",
            address="Số 4 Phan Chu Trinh, Nha Trang",
            telephone="0258 3822 000",
            fax="0258 3822 001",
            website="https://stc.khanhhoa.gov.vn",
        ),
        to=(
            Organ("000.00.00.H34", "Ủy ban nhân dân tỉnh Khánh Hòa", "vanthu@khanhhoa.gov.vn"),
            Organ("G06.01", "Sở Nội vụ"),
        ),
        document_id="000.00.12.H34,2026/11/18,125/QĐ-STC",
        code_number="125",
        code_notation="QĐ-STC",
        place="Khánh Hòa",
        promulgation_date=date(2026, 11, 18),
        type_code="2",
        type_detail="Quyết định cá biệt",
        type_name="Quyết định",
        subject=nfd,
        content="Phân bổ 12,5 tỷ đồng",
        signer_competence="KT. GIÁM ĐỐC",
        signer_position="PHÓ GIÁM ĐỐC",
        signer_full_name="Nguyễn Văn An",
        due_date=date(2026, 11, 27),
        priority=3,
        page_amount=2,
        to_places=("Như Điều 3;", "Lưu: VT, KHTC."),
    )
    return DocumentPackage(
        header=header,
        traces=(
            TraceHeader("000.00.12.H34", datetime(2026, 11, 18, 16, 5, 0, tzinfo=VN_TZ)),
            TraceHeader("000.00.00.H34", datetime(2026, 11, 19, 7, 30, 0, tzinfo=VN_TZ)),
        ),
        business=Business(BusinessType.REPLACEMENT, "Sai số liệu phụ lục", "000.00.12.H34,2026/11/10,120/QĐ-STC"),
        attachments=(
            Attachment(
                "cid:0b9f6c1e-3c1a-4d0e-9d4a-6c8f3b2a1e01", "125-QĐ-STC.pdf", pdf, "application/pdf", "Quyết định"
            ),
            Attachment(
                "cid:0b9f6c1e-3c1a-4d0e-9d4a-6c8f3b2a1e02", "thư gốc.eml", b"From: a\r\n\r\nx", "message/rfc822", "Thư"
            ),
        ),
    )


def test_a_document_package_matches_the_schema_and_reads_back_field_for_field(pdf):
    package = full_package(pdf)
    data = document_xml(package)
    assert schema_errors(data) == []
    read = read_package(data)
    assert isinstance(read, ReadDocument) and read.problems == () and read.namespace == NS
    assert read.package.header == DocumentHeader(**{**vars(package.header), "subject": SUBJECT})
    assert read.package.traces == package.traces
    assert read.package.business == package.business
    assert [a.data for a in read.package.attachments] == [pdf, b"From: a\r\n\r\nx"]
    assert read.package.attachments[0] == package.attachments[0]
    assert read.references == tuple(a.content_id for a in package.attachments)
    assert "Khánh Hòa" in data.decode("utf-8")  # UTF-8, NFC, no character references


def test_each_file_is_zipped_then_base64_and_unzips_to_the_same_bytes(pdf):
    data = document_xml(full_package(pdf))
    root = etree.fromstring(data)
    encoded = root.findall(f"{{{NS}}}AttachmentEncoded/{{{NS}}}Attachment/{{{NS}}}ContentTransferEncoded")
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded[0].text))) as archive:
        [name] = archive.namelist()
        assert name == "125-QĐ-STC.pdf" and archive.read(name) == pdf
    refs = root.findall(f".//{{{NS}}}edXMLManifest/{{{NS}}}Reference/{{{NS}}}ContentId")
    assert [r.text for r in refs] == [a.content_id for a in full_package(pdf).attachments]
    assert document_xml(full_package(pdf)) == data  # the same package every time: a retry sends the same bytes


def test_the_schema_catches_what_a_package_must_not_be(pdf):
    data = document_xml(full_package(pdf))
    assert schema_errors(data.replace(b"<Priority>3</Priority>", b"<Priority>7</Priority>"))
    assert schema_errors(data.replace("<TypeName>Quyết định</TypeName>".encode(), b"<TypeName></TypeName>"))
    assert schema_errors(data.replace(b"<PromulgationDate>2026/11/18", b"<PromulgationDate>18/11/2026"))
    assert schema_errors(b"junk" + data)


def test_a_status_package_round_trips():
    status = StatusPackage(
        from_=Organ("000.00.00.H34", "Văn phòng UBND tỉnh Khánh Hòa"),
        response_for=ResponseFor(
            "000.00.12.H34", "125/QĐ-STC", date(2026, 11, 18), "000.00.12.H34,2026/11/18,125/QĐ-STC"
        ),
        status_code="03",
        description="Đã vào sổ văn bản đến",
        timestamp=datetime(2026, 11, 19, 8, 15, 0, tzinfo=VN_TZ),
        department="Phòng Hành chính - Tổ chức",
        staff="Lê Thị Hồng",
        arrival_number="3561",
    )
    data = status_xml(status)
    assert schema_errors(data) == []
    read = read_package(data)
    assert isinstance(read, ReadStatus) and read.status == status and read.problems == ()


def _zip_b64(name: str, data: bytes) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return base64.b64encode(buffer.getvalue()).decode()


def test_the_reader_takes_what_real_traffic_looks_like(pdf):
    """Prefix on the envelope, dd/MM/yyyy dates, Bussiness after the hops, a hop without OrganId, an unprefixed
    Signature with References of its own, a 'null' agency code, and files zipped or raw whatever ContentType says."""
    truncated = base64.b64decode(_zip_b64("c.pdf", pdf))[:200]
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:From><edXML:OrganId>null</edXML:OrganId>
<edXML:OrganName>UBND huyện Cam Lâm</edXML:OrganName></edXML:From>
<edXML:To><edXML:OrganId>28.22.H17</edXML:OrganId></edXML:To>
<edXML:DocumentId>null,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId>
<edXML:Code><edXML:CodeNumber>7816</edXML:CodeNumber><edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation></edXML:Code>
<edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place>
<edXML:PromulgationDate>30/09/2015</edXML:PromulgationDate></edXML:PromulgationInfo>
<edXML:DocumentType><edXML:Type>71</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
<edXML:Subject>V/v cung cấp thông tin</edXML:Subject><edXML:DueDate></edXML:DueDate>
<edXML:OtherInfo><edXML:Priority>1</edXML:Priority><edXML:PageAmount>3</edXML:PageAmount></edXML:OtherInfo>
</edXML:MessageHeader>
<edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.00.G22</edXML:OrganId>
<edXML:Timestamp>30/09/2015 10:11:12</edXML:Timestamp></edXML:TraceHeader>
<edXML:TraceHeader><edXML:Timestamp>2015/09/30 11:00:00</edXML:Timestamp></edXML:TraceHeader>
<edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType></edXML:Bussiness></edXML:TraceHeaderList>
<Signature><SignedInfo><Reference URI="#x"><DigestValue>AAAA</DigestValue></Reference></SignedInfo></Signature>
</edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest version="1.0">
<edXML:Reference><edXML:ContentId>cid:1</edXML:ContentId></edXML:Reference>
<edXML:Reference><edXML:ContentId>cid:2</edXML:ContentId></edXML:Reference>
<edXML:Reference><edXML:ContentId>cid:3</edXML:ContentId></edXML:Reference>
<edXML:Reference><edXML:ContentId>cid:4</edXML:ContentId></edXML:Reference>
</edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope>
<AttachmentEncoded>
<Attachment><ContentId>cid:1</ContentId><AttachmentName>a.pdf</AttachmentName><ContentType>application/pdf</ContentType>
<ContentTransferEncoded>{_zip_b64("a.pdf", pdf)}</ContentTransferEncoded></Attachment>
<Attachment><ContentId>cid:2</ContentId><AttachmentName>b.pdf</AttachmentName><ContentType>application/zip</ContentType>
<ContentTransferEncoded>{base64.encodebytes(pdf).decode()}</ContentTransferEncoded></Attachment>
<Attachment><ContentId>cid:3</ContentId><AttachmentName>c.pdf</AttachmentName><ContentType>application/zip</ContentType>
<ContentTransferEncoded>{base64.b64encode(truncated).decode()}</ContentTransferEncoded></Attachment>
<Attachment><ContentId>cid:4</ContentId><AttachmentName>d.pdf</AttachmentName>
<ContentTransferEncoded>{base64.b64encode(pdf[: len(pdf) // 2]).decode()}</ContentTransferEncoded></Attachment>
</AttachmentEncoded></edXML>""".encode()
    read = read_package(xml)
    assert isinstance(read, ReadDocument)
    h = read.package.header
    assert (h.from_.organ_id, h.from_.name, h.code_notation, h.type_name) == (
        "null",
        "UBND huyện Cam Lâm",
        "VPCP-TTĐT",
        "Công văn",
    )
    assert h.promulgation_date == date(2015, 9, 30) and h.due_date is None and h.priority == 1 and h.page_amount == 3
    assert read.package.traces == (
        TraceHeader("000.00.00.G22", datetime(2015, 9, 30, 10, 11, 12, tzinfo=VN_TZ)),
        TraceHeader(None, datetime(2015, 9, 30, 11, 0, 0, tzinfo=VN_TZ)),
    )
    assert read.package.business == Business(BusinessType.NEW)
    assert read.references == ("cid:1", "cid:2", "cid:3", "cid:4")  # not the Signature's Reference
    kinds = [(a.name, a.kind, a.data == pdf, a.problem is None) for a in read.attachments]
    assert kinds == [
        ("a.pdf", "zip", True, True),
        ("b.pdf", "pdf", True, True),
        ("c.pdf", "zip", False, False),
        ("d.pdf", "pdf", False, False),
    ]
    assert "truncated or damaged zip" in read.attachments[2].problem
    assert "damaged PDF" in read.attachments[3].problem
    assert read.problems == ()


def test_the_reader_does_not_depend_on_the_namespace():
    xml = """<?xml version="1.0" encoding="utf-8"?>
<EdXMLEnvelope xmlns="http://www.go.vn/eDoc"><EdXMLHeader><MessageHeader>
<From><OrganId>H37.DN.001</OrganId><OrganName>Sở Y tế</OrganName></From><To><OrganId>G12</OrganId></To>
<DocumentId>H37.DN.001,2014/02/30,15/SYT-VP</DocumentId><Code><CodeNumber>15</CodeNumber><CodeNotation>SYT-VP</CodeNotation></Code>
<PromulgationInfo><PromulgationDate>2014/02/30</PromulgationDate></PromulgationInfo>
<Subject>Báo cáo tình hình dịch bệnh</Subject></MessageHeader></EdXMLHeader>
<Manifest><Reference><ContentId>cid:x</ContentId></Reference></Manifest>
<Attachment><ContentId>cid:x</ContentId><AttachmentName>bc.pdf</AttachmentName><ContentTransferEncoded>JVBERi0xLjQKJSVFT0YK</ContentTransferEncoded></Attachment>
</EdXMLEnvelope>""".encode()
    read = read_package(xml)
    assert isinstance(read, ReadDocument) and read.namespace == "http://www.go.vn/eDoc"
    assert (
        read.package.header.subject == "Báo cáo tình hình dịch bệnh"
        and read.package.header.from_.organ_id == "H37.DN.001"
    )
    assert read.package.header.promulgation_date is None
    assert read.problems == ("PromulgationDate: '2014/02/30' is not a date",)  # flagged, not fatal
    assert read.references == ("cid:x",) and read.package.attachments[0].data == b"%PDF-1.4\n%%EOF\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'\xef\xbb\xbfjunk <?xml version="1.0"?><edXML/>', "not well-formed"),
        (b'<edXML xmlns="x"><edXML:edXMLEnvelope/></edXML>', "Namespace prefix edXML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><edXML>&a;</edXML>', "DTD"),
        (b"<html><body>502 Bad Gateway</body></html>", "no MessageHeader"),
    ],
)
def test_what_is_not_a_package_is_refused_with_the_reason(data, reason):
    with pytest.raises(PackageError, match=reason):
        read_package(data)
