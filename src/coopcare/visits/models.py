"""Visits: the planned slots generated from care plans, which the roster gives to carers."""

from collections.abc import Iterable
from contextlib import nullcontext
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import CarePlan, CareTask, PersonCaredFor, Verification
from coopcare.cooperatives.models import Cooperative
from coopcare.visits.zones import on_cooperative_clock


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")


class VisitQuerySet(models.QuerySet):
    """Visits, whose bulk changes carry to their carers' rows too: a new start is copied to
    them, and whether each carer knew the person is worked out again where a move, a
    cancellation or a deletion can change it."""

    def update(self, **kwargs) -> int:
        """Update the visits; their carers' rows follow in the same transaction."""
        if "starts_at" not in kwargs and "status" not in kwargs:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            # The ids first: a filter on the start would match other visits once moved.
            ids = list(self.values_list("pk", flat=True))
            if "starts_at" in kwargs:
                touched = touched_by(ids)
            else:
                crossing = _crossing(self.filter(pk__in=ids), kwargs["status"])
                touched = touched_by(crossing.values_list("pk", flat=True))
            count = super().update(**kwargs)
            if "starts_at" in kwargs:
                copy_starts(ids)
                touched += touched_by(ids)
            reckon_known(touched)
        return count

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        """Update the visits' ``fields``; their carers' rows follow in the same transaction."""
        if "starts_at" not in fields and "status" not in fields:
            return super().bulk_update(objs, fields, batch_size)
        objs = list(objs)
        ids = [obj.pk for obj in objs]
        with transaction.atomic(using=self.db):
            if "starts_at" in fields:
                touched = touched_by(ids)
            else:
                was = dict(Visit.objects.filter(pk__in=ids).values_list("pk", "status"))
                cancelled = VisitStatus.CANCELLED
                touched = touched_by(
                    [o.pk for o in objs if (was.get(o.pk) == cancelled) != (o.status == cancelled)]
                )
            count = super().bulk_update(objs, fields, batch_size)
            if "starts_at" in fields:
                copy_starts(ids)
                touched += touched_by(ids)
            reckon_known(touched)
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete the visits; their carers' later visits to the same people may no longer
        be by a carer they know."""
        with transaction.atomic(using=self.db):
            touched = touched_by(self.values_list("pk", flat=True))
            deleted = super().delete()
            reckon_known(touched)
        return deleted


def _crossing(visits: "QuerySet[Visit]", status) -> "QuerySet[Visit]":
    """Those of ``visits`` that a change to ``status`` cancels or brings back from cancelled:
    the only changes of status that change whether a carer knew a person."""
    if status == VisitStatus.CANCELLED:
        return visits.exclude(status=VisitStatus.CANCELLED)
    if isinstance(status, str):
        return visits.filter(status=VisitStatus.CANCELLED)
    return visits  # an expression: any of them may cross


class Visit(models.Model):
    """One planned visit to a person cared for, for one task of their care plan."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="visits")
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="visits")
    task = models.ForeignKey(CareTask, on_delete=models.PROTECT, related_name="visits")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    double_handed = models.BooleanField(_("two carers together"), default=False)
    carers: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="VisitCarer",
        blank=True,
        related_name="visits",
        verbose_name=_("carers"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    status_reason = models.CharField(_("why"), max_length=300, blank=True)
    # Added by a coordinator for once, not generated from the plan's repeat rule: a new plan
    # version leaves it as it is.
    extra = models.BooleanField(_("one-off visit"), default=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at"]
        constraints = [
            # Generating visits again never duplicates one.
            models.UniqueConstraint(fields=["task", "starts_at"], name="one_visit_per_occurrence")
        ]
        indexes = [models.Index(fields=["person", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        """Save the visit; a start that changed is copied to its carers' rows in the same
        transaction (``VisitCarer.starts_at``), and a move, a cancellation or its undoing
        works out again whether each carer knew the person (``VisitCarer.known``)."""
        cancelled = VisitStatus.CANCELLED
        moved = (
            not self._state.adding
            and "starts_at" in self.__dict__
            and self.starts_at != getattr(self, "_loaded_start", None)
        )
        crossed = (
            not self._state.adding
            and "status" in self.__dict__
            and (self.status == cancelled) != (getattr(self, "_loaded_status", None) == cancelled)
        )
        with transaction.atomic(using=kwargs.get("using")) if moved or crossed else nullcontext():
            touched = touched_by([self.pk]) if moved or crossed else []
            super().save(*args, **kwargs)
            if moved:
                # Copied from the saved row: right whichever fields this save wrote.
                copy_starts([self.pk])
                touched += touched_by([self.pk])
            reckon_known(touched)
        self._loaded_start = self.__dict__.get("starts_at")
        self._loaded_status = self.__dict__.get("status")

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        """Delete the visit; its carers' later visits to the person may no longer be by a
        carer they know."""
        with transaction.atomic(using=kwargs.get("using")):
            touched = touched_by([self.pk])
            deleted = super().delete(*args, **kwargs)
            reckon_known(touched)
        return deleted

    @classmethod
    def from_db(cls, db, field_names, values):
        """The visit as loaded, remembering its start and status so that :meth:`save` knows
        a move or a cancellation."""
        visit = super().from_db(db, field_names, values)
        visit._loaded_start = visit.__dict__.get("starts_at")
        visit._loaded_status = visit.__dict__.get("status")
        return visit

    @property
    def minutes(self) -> int:
        """How long the visit lasts: its task's duration, or what a coordinator set for a
        one-off visit."""
        return round((self.ends_at - self.starts_at).total_seconds() / 60)


# A carer who visited the person in this many weeks before a visit is "known" to them: the one
# definition the roster's continuity report and the impact indicator count with.
KNOWN_WEEKS = 8


class VisitCarer(models.Model):
    """A carer on a visit, with the visit's start and person copied beside them, and whether
    the person knew the carer.

    A carer's visits of a span (their day, week, the people they serve) are found by the index
    on (carer, start) of this table alone, without joining the carer's whole history to the
    cooperative's visits of the span (issue 27). The copies are written with the row
    (``visits.services.set_carers``, ``add_carer``, ``carer_row``) and follow the visit when
    its start changes (``Visit.save``, ``Visit.objects.update`` and ``bulk_update``).

    ``known`` says whether the carer had visited the person (a visit not cancelled) in the
    ``KNOWN_WEEKS`` before this visit; of two visits at the same moment, the one made first
    counts as before. It is kept as visits are written (``reckon_known``), so that continuity
    of care over a year is a count, not a pass over every visit before each one.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="carer_rows")
    # The column of the table Django made for the plain many-to-many, kept as it was.
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_column="user_id",
        related_name="visit_rows",
    )
    starts_at = models.DateTimeField(_("starts"))
    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    known = models.BooleanField(_("known to the person"), default=False)

    class Meta:
        db_table = "visits_visit_carers"
        verbose_name = _("carer of a visit")
        verbose_name_plural = _("carers of visits")
        unique_together = [("visit", "carer")]
        indexes = [
            models.Index(fields=["carer", "starts_at"], name="visit_carer_start"),
            models.Index(fields=["person", "carer", "starts_at"], name="visit_carer_known"),
        ]

    def __str__(self) -> str:
        return f"{self.carer} {self.visit}"


def copy_starts(visit_ids: Iterable[int]) -> None:
    """Copy the start of each of the visits to its carers' rows, in one statement."""
    VisitCarer.objects.filter(visit_id__in=list(visit_ids)).update(
        starts_at=Subquery(Visit.objects.filter(pk=OuterRef("visit_id")).values("starts_at")[:1])
    )


# A carer's visit to a person at a moment: (person id, carer id, start).
Touched = tuple[int, int, datetime]


def touched(rows: QuerySet[VisitCarer]) -> list[Touched]:
    """The (person, carer, start) of each of ``rows``, as they are now."""
    return list(rows.values_list("person_id", "carer_id", "starts_at"))


def touched_by(visit_ids: Iterable[int]) -> list[Touched]:
    """The (person, carer, start) of each carer's row of the visits, as they are now."""
    return touched(VisitCarer.objects.filter(visit_id__in=visit_ids))


def reckon_known_of(rows: QuerySet[VisitCarer]) -> None:
    """Work out ``known`` of ``rows`` from the visits before each, in one statement."""
    earlier = (
        VisitCarer.objects.filter(
            person=OuterRef("person"),
            carer=OuterRef("carer"),
            starts_at__gte=OuterRef("starts_at") - timedelta(weeks=KNOWN_WEEKS),
        )
        .filter(
            Q(starts_at__lt=OuterRef("starts_at"))
            | Q(starts_at=OuterRef("starts_at"), visit_id__lt=OuterRef("visit_id"))
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
    )
    rows.update(known=Exists(earlier))


# Pairs of a person and a carer worked out in one statement.
_PAIRS_AT_ONCE = 200


def reckon_known(touched: Iterable[Touched]) -> None:
    """Work out again ``known`` of every row a carer's visit to a person added, removed,
    moved or cancelled at each of ``touched`` can change: that carer's visits to that person
    from then to ``KNOWN_WEEKS`` after."""
    moments: dict[tuple[int, int], list[datetime]] = {}
    for person, carer, moment in touched:
        moments.setdefault((person, carer), []).append(moment)
    pairs = list(moments.items())
    after = timedelta(weeks=KNOWN_WEEKS)
    for start in range(0, len(pairs), _PAIRS_AT_ONCE):
        where = Q()
        for (person, carer), at in pairs[start : start + _PAIRS_AT_ONCE]:
            where |= Q(
                person_id=person, carer_id=carer, starts_at__range=(min(at), max(at) + after)
            )
        reckon_known_of(VisitCarer.objects.filter(where))


class BreakKind(models.TextChoices):
    HOSPITAL = "hospital", _("hospital stay")
    PAUSE = "pause", _("pause")
    END = "end", _("end of care")


class CareBreak(models.Model):
    """Days a person gets no visits: a pause or a hospital stay (to a last day, or until care
    resumes), or the end of care (from its first day on). It goes with the change of care
    status that started it (``care.StatusChange``); visit generation leaves its days out."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="care_breaks")
    kind = models.CharField(_("kind"), max_length=20, choices=BreakKind.choices)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"), null=True, blank=True)
    resumed_on = models.DateField(_("care resumed on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("care break")
        verbose_name_plural = _("care breaks")
        ordering = ["first_day", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_day}–{self.last_day or ''}"

    @property
    def last_day_without_visits(self) -> date | None:
        """The break's last day, the day before care resumed if earlier; None while open."""
        ends = [
            d for d in (self.last_day, self.resumed_on and self.resumed_on - timedelta(days=1)) if d
        ]
        return min(ends, default=None)

    def covers(self, day: date) -> bool:
        """Whether ``day`` is one of the break's days without visits."""
        last = self.last_day_without_visits
        return self.first_day <= day and (last is None or day <= last)


class Requester(models.TextChoices):
    PERSON = "person", _("the person cared for")
    CIRCLE = "circle", _("their family or circle")
    COOPERATIVE = "cooperative", _("the cooperative")
    CARER = "carer", _("a carer")
    CARE_STATUS = "care_status", _("a change of care status")


class Cancellation(models.Model):
    """Why a visit was cancelled, who asked, when and how long before it: kept for billing (a
    visit cancelled at short notice may still be charged, ``visits.rules.short_notice``)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="cancellations")
    requested_by = models.CharField(_("asked by"), max_length=20, choices=Requester.choices)
    reason = models.CharField(_("why"), max_length=300)
    cancelled_at = models.DateTimeField(_("cancelled at"))
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    short_notice = models.BooleanField(_("at short notice"), default=False)
    care_break = models.ForeignKey(
        CareBreak,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancellations",
    )
    # A visit moved to another time is this one cancelled and a one-off visit in its place.
    moved_to = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when care resumed and the visit was planned again (only a break's visits are).
    reinstated_at = models.DateTimeField(_("planned again at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cancellation")
        verbose_name_plural = _("cancellations")
        ordering = ["-cancelled_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.visit} ({self.get_requested_by_display()})"


class VerifiedHow(models.TextChoices):
    TAP = "tap", _("the person tapped to confirm")
    CODE = "code", _("the person's code")
    PHONE = "phone", _("a phone call")
    LOCATION = "location", _("location at check-in and check-out")


class Implausible(models.TextChoices):
    """Why a visit record is implausible (``visits.rules.implausible``)."""

    TOO_SHORT = "too_short", _("far shorter than planned")
    EVENT_OUTSIDE_VISIT = "event_outside_visit", _("an incident timed far outside the visit")


class VisitRecord(models.Model):
    """What happened on a visit, as one carer recorded it (a double-handed visit has two).

    It always holds the six electronic visit verification items of the US 21st Century Cures
    Act §12006: type of service, person receiving it, date, location, person providing it,
    start and end time (see :meth:`evv`). Location coordinates are kept only with the consent
    of the person cared for, and only at check-in and check-out (DESIGN.md).
    """

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="records")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_records",
        verbose_name=_("carer"),
    )
    person = models.ForeignKey(
        PersonCaredFor,
        on_delete=models.PROTECT,
        related_name="visit_records",
        verbose_name=_("person cared for"),
    )
    service = models.CharField(_("service"), max_length=200)
    place = models.CharField(_("place"), max_length=300)
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    # Ids made by the carer's device, so that a retried upload is recognised, never doubled.
    check_in_id = models.UUIDField(unique=True)
    check_out_id = models.UUIDField(unique=True, null=True, blank=True)
    check_in_received_at = models.DateTimeField()
    check_out_received_at = models.DateTimeField(null=True, blank=True)
    uploaded_late = models.BooleanField(_("uploaded late"), default=False)
    check_in_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_in_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_out_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_out_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    verification = models.CharField(
        _("verification chosen"), max_length=20, choices=Verification.choices
    )
    verified_how = models.CharField(
        _("verified by"), max_length=20, choices=VerifiedHow.choices, blank=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    # Why the record is implausible (``visits.rules.implausible``), its codes separated by
    # spaces; empty when it is plausible. Such a record is kept as sent, but counts as verified
    # (``verified_at``) only once a coordinator accepted it.
    implausible = models.CharField(_("implausible"), max_length=200, blank=True)
    carer_reason = models.TextField(_("the carer's reason"), blank=True)
    carer_reason_at = models.DateTimeField(_("reason given at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Check-out less check-in (none before check-out), kept by ``save`` so that the database
    # adds up a year's time of care itself: SQLite subtracts two moments in a Python function
    # called once a row.
    duration = models.DurationField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")
        ordering = ["-checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "carer"], name="one_record_per_carer"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=F("checked_in_at")),
                name="check_out_after_check_in",
            ),
        ]
        indexes = [models.Index(fields=["carer", "checked_in_at"])]

    def __str__(self) -> str:
        return f"{self.service} — {self.person} {self.checked_in_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        """Saved with its ``duration`` from its check-in and check-out, whatever changed them."""
        self.duration = (
            None if self.checked_out_at is None else self.checked_out_at - self.checked_in_at
        )
        fields = kwargs.get("update_fields")
        if fields is not None and {"checked_in_at", "checked_out_at"} & set(fields):
            kwargs["update_fields"] = {*fields, "duration"}
        super().save(*args, **kwargs)

    @property
    def minutes(self) -> int | None:
        if self.checked_out_at is None:
            return None
        return round((self.checked_out_at - self.checked_in_at).total_seconds() / 60)

    @property
    def implausible_codes(self) -> list[str]:
        """The codes of ``implausible``, as a list."""
        return self.implausible.split()

    @property
    def implausible_labels(self) -> list[str]:
        """Why the record is implausible, in the reader's words."""
        return [str(Implausible(code).label) for code in self.implausible_codes]

    @property
    def held_back(self) -> bool:
        """Whether the record is implausible and no coordinator has accepted it yet: it is not
        verified, so neither paid nor billed as done."""
        return bool(self.implausible) and self.accepted_at is None

    def evv(self) -> dict:
        """The six visit verification items (21st Century Cures Act §12006). The date, start and
        end are read on the cooperative's clock (start and end with its UTC offset), so that a
        visit at 00:30 is dated that day, not the UTC day before as stored."""
        cooperative = self.person.cooperative
        start = on_cooperative_clock(self.checked_in_at, cooperative)
        end = self.checked_out_at and on_cooperative_clock(self.checked_out_at, cooperative)
        return {
            "type_of_service": self.service,
            "person_receiving": self.person.full_name,
            "date": start.date().isoformat(),
            "location": self.place,
            "person_providing": self.carer.get_full_name() or self.carer.get_username(),
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
        }


class StepOutcome(models.Model):
    """One step of the visit's task: done, or not done and why."""

    record = models.ForeignKey(VisitRecord, on_delete=models.CASCADE, related_name="outcomes")
    step = models.CharField(_("step"), max_length=200)
    done = models.BooleanField(_("done"))
    reason = models.CharField(_("why not"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "step"], name="one_outcome_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.step}: {'✓' if self.done else '✗'}"


class IncidentKind(models.TextChoices):
    FALL = "fall", _("fall")
    INJURY = "injury", _("injury")
    MEDICATION = "medication", _("medication error")
    HEALTH = "health", _("sudden change in health")
    SAFEGUARDING = "safeguarding", _("safeguarding concern")
    PROPERTY = "property", _("damage or loss of property")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Incident(models.Model):
    """Something that went wrong or worried the carer, reported for the coordinators."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(PersonCaredFor, on_delete=models.PROTECT, related_name="incidents")
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    kind = models.CharField(_("what happened"), max_length=20, choices=IncidentKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("description"))
    action_taken = models.TextField(_("action taken"), blank=True)
    reported_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("follow-up"), blank=True)
    # The id the carer's phone made for the report, so that one sent again when the signal
    # returns is never a second incident; none for incidents raised by other apps.
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "client_id"], name="incident_client_id_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person} {self.occurred_at:%Y-%m-%d}"


class WrongConfirmationCode(models.Model):
    """A confirmation code typed at check-out that was not the person's.

    Counted to limit guessing (``visits.rules``): past a few wrong codes in an hour, for one
    visit or one carer, codes are refused without being compared. Listed for the coordinators
    on the follow-up page. The code typed is not kept: it may be close to the real one.
    """

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="wrong_codes")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("carer"),
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("wrong confirmation code")
        verbose_name_plural = _("wrong confirmation codes")
        ordering = ["-at"]
        # The two counts made before each code is compared: per visit and per carer, by time.
        indexes = [models.Index(fields=["visit", "at"]), models.Index(fields=["carer", "at"])]

    def __str__(self) -> str:
        return f"{self.visit} {self.at:%Y-%m-%d %H:%M}"


class HandoverNote(models.Model):
    """Something the next carer must know about a person, written by a carer at check-out or
    during their hours around a visit, or by a coordinator. Shown on the cards of the carers
    who visit next (``visits.queries.handover_for``); never deleted: a coordinator marks it no
    longer relevant, with who and when."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.PROTECT, related_name="handover_notes"
    )
    # The visit it was written at (a coordinator's note has none).
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="handover_notes"
    )
    text = models.TextField(_("for the next carer"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"))
    retired_at = models.DateTimeField(_("no longer relevant since"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["person", "written_at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.written_at:%Y-%m-%d %H:%M}"


class HandoverAcknowledgement(models.Model):
    """A carer read a handover note (once per carer)."""

    note = models.ForeignKey(
        HandoverNote, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("carer"),
    )
    at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("handover note read")
        verbose_name_plural = _("handover notes read")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["note", "carer"], name="one_acknowledgement_per_carer")
        ]

    def __str__(self) -> str:
        return f"{self.note} ({self.carer})"


class VisitRequestKind(models.TextChoices):
    MOVE = "move", _("move a visit")
    CANCEL = "cancel", _("cancel a visit")
    EXTRA = "extra", _("an extra visit")
    TRIAL = "trial", _("a visit by a new carer, to meet them")


class VisitRequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")


class VisitRequest(models.Model):
    """What the person or their circle asks of their visits: move or cancel a planned one, an
    extra one in a time window, or a planned one given to a carer new to them, to meet them
    (a trial; the coordinator chooses the carer). A coordinator accepts it, and the change is
    made as their own roster edit would be, or refuses it with a reason
    (``visits.requests``)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        PersonCaredFor, on_delete=models.PROTECT, related_name="visit_requests"
    )
    kind = models.CharField(_("asked"), max_length=10, choices=VisitRequestKind.choices)
    # The visit to move, cancel or give to a new carer, and its start when asked: a visit
    # moved or changed since is no longer the one asked about.
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    visit_starts_at = models.DateTimeField(null=True, blank=True)
    # A move: the new start. An extra visit: the window it should fit in.
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_by = models.DateTimeField(_("until"), null=True, blank=True)
    task = models.ForeignKey(
        CareTask, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("why"), max_length=300)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Who asked, as a cancellation records it for billing: the person (their legal
    # representative acts in their name) or their circle.
    asked_as = models.CharField(_("asked by"), max_length=20, choices=Requester.choices)
    asked_at = models.DateTimeField(_("asked at"))
    status = models.CharField(
        _("answer"),
        max_length=10,
        choices=VisitRequestStatus.choices,
        default=VisitRequestStatus.PENDING,
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Why it was refused (required), or a word with an acceptance.
    answer = models.CharField(_("the coordinator's words"), max_length=300, blank=True)
    # Once accepted: the visit as it now is (the new one of a move or an extra visit, the
    # cancelled one of a cancellation).
    outcome = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("visit request")
        verbose_name_plural = _("visit requests")
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"],
                condition=Q(status="pending"),
                name="one_pending_request_per_visit",
            )
        ]
        indexes = [models.Index(fields=["cooperative", "status", "asked_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person} ({self.get_status_display()})"
