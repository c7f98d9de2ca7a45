"""Sample official documents in the Nghị định 30/2020/NĐ-CP layout, for the demo and the tests.

`render_document` draws a born-digital PDF (real fonts with Vietnamese glyphs: Liberation Serif, metric-
compatible with Times New Roman, else DejaVu Serif); `render_scan` turns any PDF into an image-only "scan"
(200 dpi greyscale, a little noise and skew, a red stamp), as a registry clerk's scanner would.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_FONT_CANDIDATES = {
    "Serif": [
        "liberation2/LiberationSerif-Regular.ttf",
        "liberation/LiberationSerif-Regular.ttf",
        "dejavu/DejaVuSerif.ttf",
    ],
    "Serif-Bold": [
        "liberation2/LiberationSerif-Bold.ttf",
        "liberation/LiberationSerif-Bold.ttf",
        "dejavu/DejaVuSerif-Bold.ttf",
    ],
    "Serif-Italic": [
        "liberation2/LiberationSerif-Italic.ttf",
        "liberation/LiberationSerif-Italic.ttf",
        "dejavu/DejaVuSerif-Italic.ttf",
    ],
}
_FONT_ROOT = Path("/usr/share/fonts/truetype")


def _register_fonts() -> None:
    for name, candidates in _FONT_CANDIDATES.items():
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        for rel in candidates:
            path = _FONT_ROOT / rel
            if path.exists():
                pdfmetrics.registerFont(TTFont(name, str(path)))
                break
        else:
            raise RuntimeError(
                f"no font with Vietnamese glyphs for {name}: install fonts-liberation2 or fonts-dejavu-core"
            )


@dataclass(frozen=True)
class SampleDoc:
    """What goes on the page. Empty strings leave a part out; `date=None` draws a blank draft date."""

    issuer: str = "ỦY BAN NHÂN DÂN"
    parent_issuer: str = ""
    number: str = "05/QĐ-UBND"
    place: str = "Hà Nội"
    date: date | None = date(2020, 1, 5)
    title: str = "QUYẾT ĐỊNH"  # empty for a công văn
    subject: str = "Về việc ban hành Quy chế công tác văn thư"
    body: tuple[str, ...] = (
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
        "Theo đề nghị của Chánh Văn phòng,",
    )
    urgency: str = ""  # "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"
    secrecy: str = ""  # "MẬT", "TỐI MẬT", "TUYỆT MẬT"
    authority: str = "TM. ỦY BAN NHÂN DÂN"
    signer_title: str = "CHỦ TỊCH"
    signer_name: str = "Nguyễn Văn An"
    recipients_paper: tuple[str, ...] = ("Như Điều 3;", "Lưu: VT, VP.")
    recipients_electronic: tuple[str, ...] = ()
    pages: int = 1
    extra: dict[str, str] = field(default_factory=dict)


def _centered(c: canvas.Canvas, font: str, size: float, x: float, y: float, text: str) -> None:
    c.setFont(font, size)
    c.drawCentredString(x, y, text)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        trial = f"{line} {w}".strip()
        if pdfmetrics.stringWidth(trial, font, size) <= width:
            line = trial
        else:
            lines.append(line)
            line = w
    if line:
        lines.append(line)
    return lines


def _date_line(doc: SampleDoc) -> str:
    if doc.date is None:
        return f"{doc.place}, ngày     tháng     năm 2024"
    return f"{doc.place}, ngày {doc.date.day:02d} tháng {doc.date.month:02d} năm {doc.date.year}"


def render_document(doc: SampleDoc) -> bytes:
    """A born-digital PDF of `doc`, A4, with a text layer."""
    _register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.setTitle(doc.subject or doc.title)
    width, height = A4
    left_x, right_x = 20 * mm + 35 * mm, 20 * mm + 118 * mm
    y = height - 20 * mm
    if doc.parent_issuer:
        _centered(c, "Serif", 12, left_x, y, doc.parent_issuer)
        y -= 5.5 * mm
    _centered(c, "Serif-Bold", 12, left_x, y, doc.issuer)
    top = height - 20 * mm
    _centered(c, "Serif-Bold", 12, right_x, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    _centered(c, "Serif-Bold", 13, right_x, top - 5.5 * mm, "Độc lập - Tự do - Hạnh phúc")
    c.line(right_x - 30 * mm, top - 7 * mm, right_x + 30 * mm, top - 7 * mm)
    c.line(left_x - 12 * mm, y - 1.5 * mm, left_x + 12 * mm, y - 1.5 * mm)
    y -= 8 * mm
    _centered(c, "Serif", 13, left_x, y, f"Số: {doc.number}" if doc.number else "Số:       /")
    _centered(c, "Serif-Italic", 13, right_x, y, _date_line(doc))
    y -= 6 * mm
    if not doc.title and doc.subject:
        for line in _wrap(
            doc.subject if doc.subject.startswith("V/v") else f"V/v {doc.subject}", "Serif", 12, 70 * mm
        ):
            _centered(c, "Serif", 12, left_x, y, line)
            y -= 5 * mm
    for mark in (doc.urgency, doc.secrecy):
        if mark:
            c.setFont("Serif-Bold", 13)
            c.drawString(25 * mm, y, mark)
            y -= 6 * mm
    y -= 6 * mm
    if doc.title:
        _centered(c, "Serif-Bold", 14, width / 2, y, doc.title)
        y -= 6 * mm
        for line in _wrap(doc.subject, "Serif-Bold", 14, 150 * mm):
            _centered(c, "Serif-Bold", 14, width / 2, y, line)
            y -= 6 * mm
        y -= 4 * mm
    for page in range(doc.pages):
        if page:
            c.showPage()
            y = height - 25 * mm
        for para in doc.body:
            for line in _wrap(para, "Serif", 14, 165 * mm):
                c.setFont("Serif", 14)
                c.drawString(30 * mm, y, line)
                y -= 7 * mm
    y -= 8 * mm
    sig_y = y
    c.setFont("Serif-Bold", 12)
    c.drawString(20 * mm, y, "Nơi nhận:")
    y -= 5 * mm
    c.setFont("Serif", 11)
    for r in doc.recipients_paper:
        c.drawString(20 * mm, y, f"- {r}")
        y -= 4.5 * mm
    if doc.recipients_electronic:
        c.setFont("Serif-Bold", 12)
        c.drawString(20 * mm, y, "Bản điện tử:")
        y -= 5 * mm
        c.setFont("Serif", 11)
        for r in doc.recipients_electronic:
            c.drawString(20 * mm, y, f"- {r}")
            y -= 4.5 * mm
    for line in [doc.authority, doc.signer_title]:
        if line:
            _centered(c, "Serif-Bold", 13, right_x, sig_y, line)
            sig_y -= 6 * mm
    _centered(c, "Serif-Bold", 13, right_x, sig_y - 22 * mm, doc.signer_name)
    c.showPage()
    c.save()
    return buf.getvalue()


def render_scan(
    pdf: bytes,
    *,
    dpi: int = 200,
    seed: int = 0,
    noise: float = 0.03,
    skew_degrees: float = 0.6,
    stamp: bool = True,
) -> bytes:
    """An image-only PDF made from `pdf` the way a scanner would: greyscale, noisy, skewed, stamped."""
    import pypdfium2
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    images = []
    pdfium = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(pdfium)):
            page = pdfium[index]
            img = page.render(scale=dpi / 72).to_pil().convert("RGB")
            if stamp and index == len(pdfium) - 1:
                draw = ImageDraw.Draw(img)
                w, h = img.size
                cx, cy, r = int(w * 0.62), int(h * 0.80), int(dpi * 0.75)
                for k in range(3):
                    draw.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=(200, 30, 30))
                draw.ellipse(
                    (cx - r // 2, cy - r // 2, cx + r // 2, cy + r // 2), outline=(200, 30, 30), width=2
                )
            if skew_degrees:
                img = img.rotate(
                    rng.uniform(-skew_degrees, skew_degrees),
                    fillcolor=(255, 255, 255),
                    resample=Image.BILINEAR,
                )
            if noise:
                px = img.load()
                w, h = img.size
                for _ in range(int(w * h * noise / 10)):
                    x, y = rng.randrange(w), rng.randrange(h)
                    g = rng.randrange(120, 256)
                    px[x, y] = (g, g, g)
            images.append(img)
    finally:
        pdfium.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()
