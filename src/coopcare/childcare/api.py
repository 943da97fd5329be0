"""API: rooms and a room now (its ratio), children and their guardians, authorised adults and
consents, the day's attendance with sign-in and sign-out, the refusals at the door, the staff
rostered to rooms, the ratios in force, observations of a child's development (a
guardian's shared ones only), and parents' fees: fee schedules, subsidies, a child's fee terms
and fees (a guardian's own children), the preview and the run of a month's fees."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from coopcare.billing.models import Payer
from coopcare.bounds import Day, Id, Moment, Money
from coopcare.childcare import access, queries, services
from coopcare.childcare.models import (
    Area,
    Attendance,
    AuthorisedAdult,
    Child,
    ChildConsent,
    ConsentKind,
    Guardian,
    Observation,
    ProRata,
    RefusedCollection,
    Room,
    SubsidyKind,
)
from coopcare.childcare.rules import MAX_CHILDREN_PER_ADULT, MAX_MONTHS
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role

router = Router(tags=["childcare"])
OFFICE = (Role.COORDINATOR,)


class RoomIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    from_months: int = Field(ge=0, le=MAX_MONTHS)
    to_months: int = Field(ge=1, le=MAX_MONTHS)
    capacity: int = Field(ge=1, le=200)


class RoomOut(Schema):
    id: int
    name: str
    from_months: int
    to_months: int
    capacity: int


class RoomNowOut(Schema):
    room_id: int
    at: datetime
    children_present: list[int] = Field(description="Ids of the children signed in now.")
    staff_present: list[int] = Field(description="Ids of the workers on shift now.")
    staff_needed: int
    over_ratio: bool = Field(description="Fewer staff present than the ratios ask for.")


class ShiftIn(Schema):
    worker_id: Id
    starts_at: Moment
    ends_at: Moment


class ShiftOut(Schema):
    id: int
    room_id: int
    worker_id: int
    starts_at: datetime
    ends_at: datetime


class ChildIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    born_on: Day
    enrolled_on: Day
    room_id: Id | None = None
    leaves_on: Day | None = None
    health_notes: str = Field(default="", max_length=2000)
    allergies: str = Field(default="", max_length=2000)


class ChildSummary(Schema):
    id: int
    full_name: str
    born_on: date
    room_id: int | None
    enrolled_on: date
    leaves_on: date | None


class GuardianOut(Schema):
    id: int
    full_name: str
    phone: str
    user_id: int | None


class AdultOut(Schema):
    id: int
    full_name: str
    relation: str
    identity_note: str
    guardian_id: int | None
    withdrawn_at: datetime | None


class ConsentOut(Schema):
    id: int
    kind: ConsentKind
    given_by_id: int
    given_on: date
    withdrawn_on: date | None


class ChildOut(ChildSummary):
    health_notes: str
    allergies: str
    guardians: list[GuardianOut]
    adults: list[AdultOut]
    consents: list[ConsentOut]


class GuardianIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    phone: str = Field(default="", max_length=40)


class AdultIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    relation: str = Field(min_length=1, max_length=100)
    identity_note: str = Field(default="", max_length=300)


class ConsentIn(Schema):
    kind: ConsentKind
    guardian_id: Id
    given_on: Day


class WithdrawIn(Schema):
    on: Day


class SignIn(Schema):
    adult_id: Id
    at: Moment | None = None


class SignOut(Schema):
    adult_id: Id | None = Field(default=None, description="One of the child's authorised adults.")
    person_name: str = Field(
        default="", max_length=200, description="Who asked, when they are on no list."
    )
    at: Moment | None = None


class AttendanceOut(Schema):
    id: int
    child_id: int
    room_id: int
    day: date
    signed_in_at: datetime
    brought_by_id: int
    signed_out_at: datetime | None
    collected_by_id: int | None


class RefusalOut(Schema):
    id: int
    child_id: int
    at: datetime
    person_name: str
    adult_id: int | None


class RatioOut(Schema):
    from_months: int
    to_months: int
    children_per_adult: int
    source: str = Field(description="The default's source, or the reason the cooperative gave.")
    own: bool = Field(description="Set by the cooperative (false: the country's default).")


class RatioIn(Schema):
    from_months: int = Field(ge=0, le=MAX_MONTHS)
    to_months: int = Field(ge=1, le=MAX_MONTHS)
    children_per_adult: int = Field(ge=1, le=MAX_CHILDREN_PER_ADULT)
    reason: str = Field(min_length=1, max_length=2000)


class ObservationIn(Schema):
    observed_on: Day
    area: Area
    text: str = Field(min_length=1, max_length=4000)
    share: bool = Field(
        default=False, description="Shared with the guardians at once (needs their consent)."
    )


class ObservationOut(Schema):
    id: int
    child_id: int
    observed_on: date
    area: Area
    text: str
    recorded_by_id: int
    shared_at: datetime | None = Field(description="When it was shared with the guardians.")


def _centre(request, coop: str, allowed):
    return resolve_cooperative(request.auth, coop, allowed, access.FORM)


def _child(request, coop: str, child_id: int, allowed=access.FAMILY_AND_STAFF) -> Child:
    cooperative, roles = _centre(request, coop, allowed)
    return access.visible_child(request.auth, cooperative, roles, child_id)


def _child_out(child: Child) -> ChildOut:
    return ChildOut(
        id=child.pk,
        full_name=child.full_name,
        born_on=child.born_on,
        room_id=child.room_id,
        enrolled_on=child.enrolled_on,
        leaves_on=child.leaves_on,
        health_notes=child.health_notes,
        allergies=child.allergies,
        guardians=[GuardianOut.from_orm(g) for g in child.guardians.all()],
        adults=[AdultOut.from_orm(a) for a in child.adults.all()],
        consents=[ConsentOut.from_orm(c) for c in child.consents.all()],
    )


@router.get("/{coop}/childcare/rooms", response=list[RoomOut], summary="Rooms of the centre")
def rooms(request, coop: str):
    cooperative, _roles = _centre(request, coop, access.STAFF)
    return list(queries.rooms(cooperative))


@router.post("/{coop}/childcare/rooms", response={201: RoomOut}, summary="Add a room")
def add_room(request, coop: str, payload: RoomIn):
    cooperative, _roles = _centre(request, coop, OFFICE)
    return Status(201, services.add_room(cooperative, **payload.dict()))


@router.get(
    "/{coop}/childcare/rooms/{room_id}/now",
    response=RoomNowOut,
    summary="A room now: children and staff present, and whether it is over its ratio",
)
def room_now(request, coop: str, room_id: Id):
    cooperative, _roles = _centre(request, coop, access.STAFF)
    now = queries.room_now(get_object_or_404(Room, pk=room_id, cooperative=cooperative))
    return RoomNowOut(
        room_id=now.room.pk,
        at=now.at,
        children_present=[c.pk for c in now.children],
        staff_present=[s.worker_id for s in now.staff],
        staff_needed=now.staffing.needed,
        over_ratio=now.staffing.over_ratio,
    )


@router.post(
    "/{coop}/childcare/rooms/{room_id}/shifts",
    response={201: ShiftOut},
    summary="Roster a worker to a room",
)
def add_shift(request, coop: str, room_id: Id, payload: ShiftIn):
    cooperative, _roles = _centre(request, coop, OFFICE)
    room = get_object_or_404(Room, pk=room_id, cooperative=cooperative)
    worker = get_object_or_404(
        User, pk=payload.worker_id, cooperative_roles__cooperative=cooperative
    )
    return Status(
        201,
        services.roster(room, worker=worker, starts_at=payload.starts_at, ends_at=payload.ends_at),
    )


@router.get(
    "/{coop}/childcare/children",
    response=list[ChildSummary],
    summary="Children (a guardian's own only)",
)
def children(request, coop: str):
    cooperative, roles = _centre(request, coop, access.FAMILY_AND_STAFF)
    return list(access.children_visible_to(request.auth, cooperative, roles))


@router.post("/{coop}/childcare/children", response={201: ChildOut}, summary="Enrol a child")
def enrol(request, coop: str, payload: ChildIn):
    cooperative, _roles = _centre(request, coop, OFFICE)
    room = (
        get_object_or_404(Room, pk=payload.room_id, cooperative=cooperative)
        if payload.room_id
        else None
    )
    data = payload.dict(exclude={"room_id"})
    return Status(201, _child_out(services.enrol(cooperative, room=room, **data)))


@router.get(
    "/{coop}/childcare/children/{child_id}",
    response=ChildOut,
    summary="A child's record (the read is logged)",
)
def child(request, coop: str, child_id: Id):
    found = _child(request, coop, child_id)
    access.log_read(request.auth, found, "child", via="api")
    return _child_out(found)


@router.post(
    "/{coop}/childcare/children/{child_id}/guardians",
    response={201: GuardianOut},
    summary="Add a parent or guardian",
)
def add_guardian(request, coop: str, child_id: Id, payload: GuardianIn):
    found = _child(request, coop, child_id, OFFICE)
    return Status(201, services.add_guardian(found, by=request.auth, **payload.dict()))


@router.post(
    "/{coop}/childcare/children/{child_id}/adults",
    response={201: AdultOut},
    summary="Authorise an adult to collect the child",
)
def add_adult(request, coop: str, child_id: Id, payload: AdultIn):
    found = _child(request, coop, child_id, OFFICE)
    return Status(201, services.authorise_adult(found, by=request.auth, **payload.dict()))


@router.post(
    "/{coop}/childcare/adults/{adult_id}/withdraw",
    response=AdultOut,
    summary="Withdraw an adult's authorisation",
)
def withdraw_adult(request, coop: str, adult_id: Id):
    cooperative, _roles = _centre(request, coop, OFFICE)
    adult = get_object_or_404(AuthorisedAdult, pk=adult_id, child__cooperative=cooperative)
    return services.withdraw_adult(adult, by=request.auth)


@router.post(
    "/{coop}/childcare/children/{child_id}/consents",
    response={201: ConsentOut},
    summary="Record a consent a guardian gave",
)
def give_consent(request, coop: str, child_id: Id, payload: ConsentIn):
    found = _child(request, coop, child_id, OFFICE)
    guardian = get_object_or_404(
        Guardian, pk=payload.guardian_id, cooperative_id=found.cooperative_id
    )
    return Status(
        201,
        services.give_consent(
            found, kind=payload.kind, guardian=guardian, given_on=payload.given_on, by=request.auth
        ),
    )


@router.post(
    "/{coop}/childcare/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent",
)
def withdraw_consent(request, coop: str, consent_id: Id, payload: WithdrawIn):
    cooperative, _roles = _centre(request, coop, OFFICE)
    consent = get_object_or_404(ChildConsent, pk=consent_id, child__cooperative=cooperative)
    return services.withdraw_consent(consent, on=payload.on, by=request.auth)


@router.get(
    "/{coop}/childcare/attendance",
    response=list[AttendanceOut],
    summary="Attendance of a day (today by default)",
)
def attendance(request, coop: str, day: Day | None = None):
    cooperative, _roles = _centre(request, coop, access.STAFF)
    return list(queries.attendance_on(cooperative, day or timezone.localdate()))


def _adult(found: Child, adult_id: int | None) -> AuthorisedAdult | None:
    # An adult of another centre is no adult of this child: the sign-out refuses it.
    if adult_id is None:
        return None
    return AuthorisedAdult.objects.filter(
        pk=adult_id, child__cooperative_id=found.cooperative_id
    ).first()


@router.post(
    "/{coop}/childcare/children/{child_id}/sign-in",
    response={201: AttendanceOut},
    summary="Sign a child in",
)
def sign_in(request, coop: str, child_id: Id, payload: SignIn):
    found = _child(request, coop, child_id, access.STAFF)
    adult = get_object_or_404(
        AuthorisedAdult, pk=payload.adult_id, child__cooperative_id=found.cooperative_id
    )
    attended: Attendance = services.sign_in(found, adult=adult, by=request.auth, at=payload.at)
    return Status(201, attended)


@router.post(
    "/{coop}/childcare/children/{child_id}/sign-out",
    response=AttendanceOut,
    summary="Sign a child out (refused, and kept, for anyone not authorised)",
)
def sign_out(request, coop: str, child_id: Id, payload: SignOut):
    found = _child(request, coop, child_id, access.STAFF)
    return services.sign_out(
        found,
        adult=_adult(found, payload.adult_id),
        person_name=payload.person_name,
        by=request.auth,
        at=payload.at,
    )


@router.get(
    "/{coop}/childcare/refusals",
    response=list[RefusalOut],
    summary="Collections refused at the door in the last 30 days",
)
def refusals(request, coop: str):
    cooperative, _roles = _centre(request, coop, access.STAFF)
    found: list[RefusedCollection] = list(
        queries.refusals(cooperative, timezone.now() - timedelta(days=30))
    )
    return found


@router.get("/{coop}/childcare/ratios", response=list[RatioOut], summary="Ratios in force")
def ratios(request, coop: str):
    cooperative, _roles = _centre(request, coop, access.STAFF)
    return [
        RatioOut(
            from_months=r.from_months,
            to_months=r.to_months,
            children_per_adult=r.children_per_adult,
            source=r.source,
            own=r.own is not None,
        )
        for r in queries.ratios(cooperative)
    ]


@router.post("/{coop}/childcare/ratios", response={201: RatioOut}, summary="Set a ratio")
def set_ratio(request, coop: str, payload: RatioIn):
    cooperative, _roles = _centre(request, coop, OFFICE)
    row = services.set_ratio(cooperative, by=request.auth, **payload.dict())
    return Status(
        201,
        RatioOut(
            from_months=row.from_months,
            to_months=row.to_months,
            children_per_adult=row.children_per_adult,
            source=row.reason,
            own=True,
        ),
    )


@router.get(
    "/{coop}/childcare/children/{child_id}/observations",
    response=list[ObservationOut],
    summary="A child's observations (a guardian's shared ones only; the read is logged)",
)
def observations(request, coop: str, child_id: Id):
    cooperative, roles = _centre(request, coop, access.FAMILY_AND_STAFF)
    found = access.visible_child(request.auth, cooperative, roles, child_id)
    listed: list[Observation] = list(access.observations_visible_to(found, roles))
    if listed:
        access.log_read(request.auth, found, "observations", via="api")
    return listed


@router.post(
    "/{coop}/childcare/children/{child_id}/observations",
    response={201: ObservationOut},
    summary="Record an observation of a child",
)
def observe(request, coop: str, child_id: Id, payload: ObservationIn):
    found = _child(request, coop, child_id, access.STAFF)
    return Status(201, services.observe(found, by=request.auth, **payload.dict()))


@router.post(
    "/{coop}/childcare/observations/{observation_id}/share",
    response=ObservationOut,
    summary="Share an observation with the child's guardians",
)
def share_observation(request, coop: str, observation_id: Id):
    cooperative, _roles = _centre(request, coop, access.STAFF)
    observation = get_object_or_404(Observation, pk=observation_id, cooperative=cooperative)
    return services.share_observation(observation, by=request.auth)


class FeeBandIn(Schema):
    income_up_to: Money | None = Field(description="Empty: the top band, any income above.")
    monthly_fee: Money


class FeeScheduleIn(Schema):
    valid_from: Day = Field(description="The first day of a month.")
    bands: list[FeeBandIn] = Field(min_length=1, max_length=20)
    part_time_percent: Decimal = Field(default=Decimal(60), ge=0, le=100, decimal_places=2)
    vat_rate: Decimal = Field(default=Decimal(0), ge=0, le=100, decimal_places=2)
    vat_note: str = Field(default="", max_length=300)
    undeclared_pays_top_band: bool = True
    pro_rata: ProRata = ProRata.CALENDAR_DAYS


class FeeBandOut(Schema):
    band: int
    income_up_to: Decimal | None
    monthly_fee: Decimal


class FeeScheduleOut(Schema):
    id: int
    valid_from: date
    bands: list[FeeBandOut]
    part_time_percent: Decimal
    vat_rate: Decimal
    vat_note: str
    undeclared_pays_top_band: bool
    pro_rata: str

    @staticmethod
    def resolve_bands(schedule) -> list[dict]:
        return [
            {"band": n, "income_up_to": b.income_up_to, "monthly_fee": b.monthly_fee}
            for n, b in enumerate(schedule.bands.all(), start=1)
        ]


class SubsidyIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    payer_id: Id
    kind: SubsidyKind
    amount: Money = Field(description="A month's amount, or a percentage of the fee.")
    valid_from: Day
    valid_until: Day | None = None
    up_to_band: int | None = Field(default=None, ge=1, le=20)
    from_months: int | None = Field(default=None, ge=0, le=MAX_MONTHS)
    to_months: int | None = Field(default=None, ge=1, le=MAX_MONTHS)


class SubsidyOut(Schema):
    id: int
    name: str
    payer_id: int
    kind: str
    amount: Decimal
    valid_from: date
    valid_until: date | None
    up_to_band: int | None
    from_months: int | None
    to_months: int | None


class FeeTermsIn(Schema):
    guardian_id: Id = Field(description="The guardian whose family pays.")
    valid_from: Day
    income: Money | None = Field(default=None, description="Empty: not declared.")
    declared_on: Day | None = None
    part_time: bool = False


class FeeTermsOut(Schema):
    id: int
    child_id: int
    guardian_id: int
    payer_id: int
    income: Decimal | None
    declared_on: date | None
    part_time: bool
    valid_from: date


class SubsidyChargeOut(Schema):
    subsidy_id: int
    amount: Decimal
    invoice_id: int

    @staticmethod
    def resolve_invoice_id(charge) -> int:
        return charge.line.invoice_id


class FeeChargeOut(Schema):
    id: int
    child_id: int
    month: date
    band: int
    income_declared: bool
    part_time: bool
    days_enrolled: int
    days_in_month: int
    fee: Decimal
    subsidised: Decimal
    family_share: Decimal
    invoice_id: int | None = Field(description="The family's draft or issued invoice.")
    subsidies: list[SubsidyChargeOut]
    credit_note_id: int | None = Field(
        description="The credit note that let the month be billed again: this charge no "
        "longer counts."
    )

    @staticmethod
    def resolve_invoice_id(charge) -> int | None:
        return charge.line.invoice_id if charge.line else None

    @staticmethod
    def resolve_credit_note_id(charge) -> int | None:
        return charge.credited_by.invoice_id if charge.credited_by else None

    @staticmethod
    def resolve_subsidies(charge) -> list:
        return list(charge.subsidies.select_related("line"))


class ChildFeesOut(Schema):
    terms: list[FeeTermsOut]
    charges: list[FeeChargeOut]


class FeeRowOut(Schema):
    child_id: int
    child_name: str
    band: int
    part_time: bool
    days_enrolled: int
    fee: Decimal
    subsidised: Decimal
    family_share: Decimal
    billed_again: bool = Field(description="The month was billed and credited to be billed again.")


class FeeProblemOut(Schema):
    code: str
    detail: str
    child_id: int | None


class FeePreviewOut(Schema):
    month: date
    schedule_id: int | None
    rows: list[FeeRowOut]
    already_billed: list[int] = Field(description="Children already billed for the month.")
    problems: list[FeeProblemOut] = Field(description="Why the run would be refused.")


class FeeRunIn(Schema):
    month: Day = Field(description="Any day of the month to bill.")


@router.get(
    "/{coop}/childcare/fee-schedules", response=list[FeeScheduleOut], summary="Fee schedules"
)
def fee_schedules(request, coop: str):
    cooperative, _roles = _centre(request, coop, OFFICE)
    return list(queries.fee_schedules(cooperative))


@router.post(
    "/{coop}/childcare/fee-schedules",
    response={201: FeeScheduleOut},
    summary="Add a fee schedule from a month",
)
def add_fee_schedule(request, coop: str, payload: FeeScheduleIn):
    cooperative, _roles = _centre(request, coop, OFFICE)
    data = payload.dict(exclude={"bands"})
    bands = [(b.income_up_to, b.monthly_fee) for b in payload.bands]
    return Status(201, services.add_fee_schedule(cooperative, bands=bands, by=request.auth, **data))


@router.get("/{coop}/childcare/subsidies", response=list[SubsidyOut], summary="Subsidies")
def subsidies(request, coop: str):
    cooperative, _roles = _centre(request, coop, OFFICE)
    return list(queries.subsidies(cooperative))


@router.post("/{coop}/childcare/subsidies", response={201: SubsidyOut}, summary="Add a subsidy")
def add_subsidy(request, coop: str, payload: SubsidyIn):
    cooperative, _roles = _centre(request, coop, OFFICE)
    payer = get_object_or_404(Payer, pk=payload.payer_id, cooperative=cooperative)
    data = payload.dict(exclude={"payer_id"})
    return Status(201, services.add_subsidy(cooperative, payer=payer, by=request.auth, **data))


@router.get(
    "/{coop}/childcare/children/{child_id}/fees",
    response=ChildFeesOut,
    summary="A child's fee terms and fees billed (a guardian's own children)",
)
def child_fees(request, coop: str, child_id: Id):
    # Fees are the office's and the family's business, not the room's.
    found = _child(request, coop, child_id, (Role.COORDINATOR, Role.CIRCLE))
    return queries.child_fees(found)


@router.post(
    "/{coop}/childcare/children/{child_id}/fee-terms",
    response={201: FeeTermsOut},
    summary="Set a child's fee terms from a day",
)
def set_fee_terms(request, coop: str, child_id: Id, payload: FeeTermsIn):
    found = _child(request, coop, child_id, OFFICE)
    guardian = get_object_or_404(
        Guardian, pk=payload.guardian_id, cooperative_id=found.cooperative_id
    )
    data = payload.dict(exclude={"guardian_id"})
    return Status(201, services.set_fee_terms(found, guardian=guardian, by=request.auth, **data))


@router.get(
    "/{coop}/childcare/fee-preview",
    response=FeePreviewOut,
    summary="What the fee run of a month would bill, and why it could not",
)
def fee_preview(request, coop: str, month: Day | None = None):
    """``month``: any day of it; unless given, the last month ended."""
    cooperative, _roles = _centre(request, coop, OFFICE)
    found = services.preview_fees(cooperative, month or services.last_month_ended())
    return FeePreviewOut(
        month=found.month,
        schedule_id=found.schedule.pk if found.schedule else None,
        rows=[
            FeeRowOut(
                child_id=r.child.pk,
                child_name=r.child.full_name,
                band=r.band,
                part_time=r.terms.part_time,
                days_enrolled=r.days_enrolled,
                fee=r.fee,
                subsidised=r.fee - r.family_share,
                family_share=r.family_share,
                billed_again=r.replaces is not None,
            )
            for r in found.rows
        ],
        already_billed=[c.pk for c in found.already_billed],
        problems=[
            FeeProblemOut(
                code=p.code or "",
                detail=str(p.message),
                child_id=(p.params or {}).get("child"),
            )
            for p in found.problems
        ],
    )


@router.post(
    "/{coop}/childcare/fee-runs",
    response={201: list[FeeChargeOut]},
    summary="Bill a month's fees as draft invoices",
)
def run_fees(request, coop: str, payload: FeeRunIn):
    cooperative, _roles = _centre(request, coop, OFFICE)
    return Status(201, services.run_fees(cooperative, payload.month, by=request.auth))
