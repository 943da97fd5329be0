"""Who may see and record which medication, the same for pages and the API.

- Coordinators see every person's medication and alone add or change medicines and
  allergies.
- A carer sees the medication of a person while they may see the person
  (``care.access.people_visible_to``: 24 hours either side of a visit with them), and records
  doses only at their own visits, between check-in and check-out (the service checks that).
- A circle member with the grant to see the care plan (``CircleMember.may_see_care_plan``) sees
  the person's medicines and medication chart, read only: what is taken and when is part of
  the plan of care the person chose to share. The grant to see visit notes does not extend to
  it.
- Stock: coordinators turn tracking on and record what is received; coordinators and carers
  (while they may see the person) count it; a circle member who sees the medicines sees the
  stock, read only.

Every read of a person's medication is logged in the care record read log.
"""

from django.shortcuts import get_object_or_404

from coopcare.care import access as care_access
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.medication.models import Medicine
from coopcare.visits.access import visits_of
from coopcare.visits.models import Visit

# Who sees a person's medication is who sees their care plan.
visible_person = care_access.visible_with_care_plan


def visible_medicine(user, cooperative, roles, medicine_id: int) -> Medicine:
    """The medicine, if ``user`` may see its person's medication now; 404 otherwise."""
    medicine = get_object_or_404(
        Medicine.objects.select_related("person", "current"),
        pk=medicine_id,
        cooperative=cooperative,
    )
    visible_person(user, cooperative, roles, medicine.person_id)
    return medicine


def own_visit(user, cooperative, roles, visit_id: int) -> Visit:
    """A visit the carer is rostered on (any visit, for a coordinator); 404 otherwise."""
    return get_object_or_404(
        visits_of(user, cooperative, roles).select_related("person", "task"), pk=visit_id
    )


def may_manage(roles) -> bool:
    """Only coordinators add and change medicines and allergies."""
    return Role.COORDINATOR in roles


def may_count(roles) -> bool:
    """Coordinators and carers count a medicine's stock (a carer only while they may see the
    person, which ``visible_medicine`` checks)."""
    return Role.COORDINATOR in roles or Role.CARER in roles


def log(user, person: PersonCaredFor, record: str, via: str = "web") -> None:
    """Log that ``user`` read the person's medication (``record`` says which part)."""
    care_access.log_read(user, person, record, via=via)
