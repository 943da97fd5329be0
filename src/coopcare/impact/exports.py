"""Tables as files people open in a spreadsheet: CSV (one table) and XLSX (one sheet each)."""

import csv
import io
import re
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from coopcare.shared.cells import inert

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(table, filename: str) -> HttpResponse:
    """One table; values as written by a program (dot decimals), headings translated."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow([inert(c) for c in table.columns])
    writer.writerows([_cell(v) for v in row] for row in table.rows)
    return _attachment(response, filename)


def xlsx_response(tables, filename: str) -> HttpResponse:
    """A workbook with a sheet per table; numbers stay numbers, so they can be summed."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, book.sheetnames))
        sheet.append([inert(str(c)) for c in table.columns])
        for row in table.rows:
            sheet.append([_number(v) for v in row])
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), filename)


def _cell(value):
    # Text people typed (a name, a title) must not run as a formula in the reader's spreadsheet.
    return "" if value is None else inert(value)


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return _cell(value if not hasattr(value, "__html__") else str(value))


def _sheet_name(title: str, taken: list[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31]
    base, n = name, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name
