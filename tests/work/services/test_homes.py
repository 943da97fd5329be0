"""The home place a carer gives: journeys from and to it are working time (CJEU C-266/14 Tyco)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.work import queries
from coopcare.work.models import (
    CarerHome,
    Timesheet,
)
from coopcare.work.services import homes, pay, timesheets
from tests import factories
from tests.work.conftest import contract, home, local, planned, worked

TUESDAY = date(2026, 11, 3)


# -- travel from and to home (CJEU C-266/14 Tyco) -------------------------------------------


def test_journeys_from_home_and_back_are_working_time_and_paid(coop, carer, coordinator, people):
    # C-266/14 Tyco, ruling: for workers with no fixed or habitual place of work, "the time
    # spent by those workers travelling each day between their homes and the premises of the
    # first and last customers designated by their employer constitutes 'working time'".
    near, far = people
    contract(coop, carer, hourly_rate=Decimal("12.00"))
    home(coop, carer)
    worked(carer, near, TUESDAY, 8, 9)
    worked(carer, far, TUESDAY, 9.5, 10.5)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    entries = list(Timesheet.objects.get(carer=carer).entries.all())
    assert [e.kind for e in entries] == ["travel", "visit", "travel", "waiting", "visit", "travel"]
    to_first, back = entries[0], entries[-1]
    # Estimated as travel between homes is: straight line x 1.3 at 25 km/h by car.
    assert to_first.ends_at == local(TUESDAY, 8) and 1 <= to_first.minutes <= 6
    assert back.starts_at == local(TUESDAY, 10.5) and back.minutes > to_first.minutes
    assert to_first.km > 0 and back.km > to_first.km
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    slip = pay.run_pay(coop, TUESDAY, TUESDAY, coordinator).payslips.get()
    travel = sum(e.minutes for e in entries if e.kind == "travel")
    assert slip.travel_minutes == travel
    paid = slip.visit_minutes + slip.travel_minutes + slip.waiting_minutes
    assert slip.basic_pay == (Decimal(paid) / 60 * Decimal("12.00")).quantize(Decimal("0.01"))
    assert slip.km == sum(e.km for e in entries)
    # The journeys count as working time in the checks too.
    intervals = queries.worked_intervals(coop, carer, TUESDAY, TUESDAY)
    assert min(a for a, _b in intervals) == to_first.starts_at


def test_without_a_home_place_the_day_starts_at_the_first_visit(coop, carer, people):
    worked(carer, people[0], TUESDAY, 8, 9)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    assert [e.kind for e in Timesheet.objects.get().entries.all()] == ["visit"]


def test_planned_days_count_the_journeys_from_and_to_home(coop, carer, people):
    home(coop, carer)
    visit = planned(carer, people[0], date(2026, 11, 30), 8, 9)
    intervals = queries.worked_intervals(coop, carer, date(2026, 11, 30), date(2026, 11, 30))
    assert len(intervals) == 3
    assert min(a for a, _b in intervals) < visit.starts_at
    assert max(b for _a, b in intervals) > visit.ends_at


def test_only_the_cooperatives_workers_give_a_home_place_and_they_can_take_it_back(coop, carer):
    with pytest.raises(ValidationError, match="does not work for this cooperative"):
        home(coop, factories.UserFactory())
    with pytest.raises(ValidationError):
        home(coop, carer, latitude="95")
    home(coop, carer)
    home(coop, carer, latitude="44.5000")  # a change, not a second place
    assert CarerHome.objects.get().latitude == Decimal("44.5000")
    assert homes.forget_home(coop, carer)
    assert not CarerHome.objects.exists()
