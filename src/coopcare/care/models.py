"""People cared for. Care records are special-category data (GDPR art. 9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.cooperatives.models import Cooperative


class CareStatus(models.TextChoices):
    REFERRAL = "referral", _("referral")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    ENDED = "ended", _("ended")


class PersonCaredFor(models.Model):
    """A person the cooperative cares for, with the address carers visit."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="people_cared_for"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    status = models.CharField(
        _("status"), max_length=20, choices=CareStatus.choices, default=CareStatus.REFERRAL
    )
    since = models.DateField(_("in care since"), null=True, blank=True)

    class Meta:
        verbose_name = _("person cared for")
        verbose_name_plural = _("people cared for")
        ordering = ["cooperative", "full_name"]

    def __str__(self) -> str:
        return self.full_name
