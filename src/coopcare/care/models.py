"""People cared for, their circle, consents, and the log of who read their records.

Care records are special-category data (GDPR art. 9): every read of one is logged in
:class:`CareRecordRead`, and what a circle member may see is granted explicitly.
"""

import base64
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopcare.care import scales
from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten
from coopcare.reads import RecordRead

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one


class CareStatus(models.TextChoices):
    REFERRAL = "referral", _("referral")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    ENDED = "ended", _("ended")


class Funding(models.TextChoices):
    PUBLIC_BODY = "public_body", _("public body")
    PRIVATE = "private", _("private")
    VOUCHER = "voucher", _("voucher")
    MIXED = "mixed", _("mixed")


class CarerGender(models.TextChoices):
    ANY = "any", _("no preference")
    WOMAN = "woman", _("a woman")
    MAN = "man", _("a man")


class Verification(models.TextChoices):
    """How a visit is confirmed; the person cared for chooses. Never silent tracking."""

    CONFIRMATION = "confirmation", _("confirmation on the carer's phone (tap or code)")
    PHONE = "phone", _("a phone call")
    LOCATION = "location", _("location at check-in and check-out (with consent)")


class PersonCaredFor(models.Model):
    """A person the cooperative cares for, with the address carers visit."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="people_cared_for"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    # Empty until the home is placed on the map (an import may leave it to the coordinator);
    # a person not placed is not rostered.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    languages = models.CharField(
        _("languages spoken"), max_length=120, blank=True, help_text=_("For example: it, ro, ar")
    )
    carer_gender = models.CharField(
        _("prefers carers who are"),
        max_length=10,
        choices=CarerGender.choices,
        default=CarerGender.ANY,
    )
    pets = models.CharField(_("pets at home"), max_length=120, blank=True)
    smoking_home = models.BooleanField(_("smoking household"), default=False)
    preferences = models.TextField(_("other preferences"), blank=True)
    preferred_carers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("preferred carers")
    )
    refused_carers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("refused carers")
    )
    funding = models.CharField(
        _("funding"), max_length=20, choices=Funding.choices, default=Funding.PUBLIC_BODY
    )
    verification = models.CharField(
        _("visit verification"),
        max_length=20,
        choices=Verification.choices,
        default=Verification.CONFIRMATION,
    )
    confirmation_code = models.CharField(
        _("visit confirmation code"),
        max_length=6,
        blank=True,
        help_text=_("The person's own code, typed on the carer's phone to confirm a visit."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CareStatus.choices, default=CareStatus.REFERRAL
    )
    since = models.DateField(_("in care since"), null=True, blank=True)

    class Meta:
        verbose_name = _("person cared for")
        verbose_name_plural = _("people cared for")
        ordering = ["cooperative", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="person_placed_with_both_coordinates",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def placed(self) -> bool:
        """Whether the home is on the map (both coordinates given)."""
        return self.latitude is not None and self.longitude is not None

    @property
    def point(self) -> tuple[float, float] | None:
        """The home as (latitude, longitude), or None while it is not placed."""
        if self.latitude is None or self.longitude is None:
            return None
        return float(self.latitude), float(self.longitude)

    @property
    def home(self) -> str:
        """Where care is given: the address and the city."""
        return ", ".join(part for part in (self.address, self.city) if part)


class StatusChange(models.Model):
    """A dated change of a person's care status (referral, active, paused, ended)."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(_("status"), max_length=20, choices=CareStatus.choices)
    on = models.DateField(_("from"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_status_display()}"


class ConsentKind(models.TextChoices):
    CARE = "care", _("care and the processing of care records")
    LOCATION = "location", _("location recorded at check-in and check-out")
    CIRCLE = "circle", _("sharing with the circle as granted")


# What the person (or whoever signs for them) agrees to, shown in full on the signing page
# and kept, as shown, in the signature's snapshot.
CONSENT_TEXTS = {
    ConsentKind.CARE: _(
        "I agree to receive home care from the cooperative as set out in my care plan, and to "
        "the cooperative keeping and using my care records (my needs, my care plan and what "
        "carers record at each visit) to give me that care. Only the coordinators and the "
        "carers who visit me see them, and every reading of them is logged. I may withdraw "
        "this consent at any time."
    ),
    ConsentKind.LOCATION: _(
        "I agree that the carer's phone records its location when the carer checks in and "
        "checks out of a visit at my home, to confirm that the visit took place. No location "
        "is recorded at any other time. I may withdraw this consent at any time; visits are "
        "then confirmed another way."
    ),
    ConsentKind.CIRCLE: _(
        "I agree that the people of my circle see what I grant each of them (my visits, the "
        "carers' notes, my care plan), as recorded by the cooperative. I may change or revoke "
        "what each of them sees at any time."
    ),
}


class Capacity(models.TextChoices):
    """In what capacity someone signs or consents: the person, or someone for them."""

    SELF = "self", _("the person themself")
    LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative or guardian")
    POWER_OF_ATTORNEY = "power_of_attorney", _("holder of a power of attorney")
    OTHER = "other", _("other")


class Consent(models.Model):
    """A consent given by the person (or their legal representative), until withdrawn."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=20, choices=ConsentKind.choices)
    given_by = models.CharField(
        _("given by"), max_length=200, help_text=_("The person, or their legal representative.")
    )
    # Blank on consents recorded before the capacity was asked.
    capacity = models.CharField(
        _("in the capacity of"), max_length=30, choices=Capacity.choices, blank=True
    )
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["given_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(withdrawn_on__isnull=True),
                name="one_active_consent_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on})"


class Relationship(models.TextChoices):
    FAMILY = "family", _("family")
    FRIEND = "friend", _("friend")
    ADVOCATE = "advocate", _("advocate")
    LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")


class CircleMember(models.Model):
    """Someone in the person's circle, and what the person granted them to see."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.CASCADE, related_name="circle")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="circles",
        null=True,
        blank=True,
        help_text=_("Their login, if they have one."),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=30, choices=Relationship.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    may_see_visits = models.BooleanField(_("may see visits"), default=False)
    may_see_notes = models.BooleanField(_("may see visit notes"), default=False)
    may_see_care_plan = models.BooleanField(_("may see the care plan"), default=False)
    may_choose_carers = models.BooleanField(_("may choose and refuse carers"), default=False)
    may_message = models.BooleanField(
        _("may write to the office and the carers"),
        default=True,
        help_text=_("In the person's conversation, which holds care records."),
    )
    granted_by = models.CharField(
        _("granted by"),
        max_length=200,
        help_text=_("The person cared for, or their legal representative."),
    )
    granted_on = models.DateField(_("granted on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("circle member")
        verbose_name_plural = _("circle members")
        ordering = ["person", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"],
                condition=Q(user__isnull=False, revoked_on__isnull=True),
                name="one_active_circle_grant_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()})"

    @property
    def can_choose_carers(self) -> bool:
        """Whether this member may choose and refuse the person's carers: granted so, or the
        person's legal representative, who acts for them in any case."""
        return self.may_choose_carers or self.relationship == Relationship.LEGAL_REPRESENTATIVE


class CareRecordRead(RecordRead):
    """Who read which care record, when (GDPR art. 9 and 30: special-category data)."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="reads")

    class Meta(RecordRead.Meta):
        verbose_name = _("care record read")
        verbose_name_plural = _("care record reads")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.record}"


class CareRecordEdit(models.Model):
    """Who changed which care record, when, and what they changed: edits of special-category
    data are logged as its reads are (GDPR art. 9 and 30). The values are in the changes."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="edits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record = models.CharField(_("what was changed"), max_length=60)
    changed = models.CharField(_("fields changed"), max_length=500, blank=True)
    via = models.CharField(_("through"), max_length=10, default="web")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("care record edit")
        verbose_name_plural = _("care record edits")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.record}: {self.changed}"


class PersonChange(KeptAsWritten):
    """One field of a person's record changed by one edit: its value before and after.

    Append-only: the history of the record is read from these rows, never rewritten. Values
    are kept as text as they were stored (a choice's key, a date in ISO form); the chosen and
    refused carers as the carers' names at the time, so that the history still reads true
    when a carer's name changes later.
    """

    edit = models.ForeignKey(CareRecordEdit, on_delete=models.PROTECT, related_name="changes")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(_("field"), max_length=40)
    old = models.TextField(_("before"), blank=True)
    new = models.TextField(_("after"), blank=True)

    class Meta:
        verbose_name = _("change to a person's record")
        verbose_name_plural = _("changes to people's records")
        ordering = ["-edit__at", "-edit_id", "pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"

    @property
    def label(self) -> "StrOrPromise":
        """The field's name as people read it."""
        if self.field in DOOR_LISTS:
            return DOOR_LISTS[self.field]
        for model in (PersonCaredFor, DoorAccess):
            try:
                return model._meta.get_field(self.field).verbose_name  # type: ignore[union-attr]
            except FieldDoesNotExist:
                continue
        return self.field

    def shown(self, value: str) -> "StrOrPromise":
        """A stored value as people read it: a choice's label, yes or no, or the text."""
        try:
            field = PersonCaredFor._meta.get_field(self.field)
        except FieldDoesNotExist:
            return value
        if isinstance(field, models.BooleanField):
            return _("yes") if value == "True" else _("no")
        choices = dict(getattr(field, "choices", None) or ())
        return choices.get(value, value)

    @property
    def old_shown(self) -> "StrOrPromise":
        return self.shown(self.old)

    @property
    def new_shown(self) -> "StrOrPromise":
        return self.shown(self.new)


# The door facts kept as lists, each changed as a whole (``services.set_door_facts``).
DOOR_LISTS: dict[str, "StrOrPromise"] = {
    "conditions": _("health conditions"),
    "advance_decisions": _("advance decisions"),
}


class Domain(models.TextChoices):
    """Need domains (DESIGN.md glossary)."""

    PHYSICAL = "physical", _("physical")
    PSYCHOLOGICAL = "psychological", _("psychological")
    COGNITIVE = "cognitive", _("cognitive")
    DEVELOPMENTAL = "developmental", _("developmental")
    SOCIAL = "social", _("social")


class Assessment(KeptAsWritten):
    """One needs assessment in one domain, on one date. Never edited: a new one is recorded."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="assessments")
    on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor"),
    )
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    scale = models.CharField(_("scale"), max_length=20, blank=True)
    items = models.JSONField(_("items"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_domain_display()}"

    @property
    def standard_scale(self) -> scales.Scale | None:
        """The standard scale used, if any (and if coopcare still knows it)."""
        return scales.SCALES.get(self.scale)

    @property
    def unanswered_items(self) -> list[str]:
        """The scale's items without one of its answers. Only assessments recorded before every
        item was required can have some; they have no total score."""
        return scales.unanswered(self.scale, self.items) if self.standard_scale else []

    @property
    def is_incomplete(self) -> bool:
        """A standard scale with items unanswered: shown as incomplete, never with a total."""
        return bool(self.unanswered_items)

    def answers(self) -> list[tuple["StrOrPromise", "StrOrPromise"]]:
        """(item, answer) for each item of the scale, in its order, as shown to people.

        Answers recorded as yes/no ticks, before the scale's own options were used, are shown
        as the tick they were; an item left out is shown as not answered.
        """
        if self.standard_scale is None:
            return []
        shown = []
        for key, item in self.standard_scale.items.items():
            value = self.items.get(key)
            if scales.is_answer(item, value):
                text = item.options[value].text
            elif value is None:
                text = _("not answered")
            elif value:
                text = _("ticked as done independently (yes/no, before the scale's answers)")
            else:
                text = _("not ticked as done independently (yes/no, before the scale's answers)")
            shown.append((item.label, text))
        return shown


class CarePlan(models.Model):
    """One version of a person's care plan. A new version applies from its date onwards."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("applies from"))
    goals = models.TextField(_("goals"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Not a column: how many visits ``care.services.new_care_plan`` generated for the new plan.
    visits_planned: int

    class Meta:
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_plan_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.person} v{self.version}"


class ServiceType(models.TextChoices):
    """The kind of service a care task is, as payers' agreements and tariffs name it."""

    PERSONAL_CARE = "personal_care", _("personal care")
    DOMESTIC_HELP = "domestic_help", _("domestic help")
    SITTING = "sitting", _("sitting and respite")
    COMPANIONSHIP = "companionship", _("companionship")
    NIGHT_CARE = "night_care", _("night care")
    NURSING_SUPPORT = "nursing_support", _("nursing-type support")
    CHILDCARE = "childcare", _("childcare")


class CareTask(models.Model):
    """What carers do, when and how often (an iCalendar RRULE), for how long, with which skills."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    instructions = models.TextField(_("how"), blank=True)
    steps = models.TextField(
        _("steps"),
        blank=True,
        help_text=_("One per line; the carer records each as done or not done."),
    )
    rrule = models.CharField(
        _("repeats (iCalendar RRULE)"),
        max_length=200,
        help_text=_("For example FREQ=DAILY or FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    )
    start_time = models.TimeField(_("at"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"))
    skills = models.CharField(
        _("skills needed"), max_length=200, blank=True, help_text=_("Comma-separated.")
    )
    double_handed = models.BooleanField(_("two carers together"), default=False)
    # Billing prices a visit by its task's service type (billing.Tariff, billing.Agreement).
    service_type = models.CharField(
        _("service type"),
        max_length=20,
        choices=ServiceType.choices,
        default=ServiceType.PERSONAL_CARE,
    )

    class Meta:
        ordering = ["start_time", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]

    @property
    def step_list(self) -> list[str]:
        """What the carer reports on at check-out: the steps, or the task itself if none."""
        return [s.strip() for s in self.steps.splitlines() if s.strip()] or [self.title]


class Signature(KeptAsWritten):
    """A care plan version or a consent, signed by the person or someone for them.

    ``content`` is a snapshot of exactly what was shown and signed (JSON text: the plan and
    its tasks, or the consent's text in the language shown) and ``content_sha256`` its
    digest, so the signed version stays readable and checkable whatever changes later. The
    signature itself is a drawing (PNG) or, without one, the name typed by the signer. Never
    changed or deleted: a new plan version is signed anew.
    """

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="signatures")
    plan = models.ForeignKey(
        CarePlan, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    signer_name = models.CharField(_("signed by"), max_length=200)
    capacity = models.CharField(_("in the capacity of"), max_length=30, choices=Capacity.choices)
    drawing = models.BinaryField(_("drawn signature (PNG)"), null=True, blank=True)
    typed_name = models.CharField(_("typed full name"), max_length=200, blank=True)
    content = models.TextField(_("what was signed"))
    content_sha256 = models.CharField(_("SHA-256 of what was signed"), max_length=64)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("on the screen of"),
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    kept_message = _("A signature is kept as it was signed; it cannot be changed or deleted.")

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=False, consent__isnull=True)
                | Q(plan__isnull=True, consent__isnull=False),
                name="signs_a_plan_or_a_consent",
            ),
            models.CheckConstraint(
                condition=Q(drawing__isnull=False) | ~Q(typed_name=""),
                name="signature_drawn_or_typed",
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(plan__isnull=False), name="one_signature_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.get_capacity_display()}) {self.signed_at:%Y-%m-%d}"

    @property
    def drawn(self) -> bool:
        return self.drawing is not None

    @property
    def drawing_data_url(self) -> str:
        """The drawing as a data: URL for an <img> (the page's policy allows data: images)."""
        if self.drawing is None:
            return ""
        return "data:image/png;base64," + base64.b64encode(bytes(self.drawing)).decode("ascii")


class Condition(models.Model):
    """A diagnosis or health condition a carer must know at the door (type 2 diabetes,
    early dementia, COPD...), with what to watch for. The list is replaced as a whole by a
    coordinator; the record's history keeps every earlier list."""

    person = models.ForeignKey(PersonCaredFor, on_delete=models.CASCADE, related_name="conditions")
    name = models.CharField(_("condition"), max_length=120)
    notes = models.CharField(_("what to watch for"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("health condition")
        verbose_name_plural = _("health conditions")
        ordering = ["person", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class AdvanceDecisionKind(models.TextChoices):
    """The kinds of decision made in advance, named so that each country's form fits one:
    a do-not-attempt-CPR decision (DNACPR, DNAR, ReSPECT's CPR box), a refusal of treatment
    (ADRT in England and Wales; in Italy DAT, in Spain instrucciones previas, in France
    directives anticipées when they refuse a treatment), a statement of wishes (living will),
    and someone appointed to decide on health (lasting power of attorney for health,
    fiduciario, representante, personne de confiance). Sources in docs/rules.md."""

    DNACPR = "dnacpr", _("do not attempt cardiopulmonary resuscitation (DNACPR)")
    REFUSAL = "refusal", _("advance decision to refuse treatment")
    STATEMENT = "statement", _("advance statement of wishes (living will)")
    HEALTH_ATTORNEY = "health_attorney", _("attorney or representative for health decisions")


class AdvanceDecision(models.Model):
    """A decision the person made in advance, and where its original is, so that a carer
    finds it at once (a DNACPR form on the fridge). Kept while it is current; one no longer
    in force is marked so, never deleted until a coordinator replaces the list."""

    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.CASCADE, related_name="advance_decisions"
    )
    kind = models.CharField(_("decision"), max_length=20, choices=AdvanceDecisionKind.choices)
    made_on = models.DateField(_("made on"))
    kept_where = models.CharField(
        _("original kept by or at"),
        max_length=200,
        help_text=_("Who holds the original, or where it is in the home (on the fridge)."),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    current = models.BooleanField(_("in force"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("advance decision")
        verbose_name_plural = _("advance decisions")
        ordering = ["person", "-current", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.made_on})"


class DoorAccess(models.Model):
    """How a carer gets in, and what waits at the door. The key safe's code is the most
    sensitive: shown only to coordinators and to carers within their window around a visit,
    its every showing logged, and never in an email or an export (``care.access``)."""

    person = models.OneToOneField(PersonCaredFor, on_delete=models.CASCADE, related_name="door")
    key_safe_code = models.CharField(_("key safe code"), max_length=20, blank=True)
    entry = models.TextField(_("how to get in"), blank=True)
    parking = models.CharField(_("parking"), max_length=300, blank=True)
    hazards = models.CharField(_("pets and hazards at the door"), max_length=300, blank=True)
    emergency_contacts = models.TextField(_("who to call in an emergency"), blank=True)

    class Meta:
        verbose_name = _("access at the door")
        verbose_name_plural = _("access at the door")

    def __str__(self) -> str:
        return str(self.person)
