"""Records kept as written: rows that are never changed nor deleted once saved.

The share ledger, a person's record history and signatures, needs and risk assessments,
medicine versions and dose records are evidence: a correction is a new row, never an edit.
A model says so by deriving from :class:`KeptAsWritten`. Saving a row that already exists,
deleting one, and a queryset's ``update()`` or ``delete()`` (which would bypass ``save`` and
``delete``) all raise :class:`Refused`, one ``ValidationError`` with one code,
``kept_as_written``, so that a page shows it as a broken rule and the API answers 400 with
that code.

Deleting a related row never reaches these rows through a cascade: their foreign keys are
``PROTECT``. Nothing erases them today (erasure after the retention period is not done yet,
docs/rules.md); an erasure that must will need its own explicit way past this guard.
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
