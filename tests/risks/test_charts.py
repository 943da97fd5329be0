"""A person's charts: SVG with the dates in the reader's language."""

import base64
from datetime import date

from django.utils import translation

from coopcare.risks import charts


def svg(uri: str) -> str:
    return base64.b64decode(uri.removeprefix("data:image/svg+xml;base64,")).decode()


def test_nothing_to_draw_gives_no_chart():
    assert charts.lines_svg({"MUST": []}) == ""


def test_dates_in_the_readers_language_and_text_kept_as_text():
    series = {"STEADI": [(date(2026, 1, 10), 2), (date(2026, 6, 10), 5)]}
    with translation.override("fr"):
        french = svg(charts.lines_svg(series))
    with translation.override("ar"):
        arabic = svg(charts.lines_svg(series, rtl=True))
    assert "<text" in french and "STEADI" in french
    assert "janv." in french
    assert "يناير" in arabic
