"""Reading a spreadsheet (CSV or XLSX) into rows of text, and the checks on its shape.

Pure functions of the file's bytes and of plain values: nothing here reads the database. The
rows they give are then entered through the same forms and services as by hand
(``imports.services``). The limits keep a request, and the preview page, to a size a
coordinator can read: a cooperative moving from spreadsheets has hundreds of rows, not tens of
thousands.
"""

import csv
import io
import zipfile
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 50
# Lines read at most, empty ones included.
MAX_LINES_READ = 10 * MAX_ROWS
XLSX_MAGIC = b"PK\x03\x04"
# What a workbook may hold once unpacked, all its parts together. Its XML packs tens of times
# smaller, so a small file can unpack to gigabytes (a "zip bomb") that openpyxl would read
# into memory; a workbook of MAX_ROWS rows unpacks to a few megabytes.
MAX_UNPACKED_BYTES = 16 * MAX_BYTES


@dataclass(frozen=True)
class Column:
    """A column of an import file: its stable ``key`` (the header, never translated, so that
    a file keeps working whatever the language of the page it came from) and its ``label``
    shown on the pages, in the reader's language."""

    key: str
    label: "StrOrPromise"
    required: bool = False


@dataclass(frozen=True)
class Table:
    """A file's header keys and its rows, each with its line number in the file."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def file_kind(name: str, content: bytes) -> str:
    """``"xlsx"`` or ``"csv"``, from the file's name and first bytes; ValidationError with
    ``import_file_type`` for anything else (an old .xls, a PDF...)."""
    lowered = name.lower()
    if lowered.endswith(".xlsx") or (content.startswith(XLSX_MAGIC) and "." not in lowered):
        return "xlsx"
    if lowered.endswith((".csv", ".txt")) and not content.startswith(XLSX_MAGIC):
        return "csv"
    raise ValidationError(
        _("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."), code="import_file_type"
    )


def read_table(name: str, content: bytes) -> Table:
    """The rows of the file ``name`` with ``content``, as text keyed by lower-case header.

    CSV is read as UTF-8 (a byte order mark is dropped), its delimiter a comma or a
    semicolon (what spreadsheets save in languages that write decimals with a comma). In an
    XLSX workbook the first sheet is read. Empty rows are skipped. Raises ValidationError with
    a code: ``import_file_too_large``, ``import_file_type``, ``import_bad_encoding``,
    ``import_unreadable``, ``import_empty``, ``import_too_many_rows``.
    """
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)},
            code="import_file_too_large",
        )
    grid = _xlsx_grid(content) if file_kind(name, content) == "xlsx" else _csv_grid(content)
    with closing(grid):
        lines = _filled_lines(grid)
    if not lines:
        raise ValidationError(_("The file has no header row."), code="import_empty")
    (_first, header), *body = lines
    headers = tuple(h.strip().lower() for h in header)
    rows = tuple(
        (
            number,
            {
                key: (cells[i].strip() if i < len(cells) else "")
                for i, key in enumerate(headers)
                if key
            },
        )
        for number, cells in body
    )
    return Table(tuple(h for h in headers if h), rows)


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The file has more than %(count)s rows; split it in several files.")
        % {"count": MAX_ROWS},
        code="import_too_many_rows",
    )


def _filled_lines(grid: Iterator[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The lines of ``grid`` with something in them: the header and at most ``MAX_ROWS``.

    Reading stops at the first line past the limit, or after ``MAX_LINES_READ`` lines in all
    (a sheet of a million formatted but empty rows), so that a file is refused whole rather
    than imported in part."""
    filled = []
    for read, (number, cells) in enumerate(grid, start=1):
        if read > MAX_LINES_READ:
            raise _too_many_rows()
        if any(c.strip() for c in cells):
            filled.append((number, cells))
            if len(filled) > MAX_ROWS + 1:
                raise _too_many_rows()
    return filled


def _csv_grid(content: bytes) -> Generator[tuple[int, list[str]], None, None]:
    if b"\x00" in content:
        raise ValidationError(
            _("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."), code="import_file_type"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not in UTF-8. Save it as “CSV UTF-8” and upload it again."),
            code="import_bad_encoding",
        ) from exc
    first_line = text.split("\n", 1)[0]
    # The header decides: keys never hold a comma or a semicolon.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells[:MAX_COLUMNS]
    except csv.Error as exc:
        raise ValidationError(
            _("The file cannot be read as CSV: %(error)s") % {"error": exc},
            code="import_unreadable",
        ) from exc


def _unreadable_workbook() -> ValidationError:
    return ValidationError(
        _("The workbook cannot be read; save it again as .xlsx."), code="import_unreadable"
    )


# What a damaged workbook raises, opening it or reading its sheet (an XML ParseError is a
# SyntaxError).
BROKEN_WORKBOOK = (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, IndexError)


def _unpacked_size(content: bytes) -> int:
    """The size of a workbook's parts once unpacked, as its ZIP directory declares them.

    Python's zipfile stops reading a part at its declared size, so a part cannot unpack to
    more than it declares: summing the declarations bounds what openpyxl will read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            return sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise _unreadable_workbook() from exc


def _xlsx_grid(content: bytes) -> Generator[tuple[int, list[str]], None, None]:
    if _unpacked_size(content) > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The workbook holds more than %(size)s MB once unpacked; split it in several files.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)},
            code="import_file_too_large",
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except BROKEN_WORKBOOK as exc:
        raise _unreadable_workbook() from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, values in enumerate(rows, start=1):
            yield number, [cell_text(v) for v in values]
    except BROKEN_WORKBOOK as exc:
        raise _unreadable_workbook() from exc
    finally:
        book.close()


def cell_text(value) -> str:
    """A spreadsheet cell as the text a form takes: dates as ISO 8601 (2026-03-01), times as
    14:30, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)


def column_problems(headers: tuple[str, ...], columns: tuple[Column, ...]) -> list[ValidationError]:
    """The required columns the header lacks (``import_columns_missing``) and the columns it
    has that this kind does not take (``import_columns_unknown``, so that a misspelt header is
    not silently ignored)."""
    known = {c.key for c in columns}
    problems = []
    missing = [c.key for c in columns if c.required and c.key not in headers]
    if missing:
        problems.append(
            ValidationError(
                _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)},
                code="import_columns_missing",
            )
        )
    unknown = [h for h in headers if h not in known]
    if unknown:
        problems.append(
            ValidationError(
                _("Columns not known: %(columns)s. The template lists the columns taken.")
                % {"columns": ", ".join(unknown)},
                code="import_columns_unknown",
            )
        )
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    if duplicated:
        problems.append(
            ValidationError(
                _("Columns given twice: %(columns)s.") % {"columns": ", ".join(duplicated)},
                code="import_columns_duplicated",
            )
        )
    return problems


YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


def yes_no(text: str) -> bool | None:
    """A yes/no cell: yes, true, 1 or x; no, false, 0 or empty. None for anything else."""
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday(text: str) -> int | None:
    """A day of the week, Monday 0 to Sunday 6, from ISO 8601's number (Monday 1 to Sunday 7)
    or an English name or its first three letters; None if it is neither."""
    value = text.strip().lower()
    if value.isdigit() and 1 <= int(value) <= 7:
        return int(value) - 1
    for number, name in enumerate(WEEKDAY_NAMES):
        if value in (name, name[:3]):
            return number
    return None
