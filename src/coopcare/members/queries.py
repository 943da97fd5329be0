"""Read-side queries for the register and the ledger, always scoped to one cooperative."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, DecimalField, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from coopcare.cooperatives.models import Cooperative
from coopcare.members.models import (
    Collection,
    DebitStatus,
    Instalment,
    Mandate,
    Member,
    MemberStatus,
    ShareEntry,
    StakeholderClass,
)
from coopcare.members.rules import cents

if TYPE_CHECKING:  # django-stubs-ext comes with the development tools only
    from django_stubs_ext import WithAnnotations

_MONEY: DecimalField = DecimalField(max_digits=14, decimal_places=2)


class ShareBalance(TypedDict):
    """What ``register`` adds to each member: shares held, capital subscribed, paid up."""

    held_shares: int
    capital: Decimal
    paid_up: Decimal


def register(cooperative: Cooperative) -> "QuerySet[WithAnnotations[Member, ShareBalance]]":
    """The cooperative's register, each member annotated with their share balance."""
    return (
        Member.objects.filter(cooperative=cooperative)
        .select_related("stakeholder_class")
        .order_by(F("number").asc(nulls_last=True), "full_name", "pk")
        .annotate(
            held_shares=Coalesce(
                Sum("share_entries__shares"), Value(0), output_field=IntegerField()
            ),
            capital=Coalesce(Sum("share_entries__capital"), Value(Decimal(0)), output_field=_MONEY),
            paid_up=Coalesce(Sum("share_entries__paid"), Value(Decimal(0)), output_field=_MONEY),
        )
    )


def search_register(
    cooperative: Cooperative,
    q: str = "",
    status: str = "",
    stakeholder_class: StakeholderClass | None = None,
) -> QuerySet[Member]:
    """The register filtered by a name/email search, a status and a class."""
    members = register(cooperative)
    if q:
        members = members.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if status:
        members = members.filter(status=status)
    if stakeholder_class is not None:
        members = members.filter(stakeholder_class=stakeholder_class)
    return members


def ledger(cooperative: Cooperative) -> QuerySet[ShareEntry]:
    """Every share ledger entry of the cooperative, oldest first."""
    return ShareEntry.objects.filter(cooperative=cooperative).select_related("member")


def capital_totals(cooperative: Cooperative, until: date | None = None) -> dict:
    """Share capital of the whole cooperative: shares, subscribed, paid-up and owed (as of
    the day ``until``, by default as the ledger stands)."""
    entries = ShareEntry.objects.filter(cooperative=cooperative)
    if until is not None:
        entries = entries.filter(on__lte=until)
    sums = entries.aggregate(
        shares=Coalesce(Sum("shares"), 0),
        capital=Coalesce(Sum("capital"), Decimal(0), output_field=_MONEY),
        paid=Coalesce(Sum("paid"), Decimal(0), output_field=_MONEY),
    )
    sums["capital"], sums["paid"] = cents(sums["capital"]), cents(sums["paid"])
    sums["unpaid"] = sums["capital"] - sums["paid"]
    return sums


def class_summary(cooperative: Cooperative) -> QuerySet[StakeholderClass]:
    """Each stakeholder class with its count of current members."""
    return cooperative.stakeholder_classes.annotate(
        current_members=Count("members", filter=Q(members__status=MemberStatus.ADMITTED))
    )


@dataclass(frozen=True)
class InstalmentState:
    """An instalment and where its collection stands: open, sent, collected; the reason of
    the last return, if any."""

    instalment: Instalment
    state: str
    returned: str


def instalments(member: Member) -> list[InstalmentState]:
    """The member's instalments, oldest due first, each with where its collection stands."""
    rows = []
    for instalment in member.instalments.prefetch_related("debits"):
        debits = sorted(instalment.debits.all(), key=lambda d: d.pk)
        statuses = {d.status for d in debits}
        state = next((s for s in (DebitStatus.COLLECTED, DebitStatus.SENT) if s in statuses), "")
        returned = next(
            (d.get_return_reason_display() for d in reversed(debits) if d.return_reason), ""
        )
        rows.append(InstalmentState(instalment, state or "open", returned))
    return rows


def mandate_in_force(member: Member) -> Mandate | None:
    """The member's direct debit mandate not revoked, if any."""
    return member.mandates.filter(revoked_on__isnull=True).first()


def collections(cooperative: Cooperative) -> QuerySet[Collection]:
    """The cooperative's collections, newest first, with their count and total of debits."""
    return Collection.objects.filter(cooperative=cooperative).annotate(
        debit_count=Count("debits"),
        total=Coalesce(Sum("debits__amount"), Value(Decimal(0)), output_field=_MONEY),
    )
