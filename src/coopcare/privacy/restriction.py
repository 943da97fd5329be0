"""What a restriction of processing (GDPR art. 18) refuses: the services that start new
processing of a person's records call ``refuse_new_processing`` first (the list is in
docs/data-protection.md, "What a restriction blocks"). Storing, reading and exporting go on.

Kept apart from ``privacy.queries``, which reads every app for the data export: the services
of those apps import this module, and it imports nothing of theirs."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopcare.privacy.models import Restriction


def refuse_new_processing(person) -> None:
    """Refuse, with ``person_restricted``, while a restriction is in force on ``person``.

    Source: GDPR art. 18(2): restricted data is, but for storage, processed only with the
    person's consent, for legal claims, to protect another's rights, or for an important
    public interest; none of those is for coopcare to judge, so the coordinator lifts the
    restriction (art. 18(3), telling the person first) before anything new is done."""
    if Restriction.objects.filter(person=person, lifted_at__isnull=True).exists():
        raise ValidationError(
            _(
                "%(person)s's records are restricted at their request (GDPR art. 18): nothing "
                "new is done with them until a coordinator lifts the restriction."
            )
            % {"person": person},
            code="person_restricted",
        )
