"""Demo family caregivers: the relatives of the people whose care plan has a weekly afternoon
of sitting (their respite visits, rostered and recorded with the other visits), a few
caregivers of people the cooperative does not serve, their support plans, a monthly support
group with who came, and a training session."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from coopcare.care.models import PersonCaredFor, ServiceType
from coopcare.respite import services
from coopcare.shared.days import month_end

SURNAMES_NOT_SERVED = ["Ferrari", "Marchetti", "Galli"]
# Who the caregivers of people the cooperative does not serve care for, in their words.
NOT_SERVED = [
    "Her husband, after a stroke; his care is paid by the family",
    "His son, who has cerebral palsy and goes to a day centre",
    "Her father, who has Parkinson's and lives with her",
]
GROUP_TOPICS = [
    "Looking after yourself too",
    "When the person no longer recognises you",
    "Asking for help: the services of the district",
    "Holidays, and who takes over",
]
FIRST_NAMES = ["Lucia", "Paolo", "Rita", "Marco", "Elena"]
WHO = ["Daughter", "Son", "Wife", "Husband", "Niece"]


class RespiteSeeder:
    def __init__(self, rng, today: date, cooperative, coordinator, carers: list):
        self.rng = rng
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator
        self.carers = carers

    def run(self) -> dict[str, int]:
        caregivers = self.relieved() + self.not_served()
        for caregiver in caregivers:
            services.new_support_plan(
                caregiver,
                valid_from=caregiver.since,
                goals="Time of their own each week; someone to call when it gets hard.",
                respite_hours_a_month=12 if caregiver.cares_for_id else 0,
                by=self.coordinator,
            )
        gatherings = [*self.support_group(caregivers), self.training(caregivers)]
        return {"family_caregivers": len(caregivers), "caregiver_gatherings": len(gatherings)}

    def _since(self) -> date:
        return self.today - timedelta(days=self.rng.randint(100, 400))

    def relieved(self) -> list:
        """A caregiver for each person whose plan has sitting: the family member relieved."""
        people = PersonCaredFor.objects.filter(
            cooperative=self.cooperative, plans__tasks__service_type=ServiceType.SITTING
        ).distinct()
        found = []
        for person in people:
            since = self._since()
            relative = self.rng.choice(WHO)
            surname = person.full_name.split(" ", 1)[-1]
            found.append(
                services.register_caregiver(
                    self.cooperative,
                    full_name=f"{self.rng.choice(FIRST_NAMES)} {surname}",
                    phone=f"+39 059 555 {self.rng.randrange(10**4):04d}",
                    cares_for=person,
                    circle_member=person.circle.first(),
                    cares_for_whom=f"{relative} of {person.full_name}, lives with them",
                    hours_caring_a_week=self.rng.choice([30, 40, 50, 60]),
                    asks_respite=True,
                    asks_group=self.rng.random() < 0.7,
                    asks_training=self.rng.random() < 0.4,
                    consent_given_on=since,
                    since=since,
                    by=self.coordinator,
                )
            )
        return found

    def not_served(self) -> list:
        """Caregivers of people the cooperative does not care for: groups and training only."""
        found = []
        for surname, whom in zip(SURNAMES_NOT_SERVED, NOT_SERVED, strict=True):
            since = self._since()
            found.append(
                services.register_caregiver(
                    self.cooperative,
                    full_name=f"{self.rng.choice(['Anna', 'Giorgio', 'Silvia'])} {surname}",
                    cares_for_whom=whom,
                    hours_caring_a_week=self.rng.choice([20, 35, 70]),
                    asks_group=True,
                    asks_training=True,
                    notes="Tired; sleeps badly since the care began.",
                    consent_given_on=since,
                    since=since,
                    by=self.coordinator,
                )
            )
        return found

    def _at(self, day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def support_group(self, caregivers: list) -> list:
        """The group meets on the first Tuesday of the month, at the community centre: the last
        three months with who came, and next month's with who is enrolled."""
        held = []
        first = self.today.replace(day=1)
        months = []
        for _ in range(3):
            first = (first - timedelta(days=1)).replace(day=1)
            months.append(first)
        months.reverse()
        months.append(month_end(self.today) + timedelta(days=1))
        for month, topic in zip(months, GROUP_TOPICS, strict=True):
            tuesday = month + timedelta(days=(1 - month.weekday()) % 7)
            held.append(self._gathering("group", topic, self._at(tuesday, 17), 90, caregivers))
        return held

    def training(self, caregivers: list):
        """A training session three weeks ago: moving someone safely, led by a carer."""
        day = self.today - timedelta(days=21)
        return self._gathering(
            "training", "Moving someone safely at home", self._at(day, 10), 180, caregivers
        )

    def _gathering(self, kind, topic, starts_at, minutes, caregivers):
        gathering = services.plan_gathering(
            self.cooperative,
            kind=kind,
            topic=topic,
            starts_at=starts_at,
            minutes=minutes,
            facilitator=self.coordinator if kind == "group" else self.rng.choice(self.carers),
            place="Casa del Quartiere, Via Canaletto 15, Modena" if kind == "group" else "",
            online_link="" if kind == "group" else "https://meet.example.org/mani-amiche",
        )
        day = timezone.localdate(starts_at)
        asks = [
            c
            for c in caregivers
            if c.since <= day and (c.asks_group if kind == "group" else c.asks_training)
        ]
        for caregiver in asks:
            services.enrol(gathering, caregiver)
        if day < self.today:
            came = {c.pk for c in asks if self.rng.random() < 0.75}
            services.record_attendance(gathering, came, now=starts_at + timedelta(minutes=minutes))
        return gathering
