"""Reading spreadsheets: delimiters, byte order marks, XLSX cells, limits, column checks."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from coopcare.imports import rules
from tests.imports.conftest import csv_bytes, xlsx_bytes

COLUMNS = (rules.Column("a", "A", required=True), rules.Column("b", "B"))


@pytest.mark.parametrize(
    ("delimiter", "bom", "cells"),
    [(",", False, {"a": "1", "b": "5"}), (";", True, {"a": "1,5", "b": "x"})],
)
def test_csv_with_either_delimiter_and_with_or_without_bom(delimiter, bom, cells):
    content = csv_bytes([["A ", "b"], ["1,5", "x"], ["", ""]], delimiter, bom)
    table = rules.read_table("x.csv", content)
    assert table.headers == ("a", "b")
    # The empty row is skipped; a comma-separated file splits "1,5" in two.
    assert table.rows == ((2, cells),)


def test_xlsx_cells_become_the_text_forms_take():
    content = xlsx_bytes([["a", "b", "c", "d"], [date(2026, 3, 1), time(14, 30), 3.0, 2.5]])
    table = rules.read_table("x.xlsx", content)
    assert table.rows[0][1] == {"a": "2026-03-01", "b": "14:30", "c": "3", "d": "2.5"}
    assert rules.cell_text(datetime(2026, 3, 1)) == "2026-03-01"


def test_too_many_rows_and_too_large():
    rows = [["a"]] + [["x"]] * (rules.MAX_ROWS + 1)
    with pytest.raises(ValidationError, match="more than"):
        rules.read_table("x.csv", csv_bytes(rows))
    with pytest.raises(ValidationError, match="larger than"):
        rules.read_table("x.csv", b"a\n" + b"x" * rules.MAX_BYTES)


def test_empty_lines_do_not_count_but_rows_past_the_limit_are_never_dropped():
    rows = [["a"]] + [["x"], [""]] * (rules.MAX_ROWS // 2)
    assert len(rules.read_table("x.csv", csv_bytes(rows)).rows) == rules.MAX_ROWS // 2
    with pytest.raises(ValidationError, match="more than"):
        rules.read_table("x.csv", csv_bytes(rows + [["x"]] * (rules.MAX_ROWS // 2 + 1)))
    with pytest.raises(ValidationError, match="more than"):
        rules.read_table("x.csv", csv_bytes([["a"]] + [[""]] * rules.MAX_LINES_READ))


def test_column_problems_name_missing_unknown_and_repeated_columns():
    codes = [p.code for p in rules.column_problems(("b", "c", "c"), COLUMNS)]
    assert codes == [
        "import_columns_missing",
        "import_columns_unknown",
        "import_columns_duplicated",
    ]
    assert rules.column_problems(("a",), COLUMNS) == []


def test_weekdays_and_yes_no():
    assert [rules.weekday(t) for t in ("1", "7", "Mon", "sunday", "8", "monkey")] == [
        0,
        6,
        0,
        6,
        None,
        None,
    ]
    assert [rules.yes_no(t) for t in ("Yes", "0", "", "maybe")] == [True, False, False, None]
