"""A table (header + rows) as a CSV or Excel download."""

import csv
import io
from collections.abc import Sequence

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(
    *, header: Sequence[str], rows: Sequence[Sequence[object]], name: str, fmt: str
) -> HttpResponse:
    """`fmt` is "csv" (semicolon-separated, UTF-8 with BOM, for Swedish Excel) or "xlsx"."""
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
