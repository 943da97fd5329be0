"""Reads of the childcare pages and the API, each scoped to one cooperative."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from coopcare.childcare import rules
from coopcare.childcare.models import (
    Attendance,
    AuthorisedAdult,
    Child,
    ChildConsent,
    FeeCharge,
    FeeSchedule,
    FeeTerms,
    RatioSetting,
    RefusedCollection,
    Room,
    Shift,
    Subsidy,
)


def rooms(cooperative) -> QuerySet[Room]:
    return Room.objects.filter(cooperative=cooperative)


def enrolled(cooperative, on: date) -> QuerySet[Child]:
    """The children enrolled on ``on``."""
    return (
        Child.objects.filter(cooperative=cooperative, enrolled_on__lte=on)
        .filter(Q(leaves_on__isnull=True) | Q(leaves_on__gte=on))
        .select_related("room")
    )


def authorised(child: Child) -> QuerySet[AuthorisedAdult]:
    """The adults who may sign ``child`` in and out now."""
    return child.adults.filter(withdrawn_at__isnull=True)


def consents_in_force(child: Child) -> QuerySet[ChildConsent]:
    return child.consents.filter(withdrawn_on__isnull=True).select_related("given_by")


@dataclass(frozen=True)
class RatioInForce:
    """A band's ratio in force: the cooperative's own (``own``) or the country's default."""

    from_months: int
    to_months: int
    children_per_adult: int
    source: str
    own: RatioSetting | None

    def as_rule(self) -> rules.Ratio:
        return rules.Ratio(self.from_months, self.to_months, self.children_per_adult, self.source)


def ratios(cooperative) -> list[RatioInForce]:
    """The ratios in force: the latest row the cooperative set for each band, then the
    country's defaults for the ages no row of the cooperative covers."""
    own: dict[tuple[int, int], RatioSetting] = {}
    for row in RatioSetting.objects.filter(cooperative=cooperative).select_related("set_by"):
        own.setdefault((row.from_months, row.to_months), row)
    found = [
        RatioInForce(r.from_months, r.to_months, r.children_per_adult, r.reason, r)
        for r in own.values()
    ]
    for default in rules.DEFAULT_RATIOS.get(cooperative.country, ()):
        if not any(
            r.from_months < default.to_months and default.from_months < r.to_months for r in found
        ):
            found.append(
                RatioInForce(
                    default.from_months,
                    default.to_months,
                    default.children_per_adult,
                    default.source,
                    None,
                )
            )
    return sorted(found, key=lambda r: (r.from_months, r.to_months))


def ratio_history(cooperative) -> QuerySet[RatioSetting]:
    return (
        RatioSetting.objects.filter(cooperative=cooperative)
        .select_related("set_by")
        .order_by("-set_at", "-pk")
    )


def attendance_on(cooperative, day: date) -> QuerySet[Attendance]:
    return Attendance.objects.filter(cooperative=cooperative, day=day).select_related(
        "child", "brought_by", "collected_by"
    )


def refusals(cooperative, since: datetime) -> QuerySet[RefusedCollection]:
    """The refused collections since ``since``, newest first."""
    return RefusedCollection.objects.filter(cooperative=cooperative, at__gte=since).select_related(
        "child", "recorded_by"
    )


def shifts_on(cooperative, day: date) -> QuerySet[Shift]:
    return Shift.objects.filter(cooperative=cooperative, starts_at__date=day).select_related(
        "room", "worker"
    )


@dataclass(frozen=True)
class RoomNow:
    """A room as it is at one moment: the children signed in and not out, the staff on shift,
    and what the ratios ask of it."""

    room: Room
    at: datetime
    children: list[Child]
    staff: list[Shift]
    staffing: rules.Staffing


def room_now(room: Room, at: datetime | None = None) -> RoomNow:
    """``room`` at ``at`` (now by default)."""
    at = at or timezone.now()
    present = list(
        Attendance.objects.filter(
            room=room,
            day=timezone.localdate(at),
            signed_in_at__lte=at,
        )
        .filter(Q(signed_out_at__isnull=True) | Q(signed_out_at__gt=at))
        .select_related("child")
    )
    children = [a.child for a in present]
    staff = list(
        Shift.objects.filter(room=room, starts_at__lte=at, ends_at__gt=at).select_related("worker")
    )
    today = timezone.localdate(at)
    ages = [rules.age_in_months(c.born_on, today) for c in children]
    in_force = [r.as_rule() for r in ratios(room.cooperative)]
    return RoomNow(room, at, children, staff, rules.staff_needed(ages, in_force, len(staff)))


def fee_schedules(cooperative) -> QuerySet[FeeSchedule]:
    """The cooperative's fee schedules, latest first, with their bands."""
    return FeeSchedule.objects.filter(cooperative=cooperative).prefetch_related("bands")


def subsidies(cooperative) -> QuerySet[Subsidy]:
    """The cooperative's subsidies, with the public bodies they are billed to."""
    return Subsidy.objects.filter(cooperative=cooperative).select_related("payer")


@dataclass(frozen=True)
class ChildFees:
    """A child's fee terms, latest first, and the fees billed, latest month first."""

    terms: list[FeeTerms]
    charges: list[FeeCharge]


def child_fees(child: Child) -> ChildFees:
    """What the child's fees are reckoned from and what was billed for them."""
    return ChildFees(
        terms=list(child.fee_terms.order_by("-valid_from")),
        charges=list(
            child.fee_charges.select_related("line", "credited_by").prefetch_related(
                "subsidies__line"
            )
        ),
    )


def month_charges(cooperative, month: date) -> QuerySet[FeeCharge]:
    """The fees billed for ``month`` (its first day), with the invoices of their lines."""
    return (
        FeeCharge.objects.filter(cooperative=cooperative, month=month)
        .select_related("child", "line__invoice", "credited_by")
        .prefetch_related("subsidies__line__invoice", "subsidies__subsidy")
        .order_by("child__full_name", "pk")
    )
