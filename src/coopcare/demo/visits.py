"""Demo visits: carers given to the visits of the past month and the coming weeks, and what
was recorded on the past ones (check-in/out, steps, notes, verification, a few incidents).

Each person has a small team of regular carers (continuity of care); a visit goes to the first
of them free at that time, else to the least busy carer free: the past as it went. In the
main cooperative the visits from today on are left to the planner (``demo.roster``).
"""

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from coopcare.care.models import Verification
from coopcare.visits.models import (
    Incident,
    StepOutcome,
    VerifiedHow,
    Visit,
    VisitRecord,
    VisitStatus,
)
from coopcare.visits.services import carer_row, generate_visits, local_moment, put_carers

# Five weeks, so the four-week pay period to last Sunday always has its visit records.
HISTORY_DAYS = 35
NOTES = [
    "Ate all of breakfast, in good spirits.",
    "A little confused this morning; settled after a chat.",
    "Skin on the heels looks red; please check next visit.",
    "Daughter visited; asked about next week's times.",
    "Fridge almost empty; told the family.",
    "Walked to the window with the frame; proud of it.",
    "Slept badly, tired. Drank plenty of water.",
    "Medication taken with lunch.",
]
NOT_DONE = [
    "Declined today, said they felt cold.",
    "Was still asleep; did not want to be woken.",
    "Had already done it with the family.",
    "No supplies at home; told the coordinator.",
]
MISSED = ["In hospital for tests.", "Away with family.", "Cancelled by the person on the day."]
INCIDENTS = [
    ("fall", "medium", "Found sitting on the floor by the bed, conscious, no visible injury."),
    ("medication", "low", "Evening tablets still in the dispenser from yesterday."),
    ("health", "high", "Breathless and confused; called the GP."),
    ("property", "low", "Broke a glass while washing up; replaced it."),
]


class VisitSeeder:
    def __init__(self, rng, today: date, cooperative, carers: list, coordinator):
        self.rng = rng
        self.today = today
        self.cooperative = cooperative
        self.carers = carers
        self.coordinator = coordinator
        # Busy times per (carer, day), so checking a carer is free looks at one day only.
        self.busy: dict[tuple, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.load: dict[int, int] = defaultdict(int)
        # A day off each week: with the nights either side, the weekly rest of 24 h + 11 h
        # (Directive 2003/88/EC art. 5).
        self.day_off = {carer.pk: self.rng.randrange(7) for carer in carers}
        if carers:  # the demo carer login works today, so their phone page has a day
            self.day_off[carers[0].pk] = (today.weekday() + 1) % 7

    def run(self, people, rostered_from: date | None = None) -> None:
        """Give out the visits, but those from ``rostered_from`` on (left to the planner)."""
        for person in people:
            generate_visits(person, self.today - timedelta(days=HISTORY_DAYS), self.today)
        teams = {person.pk: self.team() for person in people}
        given = Visit.objects.filter(cooperative=self.cooperative)
        if rostered_from is not None:
            given = given.filter(starts_at__lt=local_moment(rostered_from))
        visits = list(given.select_related("person", "task").order_by("starts_at", "pk"))
        assigned = {visit.pk: self.assign(visit, teams[visit.person_id]) for visit in visits}
        put_carers(carer_row(visit, carer.pk) for visit in visits for carer in assigned[visit.pk])
        past = [v for v in visits if timezone.localdate(v.starts_at) < self.today]
        self.record(past, assigned)

    def team(self) -> list:
        size = self.rng.choice([2, 3, 3])
        team = self.rng.sample(self.carers, size)
        # The demo carer login visits many people, so their day is full.
        if self.carers and self.rng.random() < 0.2 and self.carers[0] not in team:
            team[0] = self.carers[0]
        return team

    def free(self, carer, visit) -> bool:
        if timezone.localtime(visit.starts_at).weekday() == self.day_off[carer.pk]:
            return False
        gap = timedelta(minutes=15)  # time to travel to the next home
        return all(
            visit.ends_at + gap <= start or end + gap <= visit.starts_at
            for start, end in self.busy[carer.pk, timezone.localdate(visit.starts_at)]
        )

    def assign(self, visit, team) -> list:
        needed = 2 if visit.double_handed else 1
        chosen = [c for c in team if self.free(c, visit)][:needed]
        if len(chosen) < needed:
            others = sorted(
                (c for c in self.carers if c not in chosen and self.free(c, visit)),
                key=lambda c: (self.load[c.pk], c.pk),
            )
            chosen += others[: needed - len(chosen)]
        for carer in chosen:
            self.busy[carer.pk, timezone.localdate(visit.starts_at)].append(
                (visit.starts_at, visit.ends_at)
            )
            self.load[carer.pk] += 1
        return chosen

    def minutes(self, mean: float, spread: float) -> timedelta:
        return timedelta(minutes=round(self.rng.gauss(mean, spread)))

    def record(self, past: list[Visit], assigned: dict[int, list]) -> None:
        """Records of the past month: most visits done, a few missed, a few left unrecorded."""
        new_records, steps_of, missed, done, incidents = [], [], [], [], []
        for visit in past:
            carers = assigned[visit.pk]
            roll = self.rng.random()
            recent = (self.today - timezone.localdate(visit.starts_at)).days <= 3
            if not carers or roll < 0.02:
                visit.status, visit.status_reason = VisitStatus.MISSED, self.rng.choice(MISSED)
                missed.append(visit)
                continue
            if recent and roll < 0.04:
                continue  # no record yet: shows on the coordinators' follow-up page
            visit.status = VisitStatus.DONE
            done.append(visit)
            arrived = visit.starts_at + self.minutes(4, 6)
            for carer in carers:
                record = self.visit_record(visit, carer, arrived)
                new_records.append(record)
                steps_of.append(self.outcomes(visit))
                arrived += timedelta(minutes=self.rng.randint(0, 3))
            if self.rng.random() < 0.004:
                kind, severity, text = self.rng.choice(INCIDENTS)
                incidents.append(
                    Incident(
                        cooperative=self.cooperative,
                        person=visit.person,
                        visit=visit,
                        reported_by=carers[0],
                        occurred_at=arrived,
                        kind=kind,
                        severity=severity,
                        description=text,
                        closed_on=None if recent else timezone.localdate(arrived) + timedelta(1),
                        outcome="" if recent else "Family and GP informed; care plan reviewed.",
                    )
                )
        VisitRecord.objects.bulk_create(new_records)
        StepOutcome.objects.bulk_create(
            StepOutcome(record=record, **outcome)
            for record, outcomes in zip(new_records, steps_of, strict=True)
            for outcome in outcomes
        )
        Visit.objects.bulk_update(missed + done, ["status", "status_reason"])
        Incident.objects.bulk_create(incidents)

    def visit_record(self, visit, carer, arrived) -> VisitRecord:
        person = visit.person
        left = arrived + timedelta(minutes=visit.task.duration_minutes) + self.minutes(0, 4)
        late = self.rng.random() < 0.02  # no signal: uploaded the next morning
        received = left + (timedelta(hours=14) if late else timedelta(seconds=20))
        how, verified_by, lat, lon = "", None, None, None
        if person.verification == Verification.CONFIRMATION:
            how = self.rng.choices([VerifiedHow.TAP, VerifiedHow.CODE, ""], [80, 12, 8])[0]
        elif person.verification == Verification.PHONE and self.rng.random() < 0.85:
            how, verified_by = VerifiedHow.PHONE, self.coordinator
        elif (
            person.verification == Verification.LOCATION
            and person.latitude is not None
            and person.longitude is not None
        ):
            how = VerifiedHow.LOCATION
            lat = person.latitude + Decimal(self.rng.randint(-40, 40)) / 100000
            lon = person.longitude + Decimal(self.rng.randint(-40, 40)) / 100000
        return VisitRecord(
            visit=visit,
            carer=carer,
            person=person,
            service=visit.task.title,
            place=person.home,
            checked_in_at=arrived,
            checked_out_at=left,
            # Saved by bulk_create, which skips the record's own save that sets it.
            duration=left - arrived,
            check_in_id=uuid.UUID(int=self.rng.getrandbits(128)),
            check_out_id=uuid.UUID(int=self.rng.getrandbits(128)),
            check_in_received_at=arrived + (received - left),
            check_out_received_at=received,
            uploaded_late=late,
            check_in_latitude=lat,
            check_in_longitude=lon,
            check_out_latitude=lat,
            check_out_longitude=lon,
            verification=person.verification,
            verified_how=how,
            verified_at=received if how else None,
            verified_by=verified_by,
            notes=self.rng.choice(NOTES) if self.rng.random() < 0.3 else "",
        )

    def outcomes(self, visit) -> list[dict]:
        outcomes = []
        for step in visit.task.step_list:
            if self.rng.random() < 0.04:
                outcomes.append({"step": step, "done": False, "reason": self.rng.choice(NOT_DONE)})
            else:
                outcomes.append({"step": step, "done": True, "reason": ""})
        return outcomes
