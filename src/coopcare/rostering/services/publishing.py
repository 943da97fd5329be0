"""Publishing a draft: carers get their visits (``Visit.carers``), are told by email, and on a
re-publication see what changed. Publishing the same roster twice changes nothing. Changes to
the published roster after that (a decided request, a cancelled, added or moved visit) are
recorded and told here too."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare import localise
from coopcare.notify import Notice, Topic, send, to_user
from coopcare.rostering.models import (
    Assignment,
    ChangeKind,
    Roster,
    RosterChange,
    RosterStatus,
    Unplaced,
)
from coopcare.rostering.wording import name_of
from coopcare.visits.models import Visit, VisitCarer, VisitStatus
from coopcare.visits.services import carer_row, put_carers, take_off


@dataclass
class Published:
    roster: Roster
    changes: int
    notified: int
    already: bool = False


def _open_visits(roster: Roster, since) -> list[Visit]:
    """The roster's visits that publishing may still change: planned and not begun."""
    ids = set(roster.assignments.values_list("visit_id", flat=True)) | set(
        roster.unplaced.values_list("visit_id", flat=True)
    )
    return list(Visit.objects.filter(pk__in=ids, status=VisitStatus.PLANNED, starts_at__gt=since))


def publish(roster: Roster, by, notify: bool = True, since=None, site_url: str = "") -> Published:
    """Make ``roster`` the one carers work to; tell them by email unless not ``notify``.
    Visits that began (or start before ``since``, default now) keep their carers.
    ``site_url`` (the address of coopcare, ``https://...``) puts a link to the carer's roster
    in the emails."""
    since = since or timezone.now()
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.status == RosterStatus.PUBLISHED:
            return Published(roster, 0, 0, already=True)
        if roster.status != RosterStatus.DRAFT:
            raise ValidationError(
                _("This roster was %(status)s; publish a newer draft.")
                % {"status": roster.get_status_display()},
                code="roster_not_draft",
            )
        if roster.last_day < timezone.localdate(since):
            raise ValidationError(_("This roster's days are over."), code="roster_days_over")
        earlier = Roster.objects.filter(
            cooperative=roster.cooperative,
            status=RosterStatus.PUBLISHED,
            first_day__lte=roster.last_day,
            last_day__gte=roster.first_day,
        )
        republished = earlier.exists()
        visits = _open_visits(roster, since)
        wanted = defaultdict(set)
        for visit_id, carer in roster.assignments.values_list("visit_id", "carer_id"):
            wanted[visit_id].add(carer)
        changes = _set_carers(roster, visits, wanted, record=republished)
        earlier.update(status=RosterStatus.SUPERSEDED)
        roster.status = RosterStatus.PUBLISHED
        roster.published_at = timezone.now()
        roster.published_by = by
        roster.save(update_fields=["status", "published_at", "published_by"])
    # The emails are written after the commit: rendering one per carer inside the transaction
    # would hold the database's write lock (all of it, on SQLite) while carers check in.
    told = 0
    if notify:
        told = (
            _notify_changes(roster, changes, site_url)
            if republished
            else _notify_new(roster, site_url)
        )
    return Published(roster, len(changes), told)


def _set_carers(roster: Roster | None, visits: list[Visit], wanted: dict, record: bool) -> list:
    """Give each of ``visits`` the carers in ``wanted`` (visit id → carer ids); the changes,
    as (carer id, visit, kind), kept as ``RosterChange`` when ``record``."""
    current, row_of = defaultdict(set), {}
    for row, visit_id, carer in VisitCarer.objects.filter(visit__in=visits).values_list(
        "pk", "visit_id", "carer_id"
    ):
        current[visit_id].add(carer)
        row_of[visit_id, carer] = row
    changes = []
    for visit in visits:
        now, then = current[visit.pk], wanted.get(visit.pk, set())
        changes += [(c, visit, ChangeKind.ADDED) for c in sorted(then - now)]
        changes += [(c, visit, ChangeKind.REMOVED) for c in sorted(now - then)]
    take_off(
        VisitCarer.objects.filter(
            pk__in=[row_of[v.pk, c] for c, v, kind in changes if kind == ChangeKind.REMOVED]
        )
    )
    put_carers(
        carer_row(visit, carer) for carer, visit, kind in changes if kind == ChangeKind.ADDED
    )
    if record and roster is not None:
        RosterChange.objects.bulk_create(
            RosterChange(roster=roster, carer_id=carer, visit=visit, kind=kind)
            for carer, visit, kind in changes
        )
    return changes


def change_published(
    roster: Roster, visit: Visit, carers: list, reasons: list, by, notify: bool = True
) -> list:
    """Change one visit of the published ``roster`` (a decided swap or contest): the visit's
    carers, the roster's record of it, and the carers concerned are told (unless not
    ``notify``: the caller then tells them of this change with others, ``tell_changes``)."""
    with transaction.atomic():
        roster.assignments.filter(visit=visit).delete()
        roster.unplaced.filter(visit=visit).delete()
        if carers:
            Assignment.objects.bulk_create(
                Assignment(roster=roster, visit=visit, carer=c, reasons=reasons, changed_by=by)
                for c in carers
            )
        else:
            Unplaced.objects.create(roster=roster, visit=visit, reasons=reasons)
        changes = _set_carers(roster, [visit], {visit.pk: {c.pk for c in carers}}, record=True)
        if notify:
            _notify_changes(roster, changes)
    return changes


def take_off_cancelled(visits: list[Visit]) -> list:
    """Take cancelled ``visits`` off every draft and published roster. Their carers lose them
    (``Visit.carers``), recorded as ``RosterChange`` where a published roster held them.
    Returns the changes, as (carer id, visit, kind); telling carers is the caller's
    (``tell_cancelled``), once the whole action is written."""
    ids = [v.pk for v in visits]
    live = [RosterStatus.DRAFT, RosterStatus.PUBLISHED]
    changes = []
    with transaction.atomic():
        published = Roster.objects.filter(status=RosterStatus.PUBLISHED).filter(
            Q(assignments__visit__in=ids) | Q(unplaced__visit__in=ids)
        )
        held = set()
        for roster in published.distinct():
            mine = set(roster.assignments.filter(visit__in=ids).values_list("visit", flat=True))
            mine |= set(roster.unplaced.filter(visit__in=ids).values_list("visit", flat=True))
            in_roster = [v for v in visits if v.pk in mine and v.pk not in held]
            held |= mine
            changes += _set_carers(roster, in_roster, {}, record=True)
        # Carers given a visit outside any published roster lose it too, with no record.
        changes += _set_carers(None, [v for v in visits if v.pk not in held], {}, record=False)
        Assignment.objects.filter(visit__in=ids, roster__status__in=live).delete()
        Unplaced.objects.filter(visit__in=ids, roster__status__in=live).delete()
    return changes


def put_back(visits: list[Visit], by) -> int:
    """Put visits planned again (care resumed) into the published roster of their day, as
    open visits with no carer yet. Returns how many went into a roster."""
    placed = 0
    with transaction.atomic():
        for visit in visits:
            day = timezone.localdate(visit.starts_at)
            roster = Roster.objects.filter(
                cooperative_id=visit.cooperative_id,
                status=RosterStatus.PUBLISHED,
                first_day__lte=day,
                last_day__gte=day,
            ).first()
            if roster is not None:
                Unplaced.objects.get_or_create(
                    roster=roster,
                    visit=visit,
                    defaults={"reasons": [["reinstated", {"name": name_of(by)}]]},
                )
                placed += 1
    return placed


def tell_changes(changes: list) -> int:
    """Tell each carer concerned the times given to them and taken off them."""
    return _notify_changes(None, changes)


def tell_cancelled(changes: list) -> int:
    """Tell each carer who lost cancelled visits the times they no longer go (times only:
    who, where and why stay in coopcare)."""
    by_carer = defaultdict(list)
    for carer, visit, _kind in changes:
        by_carer[carer].append(visit)
    carers = get_user_model().objects.select_related("profile").in_bulk(list(by_carer))
    return send(
        Notice(
            to_user(carers[pk]),
            gettext_lazy("Visits cancelled"),
            "rostering/mail_cancelled.txt",
            {"carer": carers[pk], "visits": sorted(v, key=lambda v: v.starts_at)},
            topic=Topic.ROSTER,
        )
        for pk, v in by_carer.items()
    )


def revise(roster: Roster, by) -> Roster:
    """A new draft that starts as a copy of the published ``roster``."""
    if roster.status != RosterStatus.PUBLISHED:
        raise ValidationError(
            _("Only the published roster can be revised."), code="roster_not_published"
        )
    with transaction.atomic():
        draft = Roster.objects.create(
            cooperative=roster.cooperative,
            first_day=roster.first_day,
            last_day=roster.last_day,
            based_on=roster,
            costs=roster.costs,
        )
        Assignment.objects.bulk_create(
            Assignment(
                roster=draft,
                visit_id=a.visit_id,
                carer_id=a.carer_id,
                reasons=a.reasons,
                changed_by_id=a.changed_by_id,
                override_reason=a.override_reason,
            )
            for a in roster.assignments.all()
        )
        Unplaced.objects.bulk_create(
            Unplaced(roster=draft, visit_id=u.visit_id, reasons=u.reasons)
            for u in roster.unplaced.all()
        )
    return draft


def _notify_new(roster: Roster, site_url: str = "") -> int:
    """Each carer with visits in a newly published roster gets the times of them."""
    by_carer = defaultdict(list)
    for assignment in roster.assignments.select_related("carer__profile", "visit"):
        by_carer[assignment.carer].append(assignment.visit)
    path = reverse("rostering:mine", args=[roster.cooperative.slug])
    return send(
        Notice(
            to_user(carer),
            gettext_lazy("Your visits from %(first)s to %(last)s"),
            "rostering/mail_published.txt",
            {
                "carer": carer,
                "roster": roster,
                "visits": sorted(v, key=lambda v: v.starts_at),
                "link": site_url + path if site_url else "",
            },
            {
                "first": localise.lazy_day(roster.first_day),
                "last": localise.lazy_day(roster.last_day),
            },
            topic=Topic.ROSTER,
            url=path,
        )
        for carer, v in by_carer.items()
    )


def _notify_changes(roster: Roster | None, changes: list, site_url: str = "") -> int:
    """Each carer whose visits changed gets the times added and taken off; with ``site_url``,
    a link to their roster."""
    by_carer = defaultdict(list)
    for carer, visit, kind in changes:
        by_carer[carer].append((visit, kind))
    if not by_carer:
        return 0
    carers = get_user_model().objects.select_related("profile").in_bulk(list(by_carer))
    path = reverse("rostering:mine", args=[changes[0][1].cooperative.slug])
    return send(
        Notice(
            to_user(carers[pk]),
            gettext_lazy("Changes to your visits"),
            "rostering/mail_changes.txt",
            {
                "carer": carers[pk],
                "roster": roster,
                "changes": sorted(c, key=lambda c: c[0].starts_at),
                "link": site_url + path if site_url else "",
            },
            topic=Topic.ROSTER,
            url=path,
        )
        for pk, c in by_carer.items()
    )
