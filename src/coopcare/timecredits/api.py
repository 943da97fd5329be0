"""API: a member's time credits (balance and history), the board of offers and requests, an
exchange taken up, withdrawn and confirmed, and the coordinators' balances, terms and
reversals. A cooperative that does not exchange time credits answers 404."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Day, Id
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.members.models import Member
from coopcare.timecredits import queries, services
from coopcare.timecredits.models import CreditEntry, Direction, Exchange, HelpKind

router = Router(tags=["timecredits"])
COORDINATOR = (Role.COORDINATOR,)
MEMBER = (Role.MEMBER,)
Hours = Annotated[Decimal, Field(ge=0, le=999, max_digits=5, decimal_places=2)]


class CreditEntryOut(Schema):
    id: int
    member_id: int
    kind: str
    on: date
    hours: Decimal = Field(description="Positive: credited; negative: debited.")
    exchange_id: int | None
    reverses_id: int | None
    reason: str
    recorded_at: datetime


class CreditMineOut(Schema):
    member_id: int
    balance: Decimal
    entries: list[CreditEntryOut]


class CreditExchangeOut(Schema):
    id: int
    direction: str
    kind: str
    words: str
    status: str
    posted_by_id: int
    posted_at: datetime
    taken_by_id: int | None
    hours: Decimal | None
    done_on: date | None


class CreditPostIn(Schema):
    direction: Direction
    kind: HelpKind
    words: str = Field(min_length=1, max_length=200)


class CreditConfirmIn(Schema):
    hours: Hours
    done_on: Day


class CreditBalanceOut(Schema):
    member_id: int
    full_name: str
    balance: Decimal

    @staticmethod
    def resolve_member_id(member) -> int:
        return member.pk


class CreditTermsIn(Schema):
    most_hours: Hours
    overdraft: Hours
    welcome_hours: Hours


class CreditTermsOut(CreditTermsIn):
    pass


class CreditReversalIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


def _cooperative(request, coop: str, roles) -> Cooperative:
    cooperative, _roles = resolve_cooperative(request.auth, coop, roles, "runs_time_credits")
    return cooperative


def _member(request, coop: str) -> tuple[Cooperative, Member]:
    cooperative = _cooperative(request, coop, MEMBER)
    member = queries.member_of(cooperative, request.auth)
    if member is None:
        raise Http404
    return cooperative, member


def _exchange(request, coop: str, exchange_id: int) -> tuple[Exchange, Member]:
    cooperative, member = _member(request, coop)
    return get_object_or_404(Exchange, pk=exchange_id, cooperative=cooperative), member


@router.get("/{coop}/time-credits/me", response=CreditMineOut, summary="My time credits")
def my_time_credits(request, coop: str):
    _cooperative_found, member = _member(request, coop)
    return {
        "member_id": member.pk,
        "balance": services.balance(member),
        "entries": list(queries.history(member)),
    }


@router.get(
    "/{coop}/time-credits/exchanges",
    response=list[CreditExchangeOut],
    summary="Open offers and requests",
)
def list_exchanges(request, coop: str):
    cooperative, _member_found = _member(request, coop)
    return list(queries.board(cooperative))


@router.post(
    "/{coop}/time-credits/exchanges",
    response={201: CreditExchangeOut},
    summary="Post an offer or a request",
)
def post_exchange(request, coop: str, payload: CreditPostIn):
    cooperative, member = _member(request, coop)
    return Status(201, services.post(cooperative, member, by=request.auth, **payload.dict()))


@router.get(
    "/{coop}/time-credits/exchanges/{exchange_id}",
    response=CreditExchangeOut,
    summary="An exchange",
)
def get_exchange(request, coop: str, exchange_id: Id):
    return _exchange(request, coop, exchange_id)[0]


@router.post(
    "/{coop}/time-credits/exchanges/{exchange_id}/acceptance",
    response=CreditExchangeOut,
    summary="Take up an offer or a request",
)
def accept_exchange(request, coop: str, exchange_id: Id):
    found, member = _exchange(request, coop, exchange_id)
    return services.accept(found, member, by=request.auth)


@router.post(
    "/{coop}/time-credits/exchanges/{exchange_id}/withdrawal",
    response=CreditExchangeOut,
    summary="Withdraw one's offer or request",
)
def withdraw_exchange(request, coop: str, exchange_id: Id):
    found, member = _exchange(request, coop, exchange_id)
    return services.withdraw(found, member)


@router.post(
    "/{coop}/time-credits/exchanges/{exchange_id}/confirmation",
    response={201: list[CreditEntryOut]},
    summary="Confirm the hours of help received",
)
def confirm_exchange(request, coop: str, exchange_id: Id, payload: CreditConfirmIn):
    found, member = _exchange(request, coop, exchange_id)
    return Status(201, list(services.confirm(found, member, by=request.auth, **payload.dict())))


@router.get(
    "/{coop}/time-credits/balances",
    response=list[CreditBalanceOut],
    summary="Every member's balance",
)
def list_balances(request, coop: str):
    return list(queries.balances(_cooperative(request, coop, COORDINATOR)))


@router.get(
    "/{coop}/time-credits/terms", response=CreditTermsOut, summary="The terms of time credits"
)
def get_terms(request, coop: str):
    return services.terms_of(_cooperative(request, coop, COORDINATOR))


@router.put("/{coop}/time-credits/terms", response=CreditTermsOut, summary="Set the terms")
def set_terms(request, coop: str, payload: CreditTermsIn):
    cooperative = _cooperative(request, coop, COORDINATOR)
    return services.set_terms(cooperative, by=request.auth, **payload.dict())


@router.post(
    "/{coop}/time-credits/entries/{credit_id}/reversal",
    response={201: list[CreditEntryOut]},
    summary="Reverse a ledger entry and the entry recorded with it",
)
def reverse_entry(request, coop: str, credit_id: Id, payload: CreditReversalIn):
    cooperative = _cooperative(request, coop, COORDINATOR)
    entry = get_object_or_404(CreditEntry, pk=credit_id, cooperative=cooperative)
    return Status(201, services.reverse(entry, payload.reason, by=request.auth))
