"""The rules of supporting family caregivers: pure checks of plain values. Each returns the
problems (``ValidationError``s with their code) and cites its source."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def support_problems(
    since: date, consent_given_on: date, consent_withdrawn_on: date | None, ended_on: date | None
) -> list[ValidationError]:
    """What is wrong with a caregiver's support and consent dates.

    Source: GDPR art. 9(2)(a): a caregiver's record may tell of their own health, so it is
    kept on their explicit consent, given before the support starts (art. 7(1): the
    cooperative shows when it was given); art. 7(3): a consent is withdrawn after it was
    given. Support ends after it started."""
    problems = []
    if consent_given_on > since:
        problems.append(
            ValidationError(
                _("The caregiver's consent is given before their support starts."),
                code="caregiver_consent_after_support",
            )
        )
    if consent_withdrawn_on is not None and consent_withdrawn_on < consent_given_on:
        problems.append(
            ValidationError(
                _("A consent is withdrawn after it was given."), code="consent_withdrawn_before"
            )
        )
    if ended_on is not None and ended_on < since:
        problems.append(
            ValidationError(
                _("Support ends on or after the day it started."), code="support_ends_before"
            )
        )
    return problems


def supported_on(
    day: date, since: date, ended_on: date | None, consent_withdrawn_on: date | None
) -> bool:
    """Whether a caregiver is supported on ``day``: from ``since`` to the end of their support,
    and not after they withdrew their consent (GDPR art. 7(3): withdrawing ends the processing
    that rested on it, from then on)."""
    last = min((d for d in (ended_on, consent_withdrawn_on) if d is not None), default=None)
    return since <= day and (last is None or day <= last)


def gathering_problems(place: str, online_link: str) -> list[ValidationError]:
    """What is wrong with a support group meeting or training session's whereabouts.

    Source: issue 28 of coopcare ("a group/session with date, place or online link"): a
    caregiver enrolled must know where to go, so a gathering has a place, an online link, or
    both."""
    if place.strip() or online_link.strip():
        return []
    return [
        ValidationError(
            _("Give the place, an online link, or both."), code="gathering_has_no_place"
        )
    ]


def attendance_problems(starts_at: datetime, now: datetime) -> list[ValidationError]:
    """Whether attendance may be recorded yet: only once the gathering has begun.

    Source: a register of attendance records who came, as an assembly's attendance list does
    (docs/governance.md); before the start nobody has come yet."""
    if now < starts_at:
        return [
            ValidationError(
                _("Attendance is recorded once the gathering has begun."),
                code="gathering_not_begun",
            )
        ]
    return []
