"""Time credits: informal help offered and asked for between members, and the ledger of the
hours given and received (append-only, balances derived), kept apart from paid work."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten
from coopcare.members.models import Member


class Terms(models.Model):
    """The cooperative's terms for time credits: policies it chooses, not rules of a law."""

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="time_credit_terms"
    )
    most_hours = models.DecimalField(
        _("most hours in one exchange"), max_digits=5, decimal_places=2, default=Decimal(8)
    )
    overdraft = models.DecimalField(
        _("hours a member may owe"), max_digits=5, decimal_places=2, default=Decimal(10)
    )
    welcome_hours = models.DecimalField(
        _("welcome grant in hours"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("terms of time credits")
        verbose_name_plural = _("terms of time credits")

    def __str__(self) -> str:
        return str(self.cooperative)


class HelpKind(models.TextChoices):
    ACCOMPANIMENT = "accompaniment", _("accompaniment")
    SHOPPING = "shopping", _("shopping")
    CALL = "call", _("a call")
    LIFT = "lift", _("a lift")
    REPAIR = "repair", _("a small repair")
    OTHER = "other", _("other")


class Direction(models.TextChoices):
    OFFER = "offer", _("offer")
    REQUEST = "request", _("request")


class ExchangeStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    DONE = "done", _("done")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Exchange(models.Model):
    """An offer or a request of informal help posted by a member, accepted by another, and done
    once its receiver confirms the hours (``CreditEntry`` rows then record them)."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="time_exchanges"
    )
    direction = models.CharField(_("offer or request"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=HelpKind.choices)
    words = models.CharField(_("what"), max_length=200)
    posted_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExchangeStatus.choices, default=ExchangeStatus.OPEN
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("exchange of time")
        verbose_name_plural = _("exchanges of time")
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["cooperative", "status"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_kind_display()}"

    @property
    def giver(self) -> Member | None:
        """Who gives the help: the poster of an offer, the taker of a request."""
        return self.posted_by if self.direction == Direction.OFFER else self.taken_by

    @property
    def receiver(self) -> Member | None:
        """Who receives the help: the taker of an offer, the poster of a request."""
        return self.taken_by if self.direction == Direction.OFFER else self.posted_by


class EntryKind(models.TextChoices):
    WELCOME = "welcome", _("welcome grant")
    GIVEN = "given", _("help given")
    RECEIVED = "received", _("help received")
    REVERSAL = "reversal", _("reversal")


class CreditEntry(KeptAsWritten):
    """One line of the time credit ledger, in hours (positive: credited; negative: debited).
    Append-only: a member's balance is the sum of their entries, and a correction is a
    reversing entry with its reason. The two entries of one exchange share ``link``."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="time_credit_entries"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="credit_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    exchange = models.ForeignKey(
        Exchange, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    link = models.UUIDField()
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    kept_message = _("Time credit entries cannot be changed; record a reversal.")

    class Meta:
        verbose_name = _("time credit entry")
        verbose_name_plural = _("time credit entries")
        ordering = ["on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["member", "on"]), models.Index(fields=["link"])]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()} {self.member}"
