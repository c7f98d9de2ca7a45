"""gateway.samples.render: the sample documents the reading tests and the demo are made of."""

from __future__ import annotations

import io

from pypdf import PdfReader

from gateway.pdf.text import usable_text
from gateway.samples.render import CopyBlock, SampleDoc, render_document, render_scan


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_default_document_and_its_scan_keep_their_call_signatures():
    pdf = render_document(SampleDoc())
    assert render_document(SampleDoc()) == pdf  # deterministic
    text = _text(pdf)
    for part in ("ỦY BAN NHÂN DÂN", "Số: 05/QĐ-UBND", "Hà Nội, ngày 05 tháng 01 năm 2020", "QUYẾT ĐỊNH"):
        assert part in text
    scan = render_scan(pdf)
    assert render_scan(pdf) == scan
    reader = PdfReader(io.BytesIO(scan))
    assert len(reader.pages) == 1 and not usable_text(reader.pages[0].extract_text())  # image only


def test_layout_cases_are_drawn():
    doc = SampleDoc(
        number="/TTr-VPCP",
        date=None,
        draft="DỰ THẢO",
        urgency="HỎA TỐC",
        secrecy="MẬT",
        title="",
        subject="góp ý dự thảo",
        addressees=("Chính phủ.",),
        number_label="Số:",
        copy=CopyBlock(kind="TRÍCH SAO"),
        recipients_electronic=("Sở Tư pháp;",),
        pages=2,
    )
    pdf = render_document(doc)
    text = _text(pdf)
    for part in ("DỰ THẢO", "HỎA TỐC", "MẬT", "V/v góp ý dự thảo", "Kính gửi: Chính phủ.", "TRÍCH SAO", "Bản điện tử:"):
        assert part in text
    assert "ngày       tháng      năm 2024" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2


def test_red_seal_lands_over_the_signature():
    from pypdfium2 import PdfDocument

    scan = render_scan(render_document(SampleDoc()), noise=0, skew_degrees=0)
    image = PdfDocument(scan)[0].render(scale=200 / 72).to_pil().convert("RGB")
    width, height = image.size
    reds = [
        (x, y)
        for x in range(0, width, 4)
        for y in range(0, height, 4)
        if (p := image.getpixel((x, y)))[0] > 150 and p[1] < 90 and p[2] < 90
    ]
    assert reds
    xs, ys = [x for x, _ in reds], [y for _, y in reds]
    assert 0.45 * width < sum(xs) / len(xs) < 0.75 * width  # on the right, over the signer block
    assert 0.2 * height < sum(ys) / len(ys) < 0.6 * height  # where this short document's signer is
