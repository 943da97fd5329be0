"""Actions on time credits: posting an offer or a request, accepting it, confirming the
hours (a credit for the giver and a debit for the receiver in one transaction), reversing
entries, and the cooperative's terms.

Each action checks ``rules`` and writes everything in one transaction, with the members'
rows locked in a fixed order so that two exchanges of one member are checked one after the
other. A broken rule raises ``ValidationError`` and writes nothing.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.members.models import Member, MemberStatus
from coopcare.timecredits import rules
from coopcare.timecredits.models import (
    CreditEntry,
    EntryKind,
    Exchange,
    ExchangeStatus,
    Terms,
)


def terms_of(cooperative: Cooperative) -> Terms:
    """The cooperative's terms, or the defaults (unsaved) while it has set none."""
    return Terms.objects.filter(cooperative=cooperative).first() or Terms(cooperative=cooperative)


def balance(member: Member) -> Decimal:
    """The member's time credits in hours: the sum of their ledger entries."""
    return CreditEntry.objects.filter(member=member).aggregate(hours=Sum("hours"))[
        "hours"
    ] or Decimal(0)


def _refuse(problems: list[ValidationError]) -> None:
    if problems:
        raise ValidationError(problems)


def _locked(*members: Member) -> dict[int, Member]:
    """The members' rows locked, in the order of their ids so that two exchanges between the
    same members cannot deadlock."""
    pks = sorted({m.pk for m in members})
    found = {m.pk: m for m in Member.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    return found


def _taking_part(cooperative: Cooperative, member: Member) -> None:
    if not cooperative.runs_time_credits:
        raise ValidationError(
            _("This cooperative does not exchange time credits."), code="time_credits_off"
        )
    if member.cooperative_id != cooperative.pk or member.status != MemberStatus.ADMITTED:
        raise ValidationError(
            _("Only the cooperative's members exchange time credits."),
            code="time_credit_not_member",
        )


def _welcome(member: Member, terms: Terms, by) -> None:
    """A member's first part in time credits brings the welcome grant, if the cooperative sets
    one (its choice): a single entry, given by the cooperative rather than by a member."""
    if terms.welcome_hours <= 0 or CreditEntry.objects.filter(member=member).exists():
        return
    CreditEntry.objects.create(
        cooperative_id=member.cooperative_id,
        member=member,
        kind=EntryKind.WELCOME,
        on=timezone.localdate(),
        hours=terms.welcome_hours,
        link=uuid.uuid4(),
        recorded_by=by,
    )


@transaction.atomic
def post(
    cooperative: Cooperative, member: Member, *, direction: str, kind: str, words: str, by=None
) -> Exchange:
    """Post an offer or a request of help on the cooperative's board."""
    member = _locked(member)[member.pk]
    _taking_part(cooperative, member)
    if not words.strip():
        raise ValidationError(_("Say in a few words what the help is."), code="time_credit_words")
    _welcome(member, terms_of(cooperative), by)
    return Exchange.objects.create(
        cooperative=cooperative,
        direction=direction,
        kind=kind,
        words=words.strip(),
        posted_by=member,
    )


@transaction.atomic
def accept(exchange: Exchange, member: Member, by=None) -> Exchange:
    """``member`` takes up an open offer or request."""
    exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
    member = _locked(member)[member.pk]
    _taking_part(exchange.cooperative, member)
    if exchange.status != ExchangeStatus.OPEN:
        raise ValidationError(_("This exchange is no longer open."), code="time_credit_not_open")
    _refuse(rules.parties_problems(exchange.posted_by_id, member.pk))
    _welcome(member, terms_of(exchange.cooperative), by)
    exchange.taken_by = member
    exchange.accepted_at = timezone.now()
    exchange.status = ExchangeStatus.ACCEPTED
    exchange.save(update_fields=["taken_by", "accepted_at", "status"])
    return exchange


@transaction.atomic
def withdraw(exchange: Exchange, member: Member) -> Exchange:
    """Its poster takes an offer or request off the board while nobody has taken it up."""
    exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if exchange.posted_by_id != member.pk:
        raise ValidationError(
            _("Only who posted it may withdraw it."), code="time_credit_not_poster"
        )
    if exchange.status != ExchangeStatus.OPEN:
        raise ValidationError(_("This exchange is no longer open."), code="time_credit_not_open")
    exchange.status = ExchangeStatus.WITHDRAWN
    exchange.save(update_fields=["status"])
    return exchange


@transaction.atomic
def confirm(
    exchange: Exchange, member: Member, *, hours: Decimal, done_on: date, by=None
) -> tuple[CreditEntry, CreditEntry]:
    """The receiver confirms the hours of an accepted exchange: the ledger records a credit for
    the giver and the same debit for the receiver, together, and the exchange is done."""
    exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if exchange.status != ExchangeStatus.ACCEPTED:
        raise ValidationError(
            _("Only an accepted exchange can be confirmed."), code="time_credit_not_accepted"
        )
    # An accepted exchange has both its giver and its receiver.
    giver, receiver = exchange.giver or member, exchange.receiver or member
    if member.pk != receiver.pk:
        raise ValidationError(
            _("The member who received the help confirms its hours."),
            code="time_credit_not_receiver",
        )
    if done_on > timezone.localdate():
        raise ValidationError(_("Confirm the help once it is done."), code="time_credit_in_future")
    locked = _locked(giver, receiver)
    giver, receiver = locked[giver.pk], locked[receiver.pk]
    terms = terms_of(exchange.cooperative)
    _refuse(
        rules.parties_problems(giver.pk, receiver.pk)
        + rules.hours_problems(hours, terms.most_hours)
        + rules.overdraft_problems(balance(receiver), hours, terms.overdraft)
    )
    link = uuid.uuid4()
    given, received = (
        CreditEntry.objects.create(
            cooperative_id=exchange.cooperative_id,
            member=who,
            kind=kind,
            on=done_on,
            hours=sign * hours,
            exchange=exchange,
            link=link,
            recorded_by=by,
        )
        for who, kind, sign in ((giver, EntryKind.GIVEN, 1), (receiver, EntryKind.RECEIVED, -1))
    )
    exchange.hours, exchange.done_on, exchange.confirmed_by = hours, done_on, by
    exchange.status = ExchangeStatus.DONE
    exchange.save(update_fields=["hours", "done_on", "confirmed_by", "status"])
    return given, received


@transaction.atomic
def reverse(entry: CreditEntry, reason: str, by=None) -> list[CreditEntry]:
    """Correct the ledger: a reversing entry, with its reason, for ``entry`` and the entry
    recorded with it (both sides of an exchange, so the ledger still adds up). The entries
    themselves never change."""
    if not reason.strip():
        raise ValidationError(
            _("Say why the entries are reversed."), code="time_credit_reason_missing"
        )
    group = list(CreditEntry.objects.select_for_update().filter(link=entry.link).order_by("pk"))
    if (
        any(e.kind == EntryKind.REVERSAL for e in group)
        or CreditEntry.objects.filter(reverses__in=group).exists()
    ):
        raise ValidationError(
            _("These entries are reversed already, or are a reversal."),
            code="time_credit_reversed",
        )
    link, today = uuid.uuid4(), timezone.localdate()
    return [
        CreditEntry.objects.create(
            cooperative_id=e.cooperative_id,
            member_id=e.member_id,
            kind=EntryKind.REVERSAL,
            on=today,
            hours=-e.hours,
            exchange=e.exchange,
            link=link,
            reverses=e,
            reason=reason.strip(),
            recorded_by=by,
        )
        for e in group
    ]


@transaction.atomic
def set_terms(
    cooperative: Cooperative,
    *,
    most_hours: Decimal,
    overdraft: Decimal,
    welcome_hours: Decimal,
    by=None,
) -> Terms:
    """The cooperative's terms of time credits, as its coordinators set them."""
    _refuse(rules.terms_problems(most_hours, overdraft, welcome_hours))
    terms, _created = Terms.objects.update_or_create(
        cooperative=cooperative,
        defaults={
            "most_hours": most_hours,
            "overdraft": overdraft,
            "welcome_hours": welcome_hours,
            "changed_by": by,
        },
    )
    return terms
