"""Stakeholder classes, the member register and the share capital ledger."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten


class StakeholderKind(models.TextChoices):
    """The kinds of stakeholder a multi-stakeholder care cooperative brings together."""

    WORKER = "worker", _("worker")
    PERSON_CARED_FOR = "person_cared_for", _("person cared for")
    FAMILY = "family", _("family or advocate")
    SUPPORTER = "supporter", _("community supporter")
    PUBLIC_BODY = "public_body", _("public body")
    INVESTOR = "investor", _("investor")
    OTHER = "other", _("other")


class StakeholderClass(models.Model):
    """A class of members (a SCIC *collège*): share terms, vote weight and admission rules."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="stakeholder_classes"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=StakeholderKind.choices)
    description = models.TextField(_("description"), blank=True)
    share_value = models.DecimalField(
        _("value of one share"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_shares = models.PositiveIntegerField(
        _("shares required for membership"), default=1, validators=[MinValueValidator(1)]
    )
    vote_weight = models.DecimalField(
        _("weight in votes (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Leave empty in every class when votes are not weighted by class."),
    )
    vote_weight_cap = models.DecimalField(
        _("cap on weight in votes (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("For example investors at most 10 %."),
    )
    probation_days = models.PositiveIntegerField(
        _("probation before admission (days of work)"),
        default=0,
        help_text=_("Worker members may be admitted only after this many days of work."),
    )
    open_to_applications = models.BooleanField(
        _("open to applications from the public"),
        # A default in the database too, so that rows written by older code (or by the
        # historical models of earlier migrations) still fit.
        default=False,
        db_default=False,
        help_text=_("People may apply to this class on the cooperative's public page."),
    )

    class Meta:
        verbose_name = _("stakeholder class")
        verbose_name_plural = _("stakeholder classes")
        ordering = ["cooperative", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="class_name_per_coop")
        ]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    ADMITTED = "admitted", _("member")
    REJECTED = "rejected", _("application rejected")
    RESIGNED = "resigned", _("resigned")
    EXCLUDED = "excluded", _("excluded")


LEFT_STATUSES = (MemberStatus.RESIGNED, MemberStatus.EXCLUDED)


class Member(models.Model):
    """A person or organisation on the member register of one cooperative.

    One person is on a cooperative's register once: the history of applications, class changes
    and departures is kept as :class:`MemberEvent` rows, not as extra register entries.
    """

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("The login of this member, if they have one."),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="", db_default="")
    address = models.TextField(_("postal address"), blank=True, default="", db_default="")
    consented_at = models.DateTimeField(
        _("consented to the processing of their data at"),
        null=True,
        blank=True,
        help_text=_("When the applicant agreed to the privacy notice on the public page."),
    )
    number = models.PositiveIntegerField(_("register number"), null=True, blank=True)
    stakeholder_class = models.ForeignKey(
        StakeholderClass,
        verbose_name=_("stakeholder class"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.APPLICANT
    )
    applied_on = models.DateField(_("applied on"))
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    works_since = models.DateField(
        _("works for the cooperative since"),
        null=True,
        blank=True,
        help_text=_("For worker members: the start of work, from which probation counts."),
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["cooperative", "number", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "user"],
                condition=Q(user__isnull=False),
                name="one_membership_per_user",
            ),
            models.UniqueConstraint(
                "cooperative",
                Lower("email"),
                condition=~Q(email=""),
                name="one_membership_per_email",
            ),
            models.UniqueConstraint(
                fields=["cooperative", "number"],
                condition=Q(number__isnull=False),
                name="unique_register_number",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def has_left(self) -> bool:
        return self.status in LEFT_STATUSES


class MemberEventKind(models.TextChoices):
    APPLIED = "applied", _("applied")
    ADMITTED = "admitted", _("admitted by the board")
    REJECTED = "rejected", _("application rejected")
    CLASS_CHANGED = "class_changed", _("changed stakeholder class")
    RESIGNED = "resigned", _("resigned")
    EXCLUDED = "excluded", _("excluded")


class MemberEvent(models.Model):
    """One dated step in a member's history on the register. Never edited."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=MemberEventKind.choices)
    on = models.DateField(_("date"))
    from_class = models.ForeignKey(
        StakeholderClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_class = models.ForeignKey(
        StakeholderClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("register event")
        verbose_name_plural = _("register events")
        ordering = ["on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class ShareEntryKind(models.TextChoices):
    SUBSCRIPTION = "subscription", _("subscription")
    PAYMENT = "payment", _("payment")
    TRANSFER_OUT = "transfer_out", _("transfer to another member")
    TRANSFER_IN = "transfer_in", _("transfer from another member")
    REDEMPTION = "redemption", _("redemption on exit")


class ShareEntry(KeptAsWritten):
    """One line of the share capital ledger. Append-only (kept as written): balances are sums,
    never edited.

    ``shares``, ``capital`` (subscribed capital) and ``paid`` (paid-up capital) are signed
    changes, so a member's balance is the plain sum of their entries.
    """

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="share_entries"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="share_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=ShareEntryKind.choices)
    on = models.DateField(_("date"))
    shares = models.IntegerField(_("change in shares"), default=0)
    capital = models.DecimalField(
        _("change in subscribed capital"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    paid = models.DecimalField(
        _("change in paid-up capital"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    transfer = models.UUIDField(
        null=True, blank=True, help_text=_("Links the two entries of one transfer.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    kept_message = _("Share ledger entries cannot be changed; record a new entry.")

    class Meta:
        verbose_name = _("share ledger entry")
        verbose_name_plural = _("share ledger entries")
        ordering = ["on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["member", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()} {self.member}"

    @property
    def amount(self) -> Decimal:
        """The money this entry moves, as people read it on a statement."""
        if self.kind == ShareEntryKind.SUBSCRIPTION:
            return self.capital
        return self.paid
