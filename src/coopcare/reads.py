"""The shape of a read log: who read which record of a data subject, when and through what.

Care records, a child's records and a family caregiver's record are special-category data
(GDPR art. 9); the controller must be able to show who accessed them (arts 5(2) and 30).
Each subject keeps its own log, in its own table with its own foreign key to the subject
(``care.CareRecordRead``, ``childcare.ChildRecordRead``, ``respite.CaregiverRead``), so a
subject's log is read, exported and deleted with the subject's records; the fields and their
order are this one model's.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordRead(models.Model):
    """One read of a record: the cooperative, who read it, what was read, through what (the
    web pages or the API) and when. A subclass adds its subject's foreign key."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record = models.CharField(_("what was read"), max_length=60)
    via = models.CharField(_("through"), max_length=10, default="web")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.record}"
