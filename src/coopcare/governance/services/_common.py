"""Helpers shared by the governance services: the ``Question`` type (a motion or an
election), refusing an action with the problems found, checking that the records an action
names are the cooperative's own, locking a question's row, and the filter that picks a
question's ballots and roll."""

from typing import overload

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.governance.models import Election, Motion

Question = Motion | Election


def _refuse(problems: list[ValidationError]) -> None:
    """Raise the problems found together, each with its own code."""
    if problems:
        raise ValidationError(problems)


def _own(cooperative: Cooperative, *records) -> None:
    """Members, stakeholder classes and assemblies named in an action must be the cooperative's
    own (pages and the API look them up in it; this guards every other caller)."""
    for record in records:
        if record.cooperative_id != cooperative.pk:
            raise ValidationError(
                _("That %(what)s belongs to another cooperative.")
                % {"what": record._meta.verbose_name},
                code="record_of_another_cooperative",
            )


# A motion locked is a motion, an election an election.
@overload
def _locked(question: Motion) -> Motion: ...
@overload
def _locked(question: Election) -> Election: ...
@overload
def _locked(question: Question) -> Question: ...
def _locked(question: Question) -> Question:
    return type(question).objects.select_for_update().get(pk=question.pk)


def _question_filter(question: Question) -> dict:
    return {"motion" if isinstance(question, Motion) else "election": question}
