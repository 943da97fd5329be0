"""Importing carers' usual hours, through rostering's slot form and ``add_slot``.

A row names the carer by email (a carer of this cooperative, imported before) and one
weekday's hours; an equal slot already recorded is left unchanged, an overlapping one is
refused as on the carer's page.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Role
from coopcare.imports import rules
from coopcare.imports.rules import Column
from coopcare.imports.services.common import Context, Kind, Outcome, check_form, column_error
from coopcare.rostering.forms import SlotForm
from coopcare.rostering.models import Availability
from coopcare.rostering.services.availability import add_slot
from coopcare.work.queries import workers

COLUMNS = (
    Column("email", gettext_lazy("Carer's email"), required=True),
    Column("weekday", gettext_lazy("Day (1 Monday to 7 Sunday, or its name)"), required=True),
    Column("starts", gettext_lazy("From"), required=True),
    Column("ends", gettext_lazy("Until"), required=True),
)
FIELDS = {"weekday": "weekday", "starts": "starts", "ends": "ends"}


def enter(context: Context, row: dict[str, str]) -> tuple[str, str]:
    """Add the row's hours to the carer's usual week unless they are there already."""
    email = row.get("email", "")
    key = f"{email} {row.get('weekday', '')} {row.get('starts', '')}"
    carer = workers(context.cooperative, (Role.CARER,)).filter(email__iexact=email).first()
    if not email or carer is None:
        raise column_error(
            "email", _("No carer of this cooperative has this email."), "unknown_carer"
        )
    day = rules.weekday(row.get("weekday", ""))
    if day is None:
        raise column_error(
            "weekday",
            _("Write the day as a number from 1 (Monday) to 7 (Sunday), or its name."),
            "unknown_weekday",
        )
    form = SlotForm({"weekday": day, "starts": row.get("starts"), "ends": row.get("ends")})
    slot = check_form(form, FIELDS)
    same = Availability.objects.filter(
        cooperative=context.cooperative,
        carer=carer,
        weekday=slot["weekday"],
        starts=slot["starts"],
        ends=slot["ends"],
    )
    if same.exists():
        return Outcome.UNCHANGED, key
    add_slot(context.cooperative, carer, slot["weekday"], slot["starts"], slot["ends"])
    return Outcome.CREATE, key


KIND = Kind(
    key="availability",
    label=gettext_lazy("Carers' usual hours"),
    columns=COLUMNS,
    roles=(Role.COORDINATOR,),
    matched_by="email+weekday+starts",
    enter=enter,
)
