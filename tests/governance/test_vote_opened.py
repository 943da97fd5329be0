"""When an online vote opens, each member entitled to vote is told, by email at their address
on the register and by push to their login if they chose the topic ``vote``; a vote in an
assembly is opened in session, before the members called to it, and tells no one. A vote
shorter than the reminders' lead time has no reminder: its opening notice gave its close."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from coopcare import notify
from coopcare.governance.models import VoteReminder
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.reminders import send_reminders
from coopcare.governance.services.voting import open_vote
from coopcare.push import services as push
from coopcare.push.models import Topic
from tests import factories
from tests.governance.conftest import online_window
from tests.push.conftest import KEY, endpoint, subscribed
from tests.push.test_channel import FakePushService


def with_addresses(*members):
    for member in members:
        member.email = f"m{member.pk}@example.org"
        member.save()


@pytest.fixture
def addressed(members):
    """Every member has an address on the register."""
    with_addresses(*(m for group in members.values() for m in group))
    return members


def test_an_online_vote_opening_tells_the_members_entitled_to_vote(
    coop, classes, addressed, django_capture_on_commit_callbacks
):
    elsewhere = factories.CooperativeFactory(slug="altra")
    outsider = factories.admitted_member(
        factories.StakeholderClassFactory(cooperative=elsewhere), user=factories.UserFactory()
    )
    with_addresses(outsider)
    opens, closes = online_window()
    motion = propose_motion(
        coop,
        title="Open on Sundays",
        text="…",
        classes=[classes["Workers"]],
        opens_at=opens,
        closes_at=closes,
    )
    with django_capture_on_commit_callbacks(execute=True):
        open_vote(motion)
    workers = sorted(m.email for m in addressed["Workers"])
    assert sorted(m.to[0] for m in mail.outbox) == workers
    message = mail.outbox[0]
    assert message.subject == "Voting is open."
    assert "“Open on Sundays”" in message.body and "Voting closes on" in message.body
    # It is open already: no word of when it opens.
    assert "Voting opens on" not in message.body


def test_a_vote_opened_before_its_window_says_when_voting_opens(
    coop, addressed, django_capture_on_commit_callbacks
):
    now = timezone.now()
    motion = propose_motion(
        coop,
        title="X",
        text="X",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=8),
    )
    with django_capture_on_commit_callbacks(execute=True):
        open_vote(motion)
    assert len(mail.outbox) == 10
    assert all("Voting opens on" in m.body for m in mail.outbox)


def test_a_vote_opened_in_an_assembly_tells_no_one(
    coop, assembly, addressed, django_capture_on_commit_callbacks
):
    motion = propose_motion(coop, title="Accounts", text="…", assembly=assembly)
    with django_capture_on_commit_callbacks(execute=True):
        open_vote(motion)
    assert mail.outbox == []


def test_the_opening_is_pushed_to_those_who_chose_votes(
    coop, members, monkeypatch, django_capture_on_commit_callbacks
):
    service = FakePushService()
    monkeypatch.setattr(notify, "webpush", service)
    chose, did_not = members["Workers"][0], members["Workers"][1]
    with override_settings(VAPID_PRIVATE_KEY=KEY):
        subscribed(chose.user, "chose")
        subscribed(did_not.user, "default")  # votes are not among the default topics
        push.choose_topics(chose.user, [Topic.VOTE])
        opens, closes = online_window()
        motion = propose_motion(coop, title="X", text="X", opens_at=opens, closes_at=closes)
        with django_capture_on_commit_callbacks(execute=True):
            open_vote(motion)
    [(to, data, _options)] = service.sent
    assert to == endpoint("chose")
    assert data["topic"] == "vote" and data["title"] == "Voting is open."
    assert data["url"] == f"/c/{coop.slug}/motions/{motion.pk}/"
    # No member has an address on the register here.
    assert mail.outbox == []


def test_a_vote_shorter_than_the_reminders_lead_time_has_no_reminder(
    coop, addressed, django_capture_on_commit_callbacks
):
    now = timezone.now()
    short = propose_motion(
        coop,
        title="Short",
        text="X",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=20),
    )
    long = propose_motion(
        coop,
        title="Long",
        text="X",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(hours=20),
    )
    open_vote(short)
    open_vote(long)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now) == 10
    assert {r.motion for r in VoteReminder.objects.all()} == {long}
