"""The demo's roster for the rest of the current week: carers' usual hours, then the planner
gives out the visits and the coordinator publishes the result; a few carers have their say."""

from datetime import time, timedelta

from coopcare.care.models import CareStatus
from coopcare.rostering.models import (
    Absence,
    AbsenceKind,
    Availability,
    RequestKind,
    RosterRequest,
)
from coopcare.rostering.services.care_status import change_care_status
from coopcare.rostering.services.publishing import publish
from coopcare.rostering.services.runs import plan_period, save_draft
from coopcare.rostering.services.visit_changes import add, cancel
from coopcare.visits.models import BreakKind, Requester
from coopcare.visits.services import local_moment

SECONDS_PER_DAY = 2
# Solutions per search: the same roster for the same seed and day (a time limit alone is not).
SOLUTION_LIMIT = 300


class RosterSeeder:
    def __init__(self, today, cooperative, carers, coordinator, day_off: dict[int, int]):
        self.today = today
        self.cooperative = cooperative
        self.carers = carers
        self.coordinator = coordinator
        self.day_off = day_off

    def run(self) -> dict[str, int]:
        self.usual_hours()
        first = self.today
        last = first + timedelta(days=6 - first.weekday())
        if (last - first).days < 2:  # late in the week: roster the next one too
            last += timedelta(days=7)
        since = local_moment(first)
        results = plan_period(
            self.cooperative,
            first,
            last,
            SECONDS_PER_DAY,
            since=since,
            solution_limit=SOLUTION_LIMIT,
        )
        if results is None:  # only a reporter cancels a run, and this one has none
            raise RuntimeError("The demo roster run was cancelled.")
        roster = save_draft(self.cooperative, first, last, results)
        publish(roster, self.coordinator, notify=False, since=since)
        self.carers_say(roster)
        self.office_changes(roster)
        return {
            "rostered_visits": roster.assignments.values("visit").distinct().count(),
            "visits_without_carer": roster.unplaced.count(),
        }

    def office_changes(self, roster) -> None:
        """A morning at the office: one person goes into hospital from tomorrow for two days
        (their visits are cancelled and their carers told), another's family cancels a visit,
        and that person gets a one-off visit the day after tomorrow, open in the roster."""
        now = local_moment(self.today, time(8, 0))
        tomorrow = self.today + timedelta(days=1)
        given = (
            roster.assignments.filter(visit__starts_at__gte=local_moment(tomorrow))
            .select_related("visit__person", "visit__task")
            .order_by("visit__person_id", "visit__starts_at")
        )
        first = given.first()
        if first is None:
            return
        in_hospital = first.visit.person
        change_care_status(
            in_hospital,
            CareStatus.PAUSED,
            tomorrow,
            self.coordinator,
            reason="Planned surgery",
            kind=BreakKind.HOSPITAL,
            until=tomorrow + timedelta(days=1),
            now=now,
        )
        other = given.exclude(visit__person=in_hospital).first()
        if other is None:
            return
        cancel(
            other.visit,
            Requester.CIRCLE,
            "Her daughter is with her that day",
            self.coordinator,
            now,
        )
        extra_day = min(self.today + timedelta(days=2), roster.last_day)
        add(
            other.visit.person,
            other.visit.task,
            local_moment(extra_day, time(17, 30)),
            30,
            self.coordinator,
            now=now,
        )

    def usual_hours(self) -> None:
        """Every carer works 7:00 to 20:00 but on their day off, so the weekly rest of
        24 h + 11 h holds (Directive 2003/88/EC art. 5)."""
        Availability.objects.bulk_create(
            Availability(
                cooperative=self.cooperative,
                carer=carer,
                weekday=weekday,
                starts=time(7),
                ends=time(20),
            )
            for carer in self.carers
            for weekday in range(7)
            if weekday != self.day_off[carer.pk]
        )

    def carers_say(self, roster) -> None:
        """One carer offers a visit for swap, another contests one, and a third falls ill
        after publishing, so coordinators have something to decide."""
        given = list(
            roster.assignments.exclude(carer=self.carers[0])
            .select_related("visit", "carer")
            .order_by("visit__starts_at", "pk")
        )
        late = [a for a in given if a.visit.starts_at >= local_moment(self.today + timedelta(1))]
        if len(late) < 3:
            return
        swap, contest, ill = late[0], late[len(late) // 2], late[-1]
        RosterRequest.objects.create(
            cooperative=self.cooperative,
            visit=swap.visit,
            carer=swap.carer,
            kind=RequestKind.SWAP,
            reason="My son's school play that morning.",
        )
        if contest.carer != swap.carer:
            RosterRequest.objects.create(
                cooperative=self.cooperative,
                visit=contest.visit,
                carer=contest.carer,
                kind=RequestKind.CONTEST,
                reason="I have no car that day; this home is far from my other visits.",
            )
        day = self.today + timedelta(days=1)
        Absence.objects.create(
            cooperative=self.cooperative,
            carer=ill.carer,
            kind=AbsenceKind.SICKNESS,
            first_day=max(day, ill.visit.starts_at.date()),
            last_day=max(day, ill.visit.starts_at.date()),
            note="Flu",
        )
