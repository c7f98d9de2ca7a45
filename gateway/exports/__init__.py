"""Tables and charts as files for people: XLSX (openpyxl), printable PDF (reportlab, A4, Vietnamese fonts),
CSV, and SVG charts for the web pages. The register form (Phụ lục IV) and the report (R21) are `Sheet`s;
each writer is one module: `xlsx.py`, `pdf.py`, `csv.py`, `charts.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Cell = str | int | float | None


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: one bar per label, longest first or in the given order."""

    title: str
    bars: tuple[Bar, ...]
    unit: str = ""


@dataclass(frozen=True)
class Sheet:
    """One table with the lines above it; a sheet of a workbook, a section of a PDF."""

    name: str  # the workbook tab (≤ 31 characters), the section's title
    heading: tuple[str, ...]  # lines above the table, centred; the first is bold
    columns: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]
    widths: tuple[float, ...]  # relative widths, one per column
    numbered: bool = False  # a row (1) (2) … under the column names, as on official forms
    chart: Chart | None = None  # drawn under the table in PDFs
