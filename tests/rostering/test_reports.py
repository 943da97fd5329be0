"""The roster's figures: continuity of care per person, by the one definition of a known
carer that the impact indicator uses too."""

from datetime import date, timedelta

from coopcare.impact.indicators import continuity_of_care
from coopcare.rostering import reports
from coopcare.visits.models import KNOWN_WEEKS, VisitStatus
from tests.work.conftest import planned

WEEK = date(2026, 11, 2)  # a Monday


def test_a_carer_is_known_after_a_visit_in_the_weeks_before(coop, ana, ben, people):
    rosa = people[0]
    planned(ana, rosa, WEEK - timedelta(weeks=KNOWN_WEEKS) + timedelta(days=2), 8, 9)
    planned(ben, rosa, WEEK - timedelta(weeks=KNOWN_WEEKS) - timedelta(days=1), 8, 9)
    planned(ana, rosa, WEEK, 8, 9, status=VisitStatus.CANCELLED)  # as if it never was
    planned(ana, rosa, WEEK + timedelta(days=1), 8, 9)  # known: seen 8 weeks less a day before
    planned(ben, rosa, WEEK + timedelta(days=2), 8, 9)  # new: last seen more than 8 weeks before
    planned(ben, rosa, WEEK + timedelta(days=3), 8, 9)  # known: seen the day before
    visit = planned(ana, rosa, WEEK + timedelta(days=4), 8, 9)
    visit.carers.clear()  # no carer: not counted either way

    [row] = reports.continuity(coop, WEEK, WEEK + timedelta(days=6))
    assert (row.person, row.visits, row.by_known, row.carers, row.without_carer) == (
        rosa,
        3,
        2,
        2,
        1,
    )
    figure = continuity_of_care(coop, WEEK, WEEK + timedelta(days=6))
    assert figure.base == row.visits and round(figure.value) == row.share == 67
