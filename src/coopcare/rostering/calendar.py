"""Each carer's visits as an iCalendar feed at a secret address, for phone calendars.

The address is the only key, so it can be revoked (a new one replaces it), and it works only
while its carer is an active user with the carer role in the cooperative: a carer who left or
was deactivated learns nothing more from it.

A phone calendar is usually copied to a cloud outside the cooperative, so the feed sends as
little as lets a carer see their day: when, whom (first name and initial), the town, and a link
to the visit in coopcare. The task, the full name, the street address, whether two carers are
needed and any care notes stay behind the login.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from coopcare.care.access import log_reads
from coopcare.cooperatives.models import Cooperative, CooperativeRole, Role
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
    """The feed at ``token`` if it may still be read: not revoked, and its carer still an
    active user holding the carer role in the feed's cooperative (checked on every fetch)."""
    still_a_carer = CooperativeRole.objects.filter(
        user=OuterRef("carer"), cooperative=OuterRef("cooperative"), role=Role.CARER
    )
    return (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True, carer__is_active=True)
        .filter(Exists(still_a_carer))
        .select_related("cooperative", "carer")
        .first()
    )


def short_name(full_name: str) -> str:
    """A first name and the initial of the last: "Rosa Bianchi" → "Rosa B."."""
    words = full_name.split()
    if len(words) < 2:
        return full_name.strip()
    return f"{words[0]} {words[-1][0].upper()}."


def visit_path(visit: Visit) -> str:
    """The visit on the carer's day page in coopcare (behind the login)."""
    day = timezone.localdate(visit.starts_at)
    today = reverse("visits:today", args=[visit.cooperative.slug])
    return f"{today}?day={day.isoformat()}#visit-{visit.pk}"


def ics(feed: CalendarFeed, absolute_uri: Callable[[str], str]) -> bytes:
    """The feed's calendar: the carer's visits from two weeks ago to two months ahead, each
    with as little about the person as lets the carer find their day; ``absolute_uri`` makes
    the links back to coopcare whole addresses."""
    now = timezone.now()
    visits = list(
        Visit.objects.filter(
            cooperative=feed.cooperative,
            carers=feed.carer,
            starts_at__gte=now - timedelta(days=DAYS_BACK),
            starts_at__lte=now + timedelta(days=DAYS_AHEAD),
        )
        .exclude(status=VisitStatus.MISSED)
        .select_related("person", "cooperative")
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
        event.add("summary", _("Visit: %(name)s") % {"name": short_name(visit.person.full_name)})
        if visit.person.city:
            event.add("location", visit.person.city)
        link = absolute_uri(visit_path(visit))
        event.add("url", link)
        event.add("description", _("Details in coopcare: %(link)s") % {"link": link})
        event.add("status", "CANCELLED" if visit.status == VisitStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
