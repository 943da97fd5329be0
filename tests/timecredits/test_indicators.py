"""Informal care in the indicators, the social report and the federation view: only for the
cooperatives that exchange time credits, and never in the hours of care."""

from datetime import date
from decimal import Decimal

import pytest

from coopcare.impact import report
from coopcare.impact.federation import figures
from coopcare.impact.indicators import compute
from coopcare.timecredits import services
from coopcare.timecredits.models import EntryKind
from tests import factories

pytestmark = pytest.mark.django_db
START, END = date(2026, 1, 1), date(2026, 12, 31)


def test_informal_hours_and_the_members_giving_and_receiving(coop, anna, bruno, supporter_class):
    carlo = factories.admitted_member(supporter_class, full_name="Carlo Neri")
    factories.time_exchange(anna, bruno, hours=Decimal("1.5"))
    factories.time_exchange(anna, carlo, hours=Decimal(2))
    reversed_ = factories.time_exchange(bruno, carlo, hours=Decimal(4))
    services.reverse(reversed_.entries.get(kind=EntryKind.GIVEN), "Never happened")
    # Outside the period.
    factories.time_exchange(carlo, anna, hours=Decimal(1), done_on=date(2025, 12, 31))
    values = {i.key: f.value for i, f in compute(coop, START, END)}
    assert values["informal_hours"] == Decimal("3.5")
    assert values["members_giving"] == 1
    assert values["members_receiving"] == 2
    assert values["care_hours"] == 0


def test_the_social_report_has_informal_care_only_where_time_credits_are_exchanged(
    coop, anna, bruno
):
    factories.time_exchange(anna, bruno)
    built = report.build(coop, 2026, date(2026, 12, 6))
    informal = next(s for s in built.sections if s.title == "Informal care")
    assert [(i.key, f.value) for i, f in informal.rows] == [
        ("informal_hours", Decimal("1.5")),
        ("members_giving", 1),
        ("members_receiving", 1),
    ]
    coop.runs_time_credits = False
    coop.save()
    built = report.build(coop, 2026, date(2026, 12, 6))
    assert "Informal care" not in [s.title for s in built.sections]
    assert "informal_hours" not in [i.key for i, _f in compute(coop, START, END)]


def test_the_federation_adds_up_the_cooperatives_that_exchange_time_credits(coop, anna, bruno):
    federation = factories.FederationFactory()
    other = factories.CooperativeFactory(federation=federation, name="Borgo")
    coop.federation = federation
    coop.save()
    factories.time_exchange(anna, bruno, hours=Decimal(3))
    rows = {r.indicator.key: r for r in figures(federation, START, END).rows if not r.is_part}
    assert rows["informal_hours"].total == Decimal(3)
    names = [c.name for c in figures(federation, START, END).cooperatives]
    by_name = dict(zip(names, rows["informal_hours"].cells(), strict=True))
    # Borgo does not exchange time credits: no value of its own ("—"), as for every form.
    assert by_name == {coop.name: (Decimal(3), True), other.name: (None, False)}
    # Two members is a count too small to show.
    assert rows["members_giving"].held_back
