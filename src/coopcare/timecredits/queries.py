"""Reads of time credits shared by the pages, the API and the indicators, each scoped to one
cooperative."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from coopcare.cooperatives.models import Cooperative
from coopcare.members.models import Member
from coopcare.timecredits.models import CreditEntry, EntryKind, Exchange, ExchangeStatus


def member_of(cooperative: Cooperative, user) -> Member | None:
    """The user's own entry on the cooperative's register, if any."""
    return Member.objects.filter(cooperative=cooperative, user=user).first()


def history(member: Member) -> QuerySet[CreditEntry]:
    """The member's ledger entries, oldest first."""
    return (
        CreditEntry.objects.filter(member=member)
        .select_related("exchange", "reverses")
        .order_by("on", "recorded_at", "pk")
    )


def board(cooperative: Cooperative) -> QuerySet[Exchange]:
    """The open offers and requests, newest first."""
    return Exchange.objects.filter(
        cooperative=cooperative, status=ExchangeStatus.OPEN
    ).select_related("posted_by")


def mine(cooperative: Cooperative, member: Member) -> QuerySet[Exchange]:
    """The exchanges a member posted or took up, still open or accepted."""
    return (
        Exchange.objects.filter(cooperative=cooperative)
        .filter(Q(posted_by=member) | Q(taken_by=member))
        .filter(status__in=(ExchangeStatus.OPEN, ExchangeStatus.ACCEPTED))
        .select_related("posted_by", "taken_by")
    )


def balances(cooperative: Cooperative) -> QuerySet[Member]:
    """Every member with ledger entries, with their ``balance`` in hours, by name."""
    return (
        Member.objects.filter(cooperative=cooperative, credit_entries__isnull=False)
        .annotate(balance=Sum("credit_entries__hours"))
        .order_by("full_name", "pk")
    )


def ledger(cooperative: Cooperative) -> QuerySet[CreditEntry]:
    """The cooperative's whole ledger, newest first."""
    return (
        CreditEntry.objects.filter(cooperative=cooperative)
        .select_related("member", "exchange")
        .order_by("-on", "-recorded_at", "-pk")
    )


@dataclass(frozen=True)
class Exchanged:
    """Informal care exchanged in a period: the hours, and how many members gave and
    received."""

    hours: Decimal
    giving: int
    receiving: int


def exchanged(cooperative: Cooperative, start: date, end: date) -> Exchanged:
    """Hours of help given in exchanges done from ``start`` to ``end`` (days included), less
    those whose entries were reversed, with the members who gave and who received them."""
    kept = CreditEntry.objects.filter(
        cooperative=cooperative, on__gte=start, on__lte=end, kind=EntryKind.GIVEN
    ).exclude(Exists(CreditEntry.objects.filter(reverses=OuterRef("pk"))))
    hours = kept.aggregate(hours=Sum("hours"))["hours"] or Decimal(0)
    received = CreditEntry.objects.filter(link__in=kept.values("link"), kind=EntryKind.RECEIVED)
    return Exchanged(
        hours=hours,
        giving=kept.values("member").distinct().count(),
        receiving=received.values("member").distinct().count(),
    )
