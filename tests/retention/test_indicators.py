"""Anonymised indicators survive erasure: the impact figures of a past year are the same
before and after retention anonymises the people cared for in it (the rows stay; only who
they were goes, and the month and year of birth keep the age groups)."""

from datetime import date

import pytest

from coopcare.impact.indicators import compute
from coopcare.retention import services
from coopcare.retention.rules import Kind
from tests.retention.conftest import TODAY

pytestmark = pytest.mark.django_db


def _figures(coop, year: int):
    return {ind.key: fig for ind, fig in compute(coop, date(year, 1, 1), date(year, 12, 31))}


def test_past_years_figures_do_not_change_when_people_are_anonymised(coop, coordinator, past):
    free, _held = past
    before = _figures(coop, 2016)
    assert before["people_cared_for"].value == 2

    services.erase_person(free, by=coordinator, reason="Asked by the family.")
    report = services.run_retention(coop, today=TODAY)
    assert report.counts[Kind.VISIT_RECORDS]["held"] == 1  # the other person stays held

    assert _figures(coop, 2016) == before
