"""The demo's childcare centre: Nido Girotondo in Bologna, a cooperative of childcare workers
and parents beside the home care ones. Four rooms by age, about forty children with their
parents and the grandparents who collect them, consents, workers rostered to the rooms, and
the last month of days signed at the door with the usual absences (a cold going round, a
family holiday). One refusal at the door last week. A few observations of each child's
development this month, shared with the parents who consented. Parents' fees by ISEE band,
the Comune di Bologna's agreed places paying part of them, and last month's fees billed and
issued. The ``childcare`` login runs the centre; the ``guardian`` login is a mother of two
children there, a member in the parents' class, who reads her children's shared observations
and their fees."""

import contextlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.billing import services as billing_services
from coopcare.billing.invoicing import issue, set_invoicing_details
from coopcare.billing.models import Invoice, InvoiceStatus, PayerKind
from coopcare.childcare import services
from coopcare.childcare.models import Area, Attendance, Child, ConsentKind, Room, SubsidyKind
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.demo import names
from coopcare.demo.billing import TOWNS, tax_number
from coopcare.members.models import StakeholderClass, StakeholderKind

HISTORY_DAYS = 31
SLUG = "nido-girotondo"


@dataclass(frozen=True)
class RoomPlan:
    name: str
    from_months: int
    to_months: int
    places: int
    children: int


ROOMS = [
    RoomPlan("Lattanti", 3, 12, 8, 7),
    RoomPlan("Piccoli", 12, 24, 12, 10),
    RoomPlan("Medi", 24, 36, 14, 12),
    RoomPlan("Grandi", 36, 72, 14, 12),
]
GRANDPARENTS = ("grandmother", "grandfather")
# The monthly full-time fee by the household's ISEE (DPCM 159/2013), as Bologna's nidi have
# bands; the highest for any ISEE above the others, or none declared.
FEE_BANDS = [
    (Decimal(8000), Decimal(120)),
    (Decimal(15000), Decimal(260)),
    (Decimal(26000), Decimal(390)),
    (Decimal(40000), Decimal(480)),
    (None, Decimal(560)),
]
# A social cooperative's childcare, exempt (DPR 633/1972 art. 10 c. 1 n. 20).
FEE_VAT_NOTE = "Esente IVA art. 10 c. 1 n. 20 DPR 633/1972"
# What the workers write, by area of development.
SEEN = {
    Area.COMMUNICATION: (
        "Named the animals in the picture book and copied the sounds they make.",
        "Asked for 'more water' at lunch, two words together for the first time.",
    ),
    Area.PHYSICAL: (
        "Climbed the soft steps and came down on her bottom, looking back to check.",
        "Threaded four large beads on a lace with both hands.",
    ),
    Area.PERSONAL: (
        "Comforted a friend who was crying by bringing him his blanket.",
        "Waited for a turn on the slide and said 'your turn' to the next child.",
    ),
    Area.LITERACY: ("Turned the pages of a board book one at a time and pointed at the moon.",),
    Area.MATHEMATICS: (
        "Counted three cups while setting the table and gave one to each friend.",
        "Sorted the blocks by colour, red ones first.",
    ),
    Area.WORLD: ("Watched the snails in the garden for a long time and touched one gently.",),
    Area.ARTS: (
        "Painted with a brush and then with his hands, talking about the colours.",
        "Danced to the music, stopping when it stopped.",
    ),
}


class ChildcareSeeder:
    def __init__(self, rng: random.Random, today: date, seeder):
        self.rng = rng
        self.today = today
        self.seeder = seeder

    def moment(self, day: date, first: int, last: int) -> datetime:
        """A moment on ``day`` between ``first`` and ``last`` (minutes after midnight)."""
        minutes = self.rng.randrange(first, last + 1, 5)
        return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))

    def name(self) -> str:
        return self.seeder.person_name()

    def email(self, full_name: str) -> str:
        return f"{full_name.lower().replace(' ', '.')}@{SLUG}.example.org"

    def run(self, federation) -> tuple[Cooperative, dict[str, int]]:
        coop = Cooperative.objects.create(
            federation=federation,
            name="Nido Girotondo",
            slug=SLUG,
            city="Bologna",
            country="IT",
            currency="EUR",
            runs_home_care=False,
            runs_childcare=True,
        )
        coordinator = self.seeder.user("childcare", "Giulia Neri", self.email("Giulia Neri"))
        self.seeder.grant(coordinator, coop, Role.COORDINATOR)
        workers = []
        for index in range(8):
            full = self.name()
            worker = self.seeder.user(f"{coop.slug}-worker{index}", full, self.email(full))
            self.seeder.grant(worker, coop, Role.CARER)
            workers.append(worker)
        classes = {
            kind: StakeholderClass.objects.create(
                cooperative=coop, name=label, kind=kind, share_value=Decimal(value), min_shares=1
            )
            for label, kind, value in (
                ("Childcare workers", StakeholderKind.WORKER, "250.00"),
                ("Parents and guardians", StakeholderKind.GUARDIAN, "25.00"),
            )
        }
        since = self.today - timedelta(days=400)
        for worker in workers[:5]:
            self.seeder.join(
                coop,
                classes[StakeholderKind.WORKER],
                worker.get_full_name(),
                user=worker,
                applied_on=since,
            )
        rooms = [
            services.add_room(
                coop,
                name=plan.name,
                from_months=plan.from_months,
                to_months=plan.to_months,
                capacity=plan.places,
            )
            for plan in ROOMS
        ]
        children = self.children(coop, rooms, coordinator, classes[StakeholderKind.GUARDIAN])
        shifts = self.shifts(rooms, workers)
        days = self.attendance(children, workers)
        self.refusal(children, workers[0])
        observations = self.observations(children, workers)
        return coop, {
            "rooms": len(rooms),
            "children": len(children),
            "shifts_in_rooms": shifts,
            "days_at_the_centre": days,
            "observations": observations,
        } | self.fees(coop, children, coordinator)

    def fees(self, coop, children: list[Child], coordinator) -> dict[str, int]:
        """The parents' fees: a schedule by ISEE from a year ago, the Comune di Bologna's
        agreed places for the lower bands, each child's terms with their first guardian paying
        (a few households have not declared their ISEE, a quarter of the children part time),
        and last month billed and issued, the Comune's electronic invoice first."""
        town = TOWNS["Bologna"]
        vat_number = tax_number(self.rng, town.tax_office)
        set_invoicing_details(
            coop,
            {
                "vat_number": vat_number,
                "fiscal_code": vat_number,
                "street": "Via Saragozza",
                "street_number": "88",
                "postcode": "40135",
                "town": "Bologna",
                "province": town.province,
                # A social cooperative is a third-sector entity (art. 82 c. 5 D.Lgs. 117/2017).
                "stamp_duty_exempt": True,
            },
        )
        this_month = self.today.replace(day=1)
        last_month = (this_month - timedelta(days=1)).replace(day=1)
        services.add_fee_schedule(
            coop,
            valid_from=(this_month - timedelta(days=365)).replace(day=1),
            bands=FEE_BANDS,
            part_time_percent=Decimal(60),
            vat_note=FEE_VAT_NOTE,
            by=coordinator,
        )
        comune = billing_services.add_payer(
            coop,
            {
                "kind": PayerKind.PUBLIC_BODY,
                "name": "Comune di Bologna",
                "address": town.town_hall,
                "fiscal_code": tax_number(self.rng, town.tax_office),
                "office_code": "".join(
                    self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6)
                ),
                "language": "it",
                "payment_days": 60,
            },
        )
        services.add_subsidy(
            coop,
            name="Posti convenzionati",
            payer=comune,
            kind=SubsidyKind.FIXED,
            amount=Decimal(150),
            up_to_band=3,
            valid_from=(this_month - timedelta(days=365)).replace(day=1),
            by=coordinator,
        )
        for child in children:
            declared = self.rng.random() < 0.85
            services.set_fee_terms(
                child,
                guardian=child.guardians.earliest("pk"),
                income=Decimal(self.rng.randrange(4000, 45000, 250)) if declared else None,
                declared_on=child.enrolled_on - timedelta(days=30) if declared else None,
                part_time=self.rng.random() < 0.25,
                valid_from=child.enrolled_on,
                by=coordinator,
            )
        charges = services.run_fees(coop, last_month, by=coordinator)
        drafts = Invoice.objects.filter(cooperative=coop, status=InvoiceStatus.DRAFT)
        # The Comune's invoice first, then the families' by name: the numbers follow.
        for invoice in sorted(
            drafts, key=lambda i: (i.payer.kind != PayerKind.PUBLIC_BODY, i.payer.name)
        ):
            issue(invoice, by=coordinator, today=this_month)
        return {"fees_billed": len(charges)}

    def children(self, coop, rooms: list[Room], coordinator, parents_class) -> list[Child]:
        found: list[Child] = []
        guardian_login = self.seeder.user("guardian", "Sara Mancini", self.email("Sara Mancini"))
        for plan, room in zip(ROOMS, rooms, strict=True):
            for _ in range(plan.children):
                months = self.rng.randint(plan.from_months + 1, min(plan.to_months, 70) - 1)
                born = self.today - timedelta(days=int(months * 30.4) + self.rng.randint(0, 25))
                first, _, family = self.name().partition(" ")
                allergies = self.rng.choice(["", "", "", "", "Cow's milk protein", "Egg"])
                child = services.enrol(
                    coop,
                    full_name=f"{first} {family}",
                    born_on=born,
                    enrolled_on=max(born + timedelta(days=90), self.today - timedelta(days=300)),
                    room=room,
                    allergies=allergies,
                    health_notes=self.rng.choice(
                        ["", "", "", "Asthma: inhaler in the office", "Eczema: cream after lunch"]
                    ),
                )
                found.append(child)
        # The guardian login: a mother of a child in Piccoli and one in Grandi.
        piccolo = next(c for c in found if c.room_id == rooms[1].pk)
        grande = next(c for c in found if c.room_id == rooms[3].pk)
        for child in (piccolo, grande):
            child.full_name = f"{child.full_name.split()[0]} Mancini"
            child.save(update_fields=["full_name"])
        sara = services.add_guardian(
            piccolo,
            full_name="Sara Mancini",
            phone="+39 051 555 0199",
            user=guardian_login,
            relation="mother",
            by=coordinator,
        )
        services.add_guardian(grande, guardian=sara, relation="mother", by=coordinator)
        self.seeder.join(
            coop,
            parents_class,
            "Sara Mancini",
            user=guardian_login,
            applied_on=self.today - timedelta(days=200),
        )
        for index, child in enumerate(found):
            family = child.full_name.split()[-1]
            if child in (piccolo, grande):
                services.add_guardian(
                    child, full_name=f"Marco {family}", relation="father", by=coordinator
                )
            else:
                mother = services.add_guardian(
                    child,
                    full_name=f"{self.rng.choice(names.FIRST_NAMES)} {family}",
                    phone=f"+39 333 555 {1000 + index:04d}",
                    relation="parent",
                    by=coordinator,
                )
                if self.rng.random() < 0.6:
                    services.add_guardian(
                        child,
                        full_name=f"{self.rng.choice(names.FIRST_NAMES)} {family}",
                        relation="parent",
                        by=coordinator,
                    )
                if index % 5 == 0:
                    self.seeder.join(
                        coop,
                        parents_class,
                        mother.full_name,
                        applied_on=self.today - timedelta(days=150),
                    )
            if self.rng.random() < 0.5:
                services.authorise_adult(
                    child,
                    full_name=f"{self.rng.choice(names.FIRST_NAMES)} {family}",
                    relation=self.rng.choice(GRANDPARENTS),
                    identity_note="Known to the staff; ID seen at enrolment",
                    by=coordinator,
                )
            parent = child.guardians.earliest("pk")
            for kind, share in (("photos", 0.85), ("outings", 0.95), ("observations", 0.9)):
                # The guardian login's children have their observations shared: she consented.
                mancini = kind == "observations" and child in (piccolo, grande)
                if self.rng.random() < share or mancini:
                    services.give_consent(
                        child,
                        kind=kind,
                        guardian=parent,
                        given_on=child.enrolled_on,
                        by=coordinator,
                    )
        return found

    def weekdays(self, first: date, last: date):
        day = first
        while day <= last:
            if day.weekday() < 5:
                yield day
            day += timedelta(days=1)

    def shifts(self, rooms: list[Room], workers) -> int:
        """Two workers a room each weekday, one early and one late, from a month ago to the
        end of next week."""
        count = 0
        pairs = [(workers[2 * i], workers[2 * i + 1]) for i in range(len(rooms))]
        for day in self.weekdays(
            self.today - timedelta(days=HISTORY_DAYS), self.today + timedelta(days=9)
        ):
            for room, (early, late) in zip(rooms, pairs, strict=True):
                if day.day % 2:  # they swap early and late every other day
                    early, late = late, early
                for worker, start, end in ((early, (7, 30), (15, 30)), (late, (9, 0), (17, 30))):
                    services.roster(
                        room,
                        worker=worker,
                        starts_at=timezone.make_aware(datetime.combine(day, time(*start))),
                        ends_at=timezone.make_aware(datetime.combine(day, time(*end))),
                    )
                    count += 1
        return count

    def attendance(self, children: list[Child], workers) -> int:
        """Each weekday of the last month: most children come, a few are away (a cold going
        round in the second week, a family's week off); today's are signed in, not out yet."""
        # A demo built around another day stops at its noon, so the same seed gives the same days.
        now = (
            timezone.now()
            if self.today == timezone.localdate()
            else timezone.make_aware(datetime.combine(self.today, time(12)))
        )
        away_week = {c.pk for c in self.rng.sample(children, 3)}
        for day in self.weekdays(self.today - timedelta(days=HISTORY_DAYS), self.today):
            days_ago = (self.today - day).days
            cold = 14 <= days_ago <= 20
            for child in children:
                if child.pk in away_week and 7 <= days_ago <= 11:
                    continue
                if self.rng.random() < (0.22 if cold else 0.08):
                    continue
                adults = list(child.adults.all())
                arrives = self.moment(day, 7 * 60 + 30, 9 * 60 + 30)
                if arrives > now:
                    continue
                staff = self.rng.choice(workers)
                services.sign_in(child, adult=self.rng.choice(adults), by=staff, at=arrives)
                leaves = self.moment(day, 15 * 60 + 30, 17 * 60 + 30)
                if leaves < now:
                    services.sign_out(child, adult=self.rng.choice(adults), by=staff, at=leaves)
        return Attendance.objects.filter(child__in=children).count()

    def refusal(self, children: list[Child], worker) -> None:
        """Last week an uncle not on the list came for a child: refused, and kept."""
        child = children[5]
        day = self.today - timedelta(days=6)
        at = timezone.make_aware(datetime.combine(day, time(16, 10)))
        # The refusal is the point: it is kept, and the child stayed.
        with contextlib.suppress(ValidationError):
            services.sign_out(child, adult=None, person_name="Luca (uncle)", by=worker, at=at)

    def observations(self, children: list[Child], workers) -> int:
        """Two observations of each child this month, three of the guardian login's, each in
        an area of development, shared with the parents where they consented."""
        count = 0
        real_today = timezone.localdate()
        for child in children:
            consented = child.consents.filter(
                kind=ConsentKind.OBSERVATIONS, withdrawn_on__isnull=True
            ).exists()
            mancini = child.full_name.endswith(" Mancini")
            for _ in range(3 if mancini else 2):
                area = self.rng.choice(list(SEEN))
                day = self.today - timedelta(days=self.rng.randint(1, 27))
                if day > real_today:
                    continue
                services.observe(
                    child,
                    observed_on=day,
                    area=area,
                    text=self.rng.choice(SEEN[area]),
                    by=self.rng.choice(workers),
                    share=consented and (mancini or self.rng.random() < 0.7),
                )
                count += 1
        return count
