"""API: stakeholder classes, the member register and the share ledger of one cooperative."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Day, Id, Money, PositiveCount, PositiveMoney
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.members import queries, services
from coopcare.members.models import Member, MemberStatus, StakeholderClass

router = Router(tags=["members"])
BACK_OFFICE = (Role.BOARD, Role.COORDINATOR)


class ClassOut(Schema):
    id: int
    name: str
    kind: str
    share_value: Decimal
    min_shares: int
    vote_weight: Decimal | None
    vote_weight_cap: Decimal | None
    probation_days: int
    open_to_applications: bool


class MemberOut(Schema):
    id: int
    number: int | None
    full_name: str
    email: str
    phone: str
    address: str
    stakeholder_class_id: int
    status: str
    applied_on: date
    admitted_on: date | None
    left_on: date | None
    consented_at: datetime | None = Field(
        description="When an applicant on the public page agreed to its privacy notice."
    )


class BalanceOut(Schema):
    shares: int
    capital: Decimal
    paid: Decimal
    unpaid: Decimal
    paid_up: bool


class EntryOut(Schema):
    id: int
    kind: str
    on: date
    shares: int
    capital: Decimal
    paid: Decimal
    reference: str


class LedgerOut(Schema):
    balance: BalanceOut
    entries: list[EntryOut]


class ApplicationIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    email: str = ""
    phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=500)
    stakeholder_class_id: Id
    shares: PositiveCount
    applied_on: Day
    works_since: Day | None = None
    first_payment: Money = Decimal(0)


class DatedIn(Schema):
    on: Day
    reason: str = ""


class ClassChangeIn(DatedIn):
    stakeholder_class_id: Id


class SubscriptionIn(Schema):
    shares: PositiveCount
    on: Day


class PaymentIn(Schema):
    amount: PositiveMoney
    on: Day
    reference: str = ""


class TransferIn(Schema):
    to_member_id: Id
    shares: PositiveCount
    on: Day


class RedemptionIn(Schema):
    on: Day
    reference: str = ""


def _cooperative(request, coop: str, allowed=BACK_OFFICE):
    cooperative, _roles = resolve_cooperative(request.auth, coop, allowed)
    return cooperative


def _member(request, coop: str, member_id: int, allowed=BACK_OFFICE) -> Member:
    """The member, scoped to the cooperative; a plain member may only read themselves."""
    cooperative, roles = resolve_cooperative(request.auth, coop, allowed)
    member = get_object_or_404(Member, pk=member_id, cooperative=cooperative)
    if not roles & set(BACK_OFFICE) and member.user_id != request.auth.pk:
        raise Http404
    return member


def _class(cooperative, class_id: int) -> StakeholderClass:
    return get_object_or_404(StakeholderClass, pk=class_id, cooperative=cooperative)


def _ledger(member: Member) -> dict:
    balance = services.share_balance(member)
    return {
        "balance": {
            "shares": balance.shares,
            "capital": balance.capital,
            "paid": balance.paid,
            "unpaid": balance.unpaid,
            "paid_up": services.is_paid_up(member),
        },
        "entries": list(member.share_entries.all()),
    }


@router.get("/{coop}/classes", response=list[ClassOut], summary="Stakeholder classes")
def list_classes(request, coop: str):
    return _cooperative(request, coop).stakeholder_classes.all()


@router.get("/{coop}/members", response=list[MemberOut], summary="The member register")
def list_members(request, coop: str, status: MemberStatus | None = None, q: str = ""):
    return queries.search_register(_cooperative(request, coop), q=q, status=status or "")


@router.post(
    "/{coop}/members", response={201: MemberOut}, summary="Record a membership application"
)
def apply(request, coop: str, payload: ApplicationIn):
    cooperative = _cooperative(request, coop)
    data = payload.dict()
    data["stakeholder_class"] = _class(cooperative, data.pop("stakeholder_class_id"))
    member = services.apply_for_membership(cooperative, recorded_by=request.auth, **data)
    return Status(201, member)


@router.get("/{coop}/members/{member_id}", response=MemberOut, summary="One register entry")
def get_member(request, coop: str, member_id: Id):
    return _member(request, coop, member_id, (*BACK_OFFICE, Role.MEMBER))


@router.post("/{coop}/members/{member_id}/admit", response=MemberOut, summary="Admit an applicant")
def admit(request, coop: str, member_id: Id, payload: DatedIn):
    member = _member(request, coop, member_id, (Role.BOARD,))
    return services.admit(member, payload.on, request.auth, payload.reason)


@router.post(
    "/{coop}/members/{member_id}/reject", response=MemberOut, summary="Reject an application"
)
def reject(request, coop: str, member_id: Id, payload: DatedIn):
    member = _member(request, coop, member_id, (Role.BOARD,))
    return services.reject(member, payload.on, payload.reason, request.auth)


@router.post(
    "/{coop}/members/{member_id}/class", response=MemberOut, summary="Change stakeholder class"
)
def change_class(request, coop: str, member_id: Id, payload: ClassChangeIn):
    member = _member(request, coop, member_id)
    new_class = _class(member.cooperative, payload.stakeholder_class_id)
    return services.change_class(member, new_class, payload.on, payload.reason, request.auth)


@router.post(
    "/{coop}/members/{member_id}/resign", response=MemberOut, summary="Record a resignation"
)
def resign(request, coop: str, member_id: Id, payload: DatedIn):
    member = _member(request, coop, member_id)
    return services.resign(member, payload.on, payload.reason, request.auth)


@router.post("/{coop}/members/{member_id}/exclude", response=MemberOut, summary="Exclude a member")
def exclude(request, coop: str, member_id: Id, payload: DatedIn):
    member = _member(request, coop, member_id, (Role.BOARD,))
    return services.exclude(member, payload.on, payload.reason, request.auth)


@router.get("/{coop}/members/{member_id}/shares", response=LedgerOut, summary="A member's shares")
def member_shares(request, coop: str, member_id: Id):
    return _ledger(_member(request, coop, member_id, (*BACK_OFFICE, Role.MEMBER)))


@router.post(
    "/{coop}/members/{member_id}/shares/subscriptions",
    response={201: LedgerOut},
    summary="Subscribe",
)
def subscribe(request, coop: str, member_id: Id, payload: SubscriptionIn):
    member = _member(request, coop, member_id)
    services.subscribe(member, payload.shares, payload.on, request.auth)
    return Status(201, _ledger(member))


@router.post(
    "/{coop}/members/{member_id}/shares/payments",
    response={201: LedgerOut},
    summary="Record a payment",
)
def pay(request, coop: str, member_id: Id, payload: PaymentIn):
    member = _member(request, coop, member_id)
    services.record_payment(member, payload.amount, payload.on, payload.reference, request.auth)
    return Status(201, _ledger(member))


@router.post(
    "/{coop}/members/{member_id}/shares/transfers",
    response={201: LedgerOut},
    summary="Transfer shares",
)
def transfer(request, coop: str, member_id: Id, payload: TransferIn):
    sender = _member(request, coop, member_id, (Role.BOARD,))
    receiver = get_object_or_404(Member, pk=payload.to_member_id, cooperative=sender.cooperative)
    services.transfer_shares(sender, receiver, payload.shares, payload.on, request.auth)
    return Status(201, _ledger(sender))


@router.post(
    "/{coop}/members/{member_id}/shares/redemption",
    response={201: LedgerOut},
    summary="Redeem on exit",
)
def redeem(request, coop: str, member_id: Id, payload: RedemptionIn):
    member = _member(request, coop, member_id, (Role.BOARD,))
    services.redeem(member, payload.on, payload.reference, request.auth)
    return Status(201, _ledger(member))
