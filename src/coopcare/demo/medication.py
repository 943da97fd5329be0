"""Demo medication: each adult cared for takes a few medicines (at the time of their morning or
lunch visit, and some as needed), a few have allergies, and the doses due at the past weeks'
visits have their outcomes, mostly given, some refused or not available. A few tablets have
their stock tracked: an opening count three weeks ago, a delivery from the pharmacy, a count
since that matches, and one running low.

Medicines go through the services (the allergy check among them); the past outcomes are
written in bulk, as the visit seeder writes its records, since they are history."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from coopcare.care.models import CareTask
from coopcare.medication import queries, rules, services
from coopcare.medication.models import DoseRecord, Medicine, Outcome
from coopcare.visits.models import VisitRecord
from coopcare.visits.zones import cooperative_zone

# name, ingredients, strength, form, dose, unit, route
REGULAR = [
    ("Ramipril", "ramipril", "5 mg", "tablet", 1, "tablet", "mouth"),
    ("Bisoprolol", "bisoprolol fumarate", "2.5 mg", "tablet", 1, "tablet", "mouth"),
    ("Metformin", "metformin hydrochloride", "500 mg", "tablet", 1, "tablet", "mouth"),
    ("Atorvastatin", "atorvastatin", "20 mg", "tablet", 1, "tablet", "mouth"),
    ("Levothyroxine", "levothyroxine sodium", "50 micrograms", "tablet", 1, "tablet", "mouth"),
    ("Furosemide", "furosemide", "40 mg", "tablet", 1, "tablet", "mouth"),
    ("Donepezil", "donepezil hydrochloride", "5 mg", "tablet", 1, "tablet", "mouth"),
    ("Lactulose", "lactulose", "3.3 g/5 ml", "liquid", 15, "ml", "mouth"),
    (
        "Calcium and vitamin D",
        "calcium carbonate, colecalciferol",
        "",
        "tablet",
        1,
        "tablet",
        "mouth",
    ),
    ("Latanoprost", "latanoprost", "50 micrograms/ml", "drops", 1, "drop", "eye"),
]
AS_NEEDED = [
    ("Paracetamol", "paracetamol", "500 mg", "tablet", 2, "tablets", "mouth", 4, 240),
    ("Salbutamol", "salbutamol", "100 micrograms", "inhaler", 2, "puffs", "inhaled", 4, 240),
    ("Macrogol", "macrogol 3350", "13.8 g", "other", 1, "sachet", "mouth", 2, 360),
]
ALLERGIES = [("Penicillin", "Rash and swelling"), ("Ibuprofen", "Wheezing"), ("Latex", "Hives")]
PRESCRIBERS = ["Dr Conti (GP)", "Dr Ferri (GP)", "Dr Marino (cardiologist)", "Dr Greco (GP)"]
REFUSED = ["Said she had already taken it.", "Felt sick, did not want it.", "Asleep, not woken."]
MISSING = ["Box empty; pharmacy called.", "Not delivered yet."]
HISTORY_DAYS = 35
# How many medicines have their stock tracked; the first of them runs low.
STOCK_TRACKED = 3


def _at(start: time, minutes: int) -> str:
    moment = datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)
    return f"{moment:%H:%M}"


class MedicationSeeder:
    def __init__(self, rng, today: date, cooperative, coordinator):
        self.rng = rng
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator

    def run(self, people) -> dict[str, int]:
        medicines = 0
        for person in people:
            age = (self.today - person.date_of_birth).days // 365 if person.date_of_birth else 80
            if age < 18:
                continue
            medicines += self.prescribe(person)
        doses = self.history(people)
        return {"medicines": medicines, "doses_recorded": doses, "stock_tracked": self.stock()}

    def stock(self) -> int:
        """The stock of a few tablets taken at fixed times, through the services: an opening
        count three weeks ago, then (but for the first, left to run low) a delivery from the
        pharmacy two weeks ago and a count two days ago that finds what was expected."""
        now = timezone.now()
        tablets = [
            m
            for m in Medicine.objects.filter(cooperative=self.cooperative)
            .select_related("current")
            .order_by("pk")
            if m.current and not m.current.as_needed and m.current.dose_unit == "tablet"
        ][:STOCK_TRACKED]
        for number, medicine in enumerate(tablets):
            tracking = services.track_stock(medicine, by=self.coordinator, unit="tablets")
            opened = now - timedelta(days=21)
            taken = DoseRecord.objects.filter(
                medicine=medicine, outcome__in=(Outcome.GIVEN, Outcome.SELF), at__gt=opened
            ).count()
            if number == 0:
                # Four tablets left today, under the seven days that warn.
                services.count_stock(
                    medicine, by=self.coordinator, quantity=Decimal(taken + 4), at=opened
                )
                continue
            services.count_stock(medicine, by=self.coordinator, quantity=Decimal(30), at=opened)
            services.receive_stock(
                medicine,
                by=self.coordinator,
                quantity=Decimal(28),
                supplier="pharmacy",
                at=now - timedelta(days=14),
            )
            counted_at = now - timedelta(days=2)
            expected = queries.stock(tracking, now=counted_at).expected
            if expected is not None:
                services.count_stock(
                    medicine, by=self.coordinator, quantity=expected, at=counted_at
                )
        return len(tablets)

    def prescribe(self, person) -> int:
        tasks = CareTask.objects.filter(plan__person=person).order_by("start_time")
        times = [_at(t.start_time, 10) for t in tasks if t.start_time < time(14)]
        if not times:
            return 0
        if self.rng.random() < 0.15:
            substance, reaction = self.rng.choice(ALLERGIES)
            services.add_allergy(
                person, substance=substance, reaction=reaction, by=self.coordinator
            )
        starts_on = self.today - timedelta(days=self.rng.randint(HISTORY_DAYS + 5, 400))
        support = self.rng.choice(["prompt", "assist", "administer", "administer"])
        count = 0
        for name, ingredients, strength, form, dose, unit, route in self.rng.sample(
            REGULAR, self.rng.randint(1, 3)
        ):
            medicine = services.add_medicine(
                person,
                by=self.coordinator,
                name=name,
                ingredients=ingredients,
                strength=strength,
                form=form,
                dose_amount=Decimal(dose),
                dose_unit=unit,
                route=route,
                schedule="fixed",
                times=[self.rng.choice(times)],
                starts_on=starts_on,
                prescriber=self.rng.choice(PRESCRIBERS),
                support=support,
                instructions="With food." if name == "Metformin" else "",
            )
            count += 1
            if name == "Furosemide" and self.rng.random() < 0.5:
                # A dose changed since: a second version, the first kept.
                version = medicine.current
                services.change_medicine(
                    medicine,
                    by=self.coordinator,
                    reason="Ankles less swollen; halved at the GP's review.",
                    **{f: getattr(version, f) for f in services.VERSION_FIELDS}
                    | {"strength": "20 mg", "starts_on": self.today - timedelta(days=12)},
                )
        if self.rng.random() < 0.5:
            name, ingredients, strength, form, dose, unit, route, most, gap = self.rng.choice(
                AS_NEEDED
            )
            services.add_medicine(
                person,
                by=self.coordinator,
                name=name,
                ingredients=ingredients,
                strength=strength,
                form=form,
                dose_amount=Decimal(dose),
                dose_unit=unit,
                route=route,
                schedule="as_needed",
                max_per_day=most,
                min_gap_minutes=gap,
                starts_on=starts_on,
                prescriber=self.rng.choice(PRESCRIBERS),
                support=support,
                instructions="For pain, when she asks." if name == "Paracetamol" else "",
            )
            count += 1
        return count

    def history(self, people) -> int:
        """Outcomes for the doses due at the visits recorded in the past weeks."""
        zone = cooperative_zone(self.cooperative)
        versions_of = defaultdict(list)
        for person in people:
            for medicine in person.medicines.prefetch_related("versions"):
                for version in medicine.versions.all():
                    versions_of[person.pk].append((medicine, version))
        records = (
            VisitRecord.objects.filter(
                visit__cooperative=self.cooperative,
                checked_in_at__date__gte=self.today - timedelta(days=HISTORY_DAYS),
                checked_out_at__isnull=False,
            )
            .select_related("visit")
            .order_by("checked_in_at")
        )
        seen, doses = set(), []
        for record in records:
            visit = record.visit
            for medicine, version in versions_of.get(visit.person_id, []):
                if version.as_needed:
                    if self.rng.random() < 0.04:
                        doses.append(self.dose(record, medicine, version, None))
                    continue
                later = [
                    v.starts_on
                    for m, v in versions_of[visit.person_id]
                    if m.pk == medicine.pk and v.starts_on > version.starts_on
                ]
                ends_on = min(later) - timedelta(days=1) if later else version.ends_on
                for due_at in rules.doses_due(
                    version.times,
                    starts=visit.starts_at,
                    ends=visit.ends_at,
                    zone=zone,
                    starts_on=version.starts_on,
                    ends_on=ends_on,
                ):
                    if (medicine.pk, due_at) not in seen:
                        seen.add((medicine.pk, due_at))
                        doses.append(self.dose(record, medicine, version, due_at))
        DoseRecord.objects.bulk_create(doses)
        return len(doses)

    def dose(self, record, medicine, version, due_at) -> DoseRecord:
        roll = self.rng.random()
        outcome, reason = (Outcome.SELF if version.support == "prompt" else Outcome.GIVEN), ""
        if due_at is not None and roll < 0.03:
            outcome, reason = Outcome.REFUSED, self.rng.choice(REFUSED)
        elif due_at is not None and roll < 0.04:
            outcome, reason = Outcome.NOT_AVAILABLE, self.rng.choice(MISSING)
        return DoseRecord(
            cooperative=self.cooperative,
            person_id=record.person_id,
            medicine=medicine,
            version=version,
            visit=record.visit,
            due_at=due_at,
            at=due_at or record.checked_in_at + timedelta(minutes=5),
            outcome=outcome,
            reason=reason,
            recorded_by_id=record.carer_id,
        )
