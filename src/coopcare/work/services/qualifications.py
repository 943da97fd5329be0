"""Qualifications (certificates that give skills until they expire) and training."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.work.models import Qualification, Training
from coopcare.work.services._common import check_worker


@transaction.atomic
def add_qualification(cooperative: Cooperative, carer, fields: dict) -> Qualification:
    """Record a certificate a carer holds."""
    check_worker(cooperative, carer)
    if fields.get("expires_on") and fields["expires_on"] <= fields["obtained_on"]:
        raise ValidationError(
            _("A certificate expires after it was obtained."),
            code="certificate_expires_before_obtained",
        )
    qualification = Qualification(cooperative=cooperative, carer=carer, **fields)
    if not qualification.skill_list():
        raise ValidationError(
            _("Name at least one skill the certificate qualifies for."), code="skills_missing"
        )
    qualification.skills = ", ".join(qualification.skill_list())
    qualification.save()
    return qualification


@transaction.atomic
def record_training(cooperative: Cooperative, carer, fields: dict) -> Training:
    """Record training a carer took."""
    check_worker(cooperative, carer)
    qualification = fields.get("qualification")
    if qualification and qualification.carer_id != carer.pk:
        raise ValidationError(
            _("That qualification belongs to someone else."),
            code="qualification_of_someone_else",
        )
    return Training.objects.create(cooperative=cooperative, carer=carer, **fields)
