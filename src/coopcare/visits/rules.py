"""The rules of check-in and check-out, as pure functions of plain values.

Each rule cites where it comes from. None reads the database: the services in
``visits.services`` read what a rule needs, call it, and write what it allows.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care.models import Verification
from coopcare.shared.geo import haversine_m
from coopcare.visits.models import Implausible, VerifiedHow

# A device clock may run a little fast; more than this ahead of the server is refused.
CLOCK_SKEW = timedelta(minutes=5)
# An upload received this long after the time it records is flagged as late.
LATE_UPLOAD_AFTER = timedelta(minutes=15)
# A visit nobody has checked in to this long after its planned start is late to start.
LATE_START_AFTER = timedelta(minutes=15)
# A check-in this far from the visit's planned time is almost surely the wrong visit.
FAR_FROM_PLAN = timedelta(hours=6)
# Location verifies a visit when both check-in and check-out are this close to the home.
LOCATION_RADIUS_M = 250

# Limits on wrong confirmation codes, counted over a sliding hour. The code has six digits
# (10**6 values). With 5 wrong codes per visit per hour, a guesser has at most 5 chances in
# 1,000,000, 1 in 200,000, per visit-hour; a carer who mistypes (or a person who misremembers)
# rarely needs more than two or three tries, and can then confirm by tapping. The per-carer
# limit, across all their visits, stops one account spreading its guesses over several
# visits of the same person (or of several people) to get more tries; 10 is two visits' worth,
# which a carer honestly struggling with codes on two visits in the same hour still gets.
# Past either limit, codes are refused without being compared, even the right one, until the
# wrong codes within the hour fall below the limit again; tapping and the coordinator's phone
# call still verify the visit.
WRONG_CODE_WINDOW = timedelta(hours=1)
WRONG_CODES_PER_VISIT = 5
WRONG_CODES_PER_CARER = 10


def device_time_problem(at: datetime, now: datetime) -> ValidationError | None:
    """What is wrong with a time sent by the carer's device, or None: it must carry its UTC
    offset, and may be ahead of the server's ``now`` by ``CLOCK_SKEW`` at most.

    Source: coopcare's own rule (a phone's clock may run a little fast; a time further ahead
    is a wrong clock, not a visit).
    """
    if timezone.is_naive(at):
        return ValidationError(
            _("Give the time with its UTC offset, e.g. 2026-11-22T09:00+01:00."),
            code="time_without_offset",
        )
    if at > now + CLOCK_SKEW:
        return ValidationError(
            _("The time given is in the future; check the phone's clock."), code="time_in_future"
        )
    return None


def far_from_plan(at: datetime, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether a check-in at ``at`` is more than ``FAR_FROM_PLAN`` before the visit's planned
    start or after its planned end.

    Source: coopcare's own rule (such a check-in is almost surely meant for another visit).
    """
    return not starts_at - FAR_FROM_PLAN <= at <= ends_at + FAR_FROM_PLAN


def check_in_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """From when until when a check-in to a visit planned from ``starts_at`` to ``ends_at`` is
    taken: ``FAR_FROM_PLAN`` before its start to ``FAR_FROM_PLAN`` after its end.

    Source: coopcare's own rule, the same as ``far_from_plan`` (the carer is told the window).
    """
    return starts_at - FAR_FROM_PLAN, ends_at + FAR_FROM_PLAN


def late_start_cutoff(now: datetime) -> datetime:
    """A visit nobody has checked in to at ``now`` is late to start when it was planned to
    start before the moment returned: ``LATE_START_AFTER`` before ``now``.

    Source: coopcare's own rule (a quarter of an hour, the same grace as a late upload: past
    it the office calls the carer or the person, while the visit can still take place).
    """
    return now - LATE_START_AFTER


def uploaded_late(at: datetime, received_at: datetime) -> bool:
    """Whether an upload recording ``at`` and received at ``received_at`` is flagged as late.

    Source: coopcare's own rule: more than ``LATE_UPLOAD_AFTER`` is flagged for the
    coordinators (the time was the device's, which they may want to check).
    """
    return received_at - at > LATE_UPLOAD_AFTER


def near_home(
    home: tuple[float, float] | None,
    latitude: Decimal | float | None,
    longitude: Decimal | float | None,
) -> bool:
    """Whether a location is within ``LOCATION_RADIUS_M`` of the person's ``home`` (latitude,
    longitude); no location is not near.

    A home not placed on the map yet (``home`` None) has no distance to check: no location
    is near it, so a visit to be verified by location is left for a coordinator to verify
    (as a phone call is), never refused and never verified by a guess.

    Source: coopcare's own rule, for the person who chose verification by location.
    """
    if home is None or latitude is None or longitude is None:
        return False
    return haversine_m(float(latitude), float(longitude), *home) <= LOCATION_RADIUS_M


class LocationProblem:
    """Why location did not verify a check-in or check-out (``location_problem``)."""

    HOME_NOT_PLACED = "home_not_placed"
    NOT_SHARED = "location_not_shared"
    FAR_FROM_HOME = "far_from_home"


def location_problem(
    home: tuple[float, float] | None,
    latitude: Decimal | float | None,
    longitude: Decimal | float | None,
) -> str | None:
    """Why a location does not verify a visit to ``home``, a ``LocationProblem``, or None
    when it is near (as ``near_home`` says): the home is not on the map yet, the phone sent no
    location (or the person's consent to location is not recorded, so none was kept), or it
    was further than ``LOCATION_RADIUS_M``. Each calls for something else of the carer.

    Source: coopcare's own rule, for the person who chose verification by location.
    """
    if home is None:
        return LocationProblem.HOME_NOT_PLACED
    if latitude is None or longitude is None:
        return LocationProblem.NOT_SHARED
    return None if near_home(home, latitude, longitude) else LocationProblem.FAR_FROM_HOME


def refused_until(recent: list[datetime], limit: int) -> datetime | None:
    """Until when confirmation codes are refused, given the ``recent`` wrong codes (the times
    within ``WRONG_CODE_WINDOW``, latest first, at most ``limit`` of them): once ``limit`` of
    them fall within the hour, the ``limit``-th latest leaves it then. None if under the limit.

    Source: the cooperative's limit against guessing the person's code (``WRONG_CODES_PER_VISIT``
    and ``WRONG_CODES_PER_CARER``, explained where they are set).
    """
    return recent[-1] + WRONG_CODE_WINDOW if len(recent) == limit else None


def tries_left(wrong_on_visit: int, wrong_by_carer: int) -> int:
    """Wrong codes still allowed within the hour, given those already typed on the visit and
    by the carer within it: the lower of the two limits' remainders.

    Source: the same limits as ``refused_until``.
    """
    return min(WRONG_CODES_PER_VISIT - wrong_on_visit, WRONG_CODES_PER_CARER - wrong_by_carer)


def verified_how(
    verification: str,
    *,
    tapped: bool,
    code_confirms: bool,
    check_in_near: bool,
    check_out_near: bool,
) -> str:
    """How a visit is verified at check-out, a ``VerifiedHow`` value, or '' if not yet.

    Source: the person's chosen verification (``PersonCaredFor.verification``, copied to the
    record at check-in): their confirmation code or a tap on the carer's phone; location, when
    both check-in and check-out were near the home; a phone call, which a coordinator records
    afterwards.
    """
    if verification == Verification.CONFIRMATION:
        if code_confirms:
            return VerifiedHow.CODE
        return VerifiedHow.TAP if tapped else ""
    if verification == Verification.LOCATION:
        return VerifiedHow.LOCATION if check_in_near and check_out_near else ""
    return ""  # a phone call is confirmed afterwards by a coordinator


# A visit cancelled less than this long before it starts is cancelled at short notice. This is
# the cooperative's own policy value, not a law: home care service agreements commonly let the
# provider charge a visit cancelled less than 24 hours ahead (the carer kept the time free and
# cannot be given other work at once); which funder pays what is for billing to decide, from
# the cancellation's record.
SHORT_NOTICE = timedelta(hours=24)


def short_notice(starts_at: datetime, cancelled_at: datetime) -> bool:
    """Whether a visit starting at ``starts_at`` cancelled at ``cancelled_at`` was cancelled
    at short notice.

    Source: the cooperative's own policy, ``SHORT_NOTICE`` (24 hours, a usual term of home
    care service agreements)."""
    return starts_at - cancelled_at < SHORT_NOTICE


# -- plausibility of a visit record ------------------------------------------------------------

# A record whose visit lasted less than this share of the planned time is implausible. A quarter:
# a visit a carer leaves early for a good reason (the person is out, asks them to go, is taken
# to hospital) is still recorded, but a 45-minute visit done in 11 minutes, or a 2-hour one in
# half an hour, is far more often a check-out tapped by mistake or a record made at the wrong
# visit than care given; it is paid and billed only once someone has looked at it.
SHORT_SHARE = 0.25
# Whatever the planned length, a visit this short is implausible: no task of a care plan is
# done in under five minutes, and a check-out within minutes of the check-in is the pattern of
# a double tap or of checking in and out at the door without going in.
SHORTEST_VISIT = timedelta(minutes=5)
# An event recorded on a visit (an incident) that happened further than this outside the
# visit's span is implausible on it: two hours leaves room for what a carer finds on arrival
# (a fall during the night is reported with its own time) and for an incident right after
# leaving, while an incident at 00:53 on a 12:30 visit is recorded at the wrong visit or with
# the wrong time.
EVENT_MARGIN = timedelta(hours=2)


def too_short(checked_in_at: datetime, checked_out_at: datetime, planned: timedelta) -> bool:
    """Whether a visit checked in at ``checked_in_at`` and out at ``checked_out_at`` is
    implausibly short for its ``planned`` length: under ``SHORTEST_VISIT``, or under
    ``SHORT_SHARE`` of the planned time.

    Source: coopcare's own rule, reasoned where ``SHORT_SHARE`` and ``SHORTEST_VISIT`` are set.
    For example a 30-minute visit checked out in the minute of its check-in (under 5 minutes),
    or a 2-hour visit done in 20 minutes (under a quarter, 30 minutes), is implausible; a
    45-minute visit done in 40 minutes is not.
    """
    done = checked_out_at - checked_in_at
    return done < SHORTEST_VISIT or done < planned * SHORT_SHARE


def outside_visit(
    at: datetime, span: tuple[datetime, datetime], margin: timedelta = EVENT_MARGIN
) -> bool:
    """Whether an event at ``at`` lies further than ``margin`` outside the visit's ``span``
    (from the earlier of its planned start and check-in to the later of its planned end and
    check-out).

    Source: coopcare's own rule, reasoned where ``EVENT_MARGIN`` is set. For example on a visit
    from 12:30 to 13:15 an incident at 00:53 is implausible, one at 14:30 is not.
    """
    return not span[0] - margin <= at <= span[1] + margin


def implausible(
    *,
    planned: tuple[datetime, datetime],
    checked_in_at: datetime,
    checked_out_at: datetime | None,
    events: list[datetime],
) -> list[str]:
    """Why a visit record is implausible, as ``Implausible`` codes (none: it is plausible): a
    visit far shorter than ``planned`` (``too_short``), or ``events`` on it (the times of the
    incidents its carer reported on the visit) far outside it (``outside_visit``).

    Source: coopcare's own rules, as the two functions named cite. The record is kept as the
    carer's device sent it (a carer working offline never loses a record); it counts as
    verified only once a coordinator accepted the carer's reason.
    """
    reasons: list[str] = []
    if checked_out_at is not None and too_short(
        checked_in_at, checked_out_at, planned[1] - planned[0]
    ):
        reasons.append(Implausible.TOO_SHORT)
    span = (min(planned[0], checked_in_at), max(planned[1], checked_out_at or checked_in_at))
    if any(outside_visit(at, span) for at in events):
        reasons.append(Implausible.EVENT_OUTSIDE_VISIT)
    return reasons
