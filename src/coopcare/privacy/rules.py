"""The deadlines and checks of the GDPR (Regulation (EU) 2016/679) that data protection
applies: the month to answer a request and its extension, what a refusal needs, the 72 hours
to notify a breach, and what marks a read of care records as unusual. Pure functions of plain
values."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Art. 12(3): "without undue delay and in any event within one month of receipt", "extended
# by two further months where necessary".
ANSWER_WITHIN = relativedelta(months=1)
EXTENSION = relativedelta(months=2)
# Art. 33(1): "not later than 72 hours after having become aware of it".
AUTHORITY_WITHIN = timedelta(hours=72)

# Unusual reads (coopcare's own thresholds, docs/data-protection.md): the night, and many
# people's records read by one login within a short time.
NIGHT_FROM = time(22, 0)
NIGHT_UNTIL = time(6, 0)
BURST_PEOPLE = 10
BURST_WITHIN = timedelta(minutes=10)


def due_on(received_on: date) -> date:
    """The day a request must be answered by: one month from receipt.

    Source: GDPR art. 12(3). A month counts to the same day of the next month, or the last
    day of a shorter month (received 31 January: due 28 or 29 February)."""
    return received_on + ANSWER_WITHIN


def extended_due_on(received_on: date) -> date:
    """The latest day once extended: two further months (GDPR art. 12(3))."""
    return received_on + ANSWER_WITHIN + EXTENSION


def extension_problems(*, already_extended: bool, still_open: bool, reason: str) -> list:
    """Why a request cannot be extended: once only, while open, and with the reasons for the
    delay, which art. 12(3) says the subject must be told."""
    problems = []
    if not still_open:
        problems.append(
            ValidationError(_("This request was already answered."), code="request_closed")
        )
    if already_extended:
        problems.append(
            ValidationError(
                _("A request is extended once only, by two further months (art. 12(3))."),
                code="already_extended",
            )
        )
    if not reason.strip():
        problems.append(
            ValidationError(
                _("Say why more time is needed: the person is told the reasons (art. 12(3))."),
                code="extension_reason_required",
            )
        )
    return problems


def answer_problems(*, still_open: bool, refused: bool, refusal_reason: str, answer: str) -> list:
    """Why an answer cannot be given: the request must be open, an answer says something,
    and a refusal names its reason (art. 12(4): the reasons for not taking action)."""
    problems = []
    if not still_open:
        problems.append(
            ValidationError(_("This request was already answered."), code="request_closed")
        )
    if not answer.strip():
        problems.append(
            ValidationError(_("Write the answer the person receives."), code="answer_required")
        )
    if refused and not refusal_reason:
        problems.append(
            ValidationError(
                _("A refusal names its reason (art. 12(4))."), code="refusal_reason_required"
            )
        )
    if not refused and refusal_reason:
        problems.append(
            ValidationError(
                _("A reason for refusing goes with a refusal only."), code="reason_without_refusal"
            )
        )
    return problems


def authority_deadline(aware_at: datetime) -> datetime:
    """When the supervisory authority must have been told of a breach: 72 hours after the
    controller became aware of it. Source: GDPR art. 33(1)."""
    return aware_at + AUTHORITY_WITHIN


def notice_problems(
    *, aware_at: datetime, notified_at: datetime | None, delay_reason: str, no_notice_reason: str
) -> list:
    """Why a notice to the authority cannot be recorded: it is given, or the record says why
    none is needed (art. 33(1): "unless the personal data breach is unlikely to result in a
    risk", documented as art. 33(5) asks); not before the breach was known; and a late one
    gives the reasons for the delay (art. 33(1))."""
    if notified_at is None:
        if no_notice_reason.strip():
            return []
        return [
            ValidationError(
                _("Say when the authority was told, or why it need not be."),
                code="notice_or_reason",
            )
        ]
    if notified_at < aware_at:
        return [
            ValidationError(
                _("The authority cannot be told before the breach was known."),
                code="notified_before_aware",
            )
        ]
    if notified_at > authority_deadline(aware_at) and not delay_reason.strip():
        return [
            ValidationError(
                _("Told after 72 hours: give the reasons for the delay (art. 33(1))."),
                code="delay_reason_required",
            )
        ]
    return []


def people_told_problems(*, aware_at: datetime, told_at: datetime | None, reason: str) -> list:
    """Art. 34: the people are told, or the record says why not (art. 34(3): the data were
    unintelligible, later measures removed the high risk, or it needs a public notice)."""
    if told_at is None and not reason.strip():
        return [
            ValidationError(
                _("Say when the people were told, or why they are not."),
                code="people_told_or_reason",
            )
        ]
    if told_at is not None and told_at < aware_at:
        return [
            ValidationError(
                _("The people cannot be told before the breach was known."),
                code="told_before_aware",
            )
        ]
    return []


def at_night(local: time) -> bool:
    """Whether a moment on the cooperative's clock falls in the night, 22:00 to 06:00
    (coopcare's threshold for the access review)."""
    return local >= NIGHT_FROM or local < NIGHT_UNTIL


@dataclass(frozen=True)
class Read:
    """One read of a person's records, as the burst check needs it."""

    at: datetime
    person_id: int


def bursts(reads: list[Read]) -> list[tuple[datetime, int]]:
    """Where one login read ``BURST_PEOPLE`` or more different people's records within
    ``BURST_WITHIN``: (the first read of the burst, how many people), bursts not
    overlapping. ``reads`` are one login's, in order of time."""
    found = []
    start = 0
    while start < len(reads):
        end = start
        people: set[int] = set()
        while end < len(reads) and reads[end].at - reads[start].at <= BURST_WITHIN:
            people.add(reads[end].person_id)
            end += 1
        if len(people) >= BURST_PEOPLE:
            found.append((reads[start].at, len(people)))
            start = end
        else:
            start += 1
    return found
