"""Figures about a roster: continuity of care per person, and hours per carer against their
contracts (with the time spent travelling)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.contrib.auth.models import AbstractUser
from django.db.models import QuerySet
from django.utils import timezone

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.rostering.planning import carers_of, travel_minutes
from coopcare.visits.models import Visit, VisitCarer, VisitStatus
from coopcare.work.queries import between_days, contract_in, contracts_by_carer


@dataclass
class Continuity:
    person: object
    visits: int  # visits with carers in the period
    by_known: int  # of which every carer had visited the person in the weeks before
    carers: int  # different carers
    without_carer: int

    @property
    def share(self) -> int | None:
        """Continuity of care: the percentage of visits by carers the person already knew."""
        return round(100 * self.by_known / self.visits) if self.visits else None


def new_carers(cooperative: Cooperative, first: date, last: date) -> QuerySet:
    """The ids (``visit``) of the cooperative's visits from ``first`` to ``last``, not
    cancelled, that a carer new to the person took: one who had not visited them in the
    ``KNOWN_WEEKS`` before (``VisitCarer.known``, the one definition of a known carer, which
    the roster's continuity and the impact indicator both count with)."""
    live = Visit.objects.filter(
        cooperative=cooperative, **between_days("starts_at", first, last)
    ).exclude(status=VisitStatus.CANCELLED)
    return VisitCarer.objects.filter(visit__in=live, known=False).values("visit")


def continuity(cooperative: Cooperative, first: date, last: date) -> list[Continuity]:
    """Each person's continuity of care from ``first`` to ``last``, the lowest first.

    A carer is known to a person when they visited them in the ``KNOWN_WEEKS`` before
    (``new_carers``)."""
    # One pass over plain values, not model instances: four weeks of a cooperative's visits
    # and their carers are thousands of rows, and building objects for them took seconds.
    visits = Visit.objects.filter(
        cooperative=cooperative, **between_days("starts_at", first, last)
    ).exclude(status=VisitStatus.CANCELLED)
    theirs: defaultdict[int, set[int]] = defaultdict(set)  # visit -> its carers
    for visit, carer in VisitCarer.objects.filter(visit__in=visits).values_list("visit", "carer"):
        theirs[visit].add(carer)
    by_new = set(new_carers(cooperative, first, last).values_list("visit", flat=True))
    rows: dict[int, Continuity] = {}
    carers: dict[int, set[int]] = defaultdict(set)
    for visit, person in visits.values_list("pk", "person"):
        row = rows.setdefault(person, Continuity(None, 0, 0, 0, 0))
        if visit not in theirs:
            row.without_carer += 1
            continue
        row.visits += 1
        row.by_known += visit not in by_new
        carers[person] |= theirs[visit]
    for person, found in PersonCaredFor.objects.in_bulk(list(rows)).items():
        rows[person].person = found
        rows[person].carers = len(carers[person])
    return sorted(rows.values(), key=lambda r: (r.share is None, r.share or 0, str(r.person)))


@dataclass
class Hours:
    carer: AbstractUser  # the user model (``get_user_model()``)
    visit_minutes: int
    travel_minutes: int
    contracted_minutes: int | None

    @property
    def difference(self) -> int | None:
        """Minutes of visits and travel over (+) or under (−) the contracted hours."""
        if self.contracted_minutes is None:
            return None
        return self.visit_minutes + self.travel_minutes - self.contracted_minutes


def _travel(visits: list[Visit]) -> int:
    """Minutes of travel between consecutive visits of one carer's day (at most the gap); a
    leg to or from a home not placed on the map is unknown and counts as none."""
    total = 0.0
    for a, b in pairwise(visits):
        leg = travel_minutes(a.person, b.person)
        if leg is None:
            continue
        gap = max((b.starts_at - a.ends_at).total_seconds() / 60, 0)
        total += min(leg, gap)
    return round(total)


def hours(
    cooperative: Cooperative, first: date, last: date, pairs=None, contracts=None
) -> list[Hours]:
    """Each carer's visit and travel minutes from ``first`` to ``last`` against their share of
    contracted hours. ``pairs`` ((carer id, visit) of a draft) default to the published visits;
    ``contracts`` (``contracts_by_carer`` the same days) are read here unless given."""
    if pairs is None:
        pairs = [
            (row.carer_id, row.visit)
            for row in VisitCarer.objects.filter(
                visit__cooperative=cooperative,
                **between_days("visit__starts_at", first, last),
            )
            .exclude(visit__status=VisitStatus.CANCELLED)
            .select_related("visit__person", "visit__task")
        ]
    days: defaultdict[int, defaultdict[date, list[Visit]]] = defaultdict(
        lambda: defaultdict(list)
    )  # carer -> day -> visits
    for carer, visit in pairs:
        days[carer][timezone.localdate(visit.starts_at)].append(visit)
    share = Decimal((last - first).days + 1) / 7
    if contracts is None:
        contracts = contracts_by_carer(cooperative, first, last)
    rows = []
    for carer in carers_of(cooperative):
        mine = days[carer.pk].values()
        theirs = contracts.get(carer.pk, [])
        contract = contract_in(theirs, first) or contract_in(theirs, last)
        rows.append(
            Hours(
                carer,
                sum(v.task.duration_minutes for visits in mine for v in visits),
                sum(_travel(sorted(visits, key=lambda v: v.starts_at)) for visits in mine),
                round(contract.weekly_hours * 60 * share) if contract else None,
            )
        )
    return rows
