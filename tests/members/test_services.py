"""Register and share ledger actions: rules enforced, nothing half-written, balances derived."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.kept import Refused
from coopcare.members import services
from coopcare.members.models import (
    Member,
    MemberEvent,
    MemberStatus,
    ShareEntry,
    ShareEntryKind,
)
from tests import factories


def test_application_records_subscription_and_first_payment(supporter_class):
    member = factories.applicant(supporter_class, shares=2, first_payment=Decimal(30))
    assert member.status == MemberStatus.APPLICANT and member.number is None
    kinds = list(member.share_entries.values_list("kind", "shares", "capital", "paid"))
    assert kinds == [
        (ShareEntryKind.SUBSCRIPTION, 2, Decimal("100.00"), Decimal("0.00")),
        (ShareEntryKind.PAYMENT, 0, Decimal("0.00"), Decimal("30.00")),
    ]
    assert services.share_balance(member).unpaid == Decimal(70)


def test_chca_style_instalments_until_paid_up(worker_class):
    """CHCA: a $1,000 worker share paid $50 up front, then weekly amounts; here 500 in 50s."""
    member = factories.applicant(
        worker_class, works_since=date(2025, 1, 1), first_payment=Decimal(50)
    )
    services.admit(member, date(2025, 7, 1))
    for week in range(8):
        assert not services.is_paid_up(member)
        services.record_payment(member, Decimal(50), date(2025, 7, 1 + week))
    services.record_payment(member, Decimal(50), date(2025, 7, 20))
    assert services.is_paid_up(member)
    assert services.share_balance(member).paid == Decimal(500)


def test_paying_more_than_subscribed_is_refused_and_changes_nothing(supporter_class):
    member = factories.applicant(supporter_class, first_payment=Decimal(40))
    before = ShareEntry.objects.count()
    with pytest.raises(ValidationError, match=r"above the 50\.00 subscribed"):
        services.record_payment(member, Decimal(20), date(2026, 2, 1))
    assert ShareEntry.objects.count() == before


def test_a_person_is_on_the_register_once(supporter_class, worker_class):
    user = factories.UserFactory()
    factories.applicant(supporter_class, user=user, email="ada@example.org")
    with pytest.raises(ValidationError, match="already on the register"):
        factories.applicant(worker_class, user=user)
    with pytest.raises(ValidationError, match="with this email"):
        factories.applicant(worker_class, email="ADA@example.org")
    assert Member.objects.count() == 1
    assert ShareEntry.objects.count() == 1  # the second application wrote nothing


def test_same_person_may_join_another_cooperative(supporter_class):
    user = factories.UserFactory()
    factories.applicant(supporter_class, user=user)
    other = factories.StakeholderClassFactory()
    factories.applicant(other, user=user)
    assert Member.objects.filter(user=user).count() == 2


def test_admission_numbers_the_register_and_respects_probation(worker_class, supporter_class):
    first = factories.admitted_member(supporter_class)
    worker = factories.applicant(worker_class, works_since=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="probation of 180 days"):
        services.admit(worker, date(2026, 3, 1))
    worker.refresh_from_db()
    assert worker.status == MemberStatus.APPLICANT and worker.number is None
    services.admit(worker, date(2026, 7, 1))
    worker.refresh_from_db()
    assert (first.number, worker.number) == (1, 2)
    assert list(worker.events.values_list("kind", flat=True)) == ["applied", "admitted"]


def test_class_change_keeps_history(supporter_class, worker_class):
    member = factories.admitted_member(supporter_class)
    services.change_class(member, worker_class, date(2026, 3, 1), "hired as a carer")
    member.refresh_from_db()
    assert member.stakeholder_class == worker_class
    event = member.events.get(kind="class_changed")
    assert (event.from_class, event.to_class) == (supporter_class, worker_class)


def test_resign_then_redeem_once(supporter_class):
    member = factories.admitted_member(supporter_class, paid=50)
    with pytest.raises(ValidationError, match="record the resignation first"):
        services.redeem(member, date(2026, 3, 1))
    services.resign(member, date(2026, 3, 1))
    entry = services.redeem(member, date(2026, 4, 1), reference="bank transfer")
    assert (entry.shares, entry.capital, entry.paid) == (-1, Decimal(-50), Decimal(-50))
    assert services.share_balance(member) == services.rules.ShareBalance()
    with pytest.raises(ValidationError, match="already been redeemed"):
        services.redeem(member, date(2026, 4, 2))
    assert member.share_entries.filter(kind=ShareEntryKind.REDEMPTION).count() == 1


def test_redemption_pays_back_only_what_was_paid(worker_class):
    member = factories.admitted_member(worker_class, works_since=date(2025, 1, 1), paid=150)
    services.resign(member, date(2026, 5, 1))
    entry = services.redeem(member, date(2026, 5, 15))
    assert entry.paid == Decimal(-150) and entry.capital == Decimal(-500)


def test_exclusion_needs_a_reason(supporter_class):
    member = factories.admitted_member(supporter_class)
    with pytest.raises(ValidationError, match="reason"):
        services.exclude(member, date(2026, 3, 1), "  ")
    member.refresh_from_db()
    assert member.status == MemberStatus.ADMITTED
    assert not MemberEvent.objects.filter(member=member, kind="excluded").exists()


def test_transfer_moves_paid_shares_between_members(supporter_class):
    sender = factories.admitted_member(supporter_class, shares=3)
    receiver = factories.admitted_member(supporter_class)
    out, into = services.transfer_shares(sender, receiver, 2, date(2026, 3, 1))
    assert out.transfer == into.transfer
    assert services.share_balance(sender).shares == 1
    assert services.share_balance(receiver) == services.rules.ShareBalance(
        3, Decimal(150), Decimal(150)
    )


def test_transfer_to_an_applicant_or_another_cooperative_is_refused(supporter_class):
    sender = factories.admitted_member(supporter_class, shares=3)
    waiting = factories.applicant(supporter_class)
    with pytest.raises(ValidationError, match="admitted member"):
        services.transfer_shares(sender, waiting, 1, date(2026, 3, 1))
    elsewhere = factories.admitted_member(factories.StakeholderClassFactory())
    with pytest.raises(ValidationError, match="same cooperative"):
        services.transfer_shares(sender, elsewhere, 1, date(2026, 3, 1))
    assert services.share_balance(sender).shares == 3


def test_class_of_another_cooperative_is_refused(coop):
    foreign = factories.StakeholderClassFactory()
    with pytest.raises(ValidationError, match="another cooperative"):
        services.apply_for_membership(
            coop, full_name="X", stakeholder_class=foreign, shares=1, applied_on=date(2026, 1, 1)
        )
    assert not Member.objects.exists()


def test_ledger_is_append_only(supporter_class):
    member = factories.admitted_member(supporter_class)
    entry = member.share_entries.first()
    entry.paid = Decimal(1000)
    for attempt in (
        entry.save,
        entry.delete,
        lambda: ShareEntry.objects.filter(member=member).update(paid=0),
        lambda: ShareEntry.objects.filter(member=member).delete(),
    ):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "kept_as_written"
    assert services.share_balance(member).paid == Decimal(50)
