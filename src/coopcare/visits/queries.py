"""What the coordinators' follow-up page lists: read-only selections of visit records, visits,
incidents, wrong confirmation codes and missed handovers of one cooperative; and the handover
notes a carer's visit cards and a person's page show."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import cast

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from coopcare.care.access import CARE_ACCESS_WINDOW
from coopcare.visits import rules
from coopcare.visits.models import (
    HandoverAcknowledgement,
    HandoverNote,
    Incident,
    Visit,
    VisitRecord,
    VisitRequest,
    VisitRequestStatus,
    VisitStatus,
    WrongConfirmationCode,
)
from coopcare.work.queries import between_days


def carer_between(cooperative, carer, first: datetime, after: datetime) -> QuerySet[Visit]:
    """The visits of ``cooperative`` that ``carer`` is on, starting from ``first`` and before
    ``after``.

    Found by the carer's rows of visits and the start copied on them (``VisitCarer``, indexed
    on carer and start): the database reads the span of this carer alone, where a filter on
    ``carers`` and the visit's start read the cooperative's visits of the span and the carer's
    whole history (issue 27). One ``filter`` holds the three conditions, so that they are on
    the same row."""
    return Visit.objects.filter(
        cooperative=cooperative,
        carer_rows__carer=carer,
        carer_rows__starts_at__gte=first,
        carer_rows__starts_at__lt=after,
    )


def carer_on_days(cooperative, carer, first: date, last: date) -> QuerySet[Visit]:
    """The visits of ``cooperative`` that ``carer`` is on, on local days ``first`` to ``last``
    (as :func:`carer_between`)."""
    span = between_days("starts_at", first, last)
    return carer_between(cooperative, carer, span["starts_at__gte"], span["starts_at__lt"])


# How far back the follow-up page looks. Two weeks: a record still needing something stays
# listed through a coordinator's week away and the next week's round of timesheets, and the
# lists stay short enough to be worked through; older ones are settled on the timesheets.
# The page says "the last two weeks": change its wording with this.
FOLLOW_UP_WINDOW = timedelta(days=14)
# A check-in with no check-out after this long is listed as left open. Four hours is longer
# than the visits care plans hold (most last under an hour, the longest a few), so such a
# record is almost surely a forgotten check-out rather than a visit still under way. The page
# says "after four hours": change its wording with this.
OPEN_CHECK_IN_AFTER = timedelta(hours=4)
# How far back a visit card looks for handover notes when the carer has not been to the person
# before (or not for longer): a week holds a weekly visit's news, and a note older than that is
# either handled or belongs in the care plan. The card says nothing of it.
HANDOVER_LOOKBACK = timedelta(days=7)
# A handover note nobody read a day after it was written, while another carer has visited
# since, is a missed handover on the follow-up page: by then the next visit was surely made.
MISSED_HANDOVER_AFTER = timedelta(days=1)
# How far back a person's page lists handover notes.
HANDOVER_HISTORY = timedelta(days=30)


def wrong_codes(cooperative, since: datetime) -> list[dict]:
    """Wrong confirmation codes since ``since``, one row per visit and carer with how many and
    the last one, latest first: repeated failures may be someone guessing the person's code."""
    return list(
        WrongConfirmationCode.objects.filter(visit__cooperative=cooperative, at__gte=since)
        .values(
            "visit_id",
            "visit__starts_at",
            "visit__person_id",
            "visit__person__full_name",
            "carer__first_name",
            "carer__last_name",
            "carer__username",
        )
        .annotate(tries=Count("pk"), last_at=Max("at"))
        .order_by("-last_at", "visit_id", "carer__username")
    )


def to_verify(
    cooperative, now: datetime | None = None, carer=None, verification: str = "", day=None
) -> QuerySet[VisitRecord]:
    """Checked-out records of the last ``FOLLOW_UP_WINDOW`` that nobody has verified yet,
    oldest first, narrowed to one ``carer``, one chosen ``verification`` method or one local
    ``day`` when given: the coordinator's list of visits to confirm by phone."""
    now = now or timezone.now()
    found = VisitRecord.objects.filter(
        visit__cooperative=cooperative,
        checked_in_at__gte=now - FOLLOW_UP_WINDOW,
        checked_out_at__isnull=False,
        verified_how="",
    )
    if carer is not None:
        found = found.filter(carer=carer)
    if verification:
        found = found.filter(verification=verification)
    if day is not None:
        found = found.filter(**between_days("checked_in_at", day, day))
    return found.select_related("person", "carer", "visit").order_by("checked_in_at", "pk")


def follow_up(cooperative, now: datetime | None = None) -> dict:
    """What needs a coordinator, as of ``now``, beside the visits to verify (``to_verify``,
    paged on its own): implausible records not yet
    accepted (with their carers' reasons), late uploads, steps not done,
    check-ins left open, past visits with no record (all of the last ``FOLLOW_UP_WINDOW``),
    open incidents, and wrong confirmation codes; each whole and ordered, for the page to page
    through."""
    now = now or timezone.now()
    since = now - FOLLOW_UP_WINDOW
    records = VisitRecord.objects.filter(
        visit__cooperative=cooperative, checked_in_at__gte=since
    ).select_related("person", "carer", "visit")
    return {
        "implausible": records.exclude(implausible="").filter(accepted_at__isnull=True),
        "late": records.filter(uploaded_late=True),
        "not_done": records.filter(outcomes__done=False).prefetch_related("outcomes").distinct(),
        "open_checkins": records.filter(
            checked_out_at__isnull=True, checked_in_at__lt=now - OPEN_CHECK_IN_AFTER
        ),
        "unrecorded": Visit.objects.filter(
            cooperative=cooperative,
            status=VisitStatus.PLANNED,
            ends_at__lt=now,
            ends_at__gte=since,
        ).select_related("person", "task"),
        "incidents": open_incidents(cooperative)
        .select_related("person", "reported_by")
        .order_by("-occurred_at", "-pk"),
        "wrong_codes": wrong_codes(cooperative, since),
        "missed_handovers": missed_handovers(cooperative, now),
    }


def open_incidents(cooperative) -> QuerySet[Incident]:
    """The cooperative's incidents not yet closed."""
    return Incident.objects.filter(cooperative=cooperative, closed_on=None)


def late_to_start(cooperative, now: datetime | None = None) -> QuerySet[Visit]:
    """The visits late to start at ``now`` (``rules.late_start_cutoff``: still planned, nobody
    checked in) whose planned end has not passed, soonest first: those the office may still
    save with a call."""
    now = now or timezone.now()
    return (
        Visit.objects.filter(
            cooperative=cooperative,
            status=VisitStatus.PLANNED,
            starts_at__lt=rules.late_start_cutoff(now),
            ends_at__gt=now,
        )
        .select_related("person", "task")
        .prefetch_related("carers")
        .order_by("starts_at", "pk")
    )


def handover_for(carer, visits: Iterable[Visit]) -> dict[int, list[HandoverNote]]:
    """The handover notes each of ``carer``'s ``visits`` shows, by visit id, oldest first.

    A card shows what others wrote about the person since the carer was last there: the notes
    not marked no longer relevant, by someone else, written after the carer's last check-out
    from a visit to the person before this one (at most ``HANDOVER_LOOKBACK`` before the visit)
    and, once the carer checked out of this visit, before that check-out. So a note shows at
    each carer's next visit until they have checked out of it, then no more. Each note carries
    ``read_at``: when the carer read it, or None. Two queries, however many visits."""
    visits = list(visits)
    if not visits:
        return {}
    people = {v.person_id for v in visits}
    earliest = min(v.starts_at for v in visits) - HANDOVER_LOOKBACK
    mine = HandoverAcknowledgement.objects.filter(note=OuterRef("pk"), carer=carer)
    notes: list[HandoverNote] = list(
        HandoverNote.objects.filter(
            person_id__in=people, retired_at__isnull=True, written_at__gt=earliest
        )
        .exclude(written_by=carer)
        .select_related("written_by")
        .annotate(read_at=Subquery(mine.values("at")[:1]))
        .order_by("written_at", "pk")
    )
    if not notes:
        return {v.pk: [] for v in visits}
    # (person, visit, the visit's start, the carer's check-out) of the carer's visits; the
    # filter keeps only records checked out, so the check-out is never None.
    check_outs = cast(
        list[tuple[int, int, datetime, datetime]],
        list(
            VisitRecord.objects.filter(
                carer=carer,
                person_id__in=people,
                checked_out_at__isnull=False,
                checked_out_at__gt=earliest,
            ).values_list("person_id", "visit_id", "visit__starts_at", "checked_out_at")
        ),
    )
    shown = {}
    for visit in visits:
        since = max(
            [
                visit.starts_at - HANDOVER_LOOKBACK,
                *(
                    out
                    for person_id, _visit, starts, out in check_outs
                    if person_id == visit.person_id and starts < visit.starts_at
                ),
            ]
        )
        until = next((out for _p, v, _s, out in check_outs if v == visit.pk), None)
        shown[visit.pk] = [
            note
            for note in notes
            if note.person_id == visit.person_id
            and note.written_at > since
            and (until is None or note.written_at <= until)
        ]
    return shown


def handover_of(person, now: datetime | None = None) -> QuerySet[HandoverNote]:
    """The person's handover notes of the last ``HANDOVER_HISTORY``, latest first, with who
    wrote each, who read it and when, and who marked it no longer relevant."""
    since = (now or timezone.now()) - HANDOVER_HISTORY
    return _with_reads(HandoverNote.objects.filter(person=person, written_at__gte=since))


def handover_note(note: HandoverNote) -> HandoverNote:
    """``note`` read again with who wrote it and who read it, as ``handover_of`` gives it."""
    return _with_reads(HandoverNote.objects.filter(pk=note.pk)).get()


def _with_reads(notes: QuerySet[HandoverNote]) -> QuerySet[HandoverNote]:
    return notes.select_related("written_by", "retired_by", "visit").prefetch_related(
        Prefetch(
            "acknowledgements",
            queryset=HandoverAcknowledgement.objects.select_related("carer"),
        )
    )


def missed_handovers(cooperative, now: datetime | None = None) -> QuerySet[HandoverNote]:
    """Handover notes of the last ``FOLLOW_UP_WINDOW`` that nobody read, although another
    carer checked out of a visit to the person after the note was written, and the note is
    more than ``MISSED_HANDOVER_AFTER`` old: the next carer may not know. Notes marked no
    longer relevant are left out."""
    now = now or timezone.now()
    visited_since = VisitRecord.objects.filter(
        person=OuterRef("person"),
        checked_out_at__gt=OuterRef("written_at"),
        checked_out_at__lte=now,
    ).exclude(carer=OuterRef("written_by"))
    return (
        HandoverNote.objects.filter(
            cooperative=cooperative,
            retired_at__isnull=True,
            written_at__gte=now - FOLLOW_UP_WINDOW,
            written_at__lt=now - MISSED_HANDOVER_AFTER,
            acknowledgements__isnull=True,
        )
        .filter(Exists(visited_since))
        .select_related("person", "written_by")
    )


def window_visit(carer, person, now: datetime | None = None) -> Visit | None:
    """The carer's visit to ``person`` that a handover note written now goes with: the latest
    begun within the carer's hours around visits (``care.access.CARE_ACCESS_WINDOW``), else
    the next to come within them; None if they have none."""
    now = now or timezone.now()
    visits = Visit.objects.filter(
        person=person,
        carers=carer,
        starts_at__lte=now + CARE_ACCESS_WINDOW,
        ends_at__gte=now - CARE_ACCESS_WINDOW,
    )
    begun = visits.filter(starts_at__lte=now).order_by("-starts_at").first()
    return begun or visits.order_by("starts_at").first()


def requests_about(person) -> QuerySet[VisitRequest]:
    """The person's requests about their visits, newest first, with what they changed."""
    return (
        VisitRequest.objects.filter(person=person)
        .select_related("visit", "task", "outcome", "asked_by", "answered_by")
        .order_by("-asked_at", "-pk")
    )


def requests_waiting(cooperative) -> QuerySet[VisitRequest]:
    """The cooperative's requests about visits waiting for an answer, oldest first."""
    return (
        VisitRequest.objects.filter(cooperative=cooperative, status=VisitRequestStatus.PENDING)
        .select_related("person", "visit", "task", "asked_by")
        .order_by("asked_at", "pk")
    )


def visits_to_ask_about(person, now: datetime | None = None) -> QuerySet[Visit]:
    """The person's planned visits still to come, which may be moved or cancelled."""
    return person.visits.filter(
        status=VisitStatus.PLANNED, starts_at__gt=now or timezone.now()
    ).select_related("task")
