from django.urls import reverse
from icalendar import Calendar

from coopcare.care.models import CareRecordRead
from coopcare.rostering import calendar
from tests.rostering.conftest import visits_on


def test_the_feed_lists_the_carers_visits_without_logging_in(client, coop, ana, people, day):
    visit = visits_on(people[0], day)
    visit.carers.add(ana)
    feed = calendar.feed_of(coop, ana)
    response = client.get(reverse("calendar:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Morning care — Rosa"]
    assert str(events[0]["location"]) == "Via Zamboni 33, Bologna"
    assert events[0].decoded("dtstart") == visit.starts_at
    # Reading the person's address through the feed is a logged read of their record.
    assert CareRecordRead.objects.filter(user=ana, person=people[0], via="calendar").exists()


def test_a_renewed_feed_revokes_the_old_address(client, coop, ana):
    old = calendar.feed_of(coop, ana)
    assert calendar.feed_of(coop, ana) == old  # stable until renewed
    new = calendar.renew(coop, ana)
    assert new.token != old.token
    assert client.get(reverse("calendar:feed", args=[old.token])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[new.token])).status_code == 200
