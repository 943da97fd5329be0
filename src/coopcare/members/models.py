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
    # Mothers and fathers of the children a childcare cooperative looks after (SEWA's Sangini
    # centres count them as owners beside the childcare workers).
    GUARDIAN = "guardian", _("parent or guardian")
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


class Instalment(models.Model):
    """A part of a member's subscribed capital due on a day, as agreed with the office; it is
    paid when a direct debit of it is collected (``Debit``)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="instalments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.member} {self.due_on} {self.amount}"


class SepaCreditor(models.Model):
    """The cooperative as a SEPA direct debit creditor: its creditor identifier and the
    account the collections are paid into."""

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="sepa_creditor"
    )
    name = models.CharField(_("creditor name"), max_length=70)
    identifier = models.CharField(_("SEPA creditor identifier"), max_length=35)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11)

    class Meta:
        verbose_name = _("SEPA creditor")
        verbose_name_plural = _("SEPA creditors")

    def __str__(self) -> str:
        return f"{self.name} {self.identifier}"


class Mandate(models.Model):
    """A member's SEPA Core direct debit mandate: the account debited for their shares.

    A member has at most one mandate in force; a new one ends the previous one."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="mandates")
    reference = models.CharField(_("mandate reference"), max_length=35)
    debtor_name = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    signed_on = models.DateField(_("signed on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("direct debit mandate")
        verbose_name_plural = _("direct debit mandates")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "reference"], name="mandate_reference_per_creditor"
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(revoked_on__isnull=True),
                name="one_mandate_in_force",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def masked_iban(self) -> str:
        """The IBAN as the member reads it: the country and the last four characters."""
        return f"{self.iban[:2]}•• •••• {self.iban[-4:]}"


class Collection(models.Model):
    """One SEPA direct debit collection: the pain.008 file sent to the bank, kept as made."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="collections"
    )
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    due_up_to = models.DateField(_("instalments due up to"))
    collection_date = models.DateField(_("requested collection date"))
    xml = models.TextField(_("pain.008 file"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    confirmed_on = models.DateField(_("confirmed by the bank on"), null=True, blank=True)

    class Meta:
        verbose_name = _("direct debit collection")
        verbose_name_plural = _("direct debit collections")
        ordering = ["-collection_date", "-pk"]

    def __str__(self) -> str:
        return self.message_id


class DebitStatus(models.TextChoices):
    SENT = "sent", _("sent to the bank")
    COLLECTED = "collected", _("collected")
    RETURNED = "returned", _("returned or rejected")


class ReturnReason(models.TextChoices):
    """The R-transaction reason codes a bank most often gives for a SEPA direct debit
    (ISO 20022 external return reason codes, as the EPC's guidance on reason codes lists)."""

    AC01 = "AC01", _("AC01: account number incorrect")
    AC04 = "AC04", _("AC04: account closed")
    AC06 = "AC06", _("AC06: account blocked")
    AG01 = "AG01", _("AG01: direct debit forbidden on this account")
    AM04 = "AM04", _("AM04: insufficient funds")
    MD01 = "MD01", _("MD01: no mandate")
    MD06 = "MD06", _("MD06: refund requested by the debtor")
    MD07 = "MD07", _("MD07: debtor deceased")
    MS02 = "MS02", _("MS02: refused by the debtor")
    MS03 = "MS03", _("MS03: reason not given")
    SL01 = "SL01", _("SL01: specific service of the debtor's bank")


class Debit(models.Model):
    """One member's instalment in a collection, and what the bank did with it."""

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="debits")
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="debits")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="debits")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    sequence = models.CharField(_("sequence type"), max_length=4)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35)
    status = models.CharField(
        _("status"), max_length=10, choices=DebitStatus.choices, default=DebitStatus.SENT
    )
    return_reason = models.CharField(
        _("return reason"), max_length=4, choices=ReturnReason.choices, blank=True
    )
    payment = models.OneToOneField(
        ShareEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="debit"
    )

    class Meta:
        verbose_name = _("direct debit")
        verbose_name_plural = _("direct debits")
        ordering = ["collection", "pk"]

    def __str__(self) -> str:
        return self.end_to_end_id
