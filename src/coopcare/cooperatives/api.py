"""API: the cooperatives the caller belongs to, with their roles; a coordinator's week at a
glance; the forms of care a cooperative runs, chosen by its board or coordinators."""

from datetime import datetime

from ninja import Router, Schema

from coopcare.cooperatives import services
from coopcare.cooperatives.access import cooperatives_of, resolve_cooperative, roles_of
from coopcare.cooperatives.models import FORMS_OF_CARE, Role
from coopcare.cooperatives.queries import forms_of_care_changes, this_week

router = Router(tags=["cooperatives"])


class CooperativeOut(Schema):
    slug: str
    name: str
    city: str
    country: str
    currency: str
    roles: list[str]


@router.get("", response=list[CooperativeOut], summary="My cooperatives and roles")
def my_cooperatives(request):
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "city": c.city,
            "country": c.country,
            "currency": c.currency,
            "roles": sorted(roles_of(request.auth, c)),
        }
        for c in cooperatives_of(request.auth)
    ]


class ThisWeekOut(Schema):
    short_of_carers: int
    short_of_carers_days: int
    carers_away: int
    late_to_start: int
    open_incidents: int
    reviews_due: int
    reviews_due_days: int
    qualifications_expiring: int
    qualifications_expiring_days: int


@router.get("/{coop}/this-week", response=ThisWeekOut, summary="The week at a glance")
def week_at_a_glance(request, coop: str):
    """What a coordinator handles first, as counted on their dashboard: visits in the coming
    days without enough carers, carers away today, visits late to start, open incidents,
    reviews due and qualifications expiring."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    return this_week(cooperative)


# The board and the coordinators choose the forms of care the cooperative runs.
CHOOSERS = (Role.BOARD, Role.COORDINATOR)


class FormsOfCare(Schema):
    runs_home_care: bool
    runs_childcare: bool
    runs_household_employment: bool
    runs_time_credits: bool
    runs_respite: bool


class FormsOfCareIn(Schema):
    """The forms of care to switch on (true) or off (false); those left out stay as they are."""

    runs_home_care: bool | None = None
    runs_childcare: bool | None = None
    runs_household_employment: bool | None = None
    runs_time_credits: bool | None = None
    runs_respite: bool | None = None


class FormOfCareChangeOut(Schema):
    form: str
    runs: bool
    by: str
    at: datetime


def _forms(cooperative) -> dict[str, bool]:
    return {name: getattr(cooperative, name) for name in FORMS_OF_CARE}


@router.get("/{coop}/forms-of-care", response=FormsOfCare, summary="The forms of care it runs")
def forms_of_care(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, CHOOSERS)
    return _forms(cooperative)


@router.patch("/{coop}/forms-of-care", response=FormsOfCare, summary="Choose the forms of care")
def choose_forms_of_care(request, coop: str, payload: FormsOfCareIn):
    """Switch forms of care on or off; each change is kept with who made it. A cooperative runs
    at least one (``no_form_of_care``)."""
    cooperative, _roles = resolve_cooperative(request.auth, coop, CHOOSERS)
    chosen = {name: value for name, value in payload.dict().items() if value is not None}
    services.choose_forms_of_care(cooperative, by=request.auth, **chosen)
    return _forms(cooperative)


@router.get(
    "/{coop}/forms-of-care/changes",
    response=list[FormOfCareChangeOut],
    summary="Who changed the forms of care, and when",
)
def forms_of_care_history(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, CHOOSERS)
    return [
        {"form": c.form, "runs": c.runs, "by": c.by.get_full_name() or c.by.username, "at": c.at}
        for c in forms_of_care_changes(cooperative)
    ]
