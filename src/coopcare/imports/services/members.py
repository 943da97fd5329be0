"""Importing the member register, through the application form and members' services
(``apply_for_membership``, ``admit``, ``change_class``).

A row is matched to a member by email, or by full name when it gives no email (ignoring
case). A new member applies on ``applied_on`` with the shares and first payment of the row and,
with ``admitted_on``, is admitted then (taking the next register number, in the order of the
rows). A member already on the register is moved to the row's class if it differs (from
today) and admitted if still an applicant; later shares and payments are the share history
import (``shares``). A member with a login in this cooperative (same email) is linked to it.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Role
from coopcare.imports.rules import Column
from coopcare.imports.services.common import (
    Context,
    Kind,
    Outcome,
    check_form,
    column_error,
    form_data,
)
from coopcare.members.forms import ApplicationForm, DatedForm
from coopcare.members.models import Member, MemberStatus, StakeholderClass
from coopcare.members.services import admit, apply_for_membership, change_class

COLUMNS = (
    Column("email", gettext_lazy("Email")),
    Column("full_name", gettext_lazy("Full name"), required=True),
    Column("stakeholder_class", gettext_lazy("Stakeholder class (its name)"), required=True),
    Column("shares", gettext_lazy("Shares subscribed on applying"), required=True),
    Column("first_payment", gettext_lazy("Paid on applying")),
    Column("applied_on", gettext_lazy("Applied on"), required=True),
    Column("works_since", gettext_lazy("Works for the cooperative since")),
    Column("admitted_on", gettext_lazy("Admitted on")),
)
FIELDS = {
    "email": "email",
    "full_name": "full_name",
    "stakeholder_class": "stakeholder_class",
    "shares": "shares",
    "first_payment": "first_payment",
    "applied_on": "applied_on",
    "works_since": "works_since",
}


def _class(context: Context, name: str) -> StakeholderClass:
    found = StakeholderClass.objects.filter(
        cooperative=context.cooperative, name__iexact=name.strip()
    ).first()
    if found is None:
        raise column_error(
            "stakeholder_class",
            _("This cooperative has no stakeholder class named “%(name)s”.") % {"name": name},
            "unknown_stakeholder_class",
        )
    return found


def _login(context: Context, email: str):
    """The login of this cooperative with this email, to link the member to, if any."""
    if not email:
        return None
    return (
        get_user_model()
        .objects.filter(email__iexact=email, cooperative_roles__cooperative=context.cooperative)
        .exclude(memberships__cooperative=context.cooperative)
        .first()
    )


def enter(context: Context, row: dict[str, str]) -> tuple[str, str]:
    """Record the row's application (and admission), or bring the member up to date."""
    stakeholder_class = _class(context, row.get("stakeholder_class", ""))
    data = form_data(row, FIELDS, defaults={"first_payment": "0"})
    data["stakeholder_class"] = stakeholder_class.pk
    application = check_form(ApplicationForm(data, cooperative=context.cooperative), FIELDS)
    admitted_on = None
    if row.get("admitted_on"):
        dated = DatedForm({"on": row["admitted_on"]})
        admitted_on = check_form(dated, {"on": "admitted_on"})["on"]
    email = application["email"]
    key = email or application["full_name"]
    register = Member.objects.filter(cooperative=context.cooperative)
    if email:
        member = register.filter(email__iexact=email).first()
    else:
        member = register.filter(full_name__iexact=application["full_name"]).first()
    if member is None:
        member = apply_for_membership(
            context.cooperative,
            user=_login(context, email),
            recorded_by=context.by,
            **application,
        )
        if admitted_on:
            admit(member, admitted_on, recorded_by=context.by)
        return Outcome.CREATE, key
    changed = False
    if member.stakeholder_class_id != stakeholder_class.pk:
        member = change_class(member, stakeholder_class, context.today, recorded_by=context.by)
        changed = True
    if admitted_on and member.status == MemberStatus.APPLICANT:
        admit(member, admitted_on, recorded_by=context.by)
        changed = True
    return (Outcome.UPDATE if changed else Outcome.UNCHANGED), key


KIND = Kind(
    key="members",
    label=gettext_lazy("Members"),
    columns=COLUMNS,
    roles=(Role.BOARD, Role.COORDINATOR),
    matched_by="email",
    enter=enter,
)
