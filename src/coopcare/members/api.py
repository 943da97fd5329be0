"""API: stakeholder classes, the member register and the share ledger of one cooperative, with
instalments collected by SEPA direct debit and share certificates."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Day, Id, Money, PositiveCount, PositiveMoney
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.members import pdf, queries, services
from coopcare.members.models import (
    Collection,
    Debit,
    DebitStatus,
    Mandate,
    Member,
    MemberStatus,
    ReturnReason,
    SepaCreditor,
    StakeholderClass,
)
from coopcare.notify import to_member

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


class OpenVoteOut(Schema):
    kind: str = Field(description="motion or election")
    id: int
    title: str
    secret: bool
    assembly_id: int | None = Field(description="None for an online vote between assemblies.")
    closes_at: datetime | None
    voting_for: list[int] = Field(
        description=(
            "The members whose ballot the caller may still cast: their own, and at an assembly "
            "those whose proxy they hold. Empty once they have voted."
        )
    )
    voted: bool


class CalledAssemblyOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: datetime
    place: str
    online_link: str
    agenda: list[str]
    proxy_holder_id: int | None = Field(description="The member holding the caller's proxy.")
    proxy_holder_name: str
    proxies_held_from: list[str] = Field(description="Members whose proxy the caller holds.")


class InstalmentDueOut(Schema):
    due_on: date
    amount: Decimal
    state: str = Field(description="open, or sent (in a collection not confirmed yet)")


class MySharesOut(BalanceOut):
    share_value: Decimal
    instalments_due: list[InstalmentDueOut]
    mandate_iban: str = Field(description="The account debited, masked; empty without a mandate.")


class RefundOut(Schema):
    allocation_id: int
    starts_on: date
    ends_on: date
    hours: Decimal
    hours_worked_by_members: Decimal
    refunds_to_members: Decimal
    amount: Decimal


class OverviewOut(Schema):
    member_id: int
    full_name: str
    number: int | None
    stakeholder_class: str
    votes: list[OpenVoteOut]
    assemblies: list[CalledAssemblyOut]
    shares: MySharesOut
    refunds: list[RefundOut]
    refunds_apply: bool = Field(
        description="Patronage refunds go to worker members, in proportion to their hours."
    )
    social_report_year: int | None = Field(
        description="The last whole year of the social report; None before the first."
    )


def _overview_out(overview: queries.Overview) -> dict:
    member, shares = overview.member, overview.shares
    return {
        "member_id": member.pk,
        "full_name": member.full_name,
        "number": member.number,
        "stakeholder_class": member.stakeholder_class.name,
        "votes": [
            {
                "kind": vote.question._meta.model_name,
                "id": vote.question.pk,
                "title": vote.question.title,
                "secret": vote.question.secret,
                "assembly_id": vote.question.assembly_id,
                "closes_at": vote.question.closes_at,
                "voting_for": [m.pk for m in vote.ballots],
                "voted": vote.voted,
            }
            for vote in overview.votes
        ],
        "assemblies": [
            {
                "id": called.assembly.pk,
                "kind": called.assembly.kind,
                "title": called.assembly.title,
                "starts_at": called.assembly.starts_at,
                "place": called.assembly.place,
                "online_link": called.assembly.join_link,
                "agenda": called.agenda,
                "proxy_holder_id": called.proxy_given.holder_id if called.proxy_given else None,
                "proxy_holder_name": called.proxy_given.holder.full_name
                if called.proxy_given
                else "",
                "proxies_held_from": [m.full_name for m in called.proxies_held],
            }
            for called in overview.assemblies
        ],
        "shares": {
            "shares": shares.balance.shares,
            "capital": shares.balance.capital,
            "paid": shares.balance.paid,
            "unpaid": shares.balance.unpaid,
            "paid_up": shares.paid_up,
            "share_value": shares.share_value,
            "instalments_due": [
                {"due_on": r.instalment.due_on, "amount": r.instalment.amount, "state": r.state}
                for r in shares.instalments_due
            ],
            "mandate_iban": shares.mandate.masked_iban if shares.mandate else "",
        },
        "refunds": [
            {
                "allocation_id": r.allocation_id,
                "starts_on": r.allocation.starts_on,
                "ends_on": r.allocation.ends_on,
                "hours": r.hours,
                "hours_worked_by_members": r.allocation.hours_worked,
                "refunds_to_members": r.allocation.refunds,
                "amount": r.amount,
            }
            for r in overview.refunds
        ],
        "refunds_apply": overview.refunds_apply,
        "social_report_year": overview.social_report_year,
    }


# Before ``/members/{member_id}``, which would otherwise take "me" for an id.
@router.get(
    "/{coop}/members/me",
    response=OverviewOut,
    summary=(
        "My view of the cooperative: the votes open to me, the assemblies I am called to, my "
        "shares, my patronage refunds and the year of the last social report"
    ),
)
def my_overview(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.MEMBER,))
    member = get_object_or_404(
        Member.objects.select_related("stakeholder_class"),
        cooperative=cooperative,
        user=request.auth,
    )
    return _overview_out(queries.overview(cooperative, member))


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


# Instalments, mandates, collections by SEPA direct debit, certificates.


class InstalmentOut(Schema):
    id: int
    due_on: date
    amount: Decimal
    state: str = Field(description="open, sent (in a collection) or collected")


class InstalmentsIn(Schema):
    count: int = Field(ge=1, le=60)
    first_due: Day
    months_apart: int = Field(default=1, ge=1, le=12)


class MandateOut(Schema):
    id: int
    reference: str
    debtor_name: str
    iban: str = Field(description="Whole for the board and coordinators, masked for the member.")
    bic: str
    signed_on: date
    revoked_on: date | None


class MandateIn(Schema):
    debtor_name: str = Field(min_length=1, max_length=70)
    iban: str = Field(min_length=1, max_length=42)
    bic: str = Field(default="", max_length=11)
    signed_on: Day
    reference: str = Field(default="", max_length=35)


class RevokeIn(Schema):
    on: Day


class CreditorIn(Schema):
    name: str = Field(min_length=1, max_length=70)
    identifier: str = Field(min_length=1, max_length=35)
    iban: str = Field(min_length=1, max_length=42)
    bic: str = Field(default="", max_length=11)


class CreditorOut(Schema):
    name: str
    identifier: str
    iban: str
    bic: str


class CollectionIn(Schema):
    due_up_to: Day
    collection_date: Day


class DebitOut(Schema):
    id: int
    member_id: int = Field(alias="instalment.member_id")
    instalment_id: int
    mandate_reference: str = Field(alias="mandate.reference")
    amount: Decimal
    sequence: str
    end_to_end_id: str
    status: DebitStatus
    return_reason: str
    payment_id: int | None


class CollectionOut(Schema):
    id: int
    message_id: str
    due_up_to: date
    collection_date: date
    confirmed_on: date | None
    debits: list[DebitOut]


class ReturnIn(Schema):
    reason: ReturnReason


class ConfirmIn(Schema):
    on: Day


def _mandate_out(mandate: Mandate, whole: bool) -> dict:
    return {
        "id": mandate.pk,
        "reference": mandate.reference,
        "debtor_name": mandate.debtor_name,
        "iban": mandate.iban if whole else mandate.masked_iban,
        "bic": mandate.bic,
        "signed_on": mandate.signed_on,
        "revoked_on": mandate.revoked_on,
    }


def _instalments(member: Member) -> list[dict]:
    return [
        {
            "id": row.instalment.pk,
            "due_on": row.instalment.due_on,
            "amount": row.instalment.amount,
            "state": row.state,
        }
        for row in queries.instalments(member)
    ]


@router.get(
    "/{coop}/members/{member_id}/instalments",
    response=list[InstalmentOut],
    summary="A member's instalments",
)
def list_instalments(request, coop: str, member_id: Id):
    return _instalments(_member(request, coop, member_id, (*BACK_OFFICE, Role.MEMBER)))


@router.post(
    "/{coop}/members/{member_id}/instalments",
    response={201: list[InstalmentOut]},
    summary="Split what a member owes into instalments",
)
def plan_instalments(request, coop: str, member_id: Id, payload: InstalmentsIn):
    member = _member(request, coop, member_id)
    services.plan_instalments(
        member, payload.count, payload.first_due, payload.months_apart, request.auth
    )
    return Status(201, _instalments(member))


@router.get(
    "/{coop}/members/{member_id}/mandates",
    response=list[MandateOut],
    summary="A member's direct debit mandates",
)
def list_mandates(request, coop: str, member_id: Id):
    _cooperative, roles = resolve_cooperative(request.auth, coop, (*BACK_OFFICE, Role.MEMBER))
    member = _member(request, coop, member_id, (*BACK_OFFICE, Role.MEMBER))
    whole = bool(roles & set(BACK_OFFICE))
    return [_mandate_out(m, whole) for m in member.mandates.all()]


@router.post(
    "/{coop}/members/{member_id}/mandates",
    response={201: MandateOut},
    summary="Record a signed direct debit mandate",
)
def sign_mandate(request, coop: str, member_id: Id, payload: MandateIn):
    member = _member(request, coop, member_id)
    mandate = services.sign_mandate(member, recorded_by=request.auth, **payload.dict())
    return Status(201, _mandate_out(mandate, whole=True))


@router.post(
    "/{coop}/members/{member_id}/mandates/revoke",
    response=MandateOut,
    summary="Revoke the member's mandate in force",
)
def revoke_mandate(request, coop: str, member_id: Id, payload: RevokeIn):
    member = _member(request, coop, member_id)
    return _mandate_out(services.revoke_mandate(member, payload.on), whole=True)


PDF_ANSWER = {
    "responses": {
        200: {
            "description": "The share certificate, as a PDF attachment.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/{coop}/members/{member_id}/certificate",
    response={200: None},
    summary="A member's share certificate (PDF), in the member's language",
    openapi_extra=PDF_ANSWER,
)
def certificate(request, coop: str, member_id: Id, on: Day | None = None):
    member = _member(request, coop, member_id, (*BACK_OFFICE, Role.MEMBER))
    on = on or timezone.localdate()
    with translation.override(to_member(member).language):
        content = pdf.certificate(member, services.share_balance(member, on), on)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="share-certificate-{member.pk}-{on}.pdf"'
    )
    return response


@router.get("/{coop}/sepa-creditor", response=CreditorOut, summary="The SEPA creditor identifier")
def get_creditor(request, coop: str):
    return get_object_or_404(SepaCreditor, cooperative=_cooperative(request, coop))


@router.post(
    "/{coop}/sepa-creditor", response=CreditorOut, summary="Record the SEPA creditor identifier"
)
def set_creditor(request, coop: str, payload: CreditorIn):
    return services.set_creditor(_cooperative(request, coop), **payload.dict())


def _collections(cooperative):
    return Collection.objects.filter(cooperative=cooperative).prefetch_related(
        Prefetch("debits", Debit.objects.select_related("instalment", "mandate"))
    )


def _collection(request, coop: str, collection_id: int) -> Collection:
    return get_object_or_404(_collections(_cooperative(request, coop)), pk=collection_id)


@router.get("/{coop}/collections", response=list[CollectionOut], summary="Direct debit collections")
def list_collections(request, coop: str):
    return _collections(_cooperative(request, coop))


@router.post(
    "/{coop}/collections",
    response={201: CollectionOut},
    summary="Collect the instalments due by SEPA direct debit (a pain.008 file)",
)
def make_collection(request, coop: str, payload: CollectionIn):
    cooperative = _cooperative(request, coop)
    made = services.make_collection(cooperative, made_by=request.auth, **payload.dict())
    return Status(201, _collection(request, coop, made.pk))


@router.get("/{coop}/collections/{collection_id}", response=CollectionOut, summary="One collection")
def get_collection(request, coop: str, collection_id: Id):
    return _collection(request, coop, collection_id)


XML_ANSWER = {
    "responses": {
        200: {
            "description": "The pain.008.001.02 file, as an attachment.",
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/{coop}/collections/{collection_id}/pain008",
    response={200: None},
    summary="The collection's pain.008 file for the bank",
    openapi_extra=XML_ANSWER,
)
def collection_file(request, coop: str, collection_id: Id):
    found = _collection(request, coop, collection_id)
    response = HttpResponse(found.xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{found.message_id}.xml"'
    return response


@router.post(
    "/{coop}/collections/{collection_id}/debits/{debit_id}/return",
    response=CollectionOut,
    summary="Mark a debit returned or rejected by the bank (an R-transaction)",
)
def return_debit(request, coop: str, collection_id: Id, debit_id: Id, payload: ReturnIn):
    found = _collection(request, coop, collection_id)
    services.return_debit(get_object_or_404(Debit, pk=debit_id, collection=found), payload.reason)
    return _collection(request, coop, collection_id)


@router.post(
    "/{coop}/collections/{collection_id}/confirm",
    response=CollectionOut,
    summary="The bank collected: record the payments of the debits not returned",
)
def confirm_collection(request, coop: str, collection_id: Id, payload: ConfirmIn):
    found = _collection(request, coop, collection_id)
    services.confirm_collection(found, payload.on, request.auth)
    return _collection(request, coop, collection_id)
