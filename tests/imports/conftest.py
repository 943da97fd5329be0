"""Spreadsheets to import, as CSV and XLSX bytes."""

import io

import pytest
from openpyxl import Workbook


def csv_bytes(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for cells in rows:
        book.active.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def people_rows():
    return [
        [
            "full_name",
            "date_of_birth",
            "address",
            "city",
            "latitude",
            "longitude",
            "funding",
            "status",
            "since",
        ],
        [
            "Anna Rossi",
            "1938-04-02",
            "Via Zamboni 33",
            "Bologna",
            "44.496",
            "11.352",
            "private",
            "active",
            "2026-01-10",
        ],
        ["Bruno Neri", "", "Via Irnerio 5", "Bologna", "44.501", "11.346", "", "", "2026-01-12"],
    ]


@pytest.fixture
def carer_rows():
    return [
        [
            "email",
            "first_name",
            "last_name",
            "contract_kind",
            "weekly_hours",
            "hourly_rate",
            "contract_starts_on",
            "qualification",
            "skills",
            "obtained_on",
        ],
        [
            "lucia@example.org",
            "Lucia",
            "Bianchi",
            "permanent",
            "30",
            "12.50",
            "2026-01-01",
            "OSS",
            "personal_care, hoist",
            "2020-06-01",
        ],
        [
            "lucia@example.org",
            "Lucia",
            "Bianchi",
            "",
            "",
            "",
            "",
            "First aid",
            "first_aid",
            "2025-03-01",
        ],
        [
            "marco@example.org",
            "Marco",
            "Verdi",
            "permanent",
            "20",
            "12.50",
            "2026-02-01",
            "",
            "",
            "",
        ],
    ]
