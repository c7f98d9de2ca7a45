"""A sheet as CSV: UTF-8 with a byte-order mark, so that spreadsheet programs read Vietnamese right."""

from __future__ import annotations

import csv
from io import StringIO

from gateway.exports import Sheet


def write_csv(sheet: Sheet) -> bytes:
    out = StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.columns)
    writer.writerows(["" if v is None else v for v in row] for row in sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
