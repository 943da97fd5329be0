"""Rostering: the roster policy versions, carers' availability, roster runs, rosters (draft and
published), carers' requests on them, and calendar feeds."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten
from coopcare.visits.models import Visit


def _weight(label, default, help_text=""):
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


class RosterPolicy(models.Model):
    """One version of the roster policy, in force from ``effective_from`` until the next one.

    Versions are never edited: a change is a new version (often adopted by a vote of the
    members, see ``governance.Decision``), so a past roster can always be explained by the
    policy of its day.
    """

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="roster_policies"
    )
    effective_from = models.DateField(_("in force from"))
    travel = _weight(_("travel (per minute)"), "1", _("Cost of one minute of travel."))
    tardiness = _weight(_("lateness (per minute)"), "1")
    max_tardiness = _weight(_("longest lateness (per minute)"), "0")
    continuity = _weight(
        _("continuity (per visit)"), "30", _("Cost of a visit by a carer the person does not know.")
    )
    preference = _weight(
        _("choice of carers (per visit)"), "60", _("Cost of a visit against the person's choice.")
    )
    fairness = _weight(
        _("fair hours (per minute)"), "0.5", _("Cost of a minute away from contracted hours.")
    )
    unassigned = _weight(_("visit left out"), "10000")
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    WEIGHTS = (
        "travel",
        "tardiness",
        "max_tardiness",
        "continuity",
        "preference",
        "fairness",
        "unassigned",
    )

    class Meta:
        verbose_name = _("roster policy")
        verbose_name_plural = _("roster policies")
        ordering = ["cooperative", "effective_from", "recorded_at"]
        get_latest_by = ["effective_from", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.effective_from}"

    def weights(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in self.WEIGHTS}


# -- availability ----------------------------------------------------------------------------


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Availability(models.Model):
    """A carer's usual hours on one weekday (several slots a day are fine).

    A carer who gave none is taken as available at any time their contract allows.
    """

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="availability_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("leave")
    SICKNESS = "sickness", _("sickness")
    TRAINING = "training", _("training")
    OTHER = "other", _("other")


class Absence(models.Model):
    """Whole days a carer cannot work, whatever their usual hours."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField(_("why"), max_length=20, choices=AbsenceKind.choices)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="absence_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_day}–{self.last_day}"


# -- roster runs and rosters -----------------------------------------------------------------


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class RosterRun(models.Model):
    """One run of the planner over a period, done in the background; its result is a draft."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    seconds_per_day = models.PositiveSmallIntegerField(_("search time per day (seconds)"))
    policy = models.ForeignKey(
        RosterPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    best_cost = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    # The worker running the run pushes this forward as it reports; a running run whose lease
    # has lapsed lost its worker (killed, crashed, machine restarted) and is given up (``runs``).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED)


class RosterStatus(models.TextChoices):
    # A run writes its roster in several short transactions; until the last one it is shown
    # to nobody and cannot be edited or published.
    WRITING = "writing", _("being written")
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("replaced by a later roster")
    DISCARDED = "discarded", _("discarded")


class Roster(models.Model):
    """Who does which visit over a period: a draft until a coordinator publishes it."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="rosters")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    status = models.CharField(
        max_length=20, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    run = models.ForeignKey(
        RosterRun, on_delete=models.PROTECT, null=True, blank=True, related_name="rosters"
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )
    costs = models.JSONField(default=dict)  # the objective's parts, weighted, from the planner
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-first_day", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day} ({self.get_status_display()})"


class Assignment(models.Model):
    """A carer given a visit in a roster, and why."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="assignments")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="assignments")
    carer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Why this carer, as (code, values) pairs worded in the reader's language (``wording``).
    reasons = models.JSONField(default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_reason = models.CharField(_("reason for overriding"), max_length=300, blank=True)

    class Meta:
        ordering = ["visit__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "visit", "carer"], name="one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.visit} → {self.carer}"


class Unplaced(models.Model):
    """A visit of the period the roster could not give (fully) to carers, and why."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="unplaced")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+")
    reasons = models.JSONField(default=list)  # as on ``Assignment``

    class Meta:
        ordering = ["visit__starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["roster", "visit"], name="one_unplaced")]

    def __str__(self) -> str:
        return f"{self.visit} (no carer)"


class ChangeKind(models.TextChoices):
    ADDED = "added", _("given to you")
    REMOVED = "removed", _("taken off you")


class RosterChange(models.Model):
    """What publishing (or a decided swap) changed for one carer: carers see these."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="changes")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_changes"
    )
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "visit__starts_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.visit}"


# -- carers' voice -----------------------------------------------------------------------------


class RequestKind(models.TextChoices):
    SWAP = "swap", _("offered for swap")
    TAKE = "take", _("asks to take an open visit")
    CONTEST = "contest", _("contests the assignment")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("waiting for a coordinator")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")
    # A swap its carer offered and then did: nothing is left to decide.
    DONE = "done", _("done by the carer who offered it")


class RosterRequest(models.Model):
    """A carer's say on a published visit: give it away, take it, or contest it."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="roster_requests")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_requests"
    )
    kind = models.CharField(max_length=10, choices=RequestKind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # A colleague who offers to take a visit offered for swap.
    taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default="open")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.visit}"


class CalendarFeed(models.Model):
    """A carer's secret calendar address; revoking it makes a new one."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.carer} ({'revoked' if self.revoked_at else 'active'})"


class CalendarDetail(KeptAsWritten):
    """What the cooperative's calendar feeds say beyond the default (a neutral title, the time,
    the street and a link), chosen by a coordinator with a stated reason. The latest row is in
    force; each earlier one stays, so the feed settings page shows who chose what, when and
    why. A phone calendar is copied to clouds outside the cooperative (GDPR arts. 5(1)(c), 9),
    so more is sent only by a choice that can be shown."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="calendar_details"
    )
    first_name = models.BooleanField(_("the person's first name"), default=False)
    full_address = models.BooleanField(_("the full address"), default=False)
    task = models.BooleanField(_("the task"), default=False)
    reason = models.TextField(_("why"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(_("chosen at"))

    kept_message = _("A choice of what calendars say is kept as made; make a new choice instead.")

    class Meta:
        verbose_name = _("calendar detail")
        verbose_name_plural = _("calendar details")
        ordering = ["-chosen_at", "-pk"]
        get_latest_by = ["chosen_at", "pk"]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.chosen_at:%Y-%m-%d}"


class CalendarEvent(models.Model):
    """What a visit's calendar event last said, as a fingerprint, and its ``SEQUENCE``: when
    the visit changes (its time, its carers, the address, its status) the fingerprint does,
    and the sequence goes up by one, so that phone calendars replace the event they hold."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.visit_id} #{self.sequence}"


# -- cover for days away -----------------------------------------------------------------------


class CoverProposal(models.Model):
    """Who could cover the published visits a carer's days away leave without them, found by
    repairing each day's roster with the planner (``services.cover``). Nothing changes until a
    coordinator accepts some or all of its changes."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    absence = models.ForeignKey(Absence, on_delete=models.CASCADE, related_name="cover_proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)  # how long the planner searched, all days together

    class Meta:
        verbose_name = _("cover proposal")
        verbose_name_plural = _("cover proposals")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.absence} · {self.proposed_at:%Y-%m-%d %H:%M}"


class CoverChange(models.Model):
    """One visit in a cover proposal: the carers proposed for it, or none when no cover was
    found (the planner's reasons say why). ``covers`` is true for a visit of the absent carer,
    false for another visit of the day moved to make room."""

    proposal = models.ForeignKey(CoverProposal, on_delete=models.CASCADE, related_name="changes")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+")
    covers = models.BooleanField(default=True)
    carers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # The ids of the carers the visit had when proposed: accepting a change whose visit has
    # changed since would undo someone else's decision.
    had = models.JSONField(default=list)
    reasons = models.JSONField(default=list)  # as on ``Assignment`` and ``Unplaced``
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Once accepted: how many of the person's circle were told by email who is coming. None
    # told means the coordinator phones (people cared for have a phone, not an email).
    told = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["visit__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "visit"], name="one_cover_change")
        ]

    def __str__(self) -> str:
        return f"{self.visit} (cover)"
