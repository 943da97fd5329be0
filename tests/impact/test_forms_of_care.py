"""The figures of each form of care beside home care (a childcare centre, households that employ
a carer, family caregivers), shown only for a cooperative that runs it: on its pages, in its
social report and in its federation's view."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from coopcare.childcare import services as childcare
from coopcare.childcare.models import AuthorisedAdult
from coopcare.cooperatives.models import FederationAnalyst
from coopcare.household import services as household
from coopcare.impact import indicators
from coopcare.impact.federation import figures
from coopcare.impact.report import build
from tests import factories
from tests.childcare.conftest import centre  # noqa: F401 - a centre in England
from tests.household.conftest import carer as household_carer  # noqa: F401
from tests.household.conftest import contract, employer, madrid, visits_in_march  # noqa: F401
from tests.household.conftest import person as household_person  # noqa: F401

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
MONDAY, TUESDAY, WEDNESDAY = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)


def at(day: date, hour: int):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def stay(worker, child, day: date, arrives: int, leaves: int | None):
    """``child`` signed in at ``arrives`` o'clock by an adult on their list, and out at
    ``leaves`` (if given)."""
    adult = AuthorisedAdult.objects.filter(child=child).first()
    childcare.sign_in(child, adult=adult, by=worker, at=at(day, arrives))
    if leaves is not None:
        childcare.sign_out(child, adult=adult, by=worker, at=at(day, leaves))


@pytest.fixture
def week(centre):  # noqa: F811
    """Amira (9 months old, babies' room, 1 adult to 3 under two) comes Monday to Wednesday,
    8:00 to 16:00; Leo (two, twos' room, 1 adult to 5) Monday and Wednesday, 8:00 to 12:00,
    and on Wednesday he is not signed out. On Monday a worker is in the babies' room from
    9:00 to 17:00 and another in the twos' room from 8:00 to 12:00."""
    for day in (MONDAY, TUESDAY, WEDNESDAY):
        stay(centre.worker, centre.amira, day, 8, 16)
    stay(centre.worker, centre.leo, MONDAY, 8, 12)
    stay(centre.worker, centre.leo, WEDNESDAY, 8, None)
    childcare.roster(
        centre.babies, worker=centre.worker, starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 17)
    )
    childcare.roster(
        centre.twos, worker=centre.other_worker, starts_at=at(MONDAY, 8), ends_at=at(MONDAY, 12)
    )
    return centre


def test_children_enrolled_by_age_in_months(centre):  # noqa: F811
    """On 31 March 2026 Amira, born 1 June 2025, is 9 months old and Leo, born 10 March 2024,
    24: one child in each band. A child who left before that day is not counted."""
    childcare.enrol(
        centre.coop,
        full_name="Noor Ali",
        born_on=date(2023, 1, 1),
        enrolled_on=date(2025, 9, 1),
        leaves_on=date(2026, 2, 28),
    )
    enrolled = indicators.children_enrolled(centre.coop, *MARCH)
    assert enrolled.value == 2
    assert list(enrolled.parts) == [("0–11", 1), ("24–35", 1)]


def test_attendance_rate_is_days_attended_over_days_expected(week):
    """The centre was open Monday to Wednesday (it signed children in those days): each of the
    two children enrolled is expected 3 days, 6 in all; Amira came 3, Leo 2: 5 ÷ 6 = 83.3 %."""
    rate = indicators.attendance_rate(week.coop, *MARCH)
    assert rate.value == Decimal("83.3")
    assert rate.ratio == (Decimal(5), Decimal(6))
    assert rate.base == 2


def test_ratio_compliance_is_the_share_of_room_time_with_the_staff_the_ratios_ask(week):
    """Monday: Amira is alone with no adult from 8:00 to 9:00 (she needs one: 1 ÷ 3 rounded
    up), then with the worker until 16:00; Leo has a worker all morning. Of 8 + 4 = 12 hours
    with a child in a room, 11 had the staff: 91.7 %. Tuesday and Wednesday Amira has no
    adult at all: 8 more hours, none compliant; Leo's Wednesday has no sign-out and is left
    out. 11 ÷ 28 = 39.3 %."""
    monday = indicators.ratio_compliance(week.coop, MONDAY, MONDAY)
    assert monday.value == Decimal("91.7")
    assert monday.parts == [("hours", Decimal("12.0"))]
    week_figure = indicators.ratio_compliance(week.coop, *MARCH)
    assert week_figure.value == Decimal("39.3")
    assert week_figure.base == 2


def test_households_and_their_payslips(madrid, household_person, household_carer):  # noqa: F811
    """One household with a contract from January 2025, another whose contract ended in
    2024; one payslip made for March 2025."""
    job = contract(employer(madrid, household_person), household_carer)
    past = employer(madrid, household_person, name="Ana Ruiz")
    contract(past, household_carer, starts_on=date(2024, 1, 1), ends_on=date(2024, 6, 30))
    visits_in_march(household_carer, household_person)
    household.make_payslip(job, date(2025, 3, 1))
    first_quarter = (date(2025, 1, 1), date(2025, 3, 31))
    assert indicators.households_supported(madrid, *first_quarter).value == 1
    assert indicators.household_payslips(madrid, *first_quarter).value == 1
    assert indicators.household_payslips(madrid, date(2025, 4, 1), date(2025, 4, 30)).value == 0


def test_each_forms_figures_only_where_it_runs(week):
    keys = {i.key for i, _f in indicators.compute(week.coop, *MARCH)}
    assert {"children_enrolled", "attendance_rate", "ratio_compliance"} <= keys
    assert not keys & {"caregivers_supported", "households_supported", "household_payslips"}
    other = factories.CooperativeFactory()
    other_keys = {i.key for i, _f in indicators.compute(other, *MARCH)}
    assert not other_keys & {"children_enrolled", "caregivers_supported", "households_supported"}
    # The areas come in one order, each form of care its own.
    areas = [i.area for i in indicators.INDICATORS]
    assert sorted(areas, key=indicators.AREAS.index) == areas


def test_the_report_has_a_section_for_the_childcare_centre(week):
    report = build(week.coop, 2026, date(2026, 12, 31))
    titles = [section.title for section in report.sections]
    assert "Childcare" in titles and "Family caregivers" not in titles
    table = report.table("indicators")
    assert table is not None
    assert ["Childcare", "Children enrolled", 2, "children"] in table.rows
    [section] = [s for s in report.sections if s.title == "Childcare"]
    assert [chart.key for chart in section.charts] == ["children_enrolled"]


def test_the_impact_page_shows_the_centres_figures(client, week):
    factories.log_in(client, week.coordinator)
    page = client.get(
        f"/c/{week.coop.slug}/impact/?starts_on=2026-03-01&ends_on=2026-03-31"
    ).content.decode()
    assert "Children enrolled" in page and "83.3" in page
    assert "Family caregivers supported" not in page


@pytest.fixture
def federation(week):
    """The centre and a home-care cooperative, in one federation."""
    federation = factories.FederationFactory()
    week.coop.federation = federation
    week.coop.save()
    factories.CooperativeFactory(federation=federation, name="Zeta")
    return federation


def test_the_federation_sums_a_form_over_the_cooperatives_that_run_it(client, federation, week):
    result = figures(federation, *MARCH)
    [centre_column, zeta_column] = (0, 1)
    assert [c.slug for c in result.cooperatives][centre_column] == week.coop.slug
    rate = next(r for r in result.rows if r.indicator.key == "attendance_rate")
    # Pooled: 5 ÷ 6 days; but 2 children are too few, so it is held back.
    assert rate.held_back and rate.total is None
    assert rate.cells()[zeta_column] == (None, False)
    # Two children: too few to show, in the centre's column and in the federation's total.
    children = next(r for r in result.rows if r.indicator.key == "children_enrolled")
    assert children.cells() == [(None, True), (None, False)] and children.held_back
    assert not any(r.indicator.key == "caregivers_supported" for r in result.rows)
    zeta = result.cooperatives[zeta_column]
    assert not any(row.indicator.form for row, _value in result.compared(zeta))
    analyst = factories.UserFactory()
    FederationAnalyst.objects.create(user=analyst, federation=federation)
    factories.log_in(client, analyst)
    page = client.get(f"/f/{federation.slug}/?period=2026-Q1").content.decode()
    assert "Children enrolled" in page


def test_a_carer_of_a_centre_does_not_read_its_figures(client, week):
    factories.log_in(client, week.worker)
    assert client.get(f"/c/{week.coop.slug}/impact/").status_code == 403


def test_the_reports_pdf_and_tables_carry_the_centres_section(client, week):
    factories.log_in(client, week.coordinator)
    base = f"/c/{week.coop.slug}/impact/report/2026"
    pdf = client.get(f"{base}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    table = client.get(f"{base}/children_enrolled.csv").content.decode()
    # The report of 2026 runs to today or to its last day: Amira is 18 or 19 months old, Leo
    # 32 or 33.
    assert table.splitlines()[1:] == ["12–23,1", "24–35,1"]
