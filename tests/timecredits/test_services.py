"""Posting, accepting and confirming exchanges; the ledger's double entries and reversals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from coopcare.kept import Refused
from coopcare.timecredits import services
from coopcare.timecredits.models import CreditEntry, EntryKind, Exchange, ExchangeStatus
from tests import factories

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def offer(coop, giver):
    return services.post(coop, giver, direction="offer", kind="lift", words="To the clinic")


def test_confirming_credits_the_giver_and_debits_the_receiver_together(coop, anna, bruno):
    lift = offer(coop, anna)
    services.accept(lift, bruno)
    given, received = services.confirm(lift, bruno, hours=Decimal("1.5"), done_on=DAY)
    assert (given.member, given.kind, given.hours) == (anna, EntryKind.GIVEN, Decimal("1.5"))
    assert (received.member, received.kind, received.hours) == (
        bruno,
        EntryKind.RECEIVED,
        Decimal("-1.5"),
    )
    assert given.link == received.link
    assert services.balance(anna) == Decimal("1.5") and services.balance(bruno) == Decimal("-1.5")
    assert CreditEntry.objects.aggregate(total=Sum("hours"))["total"] == 0
    lift.refresh_from_db()
    assert (lift.status, lift.hours, lift.done_on) == (ExchangeStatus.DONE, Decimal("1.5"), DAY)


def test_a_request_is_given_by_who_takes_it_up(coop, anna, bruno):
    shopping = services.post(coop, bruno, direction="request", kind="shopping", words="Bread")
    services.accept(shopping, anna)
    with pytest.raises(ValidationError) as refused:
        services.confirm(shopping, anna, hours=Decimal(1), done_on=DAY)
    assert codes(refused.value) == ["time_credit_not_receiver"]
    services.confirm(shopping, bruno, hours=Decimal(1), done_on=DAY)
    assert services.balance(anna) == 1 and services.balance(bruno) == -1


def test_nobody_takes_up_their_own_offer(coop, anna):
    lift = offer(coop, anna)
    with pytest.raises(ValidationError) as refused:
        services.accept(lift, anna)
    assert codes(refused.value) == ["time_credit_self"]
    assert Exchange.objects.get().status == ExchangeStatus.OPEN


def test_hours_past_the_overdraft_or_not_in_quarters_write_nothing(coop, anna, bruno):
    services.set_terms(coop, most_hours=Decimal(8), overdraft=Decimal(2), welcome_hours=Decimal(0))
    lift = offer(coop, anna)
    services.accept(lift, bruno)
    with pytest.raises(ValidationError) as refused:
        services.confirm(lift, bruno, hours=Decimal("2.1"), done_on=DAY)
    assert codes(refused.value) == ["time_credit_not_quarter_hours", "time_credit_overdraft"]
    assert not CreditEntry.objects.exists()
    assert Exchange.objects.get().status == ExchangeStatus.ACCEPTED


def test_a_new_member_starts_with_the_welcome_grant_once(coop, anna, bruno):
    services.set_terms(coop, most_hours=Decimal(8), overdraft=Decimal(0), welcome_hours=Decimal(2))
    lift = offer(coop, anna)
    services.accept(lift, bruno)
    offer(coop, anna)
    assert list(anna.credit_entries.values_list("kind", "hours")) == [
        (EntryKind.WELCOME, Decimal(2))
    ]
    # With no overdraft, Bruno spends his welcome grant and no more.
    services.confirm(lift, bruno, hours=Decimal(2), done_on=DAY)
    assert services.balance(bruno) == 0


def test_a_reversal_corrects_both_sides_with_its_reason_and_only_once(coop, anna, bruno):
    lift = factories.time_exchange(anna, bruno)
    given = lift.entries.get(kind=EntryKind.GIVEN)
    reversals = services.reverse(given, "Entered twice")
    assert sorted(r.hours for r in reversals) == [Decimal("-1.5"), Decimal("1.5")]
    assert {r.reverses for r in reversals} == set(lift.entries.exclude(kind=EntryKind.REVERSAL))
    assert services.balance(anna) == 0 and services.balance(bruno) == 0
    with pytest.raises(ValidationError) as refused:
        services.reverse(lift.entries.get(kind=EntryKind.RECEIVED), "Again")
    assert codes(refused.value) == ["time_credit_reversed"]
    with pytest.raises(ValidationError) as refused:
        services.reverse(reversals[0], "Back")
    assert codes(refused.value) == ["time_credit_reversed"]
    assert CreditEntry.objects.count() == 4


def test_ledger_entries_are_kept_as_written(coop, anna, bruno):
    entry = factories.time_exchange(anna, bruno).entries.first()
    entry.hours = Decimal(9)
    with pytest.raises(Refused):
        entry.save()
    with pytest.raises(Refused):
        CreditEntry.objects.all().delete()


def test_only_members_of_a_cooperative_that_runs_time_credits_take_part(
    coop, anna, supporter_class
):
    applicant = factories.applicant(supporter_class)
    with pytest.raises(ValidationError) as refused:
        offer(coop, applicant)
    assert codes(refused.value) == ["time_credit_not_member"]
    coop.runs_time_credits = False
    coop.save()
    with pytest.raises(ValidationError) as refused:
        offer(coop, anna)
    assert codes(refused.value) == ["time_credits_off"]
    assert not Exchange.objects.exists()


def test_only_the_poster_withdraws_an_open_exchange(coop, anna, bruno):
    lift = offer(coop, anna)
    with pytest.raises(ValidationError) as refused:
        services.withdraw(lift, bruno)
    assert codes(refused.value) == ["time_credit_not_poster"]
    assert services.withdraw(lift, anna).status == ExchangeStatus.WITHDRAWN
    with pytest.raises(ValidationError) as refused:
        services.accept(lift, bruno)
    assert codes(refused.value) == ["time_credit_not_open"]
