"""Each carer's visits as an iCalendar feed at a secret address, for phone calendars.

The address is the only key, so it can be revoked (a new one replaces it), and it works only
while its carer is an active user with the carer role in the cooperative: a carer who left or
was deactivated learns nothing more from it.

A phone calendar is usually copied to a cloud outside the cooperative, so by default an event
says only what lets a carer find the visit in coopcare (GDPR arts. 5(1)(c), 9): a neutral title
("Visit", or "Visit (2 carers)"), the time, the street (its name without the house number, the
flat or the postcode) and the town, and a link to the visit. The person's name, the task, the
full address and any care notes stay behind the login, unless the cooperative chose to send
the first name, the full address or the task, with a stated reason (``CalendarDetail``).

An event's ``UID`` never changes; its ``SEQUENCE`` goes up each time what it says changes
(``CalendarEvent``), so that calendars replace it rather than keep the old one.
"""

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from coopcare.care.access import log_reads
from coopcare.cooperatives.models import Cooperative, CooperativeRole, Role
from coopcare.rostering.models import CalendarDetail, CalendarEvent, CalendarFeed
from coopcare.visits.models import Visit, VisitStatus
from coopcare.visits.queries import carer_between

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


# A word of an address holding a digit is a house number, a flat or a postcode ("33", "12b",
# "int. 3", "40126"); the street is what is left of the address's first part.
_NUMBERED = re.compile(r"\d")


def street(address: str) -> str:
    """The street of ``address``, without what finds the door: its first part (up to a comma)
    without the words holding a digit. "Via Zamboni 33, int. 4" → "Via Zamboni"; "12 High
    Street" → "High Street"."""
    first = address.split(",", 1)[0]
    words = [w for w in first.split() if not _NUMBERED.search(w)]
    # A number alone in the first part ("12, High Street") leaves nothing: try the next part.
    if not words and "," in address:
        return street(address.split(",", 1)[1])
    return " ".join(words).strip(" -/")


def first_name(full_name: str) -> str:
    """The first word of a person's name: "Rosa Bianchi" → "Rosa"."""
    words = full_name.split()
    return words[0] if words else ""


# The longest reason for sending more in calendars: a sentence or two.
DETAIL_REASON_MAX_LENGTH = 500


@dataclass(frozen=True)
class Detail:
    """What events say beyond the default: the cooperative's choice in force."""

    first_name: bool = False
    full_address: bool = False
    task: bool = False


def detail_of(cooperative: Cooperative) -> Detail:
    """The cooperative's choice in force (the default, saying least, if it never chose)."""
    latest = CalendarDetail.objects.filter(cooperative=cooperative).first()
    if latest is None:
        return Detail()
    return Detail(latest.first_name, latest.full_address, latest.task)


@transaction.atomic
def choose_detail(
    cooperative: Cooperative,
    by,
    *,
    first_name: bool,
    full_address: bool,
    task: bool,
    reason: str,
    now: datetime | None = None,
) -> CalendarDetail:
    """A coordinator chooses what calendar events say beyond the default. Sending more needs a
    reason (kept with who chose and when); going back to the default needs none."""
    reason = reason.strip()
    if (first_name or full_address or task) and not reason:
        raise ValidationError(
            _(
                "Say why calendars should carry more: they are usually copied to clouds "
                "outside the cooperative."
            ),
            code="calendar_detail_reason_missing",
        )
    if len(reason) > DETAIL_REASON_MAX_LENGTH:
        raise ValidationError(
            _("A reason holds at most %(count)s characters.") % {"count": DETAIL_REASON_MAX_LENGTH},
            code="calendar_detail_reason_too_long",
        )
    if Detail(first_name, full_address, task) == detail_of(cooperative):
        raise ValidationError(_("Calendars already say this."), code="calendar_detail_unchanged")
    return CalendarDetail.objects.create(
        cooperative=cooperative,
        first_name=first_name,
        full_address=full_address,
        task=task,
        reason=reason,
        chosen_by=by,
        chosen_at=now or timezone.now(),
    )


def visit_path(visit: Visit) -> str:
    """The visit on the carer's day page in coopcare (behind the login)."""
    day = timezone.localdate(visit.starts_at)
    today = reverse("visits:today", args=[visit.cooperative.slug])
    return f"{today}?day={day.isoformat()}#visit-{visit.pk}"


def _summary(visit: Visit, detail: Detail) -> str:
    title = _("Visit (2 carers)") if visit.double_handed else _("Visit")
    extra = [
        part
        for part, wanted in (
            (first_name(visit.person.full_name), detail.first_name),
            (visit.task.title, detail.task),
        )
        if wanted and part
    ]
    return f"{title}: {', '.join(extra)}" if extra else title


def _location(visit: Visit, detail: Detail) -> str:
    person = visit.person
    if detail.full_address:
        return person.home
    return ", ".join(part for part in (street(person.address), person.city) if part)


def _sequences(events: dict[int, str]) -> dict[int, int]:
    """The ``SEQUENCE`` of each visit's event, given what it says now (a fingerprint per visit
    id): unchanged, the last one; changed, one more, recorded; new, 0."""
    known = {e.visit_id: e for e in CalendarEvent.objects.filter(visit_id__in=events)}
    changed = []
    for visit_id, fingerprint in events.items():
        event = known.get(visit_id)
        if event is not None and event.fingerprint != fingerprint:
            event.fingerprint, event.sequence = fingerprint, event.sequence + 1
            changed.append(event)
    CalendarEvent.objects.bulk_update(changed, ["fingerprint", "sequence"])
    # Two fetches at once may both find an event new: the second keeps the first's row.
    CalendarEvent.objects.bulk_create(
        [CalendarEvent(visit_id=v, fingerprint=f) for v, f in events.items() if v not in known],
        ignore_conflicts=True,
    )
    return {visit_id: known[visit_id].sequence if visit_id in known else 0 for visit_id in events}


def ics(feed: CalendarFeed, absolute_uri: Callable[[str], str]) -> bytes:
    """The feed's calendar: the carer's visits from two weeks ago to two months ahead, each
    saying as little as the cooperative chose (by default a neutral title, the time, the
    street and a link); ``absolute_uri`` makes the links back to coopcare whole addresses."""
    now = timezone.now()
    visits = list(
        carer_between(
            feed.cooperative,
            feed.carer,
            now - timedelta(days=DAYS_BACK),
            now + timedelta(days=DAYS_AHEAD),
        )
        .exclude(status=VisitStatus.MISSED)
        .select_related("person", "cooperative", "task")
        .prefetch_related("carers")
    )
    log_reads(feed.carer, {v.person for v in visits}, "visits", via="calendar")
    detail = detail_of(feed.cooperative)
    calendar = Calendar()
    calendar.add("prodid", "-//coopcare//roster//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{feed.cooperative.name}")
    events = []
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}-{feed.carer_id}@coopcare")
        event.add("dtstamp", now)
        event.add("dtstart", visit.starts_at)
        event.add("dtend", visit.ends_at)
        event.add("summary", _summary(visit, detail))
        location = _location(visit, detail)
        if location:
            event.add("location", location)
        link = absolute_uri(visit_path(visit))
        event.add("url", link)
        event.add("description", _("Details in coopcare: %(link)s") % {"link": link})
        event.add("status", "CANCELLED" if visit.status == VisitStatus.CANCELLED else "CONFIRMED")
        events.append((visit, event))
    # What changes an event for its carers: what it says (in any language, hence the fields
    # rather than the words), and who else goes.
    sequences = _sequences(
        {
            visit.pk: hashlib.sha256(
                repr(
                    (
                        visit.starts_at.isoformat(),
                        visit.ends_at.isoformat(),
                        visit.status == VisitStatus.CANCELLED,
                        visit.double_handed,
                        sorted(c.pk for c in visit.carers.all()),
                        _location(visit, detail),
                        detail,
                        visit.person.full_name if detail.first_name else "",
                        visit.task.title if detail.task else "",
                    )
                ).encode()
            ).hexdigest()
            for visit, _event in events
        }
    )
    for visit, event in events:
        event.add("sequence", sequences[visit.pk])
        calendar.add_component(event)
    return calendar.to_ical()
