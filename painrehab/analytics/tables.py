"""A table (header + rows) as a CSV or Excel download.

Cells keep their type: numbers stay numbers in Excel and get the language's
decimal separator in CSV (a comma in Swedish, beside the semicolon that
Swedish Excel expects); None is an empty cell. Text that a spreadsheet would
read as a formula (=, +, -, @ first) is prefixed with an apostrophe, so a
name typed as "=HYPERLINK(…)" stays text.
"""

import csv
import io
from collections.abc import Sequence
from datetime import date

from django.http import HttpResponse
from django.utils import formats
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def safe_text(value: object) -> object:
    """`value`, with formula-looking text made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if not _is_number(value):
            return "'" + value
    return value


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, date):
        return value.isoformat()
    return str(safe_text(str(value)))


def excel_cell(value: object) -> object:
    if value is None or isinstance(value, int | float | date):
        return value
    return safe_text(str(value))


def table_response(
    *, header: Sequence[str], rows: Sequence[Sequence[object]], name: str, fmt: str
) -> HttpResponse:
    """`fmt` is "csv" (semicolon-separated, UTF-8 with BOM, for Swedish Excel) or "xlsx"."""
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append([excel_cell(cell) for cell in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        fmt = "csv"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow([str(h) for h in header])
        writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
