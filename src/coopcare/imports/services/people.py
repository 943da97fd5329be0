"""Importing people cared for, through the admission form and ``care.services.admit_person``.

A row is matched to a person already recorded by full name and date of birth, or, when the
row gives no date of birth, by full name and address (both ignoring case). A row without
coordinates admits the person with their home still to place: the coordinator places it on
the person's edit page before they can be rostered, and the row's note says so. care has no
service that changes a person's details, so a matched person whose recorded details differ
from the row is an error naming the columns, not an update.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.care.forms import PersonForm
from coopcare.care.models import CarerGender, CareStatus, Funding, PersonCaredFor
from coopcare.care.services import admit_person
from coopcare.cooperatives.models import Role
from coopcare.imports.rules import Column
from coopcare.imports.services.common import (
    Context,
    Kind,
    Outcome,
    check_form,
    column_error,
    form_data,
    yes_no,
)

COLUMNS = (
    Column("full_name", gettext_lazy("Full name"), required=True),
    Column("date_of_birth", gettext_lazy("Date of birth")),
    Column("phone", gettext_lazy("Phone")),
    Column("address", gettext_lazy("Address"), required=True),
    Column("postcode", gettext_lazy("Postcode")),
    Column("city", gettext_lazy("City")),
    Column("latitude", gettext_lazy("Latitude")),
    Column("longitude", gettext_lazy("Longitude")),
    Column("languages", gettext_lazy("Languages")),
    Column("carer_gender", gettext_lazy("Carer's gender wished (any, woman or man)")),
    Column("pets", gettext_lazy("Pets at home")),
    Column("smoking_home", gettext_lazy("Smoking household (yes/no)")),
    Column("preferences", gettext_lazy("Other preferences")),
    Column("funding", gettext_lazy("Funding (public_body, private, voucher or mixed)")),
    Column("status", gettext_lazy("Status (referral or active)")),
    Column("since", gettext_lazy("Referred or admitted on")),
)
# Form field → column.
FIELDS = {c.key: c.key for c in COLUMNS if c.key not in ("since", "smoking_home")} | {"on": "since"}
# What must be equal for a row to be the person already recorded (status and date are their
# history, which the row does not rewrite).
COMPARED = [name for name in FIELDS if name not in ("on", "status")] + ["smoking_home"]


def enter(context: Context, row: dict[str, str]) -> tuple[str, str]:
    """Admit the row's person, or find them already recorded with the same details."""
    data = form_data(
        row,
        FIELDS,
        defaults={
            "carer_gender": CarerGender.ANY,
            "funding": Funding.PUBLIC_BODY,
            "status": CareStatus.REFERRAL,
            "on": context.today.isoformat(),
        },
    )
    if yes_no(row, "smoking_home"):
        data["smoking_home"] = "on"
    form = PersonForm(data, cooperative=context.cooperative)
    fields = check_form(form, FIELDS | {"smoking_home": "smoking_home"})
    key = fields["full_name"]
    same = PersonCaredFor.objects.filter(
        cooperative=context.cooperative, full_name__iexact=fields["full_name"]
    )
    if fields["date_of_birth"]:
        same = same.filter(date_of_birth=fields["date_of_birth"])
    else:
        same = same.filter(address__iexact=fields["address"])
    found = same.first()
    if found is not None:
        context.people_read.append(found)
        differ = [name for name in COMPARED if getattr(found, name) != fields[name]]
        if differ:
            raise column_error(
                differ[0],
                _(
                    "%(name)s is already recorded with other values in: %(columns)s. Change "
                    "them on the person's page, or correct the file."
                )
                % {"name": found.full_name, "columns": ", ".join(differ)},
                "person_differs",
            )
        return Outcome.UNCHANGED, key
    fields = dict(fields)
    fields.pop("preferred_carers", None)
    fields.pop("refused_carers", None)
    admit_person(context.cooperative, recorded_by=context.by, **fields)
    if fields["latitude"] is None and fields["longitude"] is None:
        context.note = _("Home to place on the map: not rostered until a coordinator places it.")
    return Outcome.CREATE, key


KIND = Kind(
    key="people",
    label=gettext_lazy("People cared for"),
    columns=COLUMNS,
    roles=(Role.COORDINATOR,),
    matched_by="full_name",
    enter=enter,
)
