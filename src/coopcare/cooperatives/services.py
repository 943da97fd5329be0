"""Who works in or for a cooperative: their login and the roles the cooperative gives them.

The administration and the demo's bulk seeding write these rows themselves; every other caller
(the carers' import, the tests' factories) comes through here.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import (
    FORMS_OF_CARE,
    Cooperative,
    CooperativeRole,
    FormOfCareChange,
)


@transaction.atomic
def grant_role(cooperative: Cooperative, user, role: str) -> CooperativeRole:
    """Give ``user`` ``role`` in ``cooperative``; giving a role they already have changes
    nothing."""
    grant, _made = CooperativeRole.objects.get_or_create(
        user=user, cooperative=cooperative, role=role
    )
    return grant


@transaction.atomic
def add_login(cooperative: Cooperative, *, email: str, first_name: str, last_name: str, role: str):
    """A new login for someone the cooperative gives ``role``, named by their email. It has no
    password: they choose one through "forgotten password", so nobody else ever knows it.

    An email that is already someone's login is refused: a cooperative does not take over
    another's user; an administrator gives that person the role instead."""
    email = email.strip().lower()
    users = get_user_model().objects
    if users.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError(
            _(
                "This email is the login of someone who is not a carer of this cooperative; "
                "an administrator can give them the carer role."
            ),
            code="login_elsewhere",
        )
    user = users.create_user(
        username=email, email=email, first_name=first_name, last_name=last_name
    )
    grant_role(cooperative, user, role)
    return user


@transaction.atomic
def choose_forms_of_care(cooperative: Cooperative, *, by, **runs: bool) -> list[FormOfCareChange]:
    """Switch the forms of care named in ``runs`` (``runs_childcare=True``...) on or off, each
    change kept with who made it. A cooperative runs at least one form of care; switching one
    off hides its pages and figures and keeps its records."""
    unknown = set(runs) - set(FORMS_OF_CARE)
    if unknown:
        raise ValueError(f"not forms of care: {sorted(unknown)}")
    locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    after = {name: runs.get(name, getattr(locked, name)) for name in FORMS_OF_CARE}
    if not any(after.values()):
        raise ValidationError(
            _("A cooperative runs at least one form of care."), code="no_form_of_care"
        )
    changed = [name for name, value in after.items() if value != getattr(locked, name)]
    for name in changed:
        setattr(locked, name, after[name])
        setattr(cooperative, name, after[name])
    locked.save(update_fields=changed)
    return [
        FormOfCareChange.objects.create(cooperative=locked, form=name, runs=after[name], by=by)
        for name in changed
    ]
