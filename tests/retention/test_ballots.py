"""Voter rolls past their period no longer say who voted, and the turnout and results of past
votes are the same after retention. A secret ballot names nobody to begin with."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.governance.models import CountedBallot, VoteReminder, VoterRoll
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.reminders import send_reminders
from coopcare.governance.services.voting import cast_vote, close_vote, open_vote
from coopcare.retention import services
from coopcare.retention.rules import Kind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def voters(coop):
    workers = factories.StakeholderClassFactory(cooperative=coop, name="Workers")
    return [
        factories.admitted_member(
            workers, full_name=f"Worker {i}", email=f"w{i}@example.org", on=date(2025, 1, 10)
        )
        for i in range(4)
    ]


def _vote(coop, voters, secret: bool):
    """An online motion closed today: three of the four voted, the fourth was reminded."""
    now = timezone.now()
    motion = propose_motion(
        coop,
        title="Open on Sundays",
        text="…",
        secret=secret,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    open_vote(motion)
    for voter, choice in zip(voters[:3], ("for", "for", "against"), strict=True):
        cast_vote(motion, voter, choice=choice)
    send_reminders()
    return close_vote(motion)


@pytest.mark.parametrize("secret", [True, False])
def test_past_its_period_the_roll_names_nobody_and_the_result_stays(coop, voters, secret):
    motion = _vote(coop, voters, secret)
    assert VoteReminder.objects.filter(motion=motion, member=voters[3]).exists()
    result, trackers = motion.result, set(motion.ballots.values_list("tracker", "choice"))
    closed = timezone.localdate(motion.closed_at)

    # Codice civile art. 2379: a decision may be challenged as void within three years; on the
    # third anniversary of the close the roll is still whole, the day after it names nobody.
    on_the_day = services.run_retention(coop, today=closed.replace(year=closed.year + 3))
    assert on_the_day.counts[Kind.BALLOTS] == {"done": 0, "held": 0}
    after = services.run_retention(
        coop, today=closed.replace(year=closed.year + 3) + timedelta(days=1)
    )

    assert after.counts[Kind.BALLOTS] == {"done": 3, "held": 0}
    roll = VoterRoll.objects.filter(motion=motion)
    assert roll.count() == 3
    assert not roll.filter(member__isnull=False).exists()
    assert not roll.filter(cast_by__isnull=False).exists()
    assert not VoteReminder.objects.filter(motion=motion).exists()
    motion.refresh_from_db()
    assert motion.result == result and motion.passed
    assert set(CountedBallot.objects.filter(motion=motion).values_list("tracker", "choice")) == (
        trackers
    )
