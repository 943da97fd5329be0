"""Exported tables run no formula someone typed, in CSV or XLSX."""

import io
from dataclasses import dataclass

from openpyxl import load_workbook

from coopcare.impact.exports import csv_response, xlsx_response


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple
    rows: tuple


TYPED = '=HYPERLINK("https://evil.example","x")'


def test_a_csv_export_keeps_typed_formulas_as_text():
    response = csv_response(Table("t", ("name", "amount"), ((TYPED, -3),)), "t.csv")
    rows = response.content.decode().splitlines()
    assert rows[1] == '"\'=HYPERLINK(""https://evil.example"",""x"")",-3'


def test_an_xlsx_export_keeps_typed_formulas_as_text():
    response = xlsx_response([Table("t", ("name", "amount"), ((TYPED, -3),))], "t.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "'" + TYPED
    assert sheet["B2"].value == -3
