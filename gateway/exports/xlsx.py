"""Sheets as an XLSX workbook (openpyxl): headings merged across the table, wrapped cells, borders, A4
landscape page setup with the column names repeated on every printed page."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gateway.exports import Sheet

FONT = "Times New Roman"  # the official documents' font (Nghị định 30/2020 Phụ lục I)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _fill(ws: Worksheet, sheet: Sheet) -> None:
    ncols = len(sheet.columns)
    row = 1
    for i, text in enumerate(sheet.heading):
        ws.cell(row=row, column=1, value=text).font = Font(name=FONT, bold=i == 0, size=13 if i == 0 else 12)
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        row += 1
    if sheet.heading:
        row += 1
    header_row = row
    for col, name in enumerate(sheet.columns, 1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = Font(name=FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
    row += 1
    if sheet.numbered:
        for col in range(1, ncols + 1):
            cell = ws.cell(row=row, column=col, value=f"({col})")
            cell.font = Font(name=FONT, italic=True)
            cell.alignment = Alignment(horizontal="center")
            cell.border = _BOX
        row += 1
    for values in sheet.rows:
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = Font(name=FONT)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = _BOX
        row += 1
    for col, width in enumerate(sheet.widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.print_title_rows = f"{header_row}:{header_row + (1 if sheet.numbered else 0)}"
    ws.freeze_panes = ws.cell(row=header_row + 1 + (1 if sheet.numbered else 0), column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_xlsx(sheets: list[Sheet]) -> bytes:
    wb = Workbook()
    first = True
    for sheet in sheets:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = sheet.name[:31]
        _fill(ws, sheet)
        first = False
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
