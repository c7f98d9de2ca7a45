"""Sample official documents in the Nghị định 30/2020/NĐ-CP layout, for the demo and the tests.

`render_document` draws a born-digital PDF (real fonts with Vietnamese glyphs: Liberation Serif, metric-
compatible with Times New Roman, else DejaVu Serif); `render_scan` turns any PDF into an image-only "scan"
(200 dpi greyscale, a little noise and skew, a hand signature and a red stamp over it), as a registry
clerk's scanner would.

The layout follows Nghị định 30/2020 Phụ lục I: the issuing agency (under its parent) top left and the
national motto top right; the number and notation under the agency, the place and date under the motto;
a công văn's `V/v` subject under the number; urgency and secrecy marks in a box below; the title and
subject centred; the body; then "Nơi nhận:" (and "Bản điện tử:", R12) on the left beside the signer
block on the right. A copy (*sao y*, *trích sao*, *sao lục*) adds the copying agency's block under a full-
width rule after the original (Phụ lục I, IV).
"""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass
from datetime import date

import pypdfium2
from PIL import Image, ImageChops, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from gateway.fonts import font_path, register_fonts

_SIGNATURE_KEY = "gateway-signature-at"


@dataclass(frozen=True)
class CopyBlock:
    """The copying agency's block on a copy (Nghị định 30/2020 Phụ lục I, IV)."""

    kind: str = "SAO Y"  # "SAO Y", "SAO Y BẢN CHÍNH", "TRÍCH SAO", "SAO LỤC"
    issuer: str = "VĂN PHÒNG UBND\nTỈNH KHÁNH HÒA"
    number: str = "15/SY-VP"
    place: str = "Khánh Hòa"
    date: date | None = date(2020, 1, 10)
    authority: str = "TL. CHỦ TỊCH"
    signer_title: str = "CHÁNH VĂN PHÒNG"
    signer_name: str = "Trần Thị Bình"
    recipients: tuple[str, ...] = ("Các sở, ban, ngành;", "Lưu: VT.")


@dataclass(frozen=True)
class SampleDoc:
    """What goes on the page. Empty strings leave a part out; `date=None` draws a blank draft date.

    Multi-line parts (`issuer`, `parent_issuer`, `authority`) take "\\n" between their lines. A number
    starting with "/" is a draft's blank number (`Số:      /TTr-VPCP`). Body paragraphs starting with "^"
    are centred and bold (the operative "QUYẾT ĐỊNH:").
    """

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
    # Layout cases beyond the defaults.
    number_label: str = "Số:"  # "" leaves the label out
    motto: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto_line2: str = "Độc lập - Tự do - Hạnh phúc"
    draft_year: int = 2024  # the year printed on a blank draft date
    draft: str = ""  # e.g. "DỰ THẢO": a draft mark top right
    addressees: tuple[str, ...] = ()  # "Kính gửi:" lines of a công văn
    signed_note: str = ""  # e.g. "(Đã ký)" on a copied original
    copy: CopyBlock | None = None


def _centered(c: canvas.Canvas, font: str, size: float, x: float, y: float, text: str) -> None:
    c.setFont(font, size)
    c.drawCentredString(x, y, text)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        trial = f"{line} {w}".strip()
        if pdfmetrics.stringWidth(trial, font, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = w
    if line:
        lines.append(line)
    return lines


def _date_text(place: str, when: date | None, draft_year: int) -> str:
    if when is None:
        return f"{place}, ngày       tháng      năm {draft_year}"
    return f"{place}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"


def _date_line(doc: SampleDoc) -> str:
    return _date_text(doc.place, doc.date, doc.draft_year)


def _number_text(label: str, number: str) -> str:
    if number.startswith("/"):
        number = "        " + number  # a draft's blank number: the space is left for the registry
    if not number:
        number = "        /"
    return f"{label} {number}".strip() if label else number.strip()


_LEFT_X = 20 * mm + 35 * mm
_RIGHT_X = 20 * mm + 118 * mm
_BOTTOM = 20 * mm
_TOP = 20 * mm


class _Writer:
    """A cursor over pages: draws lines downwards and starts a new page when the space runs out."""

    def __init__(self, c: canvas.Canvas):
        self.c = c
        self.width, self.height = A4
        self.y = self.height - _TOP
        self.page = 0

    def need(self, space: float) -> None:
        if self.y - space < _BOTTOM:
            self.c.showPage()
            self.page += 1
            self.y = self.height - 25 * mm


def _header(w: _Writer, doc: SampleDoc) -> None:
    c = w.c
    top = w.y
    if doc.draft:
        c.setFont("Serif-Bold", 12)
        c.drawRightString(w.width - 15 * mm, top + 8 * mm, doc.draft)
    y = top
    for line in doc.parent_issuer.splitlines():
        _centered(c, "Serif", 12, _LEFT_X, y, line)
        y -= 5.5 * mm
    for line in doc.issuer.splitlines():
        _centered(c, "Serif-Bold", 12, _LEFT_X, y, line)
        y -= 5.5 * mm
    c.line(_LEFT_X - 12 * mm, y + 4 * mm, _LEFT_X + 12 * mm, y + 4 * mm)
    _centered(c, "Serif-Bold", 12, _RIGHT_X, top, doc.motto)
    _centered(c, "Serif-Bold", 13, _RIGHT_X, top - 5.5 * mm, doc.motto_line2)
    c.line(_RIGHT_X - 30 * mm, top - 7 * mm, _RIGHT_X + 30 * mm, top - 7 * mm)
    y = min(y, top - 11 * mm) - 2.5 * mm
    _centered(c, "Serif", 13, _LEFT_X, y, _number_text(doc.number_label, doc.number))
    _centered(c, "Serif-Italic", 13, _RIGHT_X, y, _date_line(doc))
    y -= 6 * mm
    if not doc.title and doc.subject:
        subject = doc.subject if doc.subject.startswith(("V/v", "V/V")) else f"V/v {doc.subject}"
        for line in _wrap(subject, "Serif", 12, 70 * mm):
            _centered(c, "Serif", 12, _LEFT_X, y, line)
            y -= 5 * mm
    for mark in (doc.urgency, doc.secrecy):
        if mark:
            y -= 2 * mm
            c.setFont("Serif-Bold", 13)
            c.drawString(25 * mm, y, mark)
            c.rect(23 * mm, y - 2 * mm, pdfmetrics.stringWidth(mark, "Serif-Bold", 13) + 4 * mm, 7 * mm)
            y -= 7 * mm
    w.y = y - 6 * mm


def _title(w: _Writer, doc: SampleDoc) -> None:
    if not doc.title:
        return
    _centered(w.c, "Serif-Bold", 14, w.width / 2, w.y, doc.title)
    w.y -= 6 * mm
    for line in _wrap(doc.subject, "Serif-Bold", 14, 150 * mm):
        _centered(w.c, "Serif-Bold", 14, w.width / 2, w.y, line)
        w.y -= 6 * mm
    w.c.line(w.width / 2 - 15 * mm, w.y + 2 * mm, w.width / 2 + 15 * mm, w.y + 2 * mm)
    w.y -= 6 * mm


def _body(w: _Writer, doc: SampleDoc) -> None:
    c = w.c
    if doc.addressees:
        c.setFont("Serif", 14)
        first, *rest = doc.addressees
        w.need(7 * mm)
        c.drawString(50 * mm, w.y, f"Kính gửi: {first}")
        w.y -= 7 * mm
        for line in rest:
            w.need(7 * mm)
            c.drawString(72 * mm, w.y, line)
            w.y -= 7 * mm
        w.y -= 2 * mm
    for page in range(doc.pages):
        if page:
            c.showPage()
            w.page += 1
            w.y = w.height - 25 * mm
        for para in doc.body:
            if para.startswith("^"):
                w.need(8 * mm)
                _centered(c, "Serif-Bold", 14, w.width / 2, w.y, para[1:])
                w.y -= 8 * mm
                continue
            for line in _wrap(para, "Serif", 14, 165 * mm):
                w.need(7 * mm)
                c.setFont("Serif", 14)
                c.drawString(30 * mm, w.y, line)
                w.y -= 7 * mm


def _recipients(c: canvas.Canvas, y: float, paper: tuple[str, ...], electronic: tuple[str, ...]) -> float:
    for heading, entries in (("Nơi nhận:", paper), ("Bản điện tử:", electronic)):
        if not entries:
            continue
        c.setFont("Serif-Bold", 12)
        c.drawString(20 * mm, y, heading)
        y -= 5 * mm
        c.setFont("Serif", 11)
        for entry in entries:
            bullet = "" if entry.startswith(("- ", "+ ")) else "- "  # "+ " for a sub-entry
            for k, line in enumerate(_wrap(f"{bullet}{entry}", "Serif", 11, 75 * mm)):
                c.drawString(20 * mm if k == 0 else 22 * mm, y, line)
                y -= 4.5 * mm
    return y


def _signer(c: canvas.Canvas, y: float, authority: str, title: str, name: str, note: str = "") -> tuple[float, float]:
    """Draws the signer block from `y` down; returns (the signature's centre y, the lowest y used)."""
    for line in [*authority.splitlines(), title]:
        if line:
            _centered(c, "Serif-Bold", 13, _RIGHT_X, y, line)
            y -= 6 * mm
    signature_y = y - 8 * mm
    if note:
        _centered(c, "Serif-Italic", 13, _RIGHT_X, y - 8 * mm, note)
    name_y = y - 22 * mm
    if name:
        _centered(c, "Serif-Bold", 13, _RIGHT_X, name_y, name)
    return signature_y, name_y


def _closing(w: _Writer, doc: SampleDoc) -> tuple[int, float, float]:
    lines = len(doc.recipients_paper) + len(doc.recipients_electronic) + 2
    w.y -= 8 * mm
    w.need(max(lines * 5 * mm, 45 * mm))
    top = w.y
    low_left = _recipients(w.c, top, doc.recipients_paper, doc.recipients_electronic)
    sig_y, low_right = _signer(w.c, top, doc.authority, doc.signer_title, doc.signer_name, doc.signed_note)
    w.y = min(low_left, low_right) - 4 * mm
    return w.page, _RIGHT_X, sig_y


def _copy_block(w: _Writer, cp: CopyBlock) -> None:
    c = w.c
    w.y -= 4 * mm
    w.need(75 * mm)
    c.line(20 * mm, w.y, w.width - 15 * mm, w.y)
    y = w.y - 7 * mm
    top = y
    for line in cp.issuer.splitlines():
        _centered(c, "Serif-Bold", 12, _LEFT_X, y, line)
        y -= 5.5 * mm
    _centered(c, "Serif", 13, _LEFT_X, y, _number_text("Số:", cp.number))
    _centered(c, "Serif-Bold", 13, _RIGHT_X, top, cp.kind)
    _centered(c, "Serif-Italic", 13, _RIGHT_X, top - 6 * mm, _date_text(cp.place, cp.date, 2024))
    y = min(y, top - 6 * mm) - 9 * mm
    low_left = _recipients(c, y, cp.recipients, ())
    _, low_right = _signer(c, y, cp.authority, cp.signer_title, cp.signer_name)
    w.y = min(low_left, low_right)


def render_document(doc: SampleDoc) -> bytes:
    """A born-digital PDF of `doc`, A4, with a text layer."""
    register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.setTitle(doc.subject or doc.title)
    w = _Writer(c)
    _header(w, doc)
    _title(w, doc)
    _body(w, doc)
    page, sig_x, sig_y = _closing(w, doc)
    if doc.copy is not None:
        _copy_block(w, doc.copy)
    # Where the hand signature goes: render_scan puts the signature and the red seal there.
    c.setKeywords(f"{_SIGNATURE_KEY}={page},{sig_x:.1f},{sig_y:.1f}")
    c.showPage()
    c.save()
    return buf.getvalue()


def _signature_at(pdfium_doc: pypdfium2.PdfDocument) -> tuple[int, float, float] | None:
    """(page, x, y) of the signature `render_document` recorded in the PDF's keywords, if any."""
    try:
        keywords = pdfium_doc.get_metadata_dict().get("Keywords", "")
    except Exception:
        return None
    if not keywords.startswith(f"{_SIGNATURE_KEY}="):
        return None
    try:
        page, x, y = keywords.split("=", 1)[1].split(",")
        return int(page), float(x), float(y)
    except ValueError:
        return None


def _stamp(img: Image.Image, cx: int, cy: int, dpi: int, rng: random.Random) -> Image.Image:
    """A hand signature in blue ink, then the agency's red seal over its left part (ND30: the seal
    covers about a third of the signature). Ink is translucent: both are multiplied onto the page, so
    print under them stays black, as on paper."""
    layer = Image.new("RGB", img.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    pts = []
    for k in range(14):
        pts.append((cx - dpi * 0.45 + k * dpi * 0.07, cy + rng.uniform(-1, 1) * dpi * 0.12))
    draw.line(pts, fill=(25, 40, 140), width=max(2, dpi // 60))
    r = int(dpi * 0.75)
    sx = cx - int(dpi * 0.35)
    red = (200, 30, 30)
    for k in range(3):
        draw.ellipse((sx - r + k, cy - r + k, sx + r - k, cy + r - k), outline=red)
    draw.ellipse((sx - r // 2, cy - r // 2, sx + r // 2, cy + r // 2), outline=red, width=2)
    try:
        font = ImageFont.truetype(str(font_path("Serif-Bold")), max(10, dpi // 9))
        draw.text((sx, cy), "ỦY BAN NHÂN DÂN", fill=red, font=font, anchor="mm")
    except (OSError, RuntimeError):
        pass
    return ImageChops.multiply(img, layer)


def render_scan(
    pdf: bytes,
    *,
    dpi: int = 200,
    seed: int = 0,
    noise: float = 0.03,
    skew_degrees: float = 0.6,
    stamp: bool = True,
) -> bytes:
    """An image-only PDF made from `pdf` the way a scanner would: greyscale, noisy, skewed, stamped.

    The hand signature and the red seal go where `render_document` recorded the signature, else low on
    the right of the last page.
    """
    rng = random.Random(seed)
    images = []
    pdfium = pypdfium2.PdfDocument(pdf)
    try:
        where = _signature_at(pdfium)
        for index in range(len(pdfium)):
            page = pdfium[index]
            img = page.render(scale=dpi / 72).to_pil().convert("RGB")
            w, h = img.size
            if stamp and where is not None and where[0] == index:
                _, x_pt, y_pt = where
                img = _stamp(img, int(x_pt * dpi / 72), int(h - y_pt * dpi / 72), dpi, rng)
            elif stamp and where is None and index == len(pdfium) - 1:
                img = _stamp(img, int(w * 0.62), int(h * 0.80), dpi, rng)
            if skew_degrees:
                img = img.rotate(
                    rng.uniform(-skew_degrees, skew_degrees),
                    fillcolor=(255, 255, 255),
                    resample=Image.Resampling.BILINEAR,
                )
            if noise:
                px = img.load()
                for _ in range(int(w * h * noise / 10)):
                    x, y = rng.randrange(w), rng.randrange(h)
                    g = rng.randrange(120, 256)
                    px[x, y] = (g, g, g)
            images.append(img)
    finally:
        pdfium.close()
    out = io.BytesIO()
    fixed = time.gmtime(1_577_836_800)  # 2020-01-01: the same bytes for the same input
    images[0].save(
        out,
        format="PDF",
        resolution=dpi,
        save_all=True,
        append_images=images[1:],
        creationDate=fixed,
        modDate=fixed,
    )
    return out.getvalue()
