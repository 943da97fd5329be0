"""Read-side queries for the register and the ledger, and a member's own view of their
cooperative (``overview``), always scoped to one cooperative."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, DecimalField, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from coopcare.cooperatives.models import Cooperative
from coopcare.members import rules, services
from coopcare.members.models import (
    Collection,
    DebitStatus,
    Instalment,
    Mandate,
    Member,
    MemberStatus,
    ShareEntry,
    StakeholderClass,
    StakeholderKind,
)
from coopcare.members.rules import cents

if TYPE_CHECKING:  # django-stubs-ext comes with the development tools only
    from django_stubs_ext import WithAnnotations

    from coopcare.governance.queries import CalledTo, OpenVote
    from coopcare.work.models import PatronageRefund

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


# -- the member's view of their cooperative -------------------------------------------------


@dataclass(frozen=True)
class MyShares:
    """A member's shares as they read them: the balance, whether it is paid up, the value of
    one share in their class, the instalments not collected yet and their mandate in force."""

    balance: rules.ShareBalance
    paid_up: bool
    share_value: Decimal
    instalments_due: list[InstalmentState]
    mandate: Mandate | None


@dataclass(frozen=True)
class Overview:
    """Everything a member reads about their cooperative on one page (and one API answer):
    the votes open to them, the assemblies they are called to, their shares, their patronage
    refunds, and the year of the cooperative's last social report. Only their own records."""

    member: Member
    votes: "list[OpenVote]"
    assemblies: "list[CalledTo]"
    shares: MyShares
    refunds: "list[PatronageRefund]"
    # Patronage refunds go to worker members, by their hours (work.queries.member_hours).
    refunds_apply: bool
    social_report_year: int | None


def last_social_report_year(cooperative: Cooperative, today: date) -> int | None:
    """The last whole year of the cooperative's social report: last year, if it had members
    admitted by its end (a cooperative newer than that has no year to report yet)."""
    year = today.year - 1
    had_members = Member.objects.filter(
        cooperative=cooperative, admitted_on__lte=date(year, 12, 31)
    ).exists()
    return year if had_members else None


def overview(cooperative: Cooperative, member: Member, now: datetime | None = None) -> Overview:
    """``member``'s view of ``cooperative`` at ``now`` (by default the present), gathered from
    each app's own queries."""
    # Imported here, not at the top: governance and work build on the register (their models
    # and services import members), so module-level imports would make the apps import each
    # other. This is the one read that looks up from the register to them.
    from coopcare.governance import queries as governance
    from coopcare.work import queries as work

    now = now or timezone.now()
    balance = services.share_balance(member)
    return Overview(
        member=member,
        votes=governance.votes_open_to(member, now),
        assemblies=governance.called_with_proxies(member),
        shares=MyShares(
            balance=balance,
            paid_up=rules.is_paid_up(balance, member.stakeholder_class.min_shares),
            share_value=member.stakeholder_class.share_value,
            instalments_due=[row for row in instalments(member) if row.state != "collected"],
            mandate=mandate_in_force(member),
        ),
        refunds=list(work.refunds_of(cooperative, member)),
        refunds_apply=member.stakeholder_class.kind == StakeholderKind.WORKER,
        social_report_year=last_social_report_year(cooperative, timezone.localdate(now)),
    )
