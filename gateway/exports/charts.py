"""Bar charts drawn on the server: SVG for the web pages (no script, no style sheet needed: presentation
attributes only, text escaped), and the same chart as a reportlab drawing for PDFs."""

from __future__ import annotations

from html import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from gateway.exports import Chart

BAR = 18  # px per bar
GAP = 6
LABEL_WIDTH = 300
VALUE_WIDTH = 60
FONT_PX = 13
COLOUR = "#2f6690"


def _fmt(value: float) -> str:
    return f"{value:g}"


def _width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` in a sans-serif font of `size` (capitals are wider)."""
    return sum(0.72 if c.isupper() else 0.56 for c in text) * size


def _clip(text: str, room: float, size: float) -> str:
    """`text`, shortened with an ellipsis to fit `room`."""
    if _width(text, size) <= room:
        return text
    while text and _width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def svg(chart: Chart, *, width: int = 660) -> str:
    """The chart as an inline SVG element (with a title for screen readers)."""
    top = 8
    height = top + max(1, len(chart.bars)) * (BAR + GAP) + 4
    peak = max((b.value for b in chart.bars), default=0) or 1
    span = width - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{FONT_PX}">',
        f"<title>{escape(chart.title)}</title>",
    ]
    if not chart.bars:
        parts.append(f'<text x="0" y="{top + BAR - 4}" fill="#555">Không có số liệu</text>')
    for i, bar in enumerate(chart.bars):
        y = top + i * (BAR + GAP)
        length = max(1.0, bar.value / peak * span) if bar.value else 0
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 5}" text-anchor="end" fill="#222">'
            f"<title>{escape(bar.label)}</title>{escape(_clip(bar.label, LABEL_WIDTH - 12, FONT_PX))}</text>"
        )
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{COLOUR}" rx="2"/>')
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR - 5}" fill="#222">'
            f"{escape(_fmt(bar.value) + chart.unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def drawing(chart: Chart, *, width: float = 700, font: str = "Serif") -> Drawing:
    """The chart for a PDF (points), fonts as registered by `gateway.fonts`."""
    bar, gap, label_w, value_w = 12.0, 4.0, 230.0, 50.0
    height = max(1, len(chart.bars)) * (bar + gap) + 4
    d = Drawing(width, height)
    peak = max((b.value for b in chart.bars), default=0) or 1
    span = width - label_w - value_w
    for i, b in enumerate(chart.bars):
        y = height - (i + 1) * (bar + gap)
        length = max(1.0, b.value / peak * span) if b.value else 0
        d.add(String(label_w - 6, y + 3, _clip(b.label, label_w - 10, 9), fontName=font, fontSize=9, textAnchor="end"))
        d.add(Rect(label_w, y, length, bar, fillColor=colors.HexColor(COLOUR), strokeColor=None))
        d.add(String(label_w + length + 4, y + 3, _fmt(b.value) + chart.unit, fontName=font, fontSize=9))
    return d
