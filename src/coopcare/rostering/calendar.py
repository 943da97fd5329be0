"""Each carer's visits as an iCalendar feed at a secret address, for phone calendars.

The address is the only key, so it can be revoked (a new one replaces it). The feed holds what
a carer needs to get there: the task, the person's name and address; no care notes.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from coopcare.care.access import log_reads
from coopcare.cooperatives.models import Cooperative
from coopcare.rostering.models import CalendarFeed
from coopcare.visits.models import Visit, VisitStatus

DAYS_BACK, DAYS_AHEAD = 14, 60


def feed_of(cooperative: Cooperative, carer) -> CalendarFeed:
    """The carer's current feed, made the first time it is asked for."""
    feed = CalendarFeed.objects.filter(
        cooperative=cooperative, carer=carer, revoked_at__isnull=True
    ).first()
    return feed or CalendarFeed.objects.create(
        cooperative=cooperative, carer=carer, token=secrets.token_urlsafe(32)
    )


@transaction.atomic
def renew(cooperative: Cooperative, carer) -> CalendarFeed:
    """Revoke the carer's feed address and make a new one."""
    CalendarFeed.objects.filter(
        cooperative=cooperative, carer=carer, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return feed_of(cooperative, carer)


def active_feed(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("cooperative", "carer")
        .first()
    )


def ics(feed: CalendarFeed) -> bytes:
    """The feed's calendar: the carer's visits from two weeks ago to two months ahead."""
    now = timezone.now()
    visits = list(
        Visit.objects.filter(
            cooperative=feed.cooperative,
            carers=feed.carer,
            starts_at__gte=now - timedelta(days=DAYS_BACK),
            starts_at__lte=now + timedelta(days=DAYS_AHEAD),
        )
        .exclude(status=VisitStatus.MISSED)
        .select_related("person", "task")
    )
    log_reads(feed.carer, {v.person for v in visits}, "visits", via="calendar")
    calendar = Calendar()
    calendar.add("prodid", "-//coopcare//roster//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{feed.cooperative.name}")
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}-{feed.carer_id}@coopcare")
        event.add("dtstamp", now)
        event.add("dtstart", visit.starts_at)
        event.add("dtend", visit.ends_at)
        event.add("summary", f"{visit.task.title} — {visit.person.full_name}")
        event.add("location", visit.person.home)
        if visit.double_handed:
            event.add("description", _("Double-handed visit: two carers together."))
        event.add("status", "CANCELLED" if visit.status == VisitStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
