"""Reads data protection's pages and API share, each scoped to one cooperative: the rights
requests with their deadlines, what a request's answer exports, who read a person's
records, the unusual reads of a month, the breaches with their clock, and whether a person's
records are restricted."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.forms.models import model_to_dict
from django.utils import timezone

from coopcare.accounts.names import display_name
from coopcare.bounds import day_in_bounds
from coopcare.care import export
from coopcare.care.access import CARE_ACCESS_WINDOW
from coopcare.care.models import CareRecordRead, PersonCaredFor
from coopcare.childcare.models import Child, ChildRecordRead
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.privacy import rules
from coopcare.privacy.models import PersonalDataBreach, Restriction, RightsRequest
from coopcare.respite.models import Caregiver
from coopcare.shared.days import month_end
from coopcare.visits.models import Visit
from coopcare.visits.zones import cooperative_zone, on_cooperative_clock
from coopcare.work.models import Contract, Qualification, Training

# The version of the portability export's layout (docs/data-protection.md), so that a
# program reading it knows what it reads.
EXPORT_FORMAT = "coopcare-data-export/1"
# How many reads a page of a person's access history shows.
READS_PER_PAGE = 50


def requests_of(cooperative) -> QuerySet[RightsRequest]:
    """The cooperative's rights requests: those still open first, the soonest due (so the
    overdue) at the top, then those answered, the latest first."""
    return (
        RightsRequest.objects.filter(cooperative=cooperative)
        .select_related("person", "carer", "member", "child", "caregiver")
        .annotate(
            closed=Case(
                When(status__in=("received", "extended"), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "due_on", "-answered_at", "pk")
    )


def overdue(request: RightsRequest, today: date | None = None) -> bool:
    """Whether an open request is past the day it was due."""
    return request.open and request.due_on < (today or timezone.localdate())


def subject_name(request: RightsRequest) -> str:
    """The name of the person a request is about."""
    if request.person is not None:
        return request.person.full_name
    if request.member is not None:
        return request.member.full_name
    if request.child is not None:
        return request.child.full_name
    if request.caregiver is not None:
        return request.caregiver.full_name
    return display_name(request.carer)


def subject_data(request: RightsRequest) -> dict[str, Any]:
    """What coopcare holds about a request's subject, as the answer to access (art. 15) and
    portability (art. 20): for a person cared for, their whole export with who read their
    record (``care.export.person_data``); for a child, what the centre holds on them
    (``child_data``); for a family caregiver, their record (``caregiver_data``); for a
    member, their entry in the register with its events and share ledger; for a carer, their
    login's name and address, contracts, qualifications and training."""
    cooperative = request.cooperative
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "cooperative": cooperative.name,
        "request": {
            "kind": request.kind,
            "received_on": request.received_on.isoformat(),
        },
    }
    if request.person is not None:
        return data | {"person_cared_for": export.person_data(request.person)}
    if request.member is not None:
        member = request.member
        return data | {
            "member": export.rows([member], cooperative, exclude=("id", "cooperative", "user"))[0],
            "member_events": export.rows(
                member.events.all(), cooperative, exclude=("id", "member")
            ),
            "share_entries": export.rows(
                member.share_entries.all(), cooperative, exclude=("id", "member")
            ),
        }
    if request.carer is not None:
        return data | _carer_data(cooperative, request.carer)
    if request.child is not None:
        return data | {"child": child_data(request.child)}
    if request.caregiver is not None:
        return data | {"family_caregiver": caregiver_data(request.caregiver)}
    raise ValueError("A rights request names one subject (rights_request_has_one_subject).")


def _carer_data(cooperative, carer) -> dict[str, Any]:
    return {
        "carer": {
            "name": export.name(carer),
            "email": carer.email,
            "first_name": carer.first_name,
            "last_name": carer.last_name,
        },
        "contracts": export.rows(
            Contract.objects.filter(cooperative=cooperative, carer=carer),
            cooperative,
            exclude=("id", "carer", "cooperative"),
        ),
        "qualifications": export.rows(
            Qualification.objects.filter(cooperative=cooperative, carer=carer),
            cooperative,
            exclude=("id", "carer", "cooperative"),
        ),
        "training": export.rows(
            Training.objects.filter(cooperative=cooperative, carer=carer),
            cooperative,
            exclude=("id", "carer", "cooperative"),
        ),
    }


def _read_log(reads, cooperative) -> list[dict[str, Any]]:
    """A read log (``coopcare.reads.RecordRead`` rows) as the export of a person cared for
    shows it: when, by whom, what and through what."""
    return [
        {
            "at": export.plain(r.at, cooperative),
            "by": export.name(r.user),
            "what": r.record,
            "via": r.via,
        }
        for r in reads.select_related("user")
    ]


def _adult_name(adult) -> str:
    return adult.full_name if adult is not None else ""


def child_data(child: Child) -> dict[str, Any]:
    """Everything the centre holds on ``child``, for their guardian's request of access or
    portability (arts 15 and 20, exercised for the child under art. 8): the record, the
    guardians, the adults authorised to collect them, the consents, the days of attendance,
    the observations of their development, the refusals at the door naming them, and who
    read their record. Moments on the cooperative's clock, people by name."""
    cooperative = child.cooperative
    return {
        "record": export.rows([child], cooperative, exclude=("id", "cooperative", "room"))[0]
        | {"room": child.room.name if child.room else ""},
        "guardians": [
            {"full_name": g.full_name, "phone": g.phone, "login": export.name(g.user)}
            for g in child.guardians.select_related("user")
        ],
        "authorised_adults": [
            {
                "full_name": a.full_name,
                "relation": a.relation,
                "identity_note": a.identity_note,
                "guardian": a.guardian_id is not None,
                "added_at": export.plain(a.added_at, cooperative),
                "withdrawn_at": export.plain(a.withdrawn_at, cooperative),
            }
            for a in child.adults.all()
        ],
        "consents": [
            {
                "kind": c.kind,
                "given_by": c.given_by.full_name,
                "given_on": export.plain(c.given_on, cooperative),
                "withdrawn_on": export.plain(c.withdrawn_on, cooperative),
            }
            for c in child.consents.select_related("given_by")
        ],
        "attendance": [
            {
                "day": export.plain(a.day, cooperative),
                "room": a.room.name,
                "signed_in_at": export.plain(a.signed_in_at, cooperative),
                "brought_by": a.brought_by.full_name,
                "signed_out_at": export.plain(a.signed_out_at, cooperative),
                "collected_by": _adult_name(a.collected_by),
            }
            for a in child.attendances.select_related("room", "brought_by", "collected_by")
        ],
        "observations": [
            {
                "observed_on": export.plain(o.observed_on, cooperative),
                "area": o.area,
                "text": o.text,
                "recorded_by": export.name(o.recorded_by),
                "shared_at": export.plain(o.shared_at, cooperative),
            }
            for o in child.observations.select_related("recorded_by")
        ],
        "refused_collections": [
            {"at": export.plain(r.at, cooperative), "who_asked": r.person_name}
            for r in child.refusals.all()
        ],
        "record_reads": _read_log(child.reads.all(), cooperative),
    }


def caregiver_data(caregiver: Caregiver) -> dict[str, Any]:
    """A family caregiver's own data, for their request of access or portability (arts 15
    and 20): their record, the versions of their support plan, the gatherings they enrolled
    in and whether they came, and who read their record."""
    cooperative = caregiver.cooperative
    return {
        "record": export.rows(
            [caregiver],
            cooperative,
            exclude=("id", "cooperative", "user", "cares_for", "circle_member", "recorded_by"),
        )[0],
        "support_plans": [
            {
                "version": p.version,
                "valid_from": export.plain(p.valid_from, cooperative),
                "goals": p.goals,
                "respite_hours_a_month": p.respite_hours_a_month,
            }
            for p in caregiver.plans.all()
        ],
        "enrolments": [
            {
                "kind": e.gathering.kind,
                "topic": e.gathering.topic,
                "starts_at": export.plain(e.gathering.starts_at, cooperative),
                "attended": e.attended,
            }
            for e in caregiver.enrolments.select_related("gathering")
        ],
        "record_reads": _read_log(caregiver.reads.all(), cooperative),
    }


def request_row(request: RightsRequest) -> dict[str, Any]:
    """A request's own fields as plain values, for its export with the answer."""
    fields = model_to_dict(request, exclude=("cooperative",))
    return {k: export.plain(v, request.cooperative) for k, v in fields.items()}


@dataclass(frozen=True)
class ReadLine:
    """One read of a person's records: who (by name and role, never the login), what, when
    (on the cooperative's clock) and through what."""

    at: datetime
    who: str
    roles: list[str]
    record: str
    via: str


def _roles_by_user(cooperative, user_ids) -> dict[int, list[str]]:
    roles: dict[int, list[str]] = defaultdict(list)
    for user_id, role in CooperativeRole.objects.filter(
        cooperative=cooperative, user_id__in=set(user_ids)
    ).values_list("user_id", "role"):
        roles[user_id].append(role)
    return roles


def reads_of(cooperative, person: PersonCaredFor) -> QuerySet[CareRecordRead]:
    """Every read of ``person``'s records, the latest first (page it with ``read_lines``)."""
    return (
        CareRecordRead.objects.filter(cooperative=cooperative, person=person)
        .select_related("user")
        .order_by("-at", "-pk")
    )


def reads_of_child(cooperative, child: Child) -> QuerySet[ChildRecordRead]:
    """Every read of ``child``'s records, the latest first (page it with ``read_lines``)."""
    return (
        ChildRecordRead.objects.filter(cooperative=cooperative, child=child)
        .select_related("user")
        .order_by("-at", "-pk")
    )


def read_lines(cooperative, reads) -> list[ReadLine]:
    """``reads`` (a page of ``reads_of`` or ``reads_of_child``: any read log of the shape
    ``coopcare.reads.RecordRead``) as lines naming who read, with their roles."""
    reads = list(reads)
    roles = _roles_by_user(cooperative, [r.user_id for r in reads])
    return [
        ReadLine(
            at=on_cooperative_clock(r.at, cooperative),
            who=display_name(r.user),
            roles=sorted(roles.get(r.user_id, [])),
            record=r.record,
            via=r.via,
        )
        for r in reads
    ]


class Unusual:
    """Why a read is in the month's summary."""

    OUTSIDE_VISITS = "outside_visits"
    NIGHT = "night"
    MANY = "many"


@dataclass(frozen=True)
class UnusualRead:
    """A read, or a burst of reads, worth a coordinator's look."""

    kind: str
    at: datetime
    who: str
    person: str
    count: int = 1


def unusual_reads(cooperative, first: datetime, last: datetime) -> list[UnusualRead]:
    """The reads of care records between ``first`` and ``last`` that a coordinator should
    look at: by a carer (not a coordinator) of a person they had no visit with within
    ``CARE_ACCESS_WINDOW``, at night on the cooperative's clock (``rules.at_night``), and
    bursts of many people read at once (``rules.bursts``). The latest first."""
    reads = list(
        CareRecordRead.objects.filter(cooperative=cooperative, at__gte=first, at__lt=last)
        .select_related("user", "person")
        .order_by("at", "pk")
    )
    roles = _roles_by_user(cooperative, [r.user_id for r in reads])
    carers = {u for u, held in roles.items() if Role.CARER in held and Role.COORDINATOR not in held}
    windows: dict[tuple[int, int], list[tuple[datetime, datetime]]] = defaultdict(list)
    for visit in Visit.objects.filter(
        cooperative=cooperative,
        carers__in=carers,
        starts_at__lte=last + CARE_ACCESS_WINDOW,
        ends_at__gte=first - CARE_ACCESS_WINDOW,
    ).values("person_id", "carers", "starts_at", "ends_at"):
        windows[(visit["carers"], visit["person_id"])].append(
            (visit["starts_at"] - CARE_ACCESS_WINDOW, visit["ends_at"] + CARE_ACCESS_WINDOW)
        )
    found = []
    by_user: dict[int, list[rules.Read]] = defaultdict(list)
    for read in reads:
        who = display_name(read.user)
        if read.user_id in carers and not any(
            start <= read.at <= end for start, end in windows[(read.user_id, read.person_id)]
        ):
            found.append(UnusualRead(Unusual.OUTSIDE_VISITS, read.at, who, read.person.full_name))
        if rules.at_night(on_cooperative_clock(read.at, cooperative).time()):
            found.append(UnusualRead(Unusual.NIGHT, read.at, who, read.person.full_name))
        by_user[read.user_id].append(rules.Read(read.at, read.person_id))
    names = {r.user_id: display_name(r.user) for r in reads}
    for user_id, theirs in by_user.items():
        for at, count in rules.bursts(theirs):
            found.append(UnusualRead(Unusual.MANY, at, names[user_id], "", count))
    return sorted(found, key=lambda u: u.at, reverse=True)


def breaches_of(cooperative) -> QuerySet[PersonalDataBreach]:
    """The cooperative's register of breaches, the latest known first."""
    return PersonalDataBreach.objects.filter(cooperative=cooperative)


def authority_clock(breach: PersonalDataBreach, now: datetime | None = None) -> str:
    """Where a breach stands with the authority: "notified", "not_needed", "overdue" (72
    hours passed with no notice) or "running"."""
    if breach.authority_notified_at is not None:
        return "notified"
    if breach.no_notice_reason:
        return "not_needed"
    if (now or timezone.now()) > rules.authority_deadline(breach.aware_at):
        return "overdue"
    return "running"


def restricted(person: PersonCaredFor) -> Restriction | None:
    """The restriction in force on ``person``'s records (art. 18), if any."""
    return Restriction.objects.filter(person=person, lifted_at__isnull=True).first()


def month_of(month: str) -> date | None:
    """The first day of ``month`` ("YYYY-MM"), or None when it is not a month within the
    years ``bounds`` allows."""
    try:
        first = datetime.strptime(month, "%Y-%m").date()
        day_in_bounds(first)
    except (ValidationError, ValueError):
        return None
    return first


def month_span(cooperative, month: str | None) -> tuple[datetime, datetime]:
    """The first moment of ``month`` ("YYYY-MM"; the last whole month when missing or not a
    month, ``month_of``) and of the next, on the cooperative's clock."""
    zone = cooperative_zone(cooperative)
    today = timezone.localdate()
    first = month_of(month or "") or (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = month_end(first) + timedelta(days=1)
    return (
        datetime.combine(first, datetime.min.time(), zone),
        datetime.combine(following, datetime.min.time(), zone),
    )
