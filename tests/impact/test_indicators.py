"""Each indicator on a small cooperative whose figures can be counted by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopcare.accounts.models import Gender, Profile
from coopcare.care.models import Assessment
from coopcare.impact.indicators import (
    INDICATORS,
    care_hours,
    care_hours_by_month,
    compute,
    sharing,
)
from coopcare.visits.models import VisitStatus
from coopcare.work.models import ContractKind, Training
from tests import factories
from tests.work.conftest import contract, planned, worked

START, END = date(2026, 3, 1), date(2026, 3, 31)


@pytest.fixture
def figures(coop, carer, people):
    """Two people (one 85, one 40); three visits done (one begun 20 min late), one missed;
    two workers (one permanent, one fixed-term who left mid-month)."""
    near, far = people
    near.date_of_birth, far.date_of_birth = date(1941, 1, 1), date(1986, 6, 1)
    near.save(), far.save()
    contract(coop, carer, starts_on=date(2025, 1, 1), hourly_rate=Decimal("12.00"))
    other = factories.user_with_role(coop, "carer", username="leo")
    contract(
        coop,
        other,
        starts_on=date(2026, 1, 1),
        kind=ContractKind.FIXED_TERM,
        ends_on=date(2026, 3, 15),
        hourly_rate=Decimal("10.00"),
    )
    worked(carer, near, date(2026, 3, 2), 9, 10)
    worked(carer, near, date(2026, 3, 3), 9, 9.5)
    worked(carer, far, date(2026, 3, 4), 11, 12, late_minutes=20)
    planned(carer, far, date(2026, 3, 5), 11, 12, status=VisitStatus.MISSED)
    Assessment.objects.create(person=near, on=date(2026, 2, 1), domain="physical", assessor=carer)
    Training.objects.create(
        cooperative=coop, carer=carer, course="Moving and handling", on=date(2026, 3, 10), hours=8
    )
    return {indicator.key: figure for indicator, figure in compute(coop, START, END)}


def test_care_figures(figures):
    # 60 + 30 + (60 - 20) minutes of recorded care.
    assert figures["care_hours"].value == Decimal("2.2")
    people = figures["people_cared_for"]
    assert people.value == 2 and people.parts == [("18–64", 1), ("80 and over", 1)]
    assert figures["people_by_need"].value == 1 and figures["people_by_need"].parts == [
        ("physical", 1)
    ]
    visits = figures["visits"]
    assert visits.value == 3
    assert ("missed", 1) in visits.parts and ("begun more than 15 minutes late", 1) in visits.parts
    # Nobody had visited them before March: at each home the first visit is by a new carer,
    # the next by a known one (the missed visit had its carer too): 2 of 4.
    assert figures["continuity"].value == Decimal("50.0")


def test_funding_is_its_own_breakdown(figures):
    assert figures["people_by_funding"].value == 2
    assert figures["people_by_funding"].parts == [("public body", 2)]


def test_gender_and_hours_wanted_come_from_what_workers_said(coop, carer):
    """Gender and wished hours are self-declared on the account (accounts.Profile)."""
    contract(coop, carer, starts_on=date(2025, 1, 1), weekly_hours=Decimal(20))
    other = factories.user_with_role(coop, "carer", username="leo")
    contract(coop, other, starts_on=date(2025, 1, 1), weekly_hours=Decimal(30))
    Profile.objects.create(user=carer, gender=Gender.WOMAN, desired_weekly_hours=30)
    Profile.objects.create(user=other, desired_weekly_hours=30)
    figures = {i.key: f for i, f in compute(coop, START, END)}
    gender = figures["workforce_by_gender"]
    assert gender.value == 2 and gender.parts == [("woman", 1), ("prefer not to say", 1)]
    wanting = figures["underemployment"]
    assert wanting.value == Decimal("50.0") and wanting.base == 2
    assert ("hours a week short, on average", Decimal("10.0")) in wanting.parts


def test_work_figures(figures):
    assert figures["workforce"].value == 1 and figures["workforce"].parts == [("permanent", 1)]
    assert figures["permanent_share"].value == Decimal("100.0")
    assert figures["turnover"].value == Decimal("50.0")  # 1 of the 2 under contract on 1 March
    assert figures["training_hours"].value == Decimal("8.0")
    assert figures["median_true_hourly_pay"].value is None  # no pay run in the period
    assert figures["pay_ratio"].value == Decimal("1.00")  # one contract left on 31 March


def test_cooperative_figures(coop, worker_class, figures):
    assert figures["members"].value == 0
    assert figures["assembly_participation"].value is None  # no assembly held
    assert figures["share_capital"].value == Decimal("0.00")


def test_every_indicator_says_what_it_counts_and_where_from():
    keys = [indicator.key for indicator in INDICATORS]
    assert len(keys) == len(set(keys))
    for indicator in INDICATORS:
        assert str(indicator.title) and str(indicator.formula) and str(indicator.source)


def test_the_pages_and_the_csv(client, coop, coordinator, figures):
    factories.log_in(client, coordinator)
    page = client.get("/c/cura/impact/", {"starts_on": START, "ends_on": END})
    assert page.status_code == 200 and "Hours of care delivered" in page.content.decode()
    rows = client.get("/c/cura/impact/indicators.csv", {"starts_on": START, "ends_on": END})
    lines = rows.content.decode().splitlines()
    assert lines[0] == "indicator,part,value,unit,start,end"
    assert "care_hours,,2.2,hours,2026-03-01,2026-03-31" in lines
    bad = client.get("/c/cura/impact/", {"starts_on": END, "ends_on": START})
    assert "The period ends before it starts." in bad.content.decode()
    year_so_far = client.get("/c/cura/impact/").content.decode()
    assert f'name="starts_on" value="{timezone.localdate().year}-01-01"' in year_so_far
    definitions = client.get("/c/cura/impact/definitions/").content.decode()
    assert "check-out − check-in" in definitions


def test_the_hours_of_care_and_their_months_are_read_once_and_add_up(coop, carer, people):
    """The social report shows both: one query gives them, and the months add up to the hours
    (60 min in March, 90 in April, the first quarter's months from January)."""
    near, far = people
    worked(carer, near, date(2026, 3, 2), 9, 10)
    worked(carer, far, date(2026, 4, 7), 9, 10.5)
    start, end = date(2026, 1, 1), date(2026, 4, 30)
    with sharing(), CaptureQueriesContext(connection) as queries:
        total = care_hours(coop, start, end).value
        months = care_hours_by_month(coop, start, end)
    assert len(queries) == 1
    assert months == [
        (date(2026, 1, 1), Decimal("0.0")),
        (date(2026, 2, 1), Decimal("0.0")),
        (date(2026, 3, 1), Decimal("1.0")),
        (date(2026, 4, 1), Decimal("1.5")),
    ]
    assert total == Decimal("2.5") == sum(hours for _month, hours in months)
    # Read alone, outside a report, each reads afresh and gives the same.
    assert care_hours(coop, start, end).value == total
    assert care_hours_by_month(coop, start, end) == months
