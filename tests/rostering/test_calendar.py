import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.rostering import calendar
from coopcare.visits.models import VisitStatus
from tests import factories
from tests.rostering.conftest import visits_on


def feed_url(feed) -> str:
    return reverse("calendar:feed", args=[feed.token])


def test_the_feed_lists_the_carers_visits_without_logging_in(client, coop, ana, people, day):
    visit = visits_on(people[0], day)
    visit.carers.add(ana)
    feed = calendar.feed_of(coop, ana)
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Visit: Rosa"]
    assert events[0].decoded("dtstart") == visit.starts_at
    # Reading about the person through the feed is a logged read of their record.
    assert CareRecordRead.objects.filter(user=ana, person=people[0], via="calendar").exists()


def test_the_feed_sends_only_what_finds_the_day_and_links_to_the_rest(
    client, coop, ana, people, day
):
    rosa = people[0]
    rosa.full_name = "Rosa Bianchi"
    rosa.save()
    visit = visits_on(rosa, day)
    visit.double_handed = True
    visit.save()
    visit.carers.add(ana)
    response = client.get(feed_url(calendar.feed_of(coop, ana)))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Visit: Rosa B."
    assert str(event["location"]) == "Bologna"  # the town, not the street
    local_day = timezone.localdate(visit.starts_at).isoformat()
    link = f"http://testserver/c/{coop.slug}/today/?day={local_day}#visit-{visit.pk}"
    assert str(event["url"]) == link
    assert link in str(event["description"])
    # The full name, the street, the task and the need for two carers stay in coopcare.
    text = Calendar.from_ical(response.content).to_ical().decode()
    for withheld in ("Bianchi", "Zamboni", "Morning care", "two carers", "Double-handed"):
        assert withheld not in text


def test_a_cancelled_visit_stays_in_the_feed_as_cancelled(client, coop, ana, people, day):
    visit = visits_on(people[0], day)
    visit.carers.add(ana)
    visit.status = VisitStatus.CANCELLED
    visit.save()
    (event,) = Calendar.from_ical(client.get(feed_url(calendar.feed_of(coop, ana))).content).walk(
        "VEVENT"
    )
    assert str(event["status"]) == "CANCELLED"


def test_a_renewed_feed_revokes_the_old_address(client, coop, ana):
    old = calendar.feed_of(coop, ana)
    assert calendar.feed_of(coop, ana) == old  # stable until renewed
    new = calendar.renew(coop, ana)
    assert new.token != old.token
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def _deactivate(ana, coop):
    ana.is_active = False
    ana.save()


def _no_longer_a_carer(ana, coop):
    CooperativeRole.objects.filter(user=ana, cooperative=coop, role=Role.CARER).delete()


@pytest.mark.parametrize("leave", [_deactivate, _no_longer_a_carer])
def test_the_feed_tells_nothing_to_a_carer_who_left(client, coop, ana, people, day, leave):
    visits_on(people[0], day).carers.add(ana)
    feed = calendar.feed_of(coop, ana)
    assert client.get(feed_url(feed)).status_code == 200
    reads = CareRecordRead.objects.count()
    leave(ana, coop)
    response = client.get(feed_url(feed))
    assert response.status_code == 404
    assert b"Rosa" not in response.content and b"VEVENT" not in response.content
    assert CareRecordRead.objects.count() == reads  # nothing was read


def test_a_carer_role_in_another_cooperative_does_not_keep_the_feed(client, coop, ana):
    other = factories.CooperativeFactory(name="Altra", slug="altra")
    CooperativeRole.objects.create(user=ana, cooperative=other, role=Role.CARER)
    feed = calendar.feed_of(coop, ana)
    _no_longer_a_carer(ana, coop)
    assert client.get(feed_url(feed)).status_code == 404


@pytest.mark.parametrize(
    "full, short",
    [("Rosa Bianchi", "Rosa B."), ("Maria de la Cruz", "Maria C."), ("Rosa", "Rosa"), ("", "")],
)
def test_short_name(full, short):
    assert calendar.short_name(full) == short
