"""Working-time breaches, past and planned (``work.queries.working_time_breaches``)."""

from datetime import date, timedelta

import pytest

from coopcare.rostering.models import Absence, AbsenceKind
from coopcare.work import queries
from coopcare.work.services import timesheets
from tests.work.conftest import planned, worked

# -- working time -------------------------------------------------------------------------


def test_planned_visits_are_checked_against_working_time(coop, carer, people):
    near, _far = people
    # Twelve hours of visits with five minutes between them: no break after six hours (the
    # cooperative is in Italy, where ten minutes would do: D.Lgs. 66/2003 art. 8).
    for hour in range(7, 19):
        planned(carer, near, date(2026, 11, 30), hour, hour + 55 / 60)
    found = queries.working_time_breaches(coop, date(2026, 11, 23), date(2026, 12, 6))
    assert [b.rule for b in found[carer]] == ["break"]


def test_night_work_is_checked_in_real_hours_on_change_nights(coop, carer, people):
    # Art. 8(a): a night worker works at most 8 hours in 24. The autumn night of 22:00-06:00
    # is 9 hours; the spring night of 22:00-07:00 is 8 hours, whatever the clock says.
    worked(carer, people[0], date(2026, 10, 24), 22, 30)
    worked(carer, people[0], date(2026, 3, 28), 22, 31)
    timesheets.build_timesheets(coop, date(2026, 3, 28), date(2026, 10, 24))
    autumn = queries.working_time_breaches(coop, date(2026, 10, 19), date(2026, 10, 25))[carer]
    assert "night" in [b.rule for b in autumn]
    spring = queries.working_time_breaches(coop, date(2026, 3, 23), date(2026, 3, 29)).get(
        carer, []
    )
    assert "night" not in [b.rule for b in spring]


def test_planned_night_visits_are_checked_in_real_hours(coop, carer, people):
    planned(carer, people[0], date(2026, 10, 24), 22, 30)
    found = queries.working_time_breaches(coop, date(2026, 10, 19), date(2026, 10, 25))[carer]
    assert "night" in [b.rule for b in found]


# -- average week: leave and sickness are neutral ---------------------------------------------


def busy_fortnight(carer, person, first: date, third: date):
    """Six ten-hour days (60 h) in the week of ``first``, five (50 h) in that of ``third``."""
    for day, count in ((first, 6), (third, 5)):
        for n in range(count):
            planned(carer, person, day + timedelta(days=n), 8, 13)
            planned(carer, person, day + timedelta(days=n), 14, 19)


@pytest.mark.parametrize("kind", [AbsenceKind.LEAVE, AbsenceKind.SICKNESS])
def test_leave_and_sickness_are_neutral_in_the_average_week(coop, carer, people, kind):
    # Art. 16(b): "periods of paid annual leave ... and periods of sick leave shall not be
    # included or shall be neutral in the calculation of the average". 60 h, a week away,
    # 50 h: the third week averages 55 h over the two weeks worked.
    busy_fortnight(carer, people[0], date(2026, 11, 2), date(2026, 11, 16))
    Absence.objects.create(
        cooperative=coop,
        carer=carer,
        kind=kind,
        first_day=date(2026, 11, 9),
        last_day=date(2026, 11, 15),
    )
    found = queries.working_time_breaches(coop, date(2026, 11, 16), date(2026, 11, 22))[carer]
    average = [b for b in found if b.rule == "average_week"]
    assert len(average) == 1 and "Average week of 55 hr over" in average[0].detail


def test_other_days_away_count_as_days_without_work(coop, carer, people):
    # Training is not among the periods art. 16(b) makes neutral: (60 + 0 + 50) / 3 = 36.7 h.
    busy_fortnight(carer, people[0], date(2026, 11, 2), date(2026, 11, 16))
    Absence.objects.create(
        cooperative=coop,
        carer=carer,
        kind=AbsenceKind.TRAINING,
        first_day=date(2026, 11, 9),
        last_day=date(2026, 11, 15),
    )
    found = queries.working_time_breaches(coop, date(2026, 11, 16), date(2026, 11, 22)).get(
        carer, []
    )
    assert "average_week" not in [b.rule for b in found]


# -- weekly rest ----------------------------------------------------------------------------


def test_the_cooperatives_rules_take_the_countrys_weekly_rest_period(coop, carer, people):
    # D.Lgs. 66/2003 art. 9(1): in Italy the weekly rest is averaged over 14 days. Twelve
    # mornings from Monday 2 November, then Saturday and Sunday off: lawful in Italy.
    assert queries.work_rules_of(coop).weekly_rest_reference_days == 14
    for n in range(12):
        planned(carer, people[0], date(2026, 11, 2) + timedelta(days=n), 8, 13)
    planned(carer, people[0], date(2026, 11, 16), 8, 13)
    assert queries.working_time_breaches(coop, date(2026, 11, 2), date(2026, 11, 22)) == {}
    # Where the board keeps the Directive's 7 days, the week of 2-8 November had no rest.
    rules = queries.work_rules_of(coop)
    rules.weekly_rest_reference_days = 7
    rules.save()
    found = queries.working_time_breaches(coop, date(2026, 11, 2), date(2026, 11, 22))[carer]
    assert [b.rule for b in found] == ["weekly_rest"]
