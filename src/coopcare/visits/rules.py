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
from coopcare.visits.models import VerifiedHow

# A device clock may run a little fast; more than this ahead of the server is refused.
CLOCK_SKEW = timedelta(minutes=5)
# An upload received this long after the time it records is flagged as late.
LATE_UPLOAD_AFTER = timedelta(minutes=15)
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
