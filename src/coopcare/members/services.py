"""Actions that change the member register and the share ledger.

Each action checks its rules (``rules.py``) and writes everything it changes in one
transaction, with the member's row locked so that two concurrent actions on one member are
checked one after the other. A broken rule raises ``ValidationError`` and writes nothing.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Cooperative, Role
from coopcare.members import rules, sepa
from coopcare.members.models import (
    LEFT_STATUSES,
    Collection,
    Debit,
    DebitStatus,
    Instalment,
    Mandate,
    Member,
    MemberEvent,
    MemberEventKind,
    MemberStatus,
    ReturnReason,
    SepaCreditor,
    ShareEntry,
    ShareEntryKind,
    StakeholderClass,
)
from coopcare.notify import Addressee, Notice, send, to_user


def share_balance(member: Member, on: date | None = None) -> rules.ShareBalance:
    """The member's shares, subscribed and paid-up capital: the sum of their ledger entries
    (up to the day ``on``, when given)."""
    entries = member.share_entries.all()
    if on is not None:
        entries = entries.filter(on__lte=on)
    sums = entries.aggregate(shares=Sum("shares"), capital=Sum("capital"), paid=Sum("paid"))
    return rules.ShareBalance(
        shares=sums["shares"] or 0,
        capital=rules.cents(sums["capital"] or 0),
        paid=rules.cents(sums["paid"] or 0),
    )


def is_paid_up(member: Member) -> bool:
    """Whether the member's shares are fully paid (feeds voting rights)."""
    return rules.is_paid_up(share_balance(member), member.stakeholder_class.min_shares)


def _refuse(problems: list[ValidationError]) -> None:
    """Raise the rules' problems together, each with its own code."""
    if problems:
        raise ValidationError(problems)


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)


def _event(member, kind, on, by, reason="", from_class=None, to_class=None) -> MemberEvent:
    return MemberEvent.objects.create(
        member=member,
        kind=kind,
        on=on,
        recorded_by=by,
        reason=reason,
        from_class=from_class,
        to_class=to_class,
    )


def _check_class(cooperative: Cooperative, stakeholder_class: StakeholderClass) -> None:
    if stakeholder_class.cooperative_id != cooperative.pk:
        raise ValidationError(
            _("That stakeholder class belongs to another cooperative."),
            code="class_of_another_cooperative",
        )


@transaction.atomic
def apply_for_membership(
    cooperative: Cooperative,
    *,
    full_name: str,
    stakeholder_class: StakeholderClass,
    shares: int,
    applied_on: date,
    email: str = "",
    phone: str = "",
    address: str = "",
    user=None,
    works_since: date | None = None,
    first_payment: Decimal = Decimal(0),
    recorded_by=None,
) -> Member:
    """Record an application: the applicant, the shares they subscribe, and any first payment."""
    _check_class(cooperative, stakeholder_class)
    _refuse(rules.subscription_problems(shares, stakeholder_class.share_value))
    duplicate = Member.objects.filter(cooperative=cooperative)
    if user is not None and duplicate.filter(user=user).exists():
        raise ValidationError(
            _("This person is already on the register of this cooperative."),
            code="already_on_register",
        )
    if email and duplicate.filter(email__iexact=email).exists():
        raise ValidationError(
            _("Someone with this email is already on the register of this cooperative."),
            code="email_already_on_register",
        )
    try:
        # The savepoint keeps the outer transaction usable if a concurrent application for the
        # same person wins the race to the unique constraint.
        with transaction.atomic():
            member = Member.objects.create(
                cooperative=cooperative,
                user=user,
                full_name=full_name,
                email=email,
                phone=phone,
                address=address,
                stakeholder_class=stakeholder_class,
                applied_on=applied_on,
                works_since=works_since,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This person is already on the register of this cooperative."),
            code="already_on_register",
        ) from exc
    _event(member, MemberEventKind.APPLIED, applied_on, recorded_by, to_class=stakeholder_class)
    _subscribe(member, shares, applied_on, recorded_by)
    if first_payment:
        record_payment(member, first_payment, applied_on, recorded_by=recorded_by)
    return member


@transaction.atomic
def apply_from_outside(
    cooperative: Cooperative,
    *,
    full_name: str,
    email: str,
    phone: str,
    address: str,
    stakeholder_class: StakeholderClass,
    shares: int,
    consented: bool,
    language: str,
    site_url: str = "",
    at: datetime | None = None,
) -> Member:
    """An application made by the applicant on the cooperative's public page: recorded as the
    office records one (``apply_for_membership``), with their phone, postal address and the
    moment they consented to the privacy notice. Once it is saved the applicant is sent an
    acknowledgement in ``language`` (the page's) and the board a notice. ``at`` is when the
    application was made (now, unless recorded later, as the demo does)."""
    _check_class(cooperative, stakeholder_class)
    _refuse(
        rules.public_application_problems(
            open_to_applications=stakeholder_class.open_to_applications,
            shares=shares,
            min_shares=stakeholder_class.min_shares,
            share_value=stakeholder_class.share_value,
            consented=consented,
        )
    )
    now = at or timezone.now()
    member = apply_for_membership(
        cooperative,
        full_name=full_name,
        stakeholder_class=stakeholder_class,
        shares=shares,
        applied_on=timezone.localdate(now),
        email=email,
        phone=phone,
        address=address,
    )
    member.consented_at = now
    member.save(update_fields=["consented_at"])
    context = {
        "member": member,
        "cooperative": cooperative,
        "shares": shares,
        "capital": share_balance(member).capital,
    }
    board = (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative, cooperative_roles__role=Role.BOARD
        )
        .select_related("profile")
        .distinct()
    )
    url = site_url + reverse("members:detail", args=[cooperative.slug, member.pk])
    send(
        [
            Notice(
                Addressee(email=email, language=language),
                gettext_lazy("Your application to %(cooperative)s"),
                "members/application_received.txt",
                context,
                {"cooperative": cooperative.name},
            ),
            *(
                Notice(
                    to_user(user),
                    gettext_lazy("A new application to become a member"),
                    "members/application_to_board.txt",
                    context | {"url": url},
                )
                for user in board
            ),
        ]
    )
    return member


@transaction.atomic
def admit(member: Member, on: date, recorded_by=None, reason: str = "") -> Member:
    """The board admits an applicant: they get the next register number."""
    member = _locked(member)
    cls = member.stakeholder_class
    _refuse(
        rules.admission_problems(
            is_applicant=member.status == MemberStatus.APPLICANT,
            subscribed_shares=share_balance(member).shares,
            min_shares=cls.min_shares,
            probation_days=cls.probation_days,
            works_since=member.works_since,
            admitted_on=on,
        )
    )
    # Lock the cooperative so that two admissions never take the same register number.
    Cooperative.objects.select_for_update().get(pk=member.cooperative_id)
    last = Member.objects.filter(cooperative_id=member.cooperative_id).aggregate(n=Max("number"))
    member.number = (last["n"] or 0) + 1
    member.status = MemberStatus.ADMITTED
    member.admitted_on = on
    member.save(update_fields=["number", "status", "admitted_on"])
    _event(member, MemberEventKind.ADMITTED, on, recorded_by, reason)
    return member


@transaction.atomic
def reject(member: Member, on: date, reason: str, recorded_by=None) -> Member:
    """The board turns down an application; any capital paid is then repaid by redemption."""
    member = _locked(member)
    if member.status != MemberStatus.APPLICANT:
        raise ValidationError(_("Only an application can be rejected."), code="not_an_applicant")
    member.status = MemberStatus.REJECTED
    member.left_on = on
    member.save(update_fields=["status", "left_on"])
    _event(member, MemberEventKind.REJECTED, on, recorded_by, reason)
    return member


@transaction.atomic
def change_class(
    member: Member, new_class: StakeholderClass, on: date, reason: str = "", recorded_by=None
) -> Member:
    """Move a member to another stakeholder class (e.g. a person cared for who becomes a
    worker). The register keeps the old class in the history."""
    member = _locked(member)
    _check_class(member.cooperative, new_class)
    if member.has_left or member.status == MemberStatus.REJECTED:
        raise ValidationError(
            _("This person is no longer on the register."), code="not_on_register"
        )
    if new_class.pk == member.stakeholder_class_id:
        raise ValidationError(
            _("The member is already in this stakeholder class."), code="already_in_class"
        )
    old_class = member.stakeholder_class
    member.stakeholder_class = new_class
    member.save(update_fields=["stakeholder_class"])
    _event(
        member,
        MemberEventKind.CLASS_CHANGED,
        on,
        recorded_by,
        reason,
        from_class=old_class,
        to_class=new_class,
    )
    return member


def _leave(member: Member, status: str, kind: str, on: date, reason: str, by) -> Member:
    member = _locked(member)
    if member.status != MemberStatus.ADMITTED:
        raise ValidationError(
            _("Only a current member can leave the cooperative."), code="not_a_current_member"
        )
    if member.admitted_on and on < member.admitted_on:
        raise ValidationError(
            _("A member cannot leave before the date they were admitted."),
            code="leaves_before_admission",
        )
    member.status = status
    member.left_on = on
    member.save(update_fields=["status", "left_on"])
    _event(member, kind, on, by, reason)
    return member


@transaction.atomic
def resign(member: Member, on: date, reason: str = "", recorded_by=None) -> Member:
    """A member resigns; their shares are redeemed afterwards."""
    return _leave(member, MemberStatus.RESIGNED, MemberEventKind.RESIGNED, on, reason, recorded_by)


@transaction.atomic
def exclude(member: Member, on: date, reason: str, recorded_by=None) -> Member:
    """The cooperative excludes a member (a reason is required)."""
    if not reason.strip():
        raise ValidationError(_("An exclusion must give its reason."), code="reason_missing")
    return _leave(member, MemberStatus.EXCLUDED, MemberEventKind.EXCLUDED, on, reason, recorded_by)


def _subscribe(member: Member, shares: int, on: date, by) -> ShareEntry:
    return ShareEntry.objects.create(
        cooperative_id=member.cooperative_id,
        member=member,
        kind=ShareEntryKind.SUBSCRIPTION,
        on=on,
        shares=shares,
        capital=shares * member.stakeholder_class.share_value,
        recorded_by=by,
    )


@transaction.atomic
def subscribe(member: Member, shares: int, on: date, recorded_by=None) -> ShareEntry:
    """The member subscribes more shares at their class's share value."""
    member = _locked(member)
    if member.has_left or member.status == MemberStatus.REJECTED:
        raise ValidationError(
            _("This person is no longer on the register."), code="not_on_register"
        )
    _refuse(
        rules.subscription_problems(
            shares, member.stakeholder_class.share_value, share_balance(member)
        )
    )
    return _subscribe(member, shares, on, recorded_by)


@transaction.atomic
def record_payment(
    member: Member, amount: Decimal, on: date, reference: str = "", recorded_by=None
) -> ShareEntry:
    """Record a payment towards subscribed shares (one instalment or the whole)."""
    member = _locked(member)
    amount = Decimal(amount)
    _refuse(rules.payment_problems(share_balance(member), amount))
    return ShareEntry.objects.create(
        cooperative_id=member.cooperative_id,
        member=member,
        kind=ShareEntryKind.PAYMENT,
        on=on,
        paid=amount,
        reference=reference,
        recorded_by=recorded_by,
    )


@transaction.atomic
def transfer_shares(
    sender: Member, receiver: Member, shares: int, on: date, recorded_by=None
) -> tuple[ShareEntry, ShareEntry]:
    """Transfer fully paid shares between two members of the same cooperative."""
    if sender.cooperative_id != receiver.cooperative_id:
        raise ValidationError(
            _("Shares can only pass between members of the same cooperative."),
            code="transfer_across_cooperatives",
        )
    # Lock both rows in a fixed order so that two opposite transfers cannot deadlock.
    first, second = sorted([sender, receiver], key=lambda m: m.pk)
    locked = {first.pk: _locked(first), second.pk: _locked(second)}
    sender, receiver = locked[sender.pk], locked[receiver.pk]
    balance = share_balance(sender)
    _refuse(
        rules.transfer_problems(
            balance,
            sender.stakeholder_class.min_shares,
            shares,
            same_member=sender.pk == receiver.pk,
            receiver_admitted=receiver.status == MemberStatus.ADMITTED,
        )
    )
    value = rules.cents(balance.capital * shares / balance.shares)
    _refuse(rules.capital_problems(share_balance(receiver).capital + value))
    link = uuid.uuid4()
    entries = [
        ShareEntry.objects.create(
            cooperative_id=member.cooperative_id,
            member=member,
            kind=kind,
            on=on,
            shares=sign * shares,
            capital=sign * value,
            paid=sign * value,
            transfer=link,
            recorded_by=recorded_by,
        )
        for member, kind, sign in (
            (sender, ShareEntryKind.TRANSFER_OUT, -1),
            (receiver, ShareEntryKind.TRANSFER_IN, 1),
        )
    ]
    return entries[0], entries[1]


@transaction.atomic
def redeem(member: Member, on: date, reference: str = "", recorded_by=None) -> ShareEntry:
    """Pay back a departed member's paid-up capital and cancel what they had not paid."""
    member = _locked(member)
    balance = share_balance(member)
    has_left = member.status in (*LEFT_STATUSES, MemberStatus.REJECTED)
    _refuse(rules.redemption_problems(has_left, balance))
    if member.left_on and on < member.left_on:
        raise ValidationError(
            _("Shares cannot be redeemed before the member left."),
            code="redeemed_before_leaving",
        )
    return ShareEntry.objects.create(
        cooperative_id=member.cooperative_id,
        member=member,
        kind=ShareEntryKind.REDEMPTION,
        on=on,
        shares=-balance.shares,
        capital=-balance.capital,
        paid=-balance.paid,
        reference=reference,
        recorded_by=recorded_by,
    )


def class_weight_problems(cooperative: Cooperative) -> list[str]:
    """What is wrong with the cooperative's stakeholder class weights, if anything, in words
    (for the pages)."""
    problems = rules.class_weight_problems(
        [
            rules.ClassWeight(c.name, c.vote_weight, c.vote_weight_cap)
            for c in cooperative.stakeholder_classes.all()
        ],
        cooperative.class_weight_min,
        cooperative.class_weight_max,
    )
    return [str(problem.message) for problem in problems]


# Instalments and SEPA direct debit.


def _open_instalments(member: Member):
    """The member's instalments that no debit collected and none is waiting on."""
    return member.instalments.exclude(debits__status__in=[DebitStatus.SENT, DebitStatus.COLLECTED])


@transaction.atomic
def plan_instalments(
    member: Member, count: int, first_due: date, months_apart: int = 1, recorded_by=None
) -> list[Instalment]:
    """Split what the member still owes on their shares, less the instalments already open,
    into ``count`` instalments a number of months apart from ``first_due``."""
    member = _locked(member)
    if member.has_left or member.status == MemberStatus.REJECTED:
        raise ValidationError(
            _("This person is no longer on the register."), code="not_on_register"
        )
    planned = _open_instalments(member).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    unpaid = share_balance(member).unpaid
    _refuse(rules.instalment_problems(unpaid, rules.cents(planned), count))
    amounts = rules.split_instalments(unpaid - rules.cents(planned), count)
    return [
        Instalment.objects.create(
            cooperative_id=member.cooperative_id,
            member=member,
            due_on=first_due + relativedelta(months=months_apart * n),
            amount=amount,
            recorded_by=recorded_by,
        )
        for n, amount in enumerate(amounts)
    ]


@transaction.atomic
def set_creditor(
    cooperative: Cooperative, *, name: str, identifier: str, iban: str, bic: str = ""
) -> SepaCreditor:
    """Record the cooperative's SEPA creditor identifier and the account its collections are
    paid into (the BIC found from the IBAN when not given)."""
    identifier, iban, bic = rules.compact(identifier), rules.compact(iban), rules.compact(bic)
    problems = rules.creditor_id_problems(identifier) + rules.iban_problems(iban)
    if bic:
        problems += rules.bic_problems(bic)
    _refuse(problems)
    bic = bic or rules.bic_for(iban)
    if not bic:
        raise ValidationError(
            _("The bank's BIC of this IBAN is not known: give it."), code="bic_missing"
        )
    creditor, _created = SepaCreditor.objects.update_or_create(
        cooperative=cooperative,
        defaults={"name": name, "identifier": identifier, "iban": iban, "bic": bic},
    )
    return creditor


@transaction.atomic
def sign_mandate(
    member: Member,
    *,
    debtor_name: str,
    iban: str,
    signed_on: date,
    bic: str = "",
    reference: str = "",
    recorded_by=None,
) -> Mandate:
    """Record the member's signed direct debit mandate; a mandate in force before it ends on
    the day this one is signed. Without a reference, one is made from the member's id."""
    member = _locked(member)
    if member.has_left or member.status == MemberStatus.REJECTED:
        raise ValidationError(
            _("This person is no longer on the register."), code="not_on_register"
        )
    iban, bic = rules.compact(iban), rules.compact(bic)
    reference = reference.strip() or f"M{member.pk}-{member.mandates.count() + 1}"
    _refuse(rules.mandate_problems(iban=iban, bic=bic, address=member.address, reference=reference))
    if Mandate.objects.filter(cooperative_id=member.cooperative_id, reference=reference).exists():
        raise ValidationError(
            _("Another mandate of this cooperative has the reference %(reference)s.")
            % {"reference": reference},
            code="mandate_reference_taken",
        )
    member.mandates.filter(revoked_on__isnull=True).update(revoked_on=signed_on)
    return Mandate.objects.create(
        cooperative_id=member.cooperative_id,
        member=member,
        reference=reference,
        debtor_name=debtor_name,
        iban=iban,
        bic=bic,
        signed_on=signed_on,
        recorded_by=recorded_by,
    )


@transaction.atomic
def revoke_mandate(member: Member, on: date) -> Mandate:
    """The member (or the office, on their word) ends their mandate in force: no debit is
    made under it any more."""
    member = _locked(member)
    mandate = member.mandates.filter(revoked_on__isnull=True).first()
    if mandate is None:
        raise ValidationError(
            _("%(name)s has no direct debit mandate in force.") % {"name": member},
            code="mandate_missing",
        )
    mandate.revoked_on = max(on, mandate.signed_on)
    mandate.save(update_fields=["revoked_on"])
    return mandate


def instalments_due(cooperative: Cooperative, up_to: date):
    """The open instalments due by ``up_to`` of the cooperative's members on the register."""
    return (
        Instalment.objects.filter(cooperative=cooperative, due_on__lte=up_to)
        .exclude(debits__status__in=[DebitStatus.SENT, DebitStatus.COLLECTED])
        .exclude(member__status__in=[*LEFT_STATUSES, MemberStatus.REJECTED])
        .select_related("member")
        .order_by("member__number", "member__full_name", "due_on", "pk")
    )


def _mandate_in_force(member: Member, on: date) -> Mandate | None:
    return member.mandates.filter(revoked_on__isnull=True, signed_on__lte=on).first()


@transaction.atomic
def make_collection(
    cooperative: Cooperative,
    *,
    due_up_to: date,
    collection_date: date,
    made_by=None,
    today: date | None = None,
) -> Collection:
    """Collect every open instalment due by ``due_up_to`` by SEPA Core direct debit: one
    pain.008.001.02 file, checked against its schema, due on ``collection_date``.

    Refused, writing nothing, when the date is too soon, the cooperative has no creditor
    identifier, nothing is due, or any member due has no mandate in force or owes less than
    their instalments; the problems name each member."""
    today = today or timezone.localdate()
    Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    problems = rules.collection_date_problems(today, collection_date)
    creditor = SepaCreditor.objects.filter(cooperative=cooperative).first()
    if creditor is None:
        problems.append(
            ValidationError(
                _("Record the cooperative's SEPA creditor identifier and account first."),
                code="creditor_missing",
            )
        )
    due = list(instalments_due(cooperative, due_up_to))
    if not due:
        problems.append(
            ValidationError(
                _("No instalment is due by %(date)s.") % {"date": due_up_to},
                code="nothing_due",
            )
        )
    debits = []
    by_member: dict[int, list[Instalment]] = {}
    for instalment in due:
        by_member.setdefault(instalment.member_id, []).append(instalment)
    for instalments in by_member.values():
        member = instalments[0].member
        mandate = _mandate_in_force(member, collection_date)
        if mandate is None:
            problems.append(
                ValidationError(
                    _("%(name)s has no direct debit mandate in force.") % {"name": member},
                    code="mandate_missing",
                )
            )
            continue
        total = sum((i.amount for i in instalments), Decimal(0))
        if total > share_balance(member).unpaid:
            problems.append(
                ValidationError(
                    _("%(name)s owes %(unpaid)s, less than the %(total)s of their instalments.")
                    % {"name": member, "unpaid": share_balance(member).unpaid, "total": total},
                    code="payment_above_capital",
                )
            )
            continue
        collected = mandate.debits.filter(status=DebitStatus.COLLECTED).exists()
        sequence = rules.sequence_type(collected)
        debits += [(instalment, mandate, sequence) for instalment in instalments]
    if problems or creditor is None:
        raise ValidationError(problems)
    collection = Collection(
        cooperative=cooperative,
        due_up_to=due_up_to,
        collection_date=collection_date,
        made_by=made_by,
    )
    rows = [
        Debit(
            instalment=instalment,
            mandate=mandate,
            amount=instalment.amount,
            sequence=sequence,
            end_to_end_id=f"I{instalment.pk}-{uuid.uuid4().hex[:12]}",
        )
        for instalment, mandate, sequence in debits
    ]
    collection.message_id, collection.xml = sepa.pain008(creditor, collection_date, rows)
    collection.save()
    for row in rows:
        row.collection = collection
    Debit.objects.bulk_create(rows)
    return collection


@transaction.atomic
def return_debit(debit: Debit, reason: str) -> Debit:
    """The bank returned or rejected one debit (an R-transaction) before the collection was
    confirmed: the instalment stays open, to be collected again."""
    debit = Debit.objects.select_for_update().select_related("collection").get(pk=debit.pk)
    if debit.status != DebitStatus.SENT or debit.collection.confirmed_on is not None:
        raise ValidationError(
            _("Only a debit still waiting for the bank can be marked returned."),
            code="debit_not_pending",
        )
    if reason not in ReturnReason.values:
        raise ValidationError(
            _("%(reason)s is not one of the return reasons.") % {"reason": reason},
            code="unknown_return_reason",
        )
    debit.status = DebitStatus.RETURNED
    debit.return_reason = reason
    debit.save(update_fields=["status", "return_reason"])
    return debit


@transaction.atomic
def confirm_collection(collection: Collection, on: date, recorded_by=None) -> Collection:
    """The bank confirms the collection: every debit not returned is collected, and each
    gets its payment in the share ledger, dated ``on``, with the collection's message id."""
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    if collection.confirmed_on is not None:
        raise ValidationError(
            _("This collection was already confirmed."), code="collection_already_confirmed"
        )
    if on < collection.collection_date:
        raise ValidationError(
            _("The bank collects on %(date)s at the earliest.")
            % {"date": collection.collection_date},
            code="confirmed_before_collection",
        )
    for debit in collection.debits.filter(status=DebitStatus.SENT).select_related(
        "instalment__member"
    ):
        debit.payment = record_payment(
            debit.instalment.member,
            debit.amount,
            on,
            reference=f"{collection.message_id} {debit.end_to_end_id}"[:120],
            recorded_by=recorded_by,
        )
        debit.status = DebitStatus.COLLECTED
        debit.save(update_fields=["payment", "status"])
    collection.confirmed_on = on
    collection.save(update_fields=["confirmed_on"])
    return collection
