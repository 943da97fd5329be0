"""The demo's childcare centre gives its impact page and its federation's view sensible
figures: about forty children of every age band, most days attended, rooms mostly within
their ratios."""

import random
from datetime import date, timedelta

import pytest

from coopcare.cooperatives.models import Federation
from coopcare.demo.childcare import ChildcareSeeder
from coopcare.demo.seed import Seeder
from coopcare.impact import indicators
from coopcare.impact.federation import figures

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)


def test_the_demo_centres_figures():
    federation = Federation.objects.create(name="F", slug="f")
    rng = random.Random(1)  # noqa: S311 - demo data, not a secret
    centre, _counts = ChildcareSeeder(rng, TODAY, Seeder(1, TODAY)).run(federation)
    month = (TODAY - timedelta(days=28), TODAY - timedelta(days=1))
    found = {i.key: f for i, f in indicators.compute(centre, *month)}
    enrolled = found["children_enrolled"]
    assert 35 <= enrolled.value <= 45 and len(enrolled.parts) == 4
    # Most children come most days (a cold and a family's week off keep some away).
    assert 75 < found["attendance_rate"].value < 95
    # Two workers a room, early and late, cover the day; the edges of the day may not.
    assert 85 < found["ratio_compliance"].value <= 100
    assert "care_hours" in found and "caregivers_supported" not in found
    # The federation's last quarter: the children enrolled by its end, rounded to 5.
    third_quarter = figures(federation, date(2026, 7, 1), date(2026, 9, 30))
    row = next(r for r in third_quarter.rows if r.indicator.key == "children_enrolled")
    assert row.total and row.total % 5 == 0
