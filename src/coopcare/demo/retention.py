"""The demo's retention: the cooperative keeps care and visit records eight years (its DPO's
advice, set with that reason), and two people's care ended nine years ago. One is past the
period and is anonymised by the run made at seed time; the other's family filed a complaint
about that care, still open, and a coordinator placed a legal hold, so the run keeps every
record of theirs. The Retention page shows the periods, the hold and the run's report."""

from datetime import date, time, timedelta
from decimal import Decimal
from uuid import uuid4

from coopcare.care import services as care_services
from coopcare.retention import services
from coopcare.retention.models import HoldReason
from coopcare.retention.rules import Kind, cutoff
from coopcare.visits import services as visit_services
from coopcare.voice import services as voice
from coopcare.voice.models import Step

FORMER = [
    ("Teresa Galli", "Via del Pratello 40", "Felt dizzy getting up; sat with her until it passed."),
    ("Bruno Ferri", "Via San Vitale 77", "Did not want his shower; washed at the sink instead."),
]


class RetentionSeeder:
    def __init__(self, today: date, cooperative, coordinator, carer, city: str):
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator
        self.carer = carer
        self.city = city

    def _former(self, name: str, street: str, notes: str):
        admitted = cutoff(self.today, 11)
        person = care_services.admit_person(
            self.cooperative,
            on=admitted,
            full_name=name,
            date_of_birth=date(1928, 9, 14),
            address=street,
            city=self.city,
            latitude=Decimal("44.497"),
            longitude=Decimal("11.349"),
            status="active",
        )
        day = cutoff(self.today, 10)
        care_services.new_care_plan(
            person,
            valid_from=day,
            goals="Stay safely at home",
            tasks=[
                {
                    "title": "Morning care",
                    "rrule": "FREQ=DAILY",
                    "start_time": time(9, 0),
                    "duration_minutes": 45,
                }
            ],
            horizon_days=0,
        )
        visit_services.generate_visits(person, day, day)
        planned = person.visits.get(starts_at__date=day)
        visit_services.set_carers(planned, [self.carer])
        now = planned.ends_at + timedelta(minutes=5)
        visit_services.check_in(
            planned, self.carer, client_id=uuid4(), at=planned.starts_at, now=now
        )
        visit_services.check_out(
            planned,
            self.carer,
            client_id=uuid4(),
            at=planned.starts_at + timedelta(minutes=40),
            now=now,
            steps=[{"step": s, "done": True} for s in planned.task.step_list],
            notes=notes,
        )
        care_services.change_status(
            person,
            "ended",
            cutoff(self.today, 9),
            "Moved to live with family.",
            by=self.coordinator,
        )
        return person

    def run(self) -> dict[str, int]:
        reason = "Our DPO's advice: eight years after care ended, as for adult social care."
        for kind in (Kind.CARE_RECORDS, Kind.VISIT_RECORDS):
            services.set_period(self.cooperative, kind, 8, reason, by=self.coordinator)
        self._former(*FORMER[0])
        held = self._former(*FORMER[1])
        complaint = voice.file_complaint(
            held,
            by=self.coordinator,
            about="care",
            description="The family says the care given before he moved was not what was agreed.",
            complainant_name="Marta Ferri",
            received_on=self.today - timedelta(days=2),
        )
        # Acknowledged in time, so the register's one overdue complaint stays the voice demo's.
        voice.take_step(
            complaint,
            Step.ACKNOWLEDGED,
            by=self.coordinator,
            on=self.today - timedelta(days=1),
            text="We have your complaint and will answer within the deadline.",
        )
        services.place_hold(
            self.cooperative,
            held,
            HoldReason.COMPLAINT,
            "The family's complaint; the solicitor asked us to keep everything.",
            by=self.coordinator,
        )
        # As the daily run would: no one ran it by hand.
        report = services.run_retention(self.cooperative, today=self.today)
        return {"retention_anonymised": report.counts[Kind.CARE_RECORDS]["done"]}
