from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.rostering import calendar
from coopcare.rostering.models import CalendarDetail
from coopcare.visits.models import VisitStatus
from coopcare.visits.services import add_carer
from tests import factories
from tests.governance.test_api import bearer
from tests.rostering.conftest import visits_on


def feed_url(feed) -> str:
    return reverse("calendar:feed", args=[feed.token])


def test_the_feed_lists_the_carers_visits_without_logging_in(client, coop, ana, people, day):
    visit = visits_on(people[0], day)
    add_carer(visit, ana)
    feed = calendar.feed_of(coop, ana)
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Visit"]
    assert events[0].decoded("dtstart") == visit.starts_at
    # Reading about the person through the feed is a logged read of their record.
    assert CareRecordRead.objects.filter(user=ana, person=people[0], via="calendar").exists()


def feed_events(client, coop, carer):
    response = client.get(feed_url(calendar.feed_of(coop, carer)))
    return response, Calendar.from_ical(response.content).walk("VEVENT")


def test_by_default_an_event_says_only_what_finds_the_visit(client, coop, ana, people, day):
    """GDPR arts. 5(1)(c) and 9: a phone calendar is copied to clouds outside the cooperative,
    so by default an event carries a neutral title, the time, the street without its number,
    the town and a link; the name, the task and the full address stay in coopcare."""
    rosa = people[0]
    rosa.full_name = "Rosa Bianchi"
    rosa.address = "Via Zamboni 33, int. 4"
    rosa.save()
    visit = visits_on(rosa, day)
    visit.double_handed = True
    visit.save()
    add_carer(visit, ana)
    response, (event,) = feed_events(client, coop, ana)
    assert str(event["summary"]) == "Visit (2 carers)"
    assert str(event["location"]) == "Via Zamboni, Bologna"  # the street, not the door
    assert event.decoded("dtstart") == visit.starts_at
    local_day = timezone.localdate(visit.starts_at).isoformat()
    link = f"http://testserver/c/{coop.slug}/today/?day={local_day}#visit-{visit.pk}"
    assert str(event["url"]) == link
    assert link in str(event["description"])
    text = response.content.decode()
    for withheld in ("Rosa", "Bianchi", "Zamboni 33", "int. 4", "Morning care"):
        assert withheld not in text


def test_more_detail_is_sent_only_as_the_cooperative_chose_with_a_reason(
    client, coop, ana, coordinator, people, day
):
    rosa = people[0]
    rosa.full_name = "Rosa Bianchi"
    rosa.save()
    add_carer(visits_on(rosa, day), ana)
    with pytest.raises(ValidationError) as refused:
        calendar.choose_detail(
            coop, coordinator, first_name=True, full_address=False, task=True, reason=" "
        )
    assert refused.value.code == "calendar_detail_reason_missing"
    assert not CalendarDetail.objects.exists()
    chosen = calendar.choose_detail(
        coop,
        coordinator,
        first_name=True,
        full_address=True,
        task=True,
        reason="Carers share one phone calendar with the office, not a cloud.",
    )
    assert (chosen.chosen_by, chosen.reason) == (
        coordinator,
        "Carers share one phone calendar with the office, not a cloud.",
    )
    _response, (event,) = feed_events(client, coop, ana)
    assert str(event["summary"]) == "Visit: Rosa, Morning care"
    assert str(event["location"]) == "Via Zamboni 33, Bologna"
    assert "Bianchi" not in str(event["summary"])  # the first name only, ever
    # Back to the default needs no reason; the choices stay, latest first.
    calendar.choose_detail(
        coop, coordinator, first_name=False, full_address=False, task=False, reason=""
    )
    _response, (event,) = feed_events(client, coop, ana)
    assert str(event["summary"]) == "Visit"
    assert CalendarDetail.objects.filter(cooperative=coop).count() == 2
    with pytest.raises(ValidationError) as unchanged:
        calendar.choose_detail(
            coop, coordinator, first_name=False, full_address=False, task=False, reason=""
        )
    assert unchanged.value.code == "calendar_detail_unchanged"


def test_a_changed_event_carries_a_higher_sequence_and_the_same_uid(
    client, coop, ana, ben, people, day
):
    """RFC 5545 §3.8.7.4: a calendar replaces an event it holds when its SEQUENCE is higher."""
    visit = visits_on(people[0], day)
    add_carer(visit, ana)
    _r, (first,) = feed_events(client, coop, ana)
    _r, (again,) = feed_events(client, coop, ana)
    assert (first["sequence"], again["sequence"]) == (0, 0)  # nothing changed
    uid = str(first["uid"])
    visit.starts_at += timedelta(minutes=30)
    visit.ends_at += timedelta(minutes=30)
    visit.save()
    _r, (moved,) = feed_events(client, coop, ana)
    assert (str(moved["uid"]), moved["sequence"]) == (uid, 1)
    add_carer(visit, ben)
    _r, (shared,) = feed_events(client, coop, ana)
    assert shared["sequence"] == 2
    people[0].address = "Via Irnerio 10"
    people[0].save()
    _r, (elsewhere,) = feed_events(client, coop, ana)
    assert (str(elsewhere["location"]), elsewhere["sequence"]) == ("Via Irnerio, Bologna", 3)


@pytest.mark.parametrize(
    "address, street",
    [
        ("Via Zamboni 33", "Via Zamboni"),
        ("Via Zamboni 33, int. 4", "Via Zamboni"),
        ("12 High Street, Flat 3", "High Street"),
        ("12, Rue de la Paix", "Rue de la Paix"),
        ("Calle Mayor 5 2ºB", "Calle Mayor"),
        ("شارع الجمهورية 15", "شارع الجمهورية"),
        ("", ""),
    ],
)
def test_the_street_of_an_address(address, street):
    assert calendar.street(address) == street


def test_the_feed_settings_page_shows_the_choices_with_who_and_why(client, coop, coordinator):
    client.force_login(coordinator)
    page = reverse("rostering:calendar_settings", args=[coop.slug])
    assert "Calendars say only the default." in client.get(page).content.decode()
    refused = client.post(page, {"task": "on", "reason": ""})
    assert refused.status_code == 400
    assert "Say why calendars should carry more" in refused.content.decode()
    assert client.post(page, {"task": "on", "reason": "Agency staff need it."}).status_code == 302
    html = client.get(page).content.decode()
    assert "Agency staff need it." in html
    assert coordinator.get_full_name() in html


def test_the_api_reads_and_chooses_the_detail(client, coop, coordinator, ana):
    api = f"/api/cooperatives/{coop.slug}/calendar-detail"
    auth = bearer(coordinator)
    assert client.get(api, **auth).json() == {
        "first_name": False,
        "full_address": False,
        "task": False,
        "choices": [],
    }
    refused = client.post(api, {"first_name": True}, content_type="application/json", **auth)
    assert (refused.status_code, refused.json()["code"]) == (
        400,
        "calendar_detail_reason_missing",
    )
    body = {"first_name": True, "reason": "Requested by the carers' assembly."}
    chosen = client.post(api, body, content_type="application/json", **auth).json()
    assert chosen["first_name"] is True
    assert chosen["choices"][0]["reason"] == "Requested by the carers' assembly."
    assert chosen["choices"][0]["chosen_by_id"] == coordinator.pk
    # A carer neither reads nor chooses it.
    assert client.get(api, **bearer(ana)).status_code == 403


def test_a_cancelled_visit_stays_in_the_feed_as_cancelled(client, coop, ana, people, day):
    visit = visits_on(people[0], day)
    add_carer(visit, ana)
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
    add_carer(visits_on(people[0], day), ana)
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
