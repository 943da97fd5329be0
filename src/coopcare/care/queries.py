"""Reads about people cared for that pages and the API share, scoped to one cooperative."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from coopcare.care.models import PersonCaredFor, PersonChange, Signature
from coopcare.cooperatives.models import Role


def carers_of(cooperative) -> QuerySet:
    """The cooperative's carers (users with the carer role), by name: the ones a person may
    choose or refuse."""
    return (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative, cooperative_roles__role=Role.CARER
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def changes_of(cooperative, person: PersonCaredFor) -> QuerySet[PersonChange]:
    """The history of the person's record, newest first, with who made each change."""
    return PersonChange.objects.filter(person=person, edit__cooperative=cooperative).select_related(
        "edit__user"
    )


def signatures_of(cooperative, person: PersonCaredFor) -> QuerySet[Signature]:
    """What the person signed, newest first, with the plan or consent signed and on whose
    screen."""
    return Signature.objects.filter(person=person, cooperative=cooperative).select_related(
        "plan", "consent", "collected_by"
    )


def carers_of_ids(ids) -> QuerySet:
    """The users with ``ids``, by name (for the history of chosen and refused carers)."""
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")
