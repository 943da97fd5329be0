"""Actions on the body map, one transaction each: a new mark (which raises an incident for the
coordinators in the same transaction) and a follow-up of a mark. Each checks
``bodymap.rules`` and writes nothing when a rule is broken."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.bodymap import rules
from coopcare.bodymap.models import Category, FollowUp, Mark, MarkKind
from coopcare.bodymap.outline import PLACES, Region
from coopcare.care.models import PersonCaredFor
from coopcare.visits import services as visit_services
from coopcare.visits.models import Visit
from coopcare.visits.rules import CLOCK_SKEW


def _when_problems(at: datetime, visit: Visit | None, person_id: int) -> list[ValidationError]:
    problems = []
    if at > timezone.now() + CLOCK_SKEW:
        problems.append(
            ValidationError(
                _("A mark or follow-up cannot be dated in the future."), code="dated_in_future"
            )
        )
    if visit is not None and visit.person_id != person_id:
        problems.append(
            ValidationError(_("That visit is not to this person."), code="visit_of_someone_else")
        )
    return problems


def _incident_description(mark: Mark) -> str:
    what = str(MarkKind(mark.kind).label)
    if mark.category:
        what = f"{what}, {Category(mark.category).label}"
    return _("Body map, mark %(number)s (%(what)s, %(where)s): %(description)s") % {
        "number": mark.number,
        "what": what,
        "where": Region(mark.region).label,
        "description": mark.description,
    }


@transaction.atomic
def add_mark(
    person: PersonCaredFor,
    *,
    by,
    side: str,
    region: str,
    kind: str,
    description: str,
    x: int | None = None,
    y: int | None = None,
    category: str = "",
    length_cm: Decimal | None = None,
    width_cm: Decimal | None = None,
    visit: Visit | None = None,
    at: datetime | None = None,
) -> Mark:
    """Record a mark on the person's body map, and the incident it raises.

    Without a point (no JavaScript, or through the API), the mark is placed at the middle of
    its region on that side. The incident goes to the coordinators' follow-up page through
    ``visits.services.report_incident``, its kind and severity by ``rules.incident_for``."""
    at = at or timezone.now()
    if x is None or y is None:
        # Off the drawing when the region is not on that side: the rules say which is wrong.
        x, y = PLACES[region].on(side) or (-1, -1)
    problems = rules.mark_problems(
        side=side,
        x=x,
        y=y,
        region=region,
        kind=kind,
        category=category,
        length=length_cm,
        width=width_cm,
        description=description,
    )
    problems += _when_problems(at, visit, person.pk)
    if problems:
        raise ValidationError(problems)
    # The person's row is locked so that two marks recorded at once get different numbers.
    PersonCaredFor.objects.select_for_update().filter(pk=person.pk).first()
    number = (Mark.objects.filter(person=person).aggregate(n=Max("number"))["n"] or 0) + 1
    mark = Mark(
        person=person,
        number=number,
        side=side,
        x=x,
        y=y,
        region=region,
        kind=kind,
        category=category,
        length_cm=length_cm,
        width_cm=width_cm,
        description=description.strip(),
        recorded_by=by,
        recorded_at=at,
        visit=visit,
    )
    incident_kind, severity = rules.incident_for(kind, category)
    mark.incident = visit_services.report_incident(
        visit,
        by,
        person=person,
        occurred_at=at,
        kind=incident_kind,
        severity=severity,
        description=_incident_description(mark),
    )
    mark.save()
    return mark


@transaction.atomic
def follow_up(
    mark: Mark,
    *,
    by,
    status: str,
    notes: str = "",
    length_cm: Decimal | None = None,
    width_cm: Decimal | None = None,
    visit: Visit | None = None,
    at: datetime | None = None,
) -> FollowUp:
    """Record how the mark looks now. "Healed" takes it off the current map; a later
    follow-up (it opened again, or "healed" was a mistake) puts it back."""
    at = at or timezone.now()
    problems = rules.size_problems(length_cm, width_cm)
    problems += _when_problems(at, visit, mark.person_id)
    if at < mark.recorded_at:
        problems.append(
            ValidationError(
                _("A follow-up cannot be dated before the mark was recorded."),
                code="follow_up_before_mark",
            )
        )
    if problems:
        raise ValidationError(problems)
    return FollowUp.objects.create(
        mark=mark,
        status=status,
        notes=notes.strip(),
        length_cm=length_cm,
        width_cm=width_cm,
        by=by,
        at=at,
        visit=visit,
    )
