"""Satisfaction and complaints in the cooperative's indicators (the social report)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from coopcare.impact.indicators import INDICATORS
from coopcare.voice import services
from tests import factories
from tests.voice.conftest import complaint, relative


def figure(key, coop, start, end):
    indicator = next(i for i in INDICATORS if i.key == key)
    return indicator.compute(coop, start, end)


def test_satisfaction_is_the_share_scoring_four_or_five(coop, person, carer, family):
    # Three feedbacks on the visits of the period: 5, 4 and 2. Two of three score 4 or 5:
    # 66.7 %; the mean is (5 + 4 + 2) / 3 = 3.7.
    son = relative(person, username="son")
    days = [timezone.localdate() - timedelta(days=n) for n in (3, 2)]
    first, second = (factories.visit(person, [carer], day=day) for day in days)
    services.give_feedback(first, family, score=5)
    services.give_feedback(first, son, score=2)
    services.give_feedback(second, family, score=4)
    result = figure("satisfaction", coop, days[0], days[1])
    assert result.value == Decimal("66.7") and result.base == 3
    assert dict(result.parts) == {"mean score, 1 to 5": Decimal("3.7"), "feedback given": 3}
    assert figure("satisfaction", coop, days[1], days[1]).value == Decimal("100.0")


def test_complaints_and_how_they_ended(coop, person, coordinator):
    # Two complaints received on Monday 2 November 2026, to acknowledge by Thursday 5: one
    # acknowledged on the 4th (on time) and answered "upheld", one acknowledged on the 9th
    # (late). Half were acknowledged on time.
    received = date(2026, 11, 2)
    on_time = complaint(person, coordinator, received_on=received)
    late = complaint(person, coordinator, received_on=received)
    services.take_step(on_time, "acknowledged", by=coordinator, on=date(2026, 11, 4), text="Ok")
    services.take_step(on_time, "investigated", by=coordinator, on=date(2026, 11, 5), text="Ok")
    services.take_step(
        on_time, "answered", by=coordinator, on=date(2026, 11, 6), text="Ok", outcome="upheld"
    )
    services.take_step(late, "acknowledged", by=coordinator, on=date(2026, 11, 9), text="Ok")
    result = figure("complaints", coop, date(2026, 11, 1), date(2026, 11, 30))
    assert result.value == Decimal("50.0") and result.base == 2
    assert dict(result.parts) == {
        "received": 2,
        "upheld": 1,
        "partly upheld": 0,
        "not upheld": 0,
        "acknowledged on time": 1,
    }
