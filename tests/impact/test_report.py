"""The annual social report: the page with charts, the PDF, and its tables as CSV and XLSX,
in each of the five languages."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from coopcare.accounts.models import Profile
from coopcare.impact.report import build
from tests import factories
from tests.impact.test_indicators import figures  # noqa: F401 - a month with known figures

YEAR = 2026


@pytest.fixture
def reader(client, coop, coordinator):
    factories.log_in(client, coordinator)
    return client


def test_the_report_has_a_section_per_area_with_charts(coop, figures):  # noqa: F811
    report = build(coop, YEAR, today=date(2026, 3, 31))
    assert [s.title for s in report.sections] == ["Care", "Decent work", "The cooperative"]
    care = report.sections[0]
    keys = [chart.key for chart in care.charts]
    assert keys[0] == "care_hours_by_month" and "people_cared_for" in keys
    # March holds the 2.2 hours of recorded care; the year is cut at "today".
    assert report.by_month[2] == (date(2026, 3, 1), Decimal("2.2"))
    assert len(report.by_month) == 3
    svg = care.charts[1].svg()
    assert svg.startswith("<?xml") and "<text" in svg  # labels stay text, for the browser


@pytest.mark.parametrize("language", ["en", "fr", "it", "es", "ar"])
def test_the_page_and_pdf_in_each_language(reader, coordinator, figures, language):  # noqa: F811
    Profile.objects.create(user=coordinator, language=language)
    page = reader.get(f"/c/cura/impact/report/{YEAR}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'lang="{language}"' in html and ('dir="rtl"' in html) == (language == "ar")
    assert html.count('<img src="data:image/svg+xml;base64,') >= 3
    pdf = reader.get(f"/c/cura/impact/report/{YEAR}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    document = PdfReader(io.BytesIO(pdf.content))
    assert len(document.pages) >= 2
    assert document.metadata.author == "Cura Insieme"


def test_pdf_text_is_in_the_readers_language(reader, coordinator, figures):  # noqa: F811
    Profile.objects.create(user=coordinator, language="it")
    pdf = reader.get(f"/c/cura/impact/report/{YEAR}/report.pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Bilancio sociale 2026" in text


def test_every_table_as_csv_and_as_one_workbook(reader, coop, figures):  # noqa: F811
    # The coordinator sees billing, so the money figures too.
    tables = build(coop, YEAR, today=date(2026, 3, 31), billing=True).tables()
    for table in tables:
        response = reader.get(f"/c/cura/impact/report/{YEAR}/{table.key}.csv")
        assert response.status_code == 200
        assert response.content.decode().splitlines()[0] == ",".join(table.columns)
    visits = reader.get(f"/c/cura/impact/report/{YEAR}/visits.csv").content.decode()
    assert "missed,1" in visits.splitlines()
    book = load_workbook(
        io.BytesIO(reader.get(f"/c/cura/impact/report/{YEAR}/tables.xlsx").content)
    )
    assert len(book.sheetnames) == len(tables)
    indicators = book[book.sheetnames[0]]
    care_hours = next(
        r for r in indicators.iter_rows(values_only=True) if r[1] == "Hours of care delivered"
    )
    assert care_hours[2] == pytest.approx(2.2)  # a number, not text, so it can be summed
    assert reader.get(f"/c/cura/impact/report/{YEAR}/nothing.csv").status_code == 404


def test_who_reads_the_report(client, coop, figures):  # noqa: F811
    member = factories.user_with_role(coop, "member", username="mara")
    factories.log_in(client, member)
    assert client.get(f"/c/cura/impact/report/{YEAR}/").status_code == 200
    carer_only = factories.user_with_role(coop, "carer", username="nina")
    factories.log_in(client, carer_only)
    assert client.get(f"/c/cura/impact/report/{YEAR}/").status_code == 403
    assert client.get("/c/cura/impact/report/1999/").status_code == 403
    factories.log_in(client, member)
    assert client.get("/c/cura/impact/report/1999/").status_code == 404
    assert client.get("/c/cura/impact/report/2099/").status_code == 404
