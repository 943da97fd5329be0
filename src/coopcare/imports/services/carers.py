"""Importing carers: their login, a contract and a qualification, through work's forms and
services (``start_contract``, ``add_qualification``).

A row is matched to a carer by email. A carer with several contracts or certificates has one
row for each, repeating the email. The import makes a login for a new email (with no
password: the carer sets one through "forgotten password") with the carer role, through
``cooperatives.services.add_login``. An email
that is already the login of someone outside this cooperative is refused: the import does not
give other cooperatives' users a role here.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Role
from coopcare.cooperatives.services import add_login
from coopcare.imports.forms import CarerLoginForm
from coopcare.imports.rules import Column
from coopcare.imports.services.common import (
    Context,
    Kind,
    Outcome,
    check_form,
    column_error,
    form_data,
)
from coopcare.work.forms import ContractForm, QualificationForm
from coopcare.work.models import Contract, Qualification
from coopcare.work.queries import workers
from coopcare.work.services.contracts import start_contract
from coopcare.work.services.qualifications import add_qualification

COLUMNS = (
    Column("email", gettext_lazy("Email"), required=True),
    Column("first_name", gettext_lazy("First name")),
    Column("last_name", gettext_lazy("Last name")),
    Column(
        "contract_kind",
        gettext_lazy("Contract kind (permanent, fixed_term, guaranteed_hours or zero_hours)"),
    ),
    Column("weekly_hours", gettext_lazy("Contracted hours a week")),
    Column("hourly_rate", gettext_lazy("Hourly rate")),
    Column("max_average_weekly_hours", gettext_lazy("Maximum average hours a week")),
    Column("contract_starts_on", gettext_lazy("Contract starts on")),
    Column("contract_ends_on", gettext_lazy("Contract ends on")),
    Column("qualification", gettext_lazy("Certificate")),
    Column("skills", gettext_lazy("Skills (comma-separated)")),
    Column("issued_by", gettext_lazy("Certificate issued by")),
    Column("obtained_on", gettext_lazy("Certificate obtained on")),
    Column("expires_on", gettext_lazy("Certificate expires on")),
)
LOGIN_FIELDS = {"email": "email", "first_name": "first_name", "last_name": "last_name"}
CONTRACT_FIELDS = {
    "kind": "contract_kind",
    "weekly_hours": "weekly_hours",
    "hourly_rate": "hourly_rate",
    "max_average_weekly_hours": "max_average_weekly_hours",
    "starts_on": "contract_starts_on",
    "ends_on": "contract_ends_on",
}
QUALIFICATION_FIELDS = {
    "name": "qualification",
    "skills": "skills",
    "issued_by": "issued_by",
    "obtained_on": "obtained_on",
    "expires_on": "expires_on",
}


def _carer(context: Context, login: dict) -> tuple[object, bool]:
    """The carer with this email, made if new; and whether they were made."""
    email = login["email"].lower()
    found = workers(context.cooperative, (Role.CARER,)).filter(email__iexact=email).first()
    if found is not None:
        return found, False
    try:
        user = add_login(
            context.cooperative,
            email=email,
            first_name=login["first_name"],
            last_name=login["last_name"],
            role=Role.CARER,
        )
    except ValidationError as refused:
        raise column_error("email", refused.messages[0], "login_elsewhere") from refused
    return user, True


def _contract(context: Context, carer, row: dict[str, str]) -> bool:
    """Start the row's contract unless the carer has it already; whether it was started."""
    form = ContractForm(form_data(row, CONTRACT_FIELDS))
    terms = dict(check_form(form, CONTRACT_FIELDS))
    terms.pop("replace_current", None)
    same = Contract.objects.filter(cooperative=context.cooperative, carer=carer, **terms)
    if same.exists():
        return False
    start_contract(context.cooperative, carer, terms, by=context.by)
    return True


def _qualification(context: Context, carer, row: dict[str, str]) -> bool:
    """Record the row's certificate unless the carer has it already; whether it was."""
    form = QualificationForm(form_data(row, QUALIFICATION_FIELDS))
    fields = check_form(form, QUALIFICATION_FIELDS)
    same = Qualification.objects.filter(
        cooperative=context.cooperative,
        carer=carer,
        name=fields["name"],
        obtained_on=fields["obtained_on"],
    )
    if same.exists():
        return False
    add_qualification(context.cooperative, carer, dict(fields))
    return True


def enter(context: Context, row: dict[str, str]) -> tuple[str, str]:
    """Make or find the carer, then add the row's contract and certificate if new."""
    login = check_form(CarerLoginForm(form_data(row, LOGIN_FIELDS)), LOGIN_FIELDS)
    carer, made = _carer(context, login)
    changed = False
    if row.get("contract_kind"):
        changed |= _contract(context, carer, row)
    if row.get("qualification"):
        changed |= _qualification(context, carer, row)
    outcome = Outcome.CREATE if made else Outcome.UPDATE if changed else Outcome.UNCHANGED
    return outcome, login["email"]


KIND = Kind(
    key="carers",
    label=gettext_lazy("Carers"),
    columns=COLUMNS,
    roles=(Role.COORDINATOR,),
    matched_by="email",
    enter=enter,
)
