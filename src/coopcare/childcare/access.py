"""Who may see which children, and the log of every read of a child's records.

- The cooperative's staff (coordinators and carers, the centre's workers) see every child
  enrolled there.
- A parent or guardian with a login (the circle role, as for the circle of a person cared
  for) sees only their own children (``Guardian.user``).

Health notes and allergies are special-category data: every showing is logged
(``ChildRecordRead``), as a care record's read is. So is every showing of a child's
observations: staff see them all, a guardian only those shared while a consent to sharing
observations is in force.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from coopcare.childcare.models import Child, ChildRecordRead, ConsentKind, Observation
from coopcare.cooperatives.models import Role

# The flag of the form of care these pages belong to: a cooperative without it answers 404.
FORM = "runs_childcare"

STAFF = (Role.COORDINATOR, Role.CARER)
# Everyone a childcare page may be shown to: the staff and the guardians.
FAMILY_AND_STAFF = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)


def is_staff(roles) -> bool:
    """Whether ``roles`` make the user one of the centre's staff."""
    return bool(set(roles) & set(STAFF))


def children_visible_to(user, cooperative, roles) -> QuerySet[Child]:
    """The children whose records ``user`` may open in ``cooperative``."""
    children = Child.objects.filter(cooperative=cooperative)
    if is_staff(roles):
        return children
    if Role.CIRCLE in roles:
        return children.filter(guardians__user=user).distinct()
    return children.none()


def visible_child(user, cooperative, roles, child_id: int) -> Child:
    """The child, if ``user`` may see them; 404 otherwise."""
    return get_object_or_404(children_visible_to(user, cooperative, roles), pk=child_id)


def log_read(user, child: Child, record: str, via: str = "web") -> None:
    """Record that ``user`` read ``record`` of ``child`` (GDPR art. 9 and 30)."""
    ChildRecordRead.objects.create(
        cooperative_id=child.cooperative_id, child=child, user=user, record=record, via=via
    )


def observations_visible_to(child: Child, roles) -> QuerySet[Observation]:
    """The observations of ``child`` a user with ``roles`` (who may see the child) sees:
    staff every one; a guardian those shared, while a consent to sharing them is in force."""
    found = child.observations.select_related("recorded_by")
    if is_staff(roles):
        return found
    if not child.consents.filter(kind=ConsentKind.OBSERVATIONS, withdrawn_on__isnull=True).exists():
        return found.none()
    return found.filter(shared_at__isnull=False)
