"""Retention's actions: the cooperative's periods and legal holds, the run that anonymises or
deletes what is past its period (one transaction per kind of record), and the erasure of one
person now (GDPR art. 17), which the rights requests call.

Anonymising keeps the rows and their links, so counts, hours and the indicators of past years
are the same after it (docs/privacy.md); only what says who the person was, and free text,
goes. Rows kept as written (messages, dose records, a record's history, signatures) are blanked
through ``kept.blank_past_retention``, the one way past their guard."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from coopcare.bodymap.models import FollowUp, Mark
from coopcare.care.models import (
    AdvanceDecision,
    CarePlan,
    CareRecordRead,
    CareStatus,
    CareTask,
    CircleMember,
    Condition,
    DoorAccess,
    PersonCaredFor,
    PersonChange,
    Signature,
)
from coopcare.childcare import services as childcare
from coopcare.childcare.models import (
    AuthorisedAdult,
    Child,
    ChildRecordRead,
    Guardian,
    Observation,
    RefusedCollection,
)
from coopcare.conversations.models import Message
from coopcare.cooperatives.models import Cooperative
from coopcare.documents import services as documents
from coopcare.documents.models import Document, DocumentVersion
from coopcare.governance.models import Election, Motion, QuestionStatus, VoteReminder, VoterRoll
from coopcare.household.models import Employer, HouseholdContract, HouseholdPayslip
from coopcare.kept import blank_past_retention
from coopcare.medication.models import DoseRecord
from coopcare.respite import services as respite
from coopcare.respite.models import Caregiver, CaregiverRead
from coopcare.retention import queries, rules
from coopcare.retention.models import (
    Anonymised,
    HoldReason,
    LegalHold,
    RetentionPeriod,
    RetentionRun,
)
from coopcare.retention.rules import Kind
from coopcare.risks.models import Goal, Review, RiskAssessment
from coopcare.visits.models import Incident, VisitRecord
from coopcare.voice.models import Complaint, ComplaintStep, Feedback
from coopcare.work.models import Payslip, Timesheet


@transaction.atomic
def set_period(
    cooperative: Cooperative, kind: str, years: int, reason: str, *, by
) -> RetentionPeriod:
    """Set how many years ``kind`` is kept from now on, saying why; the earlier period stays in
    the history."""
    problems = rules.period_problems(years, reason)
    if problems:
        raise ValidationError(problems)
    return RetentionPeriod.objects.create(
        cooperative=cooperative, kind=kind, years=years, reason=reason.strip(), set_by=by
    )


@transaction.atomic
def place_hold(
    cooperative: Cooperative, person: PersonCaredFor, reason: str, note: str, *, by
) -> LegalHold:
    """Keep every record of ``person`` past its period until the hold is released."""
    if person.cooperative_id != cooperative.pk:
        raise ValidationError(_("No such person in this cooperative."), code="person_not_found")
    if reason not in HoldReason.values:
        raise ValidationError(_("Choose why the records are held."), code="hold_reason_unknown")
    return LegalHold.objects.create(
        cooperative=cooperative, person=person, reason=reason, note=note.strip(), placed_by=by
    )


@transaction.atomic
def release_hold(hold: LegalHold, *, by) -> LegalHold:
    """End a hold: the person's records follow their periods again from the next run."""
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ValidationError(_("This hold was already released."), code="hold_already_released")
    hold.released_at = timezone.now()
    hold.released_by = by
    hold.save(update_fields=["released_at", "released_by"])
    return hold


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _anonymise(person: PersonCaredFor, why: str) -> None:
    """Take out of ``person``'s records what says who they were, and their free text, and
    delete the files uploaded on them; keep the rows and links. The month and year of birth
    stay, so the age groups of past figures (which end on a month's last day) are the same."""
    born = person.date_of_birth.replace(day=1) if person.date_of_birth else None
    # Named by their place among the cooperative's anonymised people, not by their id, which
    # would tell where they stood among its people (and PostgreSQL never gives an id again).
    number = (
        Anonymised.objects.filter(
            cooperative_id=person.cooperative_id, person__isnull=False
        ).count()
        + 1
    )
    PersonCaredFor.objects.filter(pk=person.pk).update(
        full_name=f"#{number}",
        date_of_birth=born,
        phone="",
        address="",
        postcode="",
        city="",
        latitude=None,
        longitude=None,
        pets="",
        preferences="",
        confirmation_code="",
    )
    CircleMember.objects.filter(person=person).update(full_name="", phone="")
    Condition.objects.filter(person=person).update(notes="")
    AdvanceDecision.objects.filter(person=person).update(kept_where="", notes="")
    DoorAccess.objects.filter(person=person).delete()
    blank_past_retention(PersonChange.objects.filter(person=person), old="", new="")
    blank_past_retention(
        Signature.objects.filter(person=person), signer_name="", typed_name="", content=""
    )
    # Free text written about the person: the plan's goals and how its tasks are done, the
    # risk assessments' notes, goals and reviews, the body map's descriptions. Their scores,
    # bands, dates, regions and kinds stay, for the counts that read them.
    CarePlan.objects.filter(person=person).update(goals="")
    CareTask.objects.filter(plan__person=person).update(instructions="")
    blank_past_retention(RiskAssessment.objects.filter(person=person), notes="")
    Goal.objects.filter(person=person).update(words="")
    Review.objects.filter(person=person).update(others="", changes="")
    blank_past_retention(Mark.objects.filter(person=person), description="")
    blank_past_retention(FollowUp.objects.filter(mark__person=person), notes="")
    # Uploaded files go from the storage (once this commits) the way any deletion does; the
    # document rows stay as deleted, without the title and file names people typed.
    for document in Document.objects.filter(person=person, deleted_at__isnull=True):
        documents.delete(document, reason=why, by=None)
    Document.objects.filter(person=person).update(title="")
    DocumentVersion.objects.filter(document__person=person).update(original_name="")
    # What the person and their circle said: scores, dates, steps and outcomes stay for the
    # complaints register's counts and times; a complaint not closed holds the person.
    Feedback.objects.filter(person=person).update(words="")
    Complaint.objects.filter(person=person).update(
        complainant_name="", complainant=None, description=""
    )
    blank_past_retention(ComplaintStep.objects.filter(complaint__person=person), text="")
    Anonymised.objects.create(cooperative_id=person.cooperative_id, person=person, why=why)


@dataclass
class Tally:
    """What a kind's batch did: rows anonymised or deleted, and rows a hold kept."""

    done: int = 0
    held: int = 0


def _care_records(cooperative, before: date, held: set[int], dry_run: bool) -> Tally:
    ended = (
        PersonCaredFor.objects.filter(cooperative=cooperative, status=CareStatus.ENDED)
        .exclude(
            pk__in=Anonymised.objects.filter(cooperative=cooperative, person__isnull=False).values(
                "person"
            )
        )
        .annotate(ended_on=Max("statuses__on", filter=Q(statuses__status=CareStatus.ENDED)))
        .filter(ended_on__lt=before)
    )
    tally = Tally()
    for person in ended:
        if person.pk in held:
            tally.held += 1
            continue
        tally.done += 1
        if not dry_run:
            _anonymise(person, "retention period over")
    # Family caregivers' records count from the end of their support; no hold names them.
    tally.done += respite.forget_caregivers(cooperative, before, dry_run=dry_run)
    return tally


def _blank(rows: QuerySet, person: str, held: set[int], dry_run: bool, blank) -> Tally:
    """Blank ``rows`` (a query of what is due) but those of held people (``person``: the path
    to the person's id)."""
    kept = rows.filter(**{f"{person}__in": held})
    due = rows.exclude(**{f"{person}__in": held})
    tally = Tally(done=due.count(), held=kept.count())
    if not dry_run:
        blank(due)
    return tally


def _visit_records(cooperative, before, held, dry_run) -> Tally:
    rows = VisitRecord.objects.filter(
        visit__cooperative=cooperative, checked_in_at__lt=_start_of(before)
    ).exclude(notes="", place="")
    return _blank(rows, "person_id", held, dry_run, lambda due: due.update(notes="", place=""))


def _medication(cooperative, before, held, dry_run) -> Tally:
    rows = DoseRecord.objects.filter(cooperative=cooperative, at__lt=_start_of(before)).exclude(
        reason=""
    )
    return _blank(
        rows, "person_id", held, dry_run, lambda due: blank_past_retention(due, reason="")
    )


def _incidents(cooperative, before, held, dry_run) -> Tally:
    rows = Incident.objects.filter(cooperative=cooperative, closed_on__lt=before).exclude(
        description="", action_taken="", outcome=""
    )
    return _blank(
        rows,
        "person_id",
        held,
        dry_run,
        lambda due: due.update(description="", action_taken="", outcome=""),
    )


def _messages(cooperative, before, held, dry_run) -> Tally:
    rows = Message.objects.filter(
        conversation__cooperative=cooperative, sent_at__lt=_start_of(before)
    ).exclude(text="")
    return _blank(
        rows,
        "conversation__person_id",
        held,
        dry_run,
        lambda due: blank_past_retention(due, text=""),
    )


def _read_logs(cooperative, before, held, dry_run) -> Tally:
    rows = CareRecordRead.objects.filter(cooperative=cooperative, at__lt=_start_of(before))
    tally = _blank(rows, "person_id", held, dry_run, lambda due: due.delete())
    # The log of reads of a caregiver's record has the same shape and period (a child's goes
    # with the child's records); a hold names a person cared for, so none keeps it.
    caregivers = CaregiverRead.objects.filter(cooperative=cooperative, at__lt=_start_of(before))
    tally.done += caregivers.count()
    if not dry_run:
        caregivers.delete()
    return tally


def _timesheets(cooperative, before, held, dry_run) -> Tally:
    # A carer's timesheets: no person cared for is on them, so no hold reaches them.
    rows = Timesheet.objects.filter(cooperative=cooperative, day__lt=before)
    tally = Tally(done=rows.count())
    if not dry_run:
        rows.delete()
    return tally


def _payslips(cooperative, before, held, dry_run) -> Tally:
    # The row stays with its amounts, hours and pay run (the impact figures of pay read them);
    # only the link to who was paid goes. No person cared for is on a payslip: no hold.
    rows = Payslip.objects.filter(
        pay_run__cooperative=cooperative, pay_run__ends_on__lt=before, carer__isnull=False
    )
    tally = Tally(done=rows.count())
    if not dry_run:
        rows.update(carer=None)
    household = _household_payslips(cooperative, before, held, dry_run)
    return Tally(done=tally.done + household.done, held=household.held)


def _household_payslips(cooperative, before, held, dry_run) -> Tally:
    """Household payslips whose month ended before ``before`` are deleted: they are the
    household's payroll records, kept for it as the carer's own are, and no figure of the
    cooperative reads them. Then a contract ended before ``before`` with no payslip left goes,
    and an employer recorded before it with no contract left. The household is at the home of
    a person cared for, so a hold on that person keeps all of it."""
    # A month's pay period ends on its last day, which is before ``before`` exactly when the
    # month is earlier than ``before``'s own month.
    rows = HouseholdPayslip.objects.filter(
        contract__cooperative=cooperative, month__lt=before.replace(day=1)
    )
    tally = _blank(rows, "contract__employer__person_id", held, dry_run, lambda due: due.delete())
    if not dry_run:
        ended = Q(ended_on__lt=before) | Q(ended_on__isnull=True, ends_on__lt=before)
        HouseholdContract.objects.filter(
            ended, cooperative=cooperative, payslips__isnull=True
        ).exclude(employer__person_id__in=held).delete()
        Employer.objects.filter(
            cooperative=cooperative, recorded_at__lt=_start_of(before), contracts__isnull=True
        ).exclude(person_id__in=held).delete()
    return tally


def _childcare_records(cooperative, before, held, dry_run) -> Tally:
    """Anonymise the children whose last day at the centre was before ``before``: their name,
    health notes and allergies go, the date of birth keeps its month (the age bands of past
    figures), the adults who could collect them and those refused at the door lose their names
    and how staff knew them, the guardians no other child keeps lose their name, phone and
    login, and the observations of the child's development and the reads of the child's record
    are deleted. The days of attendance and the
    consents stay, without a name to read, for the centre's figures. A legal hold names a
    person cared for, never a child, so none keeps these."""
    due = Child.objects.filter(cooperative=cooperative, leaves_on__lt=before).exclude(full_name="")
    tally = Tally(done=due.count())
    if dry_run or not tally.done:
        return tally
    _anonymise_children(cooperative, list(due.values_list("pk", flat=True)))
    return tally


def _anonymise_children(cooperative, children: list[int]) -> None:
    """Take out of ``children``'s records what says who they were (``_childcare_records``)."""
    # A guardian of a brother or sister still at the centre (or not yet due) keeps their name.
    kept = (
        Child.objects.filter(cooperative=cooperative).exclude(pk__in=children).exclude(full_name="")
    )
    childcare.forget_guardians(
        Guardian.objects.filter(cooperative=cooperative, children__in=children)
        .exclude(children__in=kept)
        .distinct()
    )
    AuthorisedAdult.objects.filter(child__in=children).update(full_name="", identity_note="")
    RefusedCollection.objects.filter(child__in=children).update(person_name="")
    ChildRecordRead.objects.filter(child__in=children).delete()
    Observation.objects.filter(child__in=children).delete()
    for child in Child.objects.filter(pk__in=children):
        Child.objects.filter(pk=child.pk).update(
            full_name="", born_on=child.born_on.replace(day=1), health_notes="", allergies=""
        )


def _ballots(cooperative, before, held, dry_run) -> Tally:
    # A secret ballot names nobody (governance.models: no member, user or time on it), so what
    # says who voted is the roll and the reminders. The roll's rows stay, unnamed: the number
    # who voted and the result stored at the close are the same. An election still waiting
    # for its lot is not due: drawing it counts again, from the roll.
    def closed(model):
        return (
            model.objects.filter(
                cooperative=cooperative,
                status=QuestionStatus.CLOSED,
                closed_at__lt=_start_of(before),
            )
            # A motion's result has no "complete": has_key keeps the comparison from NULL.
            .exclude(result__has_key="complete", result__complete=False)
            .values("pk")
        )

    motions, elections = closed(Motion), closed(Election)
    rows = VoterRoll.objects.filter(
        Q(motion__in=motions) | Q(election__in=elections), member__isnull=False
    )
    tally = Tally(done=rows.count())
    if not dry_run:
        rows.update(member=None, cast_by=None)
        VoteReminder.objects.filter(Q(motion__in=motions) | Q(election__in=elections)).delete()
    return tally


BATCHES: dict[str, Callable[[Cooperative, date, set[int], bool], Tally]] = {
    Kind.CARE_RECORDS: _care_records,
    Kind.VISIT_RECORDS: _visit_records,
    Kind.MEDICATION: _medication,
    Kind.INCIDENTS: _incidents,
    Kind.TIMESHEETS: _timesheets,
    Kind.PAYSLIPS: _payslips,
    Kind.BALLOTS: _ballots,
    Kind.MESSAGES: _messages,
    Kind.READ_LOGS: _read_logs,
    Kind.CHILDCARE_RECORDS: _childcare_records,
}


@dataclass
class Report:
    """What a run did (or, dry, would do), per kind; ``run`` is the saved report."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    run: RetentionRun | None = None


def run_retention(
    cooperative: Cooperative, *, by=None, today: date | None = None, dry_run: bool = False
) -> Report:
    """Anonymise or delete, kind by kind, what is past its period in ``cooperative``, leaving
    what a hold protects, and save the report (unless ``dry_run``, which writes nothing).

    Each kind is one transaction: a kind that fails leaves the kinds done before it done and
    its own untouched. The held people are read inside each kind's transaction."""
    today = today or timezone.localdate()
    report = Report()
    for period in queries.periods(cooperative):
        before = rules.cutoff(today, period.years)
        with transaction.atomic():
            held = queries.held_people(cooperative)
            tally = BATCHES[period.kind](cooperative, before, held, dry_run)
            if dry_run:
                transaction.set_rollback(True)
        report.counts[period.kind] = {"done": tally.done, "held": tally.held}
    if not dry_run:
        report.run = RetentionRun.objects.create(
            cooperative=cooperative, run_by=by, counts=report.counts
        )
    return report


@task()
def retention_task(cooperative_id: int) -> None:
    """The daily run for one cooperative, queued by ``coopcare retention --queue``."""
    run_retention(Cooperative.objects.get(pk=cooperative_id))


@dataclass(frozen=True)
class Erasure:
    """What erasing a person did, and what the law keeps, each with why."""

    anonymised: dict[str, int]
    kept: list[str]


@transaction.atomic
def erase_person(person: PersonCaredFor, *, by, reason: str) -> Erasure:
    """Anonymise ``person``'s records now, before their periods are over (GDPR art. 17), as
    a rights request asks: the person's record, visit notes, dose reasons, closed incidents'
    texts, their conversation's messages. Refused, writing nothing, while a hold protects them
    (an open legal hold, an incident under investigation, a complaint not closed: art.
    17(3)(e)). What the law requires to keep is kept and listed in ``kept``: invoices (tax
    law) and the read logs (the accountability of who read the record)."""
    person = PersonCaredFor.objects.select_for_update().get(pk=person.pk)
    if person.pk in queries.held_people(person.cooperative):
        raise ValidationError(
            _("The person's records are held (a legal hold, an open incident or complaint)."),
            code="person_on_hold",
        )
    if Anonymised.objects.filter(person=person).exists():
        raise ValidationError(
            _("This person's records are already anonymised."), code="already_anonymised"
        )
    if not reason.strip():
        raise ValidationError(
            _("Say why the person's records are erased."), code="erasure_reason_missing"
        )
    done = {
        Kind.VISIT_RECORDS: VisitRecord.objects.filter(person=person).update(notes="", place=""),
        Kind.MEDICATION: blank_past_retention(DoseRecord.objects.filter(person=person), reason=""),
        Kind.INCIDENTS: Incident.objects.filter(person=person).update(
            description="", action_taken="", outcome=""
        ),
        Kind.MESSAGES: blank_past_retention(
            Message.objects.filter(conversation__person=person), text=""
        ),
    }
    _anonymise(person, f"erased at a request, by {by.pk}: {reason.strip()}"[:300])
    done[Kind.CARE_RECORDS] = 1
    return Erasure(
        anonymised={str(kind): count for kind, count in done.items()},
        kept=[
            _(
                "Invoices and payments: accounting records the law keeps (ten years in Italy, "
                "Codice civile art. 2220); billing keeps them as issued."
            ),
            _("Read logs: kept for their own period, as the record of who read the care record."),
        ],
    )


def _erasure_checks(already: bool, reason: str) -> None:
    if already:
        raise ValidationError(
            _("This person's records are already anonymised."), code="already_anonymised"
        )
    if not reason.strip():
        raise ValidationError(
            _("Say why the person's records are erased."), code="erasure_reason_missing"
        )


def _period_years(cooperative: Cooperative, kind: Kind) -> int:
    return next(p.years for p in queries.periods(cooperative) if p.kind == kind)


READ_LOGS_KEPT = gettext_lazy(
    "Read logs: kept for their own period, as the record of who read the record (GDPR arts "
    "5(2) and 30)."
)


@transaction.atomic
def erase_child(child: Child, *, by, reason: str, today: date | None = None) -> Erasure:
    """Erase a child's records now, at their guardian's request (GDPR art. 17, exercised for
    the child under art. 8), as far as ``rules.child_erasure`` allows: refused, writing
    nothing, while the child still comes to the centre (``child_still_attending``); within
    the childcare records' period after their last day, the health notes, allergies and
    observations, how staff recognised the adults who collected them, the guardians' login
    to the child and what a guardian with no other child at the centre is go, and the
    register (attendance, refusals at the door, consents, the child's name and date of
    birth) is kept, said in ``kept`` with the day it may go; past the period, all of it goes
    as retention does. Logged as an ``Anonymised`` row with who asked and why."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    _erasure_checks(
        child.full_name == "" or Anonymised.objects.filter(child=child).exists(), reason
    )
    today = today or timezone.localdate()
    years = _period_years(child.cooperative, Kind.CHILDCARE_RECORDS)
    reach = rules.child_erasure(today, child.leaves_on, years)
    if reach == rules.ChildErasure.STILL_ATTENDING:
        raise ValidationError(
            _(
                "The child still comes to the centre: their record keeps them safe there. "
                "Set their last day first; their records can be erased after it."
            ),
            code="child_still_attending",
        )
    cooperative = child.cooperative
    # Past the period the reads of the record go with it, as retention does; within it they
    # are kept with the register.
    kept: list[str] = []
    if reach == rules.ChildErasure.ALL:
        _anonymise_children(cooperative, [child.pk])
    else:
        kept.append(str(READ_LOGS_KEPT))
        others = Child.objects.filter(cooperative=cooperative).exclude(pk=child.pk)
        childcare.forget_guardians(
            Guardian.objects.filter(cooperative=cooperative, children=child)
            .exclude(children__in=others.exclude(full_name=""))
            .distinct()
        )
        AuthorisedAdult.objects.filter(child=child).update(identity_note="")
        Observation.objects.filter(child=child).delete()
        Child.objects.filter(pk=child.pk).update(health_notes="", allergies="")
        until = rules.register_kept_until(child.leaves_on, years)
        kept.insert(
            0,
            _(
                "The register: the days the child attended, who brought and collected them, "
                "those refused at the door and the consents given, with the child's name and "
                "date of birth, kept until %(until)s as childcare law requires (GDPR art. "
                "17(3)(b)); then retention erases them."
            )
            % {"until": until},
        )
    Anonymised.objects.create(
        cooperative=cooperative,
        child=child,
        why=f"erased at a request, by {by.pk}: {reason.strip()}"[:300],
    )
    return Erasure(anonymised={Kind.CHILDCARE_RECORDS: 1}, kept=kept)


@transaction.atomic
def erase_caregiver(caregiver: Caregiver, *, by, reason: str) -> Erasure:
    """Erase a family caregiver's record now, at their request (GDPR art. 17): their name,
    contact, notes, login and support plans' goals, as retention does at the end of their
    period (``respite.services.forget``), and their support ends today if it had not. No law
    keeps a caregiver's support record: what they were given and the gatherings they came to
    stay without a name, for past years' figures. The read log is kept for its own period.
    Logged as an ``Anonymised`` row with who asked and why."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    _erasure_checks(
        caregiver.full_name == "" or Anonymised.objects.filter(caregiver=caregiver).exists(),
        reason,
    )
    if caregiver.ended_on is None:
        Caregiver.objects.filter(pk=caregiver.pk).update(ended_on=timezone.localdate())
    respite.forget(Caregiver.objects.filter(pk=caregiver.pk))
    Anonymised.objects.create(
        cooperative_id=caregiver.cooperative_id,
        caregiver=caregiver,
        why=f"erased at a request, by {by.pk}: {reason.strip()}"[:300],
    )
    return Erasure(anonymised={Kind.CARE_RECORDS: 1}, kept=[str(READ_LOGS_KEPT)])
