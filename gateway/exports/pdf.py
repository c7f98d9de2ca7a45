"""Sheets as a printable PDF (reportlab): A4 landscape, Liberation/DejaVu Serif with Vietnamese glyphs, an
optional cover page (a register book's first page), column names repeated on every page, page numbers."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gateway.exports import Sheet
from gateway.exports.charts import drawing
from gateway.fonts import register_fonts

MARGIN = 12 * mm


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "cell": ParagraphStyle("cell", fontName="Serif", fontSize=9.5, leading=11.5),
        "head": ParagraphStyle("head", fontName="Serif-Bold", fontSize=9.5, leading=11.5, alignment=TA_CENTER),
        "num": ParagraphStyle("num", fontName="Serif-Italic", fontSize=9, leading=10, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName="Serif-Bold", fontSize=14, leading=18, alignment=TA_CENTER),
        "line": ParagraphStyle("line", fontName="Serif", fontSize=12, leading=16, alignment=TA_CENTER),
        "cover": ParagraphStyle("cover", fontName="Serif-Bold", fontSize=22, leading=30, alignment=TA_CENTER),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)


def _table(sheet: Sheet, width: float, st: dict[str, ParagraphStyle]) -> Table:
    total = sum(sheet.widths)
    col_widths = [width * w / total for w in sheet.widths]
    data: list[list[Any]] = [[_p(c, st["head"]) for c in sheet.columns]]
    if sheet.numbered:
        data.append([_p(f"({i})", st["num"]) for i in range(1, len(sheet.columns) + 1)])
    data += [[_p(v, st["cell"]) for v in row] for row in sheet.rows]
    table = Table(data, colWidths=col_widths, repeatRows=2 if sheet.numbered else 1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("Serif", 9)
    canvas.drawRightString(doc.pagesize[0] - MARGIN, MARGIN / 2, f"Trang {doc.page}")
    canvas.restoreState()


def write_pdf(sheets: list[Sheet], *, title: str, cover: tuple[str, ...] = ()) -> bytes:
    """The PDF of `sheets`; `cover` lines make a first page of their own (the line equal to `title` big)."""
    st = _styles()
    out = BytesIO()
    pagesize = landscape(A4)
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="official-mail gateway",
    )
    width = pagesize[0] - 2 * MARGIN
    story: list[Any] = []
    if cover:
        story.append(Spacer(1, 40 * mm))
        for text in cover:
            style = st["cover"] if text == title else st["line"]
            story += [_p(text, style), Spacer(1, 6 * mm if text == title else 3 * mm)]
        story.append(PageBreak())
    for sheet in sheets:
        for i, text in enumerate(sheet.heading):
            story.append(_p(text, st["title"] if i == 0 else st["line"]))
        story += [Spacer(1, 4 * mm), _table(sheet, width, st)]
        if sheet.chart is not None and sheet.chart.bars:
            story += [Spacer(1, 4 * mm), drawing(sheet.chart, width=min(width, 700))]
        story.append(Spacer(1, 8 * mm))
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()
