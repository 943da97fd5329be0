"""Records kept as written: rows that are never changed nor deleted once saved.

The share ledger, a person's record history and signatures, needs and risk assessments,
medicine versions and dose records are evidence: a correction is a new row, never an edit.
A model says so by deriving from :class:`KeptAsWritten`. Saving a row that already exists,
deleting one, and a queryset's ``update()`` or ``delete()`` (which would bypass ``save`` and
``delete``) all raise :class:`Refused`, one ``ValidationError`` with one code,
``kept_as_written``, so that a page shows it as a broken rule and the API answers 400 with
that code.

Deleting a related row never reaches these rows through a cascade: their foreign keys are
``PROTECT``. One way past the guard exists, for the end of the retention period (GDPR
art. 5(1)(e), docs/privacy.md): :func:`blank_past_retention` blanks fields of rows, never
deletes a row nor writes a value, and only ``coopcare.retention`` calls it
(``tests/test_kept.py`` fails on any other caller).
"""

from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one


class Refused(ValidationError):
    """A change to, or the deletion of, a record kept as written."""


def refusal(model: type[models.Model]) -> Refused:
    """The refusal for ``model``, in its own words (``kept_message``)."""
    return Refused(
        getattr(model, "kept_message", KeptAsWritten.kept_message), code="kept_as_written"
    )


class KeptQuerySet(models.QuerySet[Any]):
    """Bulk changes would bypass the rows' own guard, so they are refused too."""

    def update(self, **kwargs: Any) -> int:
        raise refusal(self.model)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise refusal(self.model)


class KeptAsWritten(models.Model):
    """A model whose rows are written once: inserted, then never changed nor deleted.

    A subclass may set ``kept_message``, the refusal people read, in its own words."""

    kept_message: ClassVar["StrOrPromise"] = _(
        "The history of a record is kept as written; it cannot be changed or deleted."
    )

    objects = KeptQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new row; refuse to save one that exists."""
        if not self._state.adding:
            raise refusal(type(self))
        # An insert, never an update: a new instance given the id of an existing row would
        # otherwise overwrite that row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused: a row kept as written is never deleted."""
        raise refusal(type(self))


def blank_past_retention(queryset: models.QuerySet[Any], **blanks: Any) -> int:
    """Blank ``blanks``' fields of the rows of ``queryset`` whose retention period is over,
    and return how many rows: the one exception to the guard, for ``coopcare.retention``
    alone. The row stays (links and counts survive); only what it said is removed, so each
    value must be empty ("" or None) and nothing can be rewritten through it."""
    written = {field: value for field, value in blanks.items() if value not in ("", None)}
    if written:
        raise ValueError(f"only blanks are written past retention, not {sorted(written)}")
    return models.QuerySet.update(queryset, **blanks)
