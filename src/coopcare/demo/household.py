"""The demo's Spanish cooperative, Senda de Cuidados in Madrid: the intermediary for
households that employ a carer directly. Four households, each with its carer's contract in
the household's name, the visits of the last months of 2025 checked in and out, and the
payslips made from them (2025 is the year whose contribution table is recorded)."""

import random
import uuid
from datetime import date, time, timedelta
from decimal import Decimal

from coopcare.care import services as care_services
from coopcare.cooperatives.models import Cooperative, Federation, Role
from coopcare.household import services
from coopcare.shared.days import month_end
from coopcare.visits import services as visit_services

NAME, SLUG, CITY = "Senda de Cuidados", "senda-de-cuidados", "Madrid"
CENTRE = (40.4168, -3.7038)
STREETS = ["Calle de Toledo", "Calle de Embajadores", "Calle de Alcalá", "Calle de Bravo Murillo"]
# Each household: the person cared for, who signs as employer, the carer's hourly rate, the
# visit's length on weekdays, whether the extras are prorated, a large family's contract
# from before April 2024 (45 % in place of the 20 % reduction).
HOUSEHOLDS = [
    ("Carmen Ruiz Ortega", "Javier Ruiz Martín", "10.00", 180, True, None),
    ("Antonio López Sanz", "Antonio López Sanz", "9.50", 120, True, None),
    ("Dolores García Vega", "Marta Pérez García", "11.00", 240, False, None),
    ("Manuel Fernández Gil", "Lucía Fernández Romero", "10.50", 150, True, date(2024, 2, 1)),
]
CARERS = [
    ("Rosa", "Mendoza Quispe"),
    ("Ana", "Castillo Rojas"),
    ("Elena", "Vargas Núñez"),
    ("Pilar", "Serrano Ibáñez"),
]
MONTHS = [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]
# Households whose carer's contract ended, on its last day: Antonio went to live with his
# daughter in Valencia at the new year.
ENDED = {"Antonio López Sanz": date(2025, 12, 31)}
NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def nif(rng: random.Random) -> str:
    """A DNI number with its check letter (the number modulo 23)."""
    number = rng.randrange(10_000_000, 99_999_999)
    return f"{number}{NIF_LETTERS[number % 23]}"


def account(rng: random.Random) -> str:
    """A Madrid (28) Social Security employer account with its check digits (modulo 97)."""
    first = f"28{rng.randrange(1_000_000, 9_999_999)}"
    return f"{first}{int(first) % 97:02d}"


class HouseholdSeeder:
    """Seeds the Madrid cooperative through the services a coordinator uses."""

    def __init__(self, rng: random.Random, seeder, federation: Federation):
        self.rng = rng
        self.seeder = seeder
        self.federation = federation

    def run(self) -> dict[str, int]:
        coop = Cooperative.objects.create(
            federation=self.federation,
            name=NAME,
            slug=SLUG,
            city=CITY,
            country="ES",
            currency="EUR",
            runs_household_employment=True,
        )
        name = "Begoña Arrieta Salas"
        coordinator = self.seeder.user("madrid", name, "coordinacion@senda.example.org")
        self.seeder.grant(coordinator, coop, Role.COORDINATOR)
        counts = {"carers": 0, "people_cared_for": 0, "households": 0, "household_payslips": 0}
        for index, (household, (first, last)) in enumerate(zip(HOUSEHOLDS, CARERS, strict=True)):
            carer = self.seeder.user(
                f"{SLUG}-carer{index}",
                f"{first} {last}",
                f"{first.lower()}{index}@senda.example.org",
            )
            self.seeder.grant(carer, coop, Role.CARER)
            counts["carers"] += 1
            counts["household_payslips"] += self.household(coop, carer, index, *household)
            counts["people_cared_for"] += 1
            counts["households"] += 1
        return counts

    def household(
        self, coop, carer, index, person_name, employer_name, rate, minutes, prorated, since
    ):
        street = f"{STREETS[index]} {self.rng.randrange(2, 120)}"
        person = care_services.admit_person(
            coop,
            on=date(2024, 1, 15),
            full_name=person_name,
            address=street,
            city=CITY,
            latitude=Decimal(str(round(CENTRE[0] + self.rng.uniform(-0.02, 0.02), 6))),
            longitude=Decimal(str(round(CENTRE[1] + self.rng.uniform(-0.02, 0.02), 6))),
            status="active",
        )
        care_services.new_care_plan(
            person,
            valid_from=MONTHS[0],
            goals="Seguir en casa con ayuda para el aseo, la comida y los paseos",
            tasks=[
                {
                    "title": "Aseo, comida y paseo",
                    "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                    "start_time": time(9, 0),
                    "duration_minutes": minutes,
                }
            ],
            horizon_days=0,
        )
        visit_services.generate_visits(person, MONTHS[0], month_end(MONTHS[-1]))
        for visit in person.visits.order_by("starts_at"):
            visit_services.set_carers(visit, [carer])
            done = visit.ends_at + timedelta(minutes=5)
            visit_services.check_in(
                visit, carer, client_id=uuid.uuid4(), at=visit.starts_at, now=done
            )
            visit_services.check_out(
                visit,
                carer,
                client_id=uuid.uuid4(),
                at=visit.ends_at,
                steps=[{"step": step, "done": True} for step in visit.task.step_list],
                now=done,
            )
        employer = services.add_employer(
            coop,
            person,
            {
                "name": employer_name,
                "tax_id": nif(self.rng),
                "social_security_account": account(self.rng),
                "address": f"{street}, {CITY}",
                "large_family": since is not None,
            },
        )
        contract = services.start_contract(
            employer,
            carer,
            {
                "starts_on": since or date(2025, 9, 15),
                "hourly_rate": Decimal(rate),
                "extras_prorated": prorated,
            },
        )
        for month in MONTHS:
            services.make_payslip(contract, month)
        if employer_name in ENDED:
            services.end_contract(contract, ENDED[employer_name])
        return len(MONTHS)
