"""PDFs made hostile for the tests (tampering after signing, form tricks, SHA-1 sub-filters, flate bombs,
encryption): test-only generators, kept out of the wheel (the demo needs none of them)."""

from __future__ import annotations

import io
import re

from gateway.samples.pki import KeyAndCert


def add_document_timestamp(pdf: bytes, tsa: KeyAndCert) -> bytes:
    """`pdf` with a PAdES document timestamp (/DocTimeStamp) appended, as LTA tools do."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = signers.PdfTimeStamper(DummyTimeStamper(tsa_cert=tsa.asn1_cert, tsa_key=tsa.asn1_key))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return stamper.timestamp_pdf(writer, "sha256", in_place=False).getvalue()


def _last_byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    matches = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf))
    if not matches:
        raise ValueError("no /ByteRange in this PDF")
    a, b, c, d = (int(x) for x in matches[-1].groups())
    return a, b, c, d


def flip_byte_in_signed_range(pdf: bytes) -> bytes:
    """One byte changed inside the data of the first stream covered by the last signature's /ByteRange.

    The change is inside stream data, so the file still parses: only the digest can catch it.
    """
    start, length, _, _ = _last_byte_range(pdf)
    m = re.search(rb"stream\r?\n", pdf[start : start + length])
    if not m:
        raise ValueError("no stream inside the signed range")
    at = start + m.end() + 16
    out = bytearray(pdf)
    out[at] ^= 0x01
    return bytes(out)


def draw_on_page_after_signing(pdf: bytes, *, page: int = 0, text: str = "DA SUA") -> bytes:
    """An incremental update appended after signing that draws text on `page` (the classic shadow edit)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    ops = f"q BT /FTamper 36 Tf 1 0 0 rg 120 700 Td ({text}) Tj ET Q".encode("ascii")
    stream = generic.StreamObject(stream_data=ops)
    ref = writer.add_object(stream)
    resources = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FTamper"): font})}
    )
    writer.add_stream_to_page(page, ref, resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_empty_signature_field(pdf: bytes, field_name: str = "Empty") -> bytes:
    """An incremental update that only adds an empty signature field (no new signature covers it)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(field_name))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def form_pdf(field_name: str = "GhiChu") -> bytes:
    """A one-page born-digital form (a phiếu with one empty text field), for form-filling cases."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.drawString(72, 760, "PHIEU TRINH GIAI QUYET CONG VIEC")
    c.drawString(72, 630, "Y kien:")
    c.acroForm.textfield(name=field_name, x=72, y=600, width=300, height=24, value="")
    c.showPage()
    c.save()
    return buf.getvalue()


def tagged_form_pdf(*, hybrid: bool = True, field_name: str = "GhiChu") -> bytes:
    """A one-page tagged PDF (structure tree with a parent tree, one text field), as Word exports them.

    `hybrid`: a hybrid-reference file — a classic xref table, plus an xref stream (`/XRefStm`) for the
    structure elements kept in an object stream — which is how Microsoft Word writes its PDFs, and why
    the government's signed documents are hybrid files.
    """
    import zlib

    content = (
        b"/P <</MCID 0>> BDC BT /F1 14 Tf 72 760 Td (UY BAN NHAN DAN TINH KHANH HOA) Tj ET EMC\n"
        b"/P <</MCID 1>> BDC BT /F1 12 Tf 72 730 Td (So: 125/QD-UBND - Quyet dinh ban hanh ke hoach) Tj ET EMC\n"
    )
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 5 0 R /MarkInfo << /Marked true >> /Lang (vi)"
        b" /AcroForm 15 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /StructParents 0"
        b" /Annots [8 0 R] /Resources << /Font << /F1 9 0 R >> >> >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        5: b"<< /Type /StructTreeRoot /K 6 0 R /ParentTree 7 0 R /ParentTreeNextKey 1 >>",
        7: b"<< /Nums [0 11 0 R] >>",
        8: b"<< /FT /Tx /T (%s) /Type /Annot /Subtype /Widget /Rect [72 600 372 624] /F 4 /P 3 0 R"
        % field_name.encode("ascii")
        + b" /DA (/Helv 12 Tf 0 g) /V () >>",
        9: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        # an indirect /AcroForm, as in the provincial documents
        15: b"<< /Fields [8 0 R] /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv 9 0 R >> >> >>",
    }
    # structure elements and the parent-tree array: compressed, in object stream 12
    compressed = {
        6: b"<< /Type /StructElem /S /Document /P 5 0 R /K [10 0 R 13 0 R] >>",
        10: b"<< /Type /StructElem /S /P /P 6 0 R /Pg 3 0 R /K 0 >>",
        13: b"<< /Type /StructElem /S /P /P 6 0 R /Pg 3 0 R /K 1 >>",
        11: b"[10 0 R 13 0 R]",
    }
    size = 16  # objects 0-15; 14 is the xref stream
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def put(num: int, body: bytes) -> None:
        offsets[num] = len(out)
        out.extend(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    if not hybrid:
        objects.update(compressed)
        for num in sorted(objects):
            put(num, objects[num])
    else:
        for num in sorted(objects):
            put(num, objects[num])
        header, body, nums = b"", b"", sorted(compressed)
        for num in nums:
            header += b"%d %d " % (num, len(body))
            body += compressed[num] + b"\n"
        data = zlib.compress(header + body)
        put(
            12,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(nums), len(header), len(data))
            + data
            + b"\nendstream",
        )
        rows = b"".join(bytes([2]) + (12).to_bytes(4, "big") + i.to_bytes(2, "big") for i, _ in enumerate(nums))
        index = b" ".join(b"%d 1" % n for n in nums)
        put(
            14,
            b"<< /Type /XRef /Size %d /W [1 4 2] /Index [%s] /Length %d >>\nstream\n" % (size, index, len(rows))
            + rows
            + b"\nendstream",
        )
    # Word's layout: a full table (compressed objects as 65535 placeholders), then an empty table whose
    # trailer points at the xref stream (/XRefStm) that says where the compressed objects are.
    xref_at = len(out)
    out.extend(b"xref\n0 %d\n" % size)
    for num in range(size):
        if num in offsets:
            out.extend(b"%010d 00000 n \n" % offsets[num])
        else:
            out.extend(b"0000000000 65535 f \n")
    out.extend(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at))
    if hybrid:
        main_at = len(out)
        out.extend(
            b"xref\n0 0\ntrailer\n<< /Size %d /Root 1 0 R /Prev %d /XRefStm %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, xref_at, offsets[14], main_at)
        )
    return bytes(out)


def change_structure_after_signing(pdf: bytes, *, how: str = "alt") -> bytes:
    """An unsigned incremental update that touches the structure tree the way no signing tool does.

    `alt`: the first paragraph gets alternate text ("what a screen reader says" changed after signing);
    `form`: a `/Form` element is filed for the existing text field, not for a new signature widget.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    tree = writer.root["/StructTreeRoot"]
    doc = tree["/K"]
    if how == "alt":
        first = doc["/K"][0]
        first["/Alt"] = generic.TextStringObject("Văn bản đã được sửa")
        writer.update_container(first)
    elif how == "form":
        text_field = writer.root["/AcroForm"].raw_get("/Fields")[0]
        key = int(tree["/ParentTreeNextKey"])
        elem = writer.add_object(
            generic.DictionaryObject(
                {
                    generic.NameObject("/Type"): generic.NameObject("/StructElem"),
                    generic.NameObject("/S"): generic.NameObject("/Form"),
                    generic.NameObject("/P"): tree.raw_get("/K"),
                    generic.NameObject("/K"): generic.DictionaryObject(
                        {
                            generic.NameObject("/Type"): generic.NameObject("/OBJR"),
                            generic.NameObject("/Obj"): text_field,
                        }
                    ),
                }
            )
        )
        doc["/K"].append(elem)
        writer.update_container(doc)
        tree["/ParentTree"]["/Nums"].extend([generic.NumberObject(key), elem])
        writer.update_container(tree["/ParentTree"])
        tree["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
        writer.update_container(tree)
    else:
        raise ValueError(how)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fill_form_field_after_signing(pdf: bytes, field_name: str = "GhiChu", value: str = "Da sua") -> bytes:
    """An incremental update (pypdf) that fills a text field, with no signature over the change."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(PdfReader(io.BytesIO(pdf)), incremental=True)
    writer.update_page_form_field_values(writer.pages[0], {field_name: value}, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def set_subfilter(pdf: bytes, subfilter: str = "adbe.pkcs7.sha1") -> bytes:
    """The last signature's /SubFilter rewritten in place (same length, so the xref stays right)."""
    m = list(re.finditer(rb"/SubFilter\s*/([A-Za-z0-9.]+)", pdf))
    if not m:
        raise ValueError("no /SubFilter in this PDF")
    old = m[-1]
    new = f"/{subfilter}".encode("ascii")
    slot = old.end() - old.start(1) + 1  # the name with its slash
    if len(new) > slot:
        raise ValueError(f"{subfilter} is longer than the SubFilter it replaces")
    start = old.start(1) - 1
    return pdf[:start] + new + b" " * (slot - len(new)) + pdf[old.end() :]


def append_flate_bomb(pdf: bytes, *, mib: int = 200) -> bytes:
    """`pdf` with an incremental update whose catalogue sits in an object stream that inflates to `mib` MiB.

    About 200 KB on disk; any reader that opens the document must decode that stream, so it tests the
    decode limits (SIGNATURES.md: pyHanko's defaults would decode all of it).
    """
    import zlib

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    root_ref = reader.trailer.raw_get("/Root")
    size = int(reader.trailer["/Size"])
    prev = reader.last_startxref
    catalog = io.BytesIO()
    reader.root.write_to_stream(catalog)
    objstm_num, xref_num = size, size + 1
    header = f"{root_ref.idnum} 0 ".encode("ascii")
    deflate = zlib.compressobj(9)
    parts = [deflate.compress(header + catalog.getvalue() + b"\n")]
    padding = b" " * (1024 * 1024)
    parts += [deflate.compress(padding) for _ in range(mib)]
    parts.append(deflate.flush())
    data = b"".join(parts)
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    objstm_at = len(out)
    out += (
        f"{objstm_num} 0 obj\n<< /Type /ObjStm /N 1 /First {len(header)} /Filter /FlateDecode "
        f"/Length {len(data)} >>\nstream\n"
    ).encode("ascii")
    out += data + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [
        bytes([2]) + objstm_num.to_bytes(4, "big") + (0).to_bytes(2, "big"),
        bytes([1]) + objstm_at.to_bytes(4, "big") + (0).to_bytes(2, "big"),
        bytes([1]) + xref_at.to_bytes(4, "big") + (0).to_bytes(2, "big"),
    ]
    table = b"".join(rows)
    out += (
        f"{xref_num} 0 obj\n<< /Type /XRef /Size {xref_num + 1} /W [1 4 2] "
        f"/Index [{root_ref.idnum} 1 {objstm_num} 2] /Root {root_ref.idnum} 0 R /Prev {prev} "
        f"/Length {len(table)} >>\nstream\n"
    ).encode("ascii")
    out += table + b"\nendstream\nendobj\n"
    out += f"startxref\n{xref_at}\n%%EOF\n".encode("ascii")
    return bytes(out)


def encrypt_pdf(pdf: bytes, *, user_password: str = "1234", owner_password: str = "owner") -> bytes:
    """`pdf` rewritten with AES-256 encryption (pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
