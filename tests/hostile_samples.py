"""Hostile and ordinary inputs for the letter parser and the PDF safety scan, built as bytes.

Every function returns the bytes of one input, made with real libraries (the standard `email` package,
pypdf, reportlab through `gateway.samples.render`), so the unit tests here and the lead's end-to-end tests
(which mail them to the daemon) exercise exactly the same inputs. Expensive builders are cached.

PDFs: `good_pdf`, `scan_pdf`, `padded_pdf` (good); `not_a_pdf`, `truncated_pdf`, `encrypted_pdf`,
`javascript_pdf` (five hiding places), `launch_pdf`, `embedded_file_pdf`, `xfa_pdf`, `empty_pdf`,
`flate_bomb_pdf` (200 MiB in ~200 KB, cached), `huge_image_pdf`, `broken_xref_pdf` (repairable).
Editable formats (R2): `docx_bytes`, `odt_bytes`, `fodt_bytes`, `doc_bytes`.
Letters: `good_letter`, `letter_with_attachment`, `html_only_letter`, `editable_letter` for ordinary mail
(any hostile PDF above can be sent with `letter_with_attachment(data, "congvan.pdf")`); one function per
hostile MIME shape (`*_letter`); one per kind of automatic mail that RFC 3834 forbids answering.
"""

from __future__ import annotations

import base64
import email.policy
import functools
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from gateway.samples.render import SampleDoc, render_document, render_scan

ICT = timezone(timedelta(hours=7))
SENDER = "vanthu@sotttt.hanoi.gov.vn"
SENDER_NAME = "Văn thư Sở Thông tin và Truyền thông"
RECIPIENT = "vanthu@ubnd.example.gov.vn"
SUBJECT = "Về việc triển khai Quy chế công tác văn thư năm 2020"
DATE = datetime(2020, 3, 5, 9, 30, tzinfo=ICT)
BOMB_SIZE = 200 * 1024 * 1024  # what the flate bomb inflates to

# ---------------------------------------------------------------------------------------------- PDFs


@functools.cache
def good_pdf(number: str = "05/QĐ-UBND", pages: int = 1) -> bytes:
    """A born-digital official document with a text layer (Nghị định 30 layout)."""
    return render_document(SampleDoc(number=number, pages=pages))


@functools.cache
def scan_pdf() -> bytes:
    """An image-only scan of `good_pdf()`: no text layer."""
    return render_scan(good_pdf(), dpi=100)


def not_a_pdf() -> bytes:
    """An HTML page, to be sent under a `.pdf` name and `application/pdf` type."""
    return (
        b"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>C\xc3\xb4ng v\xc4\x83n</title></head>"
        b"<body><p>T\xe1\xba\xa3i c\xc3\xb4ng v\xc4\x83n t\xe1\xba\xa1i "
        b"<a href='http://phishing.example/cv.exe'>\xc4\x91\xc3\xa2y</a></p></body></html>\n"
    )


def truncated_pdf() -> bytes:
    """The first half of a real PDF: the xref table, trailer and `%%EOF` are gone."""
    data = good_pdf()
    return data[: len(data) // 2]


def _writer_from(pdf: bytes) -> PdfWriter:
    return PdfWriter(clone_from=io.BytesIO(pdf))


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(user_password: str = "matkhau", owner_password: str = "chusohuu") -> bytes:
    """A real document encrypted with AES-256 (pypdf). `user_password=""`: opens without a password."""
    writer = _writer_from(good_pdf())
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    return _written(writer)


def _link_annotation(writer: PdfWriter, action: DictionaryObject) -> DictionaryObject:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 50, 200, 80)]),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/A"): action,
        }
    )
    page = writer.pages[0]
    annots = page.get("/Annots")
    if annots is None:
        page[NameObject("/Annots")] = ArrayObject()
    page["/Annots"].append(writer._add_object(annotation))
    return annotation


def javascript_pdf(where: str = "open_action") -> bytes:
    """A real document carrying JavaScript.

    `where`: `open_action` (catalog /OpenAction), `names` (the document-level /Names /JavaScript tree),
    `page_aa` (a page's /AA open trigger), `annotation` (a link annotation's /A), `next` (hidden in the
    /Next chain of an innocent-looking /GoTo open action).
    """
    writer = _writer_from(good_pdf())
    script = "app.alert('Văn bản này cần được cập nhật'); this.exportDataObject({cName: 'x'});"
    root = writer._root_object
    if where == "open_action":
        root[NameObject("/OpenAction")] = writer._add_object(JavaScript(script))
    elif where == "names":
        writer.add_open_action(JavaScript(script))
    elif where == "page_aa":
        page = writer.pages[0]
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): JavaScript(script)})
    elif where == "annotation":
        _link_annotation(writer, JavaScript(script))
    elif where == "next":
        goto = DictionaryObject(
            {
                NameObject("/S"): NameObject("/GoTo"),
                NameObject("/D"): ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")]),
                NameObject("/Next"): ArrayObject([writer._add_object(JavaScript(script))]),
            }
        )
        root[NameObject("/OpenAction")] = goto
    else:
        raise ValueError(where)
    return _written(writer)


def launch_pdf() -> bytes:
    """A real document whose link annotation launches a program (/S /Launch)."""
    writer = _writer_from(good_pdf())
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
            NameObject("/Win"): DictionaryObject(
                {
                    NameObject("/F"): TextStringObject("cmd.exe"),
                    NameObject("/P"): TextStringObject("/c calc.exe"),
                }
            ),
        }
    )
    _link_annotation(writer, launch)
    return _written(writer)


def embedded_file_pdf() -> bytes:
    """A real document carrying an embedded file (/Names /EmbeddedFiles)."""
    writer = _writer_from(good_pdf())
    writer.add_attachment("phu-luc.exe", b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run")
    return _written(writer)


def xfa_pdf() -> bytes:
    """A real document with an /AcroForm carrying an XFA form (dynamic forms can script)."""
    writer = _writer_from(good_pdf())
    xfa = StreamObject()
    xfa.set_data(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>')
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): writer._add_object(xfa),
        }
    )
    return _written(writer)


def assemble_pdf(objects: Sequence[bytes], root: int = 1) -> bytes:
    """A PDF file from the bodies of objects 1..n (`<<…>>` or `<<…>> stream … endstream`), xref by hand."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


@functools.cache
def _bomb_stream() -> bytes:
    """`BOMB_SIZE` zero bytes deflated (about 200 KB), compressed chunk by chunk in bounded memory."""
    compressor = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(BOMB_SIZE // len(chunk))]
    parts.append(compressor.flush())
    return b"".join(parts)


@functools.cache
def flate_bomb_pdf(where: str = "contents") -> bytes:
    """A one-page PDF with a 200 MiB flate bomb in about 200 KB.

    `where`: `contents` (the page's content stream, decoded by any text extractor or renderer) or
    `embedded` (an /EmbeddedFile stream that nothing on the page refers to).
    """
    bomb = _bomb_stream()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>"
    if where == "contents":
        catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
        fourth = stream
    elif where == "embedded":
        catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(zero.bin) 5 0 R] >> >> >>"
        fourth = b"<< /Length 0 >>\nstream\n\nendstream"
    else:
        raise ValueError(where)
    objects = [catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, fourth]
    if where == "embedded":
        objects.append(b"<< /Type /Filespec /F (zero.bin) /EF << /F 6 0 R >> >>")
        objects.append(stream.replace(b"<< /Length", b"<< /Type /EmbeddedFile /Length", 1))
    return assemble_pdf(objects)


def empty_pdf() -> bytes:
    """A syntactically valid PDF whose page tree has no pages."""
    return assemble_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def huge_image_pdf(width: int = 20_000, height: int = 20_000) -> bytes:
    """A page showing an image that declares `width`×`height` grey pixels (400 million by default) in a
    few hundred bytes of flate data: harmless to a parser, a bomb for whatever renders it (OCR)."""
    pixels = zlib.compress(bytes(width), 9)  # one row; a renderer would expect `height` of them
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (width, height, len(pixels))
        + pixels
        + b"\nendstream"
    )
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    return assemble_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            image,
        ]
    )


def broken_xref_pdf() -> bytes:
    """A real document whose `startxref` points 7 bytes off: strict parsing fails, every reader repairs it."""
    data = good_pdf()
    at = data.rindex(b"startxref") + len(b"startxref")
    offset = data[at:].split()[0]
    return data[:at] + data[at:].replace(offset, str(int(offset) + 7).encode(), 1)


# ------------------------------------------------------------------------ editable formats (R2)


def _zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return out.getvalue()


def docx_bytes(text: str = "Dự thảo văn bản") -> bytes:
    """A minimal WordprocessingML package (what Word writes, less the optional parts)."""
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    return _zip([("[Content_Types].xml", types.encode()), ("word/document.xml", body.encode())])


def odt_bytes(text: str = "Dự thảo văn bản") -> bytes:
    """A minimal OpenDocument text package: `mimetype` stored first, as the standard requires."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    return _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", content.encode())])


def fodt_bytes(text: str = "Dự thảo văn bản") -> bytes:
    """A flat (single XML file) OpenDocument text."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">'
        f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body></office:document>\n"
    ).encode()


def doc_bytes() -> bytes:
    """The first sector of an OLE2 compound file, as a Word 97–2003 .doc starts."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff" + bytes(482)


def editable_letter() -> bytes:
    """A letter carrying one file of each R2 editable format, plus a `.docx` that is not one."""
    msg = _message(subject="Dự thảo văn bản để góp ý")
    msg.set_content("Gửi dự thảo để góp ý.")
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    for data, name, ctype in [
        (docx_bytes(), "du-thao.docx", word),
        (odt_bytes(), "du-thao.odt", "application/vnd.oasis.opendocument.text"),
        (fodt_bytes(), "du-thao.fodt", "application/octet-stream"),
        (doc_bytes(), "du-thao.doc", "application/msword"),
        (b"this is not a word file", "gia-mao.docx", word),
    ]:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


# ------------------------------------------------------------------------------------------- letters

PdfSpec = bytes | tuple[str, bytes]


def _message(
    subject: str | None = SUBJECT,
    from_: str | None = f"{SENDER_NAME} <{SENDER}>",
    to: str | Iterable[str] | None = RECIPIENT,
    date: datetime | None = DATE,
    message_id: str | None = "<20200305093000.1@sotttt.hanoi.gov.vn>",
    return_path: str | None = f"<{SENDER}>",
    extra_headers: Iterable[tuple[str, str]] = (),
) -> EmailMessage:
    msg = EmailMessage()
    if return_path is not None:
        msg["Return-Path"] = return_path
    msg["Received"] = (
        "from mail.hanoi.gov.vn (mail.hanoi.gov.vn [203.0.113.25]) by mx.ubnd.example.gov.vn "
        "(Postfix) with ESMTPS id 48XyZ1 for <vanthu@ubnd.example.gov.vn>; Thu, 5 Mar 2020 09:30:07 +0700"
    )
    msg["Received"] = "from [10.10.0.7] by mail.hanoi.gov.vn with ESMTPSA; Thu, 5 Mar 2020 09:30:02 +0700"
    if from_ is not None:
        msg["From"] = from_
    if to is not None:
        msg["To"] = to if isinstance(to, str) else ", ".join(to)
    if subject is not None:
        msg["Subject"] = subject
    if date is not None:
        msg["Date"] = format_datetime(date)
    if message_id is not None:
        msg["Message-ID"] = message_id
    for name, value in extra_headers:
        msg[name] = value
    return msg


def good_letter(
    pdfs: Sequence[PdfSpec] = (),
    subject: str | None = SUBJECT,
    from_: str | None = f"{SENDER_NAME} <{SENDER}>",
    to: str | Iterable[str] | None = RECIPIENT,
    *,
    date: datetime | None = DATE,
    message_id: str | None = "<20200305093000.1@sotttt.hanoi.gov.vn>",
    return_path: str | None = f"<{SENDER}>",
    body: str = "Kính gửi Văn thư UBND,\n\nSở Thông tin và Truyền thông gửi kèm văn bản.\n\nTrân trọng.",
    extra_headers: Iterable[tuple[str, str]] = (),
) -> bytes:
    """An ordinary official letter, as a mail client sends it; `pdfs` are bytes or (filename, bytes).

    Non-ASCII filenames go out RFC 2231-encoded (`filename*=utf-8''…`), as `email.policy.default` does.
    """
    msg = _message(subject, from_, to, date, message_id, return_path, extra_headers)
    msg.set_content(body)
    for index, spec in enumerate(pdfs, start=1):
        name, data = spec if isinstance(spec, tuple) else (f"congvan-{index}.pdf", spec)
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return msg.as_bytes()


def html_only_letter() -> bytes:
    """A letter whose only body is HTML (webmail), with a script and a style that are not text."""
    msg = _message(subject="Thư HTML")
    msg.set_content(
        "<html><head><title>x</title><style>p {color: red}</style></head><body>"
        "<p>K&iacute;nh g&#7917;i V&#259;n th&#432;,</p><script>alert('x')</script>"
        "<div>Xin gửi kèm <b>công văn</b>.</div></body></html>",
        subtype="html",
    )
    return msg.as_bytes()


def duplicate_from_letter() -> bytes:
    """Two From headers: the second one is what some clients display."""
    second = b"From: =?utf-8?b?TMOjbmggxJHhuqFv?= <lanhdao@gia-mao.vn>\n"
    return good_letter().replace(b"\nTo: ", b"\n" + second + b"To: ", 1)


def letter_with_attachment(data: bytes, filename: str, content_type: str = "application/pdf", **kwargs) -> bytes:
    """An ordinary letter with one attachment of any declared type."""
    msg = _message(**kwargs)
    msg.set_content("Kính gửi Văn thư,\n\nGửi kèm văn bản.\n")
    maintype, subtype = content_type.split("/", 1)
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def not_a_pdf_letter() -> bytes:
    """`congvan.pdf`, declared application/pdf, that is an HTML page."""
    return letter_with_attachment(not_a_pdf(), "congvan.pdf")


def octet_stream_pdf_letter() -> bytes:
    """A real PDF declared `application/octet-stream` and named `congvan.bin`."""
    return letter_with_attachment(good_pdf(), "congvan.bin", "application/octet-stream")


def padded_pdf(size: int) -> bytes:
    """A real, valid document of about `size` bytes: an unfiltered stream of zeros hangs off the catalog."""
    writer = _writer_from(good_pdf())
    padding = StreamObject()
    padding.set_data(bytes(max(0, size - len(good_pdf()) - 200)))
    writer._root_object[NameObject("/GatewayTestPadding")] = writer._add_object(padding)
    return _written(writer)


def large_attachment_letter(size: int = 40 * 1024 * 1024) -> bytes:
    """A letter with a valid PDF attachment of about `size` bytes (40 MB: over 50 MiB once in base64)."""
    encoded = base64.encodebytes(padded_pdf(size)).replace(b"\n", b"\r\n")
    head = _message(subject="Tài liệu dung lượng lớn").as_bytes(policy=email.policy.SMTP)[:-2]
    return (
        head
        + b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="big"\r\n\r\n'
        + b"--big\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nLarge document.\r\n"
        + b"--big\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        + b'Content-Disposition: attachment; filename="tai-lieu-lon.pdf"\r\n\r\n'
        + encoded
        + b"--big--\r\n"
    )


def rfc822_attachment_letter() -> bytes:
    """A forwarded letter: the original, with its PDF, attached as `message/rfc822`."""
    inner = _message(subject="Công văn gốc số 05/QĐ-UBND", message_id="<inner.1@hanoi.gov.vn>")
    inner.set_content("Văn bản gốc.")
    inner.add_attachment(good_pdf(), maintype="application", subtype="pdf", filename="05-QD-UBND.pdf")
    outer = _message(subject="Fwd: Công văn gốc số 05/QĐ-UBND", message_id="<outer.1@hanoi.gov.vn>")
    outer.set_content("Chuyển tiếp văn bản.")
    outer.add_attachment(inner, filename="congvan-goc.eml")
    return outer.as_bytes()


def _cp1258(text: str) -> bytes:
    """`text` in windows-1258, which has precomposed â ê ô ă ơ ư đ but writes tones as combining marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(out).encode("cp1258")


def _q_word(data: bytes, charset: str) -> str:
    """One RFC 2047 Q-encoded word."""
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    body = "".join(chr(b) if b in safe else ("_" if b == 0x20 else f"={b:02X}") for b in data)
    return f"=?{charset}?Q?{body}?="


WINDOWS_1258_SUBJECT = "Giấy mời họp Hội đồng thẩm định hồ sơ"


def windows1258_subject_letter(subject: str = WINDOWS_1258_SUBJECT) -> bytes:
    """A letter whose subject is RFC 2047 `=?windows-1258?Q?…?=` (tones as combining marks)."""
    words = _q_word(_cp1258(subject), "windows-1258")
    head = (
        f"Return-Path: <{SENDER}>\r\nFrom: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: {words}\r\n"
        "Date: Thu, 05 Mar 2020 09:30:00 +0700\r\nMessage-ID: <cp1258.1@hanoi.gov.vn>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1258\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode("ascii")
    return head + _cp1258("Kính gửi: Văn thư.\r\n")


def raw_8bit_subject_letter(subject: str = WINDOWS_1258_SUBJECT) -> bytes:
    """A letter whose Subject header holds raw, unencoded windows-1258 bytes (no RFC 2047)."""
    return (
        f"Return-Path: <{SENDER}>\r\nFrom: {SENDER}\r\nTo: {RECIPIENT}\r\n".encode("ascii")
        + b"Subject: "
        + _cp1258(subject)
        + b"\r\nDate: Thu, 05 Mar 2020 09:30:00 +0700\r\n\r\nbody\r\n"
    )


BIDI_FILENAME = "../../..\u202efdp.exe"  # displays as "../../..exe.pdf"


def bidi_filename_letter(filename: str = BIDI_FILENAME, data: bytes | None = None) -> bytes:
    """A PDF whose RFC 2231 filename climbs directories and hides `.exe` behind a right-to-left override."""
    encoded = quote(filename.encode("utf-8"), safe="")
    b64 = base64.encodebytes(data if data is not None else good_pdf()).decode("ascii")
    return (
        f"Return-Path: <{SENDER}>\r\nFrom: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: bidi\r\n"
        "Date: Thu, 05 Mar 2020 09:30:00 +0700\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nXem tệp đính kèm.\r\n"
        "--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment; filename*=utf-8''{encoded}\r\n\r\n{b64}"
        "--b1--\r\n"
    ).encode()


def rfc2047_filename_letter(filename: str = "Công văn số 05.pdf") -> bytes:
    """A PDF whose filename is an RFC 2047 encoded word inside a quoted parameter (Outlook, Gmail do this)."""
    word = f"=?utf-8?B?{base64.b64encode(filename.encode('utf-8')).decode('ascii')}?="
    b64 = base64.encodebytes(good_pdf()).decode("ascii")
    return (
        f"Return-Path: <{SENDER}>\r\nFrom: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: rfc2047\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nXem tep.\r\n"
        f'--b1\r\nContent-Type: application/pdf; name="{word}"\r\nContent-Transfer-Encoding: base64\r\n'
        f'Content-Disposition: attachment; filename="{word}"\r\n\r\n{b64}'
        "--b1--\r\n"
    ).encode("ascii")


def broken_boundary_letter() -> bytes:
    """multipart/mixed whose declared boundary never appears; the parts use another one, never closed."""
    b64 = base64.encodebytes(good_pdf()).decode("ascii")
    return (
        f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: broken boundary\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="declared-boundary"\r\n\r\n'
        "--other-boundary\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
        "--other-boundary\r\nContent-Type: application/pdf; name=a.pdf\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{b64}"
    ).encode("ascii")


def unclosed_multipart_letter() -> bytes:
    """multipart/mixed whose last part is cut off: no closing boundary, base64 ends mid-line."""
    b64 = base64.encodebytes(good_pdf()).decode("ascii")
    return (
        f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: unclosed\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
        "--b1\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{b64[: len(b64) // 2 + 3]}"
    ).encode("ascii")


def missing_headers_letter() -> bytes:
    """No From, To, Date, Subject, Message-ID, MIME-Version: only a body."""
    return b"X-Nothing: here\r\n\r\nKh\xc3\xb4ng c\xc3\xb3 ti\xc3\xaau \xc4\x91\xe1\xbb\x81.\r\n"


def no_header_at_all_letter() -> bytes:
    """Not a message at all: binary garbage with no header/body separator."""
    return bytes(range(256)) * 16


def garbage_8bit_letter() -> bytes:
    """Raw 8-bit bytes everywhere: in header names' values, address, date and body; invalid UTF-8."""
    return (
        b"From: \xff\xfe\xc3(  <v\xe0nth\xf9@hanoi.gov.vn>\r\n"
        b"To: \x80\x81\x82 <" + RECIPIENT.encode() + b">\r\n"
        b"Subject: \xc3\x28\xa0\xa1 =?utf-8?B?!!!notbase64?= =?x-unknown?Q?abc?=\r\n"
        b"Date: Thu, 32 Foo 2020 25:61:00 +9999\r\n"
        b"Content-Type: text/plain; charset=\xff\xfe\r\n\r\n"
        b"\xff\xfe\xfd body \x00\x01 \xc3\x28\r\n"
    )


def huge_header_letter(size: int = 100_000) -> bytes:
    """One header line of `size` bytes, no folding."""
    return (
        f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: big header\r\n".encode("ascii")
        + b"X-Huge: "
        + b"A" * size
        + b"\r\n\r\nbody\r\n"
    )


def huge_encoded_subject_letter(size: int = 1_000_000) -> bytes:
    """A Subject of `size` bytes of RFC 2047 words: bare mail-parser spends ~30 s decoding 1 MB of them."""
    word = b"=?utf-8?q?V=E1=BB=81?= "
    return (
        f"Return-Path: <{SENDER}>\r\nFrom: {SENDER}\r\nTo: {RECIPIENT}\r\n".encode("ascii")
        + b"Subject: "
        + word * (size // len(word))
        + b"\r\n\r\nbody\r\n"
    )


def deep_nesting_letter(depth: int = 2000) -> bytes:
    """multipart inside multipart, `depth` levels: the standard parser recurses once per level."""
    head = f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: deep\r\nMIME-Version: 1.0\r\n".encode()
    opening = b"".join(b'Content-Type: multipart/mixed; boundary="n%d"\r\n\r\n--n%d\r\n' % (i, i) for i in range(depth))
    closing = b"".join(b"\r\n--n%d--\r\n" % i for i in reversed(range(depth)))
    return head + opening + b"Content-Type: text/plain\r\n\r\ndeep\r\n" + closing


# ------------------------------------------------------------------- automatic mail (RFC 3834 §2)


def auto_reply_letter() -> bytes:
    """An out-of-office reply (RFC 3834 `Auto-Submitted: auto-replied`)."""
    return good_letter(
        subject="Tự động trả lời: " + SUBJECT,
        extra_headers=[("Auto-Submitted", "auto-replied (vacation)")],
        body="Tôi đang nghỉ phép đến hết ngày 10/3.",
    )


def x_autoreply_letter() -> bytes:
    """An auto-reply from a system that only sets `X-Autoreply: yes` (no Auto-Submitted)."""
    return good_letter(subject="Re: " + SUBJECT, extra_headers=[("X-Autoreply", "yes")], body="Đã nhận.")


def _report_letter(report_type: str, inner_type: str, fields: str, **kwargs) -> bytes:
    """A multipart/report (RFC 6522): a human-readable part, then the machine-readable one."""
    boundary = "report-boundary"
    head = _message(**kwargs).as_bytes(policy=email.policy.SMTP)[:-2]  # headers only, encoded
    return head + (
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type={report_type}; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nReport.\r\n"
        f"--{boundary}\r\nContent-Type: {inner_type}\r\n\r\n{fields}\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def bounce_dsn_letter() -> bytes:
    """A delivery status notification (RFC 3464), from MAILER-DAEMON with a null Return-Path."""
    return _report_letter(
        "delivery-status",
        "message/delivery-status",
        "Reporting-MTA: dns; mx.hanoi.gov.vn\r\n\r\nFinal-Recipient: rfc822; nobody@example.gov.vn\r\n"
        "Action: failed\r\nStatus: 5.1.1\r\n",
        subject="Undelivered Mail Returned to Sender",
        from_="MAILER-DAEMON@mx.hanoi.gov.vn (Mail Delivery System)",
        return_path="<>",
        message_id="<bounce.1@mx.hanoi.gov.vn>",
    )


def mdn_letter() -> bytes:
    """A message disposition notification (RFC 8098 read receipt) from an ordinary person's address."""
    return _report_letter(
        "disposition-notification",
        "message/disposition-notification",
        "Reporting-UA: mail.hanoi.gov.vn; Zimbra\r\nFinal-Recipient: rfc822; vanthu@hanoi.gov.vn\r\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\r\n",
        subject="Đã đọc: " + SUBJECT,
        message_id="<mdn.1@hanoi.gov.vn>",
    )


def dsn_without_report_type_letter() -> bytes:
    """A bounce whose outer type is plain multipart/mixed, with a message/delivery-status part inside."""
    return _report_letter(
        "delivery-status",
        "message/delivery-status",
        "Reporting-MTA: dns; mx.hanoi.gov.vn\r\n\r\nFinal-Recipient: rfc822; x@y.vn\r\nAction: failed\r\n",
        subject="Delivery failure",
    ).replace(b"multipart/report; report-type=delivery-status", b"multipart/mixed")


def mailing_list_letter() -> bytes:
    """A message from a mailing list (List-Id, List-Unsubscribe)."""
    return good_letter(
        subject="[ban-tin] Bản tin tuần",
        extra_headers=[
            ("List-Id", "Ban tin noi bo <ban-tin.lists.hanoi.gov.vn>"),
            ("List-Unsubscribe", "<mailto:ban-tin-leave@lists.hanoi.gov.vn>"),
        ],
    )


def null_sender_letter() -> bytes:
    """An ordinary-looking letter with a null envelope sender (`Return-Path: <>`)."""
    return good_letter([good_pdf()], return_path="<>")


def mailer_daemon_letter() -> bytes:
    """A letter from MAILER-DAEMON, with a non-null Return-Path and no other automatic marker."""
    return good_letter(
        subject="Thông báo hệ thống",
        from_="MAILER-DAEMON@mx.hanoi.gov.vn",
        return_path="<MAILER-DAEMON@mx.hanoi.gov.vn>",
    )


def precedence_bulk_letter() -> bytes:
    """A newsletter marked `Precedence: bulk`."""
    return good_letter(subject="Thông báo chung", extra_headers=[("Precedence", "bulk")])


def auto_submitted_no_letter() -> bytes:
    """`Auto-Submitted: no` explicitly: a human sent it, replying is right."""
    return good_letter([good_pdf()], extra_headers=[("Auto-Submitted", "no")])
