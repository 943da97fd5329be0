"""The template file of each kind of import, in CSV and XLSX: the header row of column keys."""

from dataclasses import dataclass

from django.http import HttpResponse

from coopcare.impact.exports import csv_response, xlsx_response
from coopcare.imports.services.common import Kind


@dataclass(frozen=True)
class _Header:
    """A table with the kind's column keys and no rows, as the export functions take it."""

    title: str
    columns: tuple[str, ...]
    rows: tuple = ()


def template_response(kind: Kind, file_format: str) -> HttpResponse:
    """The template of ``kind`` as ``csv`` or ``xlsx``, for download. Its headers are the
    stable keys, not the translated labels, so that the file imports in any language."""
    header = _Header(kind.key, tuple(c.key for c in kind.columns))
    filename = f"coopcare-{kind.key}.{file_format}"
    if file_format == "xlsx":
        return xlsx_response([header], filename)
    return csv_response(header, filename)
