"""A change of a person's care status that acts on their visits: a pause or a hospital stay
(from a day, to a last day or until care resumes), the end of care, and care resuming.

``care.services.change_status`` keeps the record of the status; care knows nothing of visits
or rosters, so the whole action is here, the one layer that knows all three: the status is
recorded, the visits of the break are cancelled (``visits.services.start_break``) and taken
off the rosters, and the carers who had them are told the times they no longer go. Resuming
plans the break's visits again from the care plan (``visits.services.resume_care``) and puts
them in the published roster as open visits. The page and the API both call
``change_care_status``; it is one transaction.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from coopcare.care.models import CareStatus, PersonCaredFor
from coopcare.care.services import change_status
from coopcare.rostering.services.publishing import put_back, take_off_cancelled, tell_cancelled
from coopcare.visits.models import BreakKind, CareBreak, Visit
from coopcare.visits.services import resume_care, start_break


@dataclass
class StatusChanged:
    """What a change of care status did to visits."""

    person: PersonCaredFor
    care_break: CareBreak | None = None
    cancelled: list[Visit] = field(default_factory=list)
    reinstated: list[Visit] = field(default_factory=list)
    carers_told: int = 0


@transaction.atomic
def change_care_status(
    person: PersonCaredFor,
    status: str,
    on: date,
    by,
    reason: str = "",
    kind: str = BreakKind.PAUSE,
    until: date | None = None,
    now=None,
) -> StatusChanged:
    """Move ``person`` to ``status`` from ``on``, and act on their visits.

    ``paused`` (``kind``: a pause or a hospital stay, to ``until`` if given) cancels the visits
    of those days; ``ended`` cancels every visit from ``on``; ``active`` after a pause or the
    end of care plans the cancelled visits again from ``on``. A change that acts on visits
    cannot be dated in the past. Other changes (a referral made active) only record the
    status."""
    resuming = status == CareStatus.ACTIVE and person.status in (
        CareStatus.PAUSED,
        CareStatus.ENDED,
    )
    done = StatusChanged(person)
    if status in (CareStatus.PAUSED, CareStatus.ENDED):
        if status == CareStatus.ENDED:
            break_kind = BreakKind.END
        else:  # a pause is a pause unless it is a hospital stay
            break_kind = BreakKind.HOSPITAL if kind == BreakKind.HOSPITAL else BreakKind.PAUSE
        # The break first: its checks (a date in the past, a pause that ends before it
        # starts) come before the status is recorded; all of it rolls back on a refusal.
        done.care_break, done.cancelled = start_break(
            person, break_kind, on, by, last_day=until, reason=reason, now=now
        )
        change_status(person, status, on, reason or done.care_break.get_kind_display(), by)
        changes = take_off_cancelled(done.cancelled)
        done.carers_told = tell_cancelled(changes)
    elif resuming:
        # The visits first: a day in the past is refused as such, before the status.
        done.care_break, done.reinstated = resume_care(person, on, now=now)
        change_status(person, status, on, reason or _("Care resumed."), by)
        put_back(done.reinstated, by)
    else:
        change_status(person, status, on, reason, by)
    return done
