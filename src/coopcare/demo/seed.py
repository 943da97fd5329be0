"""Seed a realistic demo federation: one full care cooperative in Bologna and two smaller ones,
of which Mani Amiche in Modena also supports family caregivers (``demo.respite``), a childcare
centre, and Madrid's intermediary for households that employ a carer.

Members, shares and care plans are written through the same services a coordinator or the board
would use, so the demo data obeys the rules (probation, instalments, redemption on exit); the
month of visit records is written in bulk (see ``demo.visits``). The same seed and the
same ``today`` always give the same data.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from coopcare.care import scales
from coopcare.care import services as care_services
from coopcare.care.models import (
    Capacity,
    CareStatus,
    ConsentKind,
    Domain,
    Funding,
    PersonCaredFor,
    Relationship,
    ServiceType,
    Verification,
)
from coopcare.cooperatives.models import (
    Cooperative,
    CooperativeRole,
    Federation,
    FederationAnalyst,
    Role,
)
from coopcare.demo import household as household_demo
from coopcare.demo import names
from coopcare.demo.billing import BillingSeeder
from coopcare.demo.bodymap import BodyMapSeeder
from coopcare.demo.childcare import ChildcareSeeder
from coopcare.demo.conversations import ConversationSeeder
from coopcare.demo.documents import DocumentSeeder
from coopcare.demo.door import DoorSeeder
from coopcare.demo.governance import GovernanceSeeder
from coopcare.demo.handover import HandoverSeeder
from coopcare.demo.invoices import InvoiceSeeder
from coopcare.demo.medication import MedicationSeeder
from coopcare.demo.privacy import PrivacySeeder
from coopcare.demo.requests import RequestSeeder
from coopcare.demo.respite import RespiteSeeder
from coopcare.demo.retention import RetentionSeeder
from coopcare.demo.risks import RiskSeeder
from coopcare.demo.roster import RosterSeeder
from coopcare.demo.shares import DirectDebitSeeder
from coopcare.demo.timecredits import TimeCreditSeeder
from coopcare.demo.visits import HISTORY_DAYS, VisitSeeder
from coopcare.demo.voice import VoiceSeeder
from coopcare.demo.work import WorkSeeder
from coopcare.members import services
from coopcare.members.models import StakeholderClass, StakeholderKind
from coopcare.push import services as push_services
from coopcare.push.models import Topic
from coopcare.visits.models import VisitRecord

DEMO_PASSWORD = "coopcare-demo"  # noqa: S105 - published demo logins, demo database only
FEDERATION_SLUG = "rete-cura-emilia"


# The weekly afternoon a family caregiver has off while a carer sits with the person.
RESPITE_TASK = {
    "title": "Sitting: the family caregiver's afternoon off",
    "rrule": "FREQ=WEEKLY;BYDAY=TH",
    "start_time": time(15),
    "duration_minutes": 180,
    "steps": "Company and a walk if the weather allows\nSnack and drink",
    "service_type": ServiceType.SITTING,
}


@dataclass
class Place:
    name: str
    slug: str
    city: str
    centre: tuple[float, float]
    streets: list[str]
    postcodes: list[str]
    carers: int
    people: int
    # Supports family caregivers too (respite, a support group, training).
    respite: bool = False


MAIN = Place(
    "Cura Insieme",
    "cura-insieme",
    "Bologna",
    names.BOLOGNA_CENTRE,
    names.BOLOGNA_STREETS,
    names.BOLOGNA_POSTCODES,
    carers=60,
    people=150,
)
SMALLER = [
    Place(
        "Mani Amiche",
        "mani-amiche",
        "Modena",
        names.MODENA_CENTRE,
        names.MODENA_STREETS,
        ["41121", "41122", "41123", "41124", "41125"],
        carers=14,
        people=35,
        respite=True,
    ),
    Place(
        "Casa Comune",
        "casa-comune",
        "Reggio Emilia",
        names.REGGIO_CENTRE,
        names.REGGIO_STREETS,
        ["42121", "42122", "42123", "42124"],
        carers=10,
        people=24,
    ),
]

# Stakeholder classes of a SCIC-style care cooperative: name, kind, share value, minimum
# shares, weight in votes (%), cap (%), probation days. Weights add up to 100, each 10-50 %.
CLASSES = [
    ("Worker members", StakeholderKind.WORKER, "500.00", 1, "35", None, 180),
    ("People cared for", StakeholderKind.PERSON_CARED_FOR, "25.00", 1, "15", None, 0),
    ("Families and advocates", StakeholderKind.FAMILY, "25.00", 1, "15", None, 0),
    ("Community supporters", StakeholderKind.SUPPORTER, "50.00", 1, "15", None, 0),
    ("Public bodies", StakeholderKind.PUBLIC_BODY, "500.00", 2, "10", None, 0),
    ("Investor members", StakeholderKind.INVESTOR, "1000.00", 5, "10", "10", 0),
]


OPEN_TO_APPLICATIONS = {StakeholderKind.FAMILY, StakeholderKind.SUPPORTER}


# The demo logins, all with DEMO_PASSWORD, and what each shows.
DEMO_LOGINS = {
    "coordinator": "runs Cura Insieme day to day (register, share capital)",
    "board": "board member: admits members, records transfers and redemptions",
    "carer": "a carer and worker member paying their share in instalments",
    "member": "a community supporter member",
    "family": "circle member of a person cared for, a member, and the payer of their invoices",
    "analyst": "federation analyst: aggregated figures of the cooperatives",
    "childcare": (
        "runs the Nido Girotondo childcare centre (rooms, children, the door, ratios, "
        "parents' fees)"
    ),
    "guardian": (
        "a mother of two children at Nido Girotondo, a member in its parents' class, "
        "who pays their fees"
    ),
    "madrid": "runs Senda de Cuidados in Madrid: households that employ a carer",
    "admin": "Django admin (back office) at /admin/",
}


@dataclass
class Summary:
    cooperatives: dict[str, dict[str, int]] = field(default_factory=dict)


class Seeder:
    def __init__(self, seed: int, today: date, roster: bool = True):
        self.rng = random.Random(seed)
        # Details added later (funding, assessments, workers' profiles) draw from their own
        # generator, so the visits and rosters seeded before them stay as they were.
        self.details = random.Random(seed + 1)
        self.medication = random.Random(seed + 2)
        self.today = today
        self.roster = roster
        self.used_names: set[str] = set()
        self.summary = Summary()
        self.User = get_user_model()
        # Every demo login shares one password: hash it once (Argon2 is slow on purpose).
        self.password_hash = make_password(DEMO_PASSWORD)

    # -- helpers -------------------------------------------------------------------------
    def person_name(self) -> str:
        while True:
            name = f"{self.rng.choice(names.FIRST_NAMES)} {self.rng.choice(names.LAST_NAMES)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def email_for(self, full_name: str, place: Place) -> str:
        local = full_name.lower().replace(" ", ".").replace("'", "")
        return f"{local}@{place.slug}.example.org"

    def user(self, username: str, full_name: str, email: str):
        first, _, last = full_name.partition(" ")
        user = self.User(username=username, first_name=first, last_name=last, email=email)
        user.password = self.password_hash
        user.save()
        return user

    def grant(self, user, cooperative, *roles):
        CooperativeRole.objects.bulk_create(
            CooperativeRole(user=user, cooperative=cooperative, role=role) for role in roles
        )

    def quarter_hour(self, first: int, last: int) -> time:
        """A time between ``first`` and ``last`` (minutes after midnight) on a quarter hour."""
        minutes = self.rng.randrange(first, last + 1, 15)
        return time(minutes // 60, minutes % 60)

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def address(self, place: Place) -> dict:
        # A point spread around the centre, denser in town, up to about 5 km out.
        distance_km = 5 * math.sqrt(self.rng.random())
        bearing = self.rng.uniform(0, 2 * math.pi)
        lat = place.centre[0] + distance_km / 111.0 * math.cos(bearing)
        lon = place.centre[1] + distance_km / (111.0 * math.cos(math.radians(place.centre[0]))) * (
            math.sin(bearing)
        )
        return {
            "address": f"{self.rng.choice(place.streets)} {self.rng.randint(1, 180)}",
            "postcode": self.rng.choice(place.postcodes),
            "city": place.city,
            "latitude": Decimal(f"{lat:.6f}"),
            "longitude": Decimal(f"{lon:.6f}"),
        }

    def pay_instalments(self, member, start: date, first: Decimal, step: Decimal, every: int):
        """A first payment, then regular instalments until paid up or until today."""
        balance = services.share_balance(member)
        on, amount = start, first
        while on <= self.today and balance.unpaid > 0:
            amount = min(amount, balance.unpaid)
            services.record_payment(member, amount, on, reference=f"instalment {on:%Y-%m}")
            balance = services.share_balance(member)
            on, amount = on + timedelta(days=every), step

    def join(
        self,
        cooperative,
        cls,
        full_name,
        *,
        user=None,
        applied_on,
        works_since=None,
        shares=None,
        admit_after=(10, 40),
    ):
        member = services.apply_for_membership(
            cooperative,
            full_name=full_name,
            email=user.email if user else "",
            user=user,
            stakeholder_class=cls,
            shares=shares or cls.min_shares,
            applied_on=applied_on,
            works_since=works_since,
        )
        admitted_on = applied_on + timedelta(days=self.rng.randint(*admit_after))
        if admitted_on <= self.today:
            member = services.admit(member, admitted_on, reason="Board meeting")
        return member

    def assessments(self, person, child: bool, since: date, by) -> None:
        """The needs assessments made when care began: every adult's physical needs, and
        for some their memory, mood or isolation; children's development."""
        needs = [(Domain.DEVELOPMENTAL, "Speech and motor skills followed by the school team.")]
        if not child:
            needs = [(Domain.PHYSICAL, "Needs help to wash, dress and move around the home.")]
            for domain, share, note in (
                (Domain.COGNITIVE, 0.35, "Memory loss; keeps the same routine every day."),
                (Domain.PSYCHOLOGICAL, 0.2, "Low mood since a bereavement."),
                (Domain.SOCIAL, 0.3, "Lives alone; few visitors."),
            ):
                if self.details.random() < share:
                    needs.append((domain, note))
        for domain, note in needs:
            scale, items = "", None
            if domain == Domain.PHYSICAL:
                # The Katz ADL answers that the note describes: help to wash, dress and move
                # (bathing, dressing, transferring); independent in the other three, 3 of 6.
                dependent = {"bathing", "dressing", "transferring"}
                scale = "katz_adl"
                items = {
                    item: "dependent" if item in dependent else "independent"
                    for item in scales.SCALES[scale].items
                }
            care_services.record_assessment(
                person, domain=domain, on=since, assessor=by, notes=note, scale=scale, items=items
            )

    def care_plan(self, person, child: bool, respite: bool = False) -> None:
        """A plausible care plan, from at least a month ago, and its coming four weeks; with
        ``respite``, a weekly afternoon's sitting that relieves the family caregiver."""
        if child:
            goals = "Support at home after school; play and homework with peers."
            tasks = [
                (
                    "After-school support",
                    "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                    time(16),
                    120,
                    "",
                    "Snack\nHomework\nPlay outside or a game",
                )
            ]
        else:
            goals = (
                "Stay safely at home; keep washing, dressing and meals as independent as can be."
            )
            # Mornings spread from 7:30 to 10:30 in quarter hours, as people's routines are.
            morning = self.quarter_hour(7 * 60 + 30, 10 * 60 + 30)
            minutes = self.rng.choice([30, 45, 60])
            tasks = [
                (
                    "Morning care: wash and dress",
                    "FREQ=DAILY",
                    morning,
                    minutes,
                    "personal",
                    "Wash\nDress\nBreakfast",
                )
            ]
            if self.rng.random() < 0.6:
                weekdays = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
                tasks.append(
                    (
                        "Lunch and medication prompt",
                        weekdays,
                        self.quarter_hour(11 * 60 + 45, 13 * 60 + 15),
                        30,
                        "meds",
                        "Prepare lunch\nMedication prompt",
                    )
                )
            if self.rng.random() < 0.25:
                bath_day = "FREQ=WEEKLY;BYDAY=" + self.rng.choice(["TU", "TH", "SA"])
                tasks.append(
                    (
                        "Bath with hoist",
                        bath_day,
                        time(10, 30),
                        60,
                        "hoist",
                        "Hoist transfer\nBath\nSkin check",
                    )
                )
        care_services.new_care_plan(
            person,
            # At least the month of visit history the demo records.
            valid_from=self.today
            - timedelta(
                days=self.rng.randint(HISTORY_DAYS, min(90, (self.today - person.since).days))
            ),
            goals=goals,
            tasks=[
                {
                    "title": title,
                    "rrule": rule,
                    "start_time": at,
                    "duration_minutes": length,
                    "skills": skills,
                    "steps": steps,
                    # Hoist transfers take two carers (manual handling guidance).
                    "double_handed": skills == "hoist",
                    "service_type": (ServiceType.CHILDCARE if child else ServiceType.PERSONAL_CARE),
                }
                for title, rule, at, length, skills, steps in tasks
            ]
            + ([RESPITE_TASK] if respite else []),
            today=self.today,
        )

    def signed_and_edited(self, person, index: int, by) -> None:
        """The person (or, for some, their legal representative) signed the care plan with a
        typed name and consented to care; later the office corrected their phone, so the
        record has a history."""
        plan = person.plans.get()
        signer, capacity = person.full_name, Capacity.SELF
        if index % 2:
            first = names.FIRST_NAMES[index % len(names.FIRST_NAMES)]
            signer = f"{first} {person.full_name.split(' ', 1)[-1]}"
            capacity = Capacity.LEGAL_REPRESENTATIVE
        typed = {"typed_name": signer, "confirmed": True, "by": by}
        care_services.sign_care_plan(plan, signer_name=signer, capacity=capacity, **typed)
        care_services.sign_consent(
            person,
            ConsentKind.CARE,
            signer_name=signer,
            capacity=capacity,
            on=plan.valid_from,
            **typed,
        )
        care_services.edit_person(person, by, phone=f"051 {640000 + index:06d}")

    # -- one cooperative -----------------------------------------------------------------
    def cooperative(self, place: Place, federation: Federation, logins: bool) -> Cooperative:
        coop = Cooperative.objects.create(
            federation=federation,
            name=place.name,
            slug=place.slug,
            city=place.city,
            country="IT",
            currency="EUR",
            runs_respite=place.respite,
        )
        classes = {
            kind: StakeholderClass.objects.create(
                cooperative=coop,
                name=name,
                kind=kind,
                share_value=Decimal(value),
                min_shares=min_shares,
                vote_weight=Decimal(weight),
                vote_weight_cap=Decimal(cap) if cap else None,
                probation_days=probation,
                # Families and supporters may apply on the cooperative's public page.
                open_to_applications=kind in OPEN_TO_APPLICATIONS,
            )
            for name, kind, value, min_shares, weight, cap, probation in CLASSES
        }
        counts = {"carers": 0, "members": 0, "people_cared_for": 0}

        # Coordinators and board: worker members of long standing.
        staff = [("coordinator", Role.COORDINATOR)] * 3 + [("board", Role.BOARD)] * 3
        coordinators, board = [], []
        for index, (username, role) in enumerate(staff):
            name = self.person_name()
            login = (
                f"{username}" if logins and index in (0, 3) else f"{place.slug}-{username}{index}"
            )
            user = self.user(login, name, self.email_for(name, place))
            self.grant(user, coop, role)
            if role == Role.COORDINATOR:
                coordinators.append(user)
            else:
                board.append(user)
            since = self.days_ago(900, 3000)
            member = self.join(
                coop,
                classes[StakeholderKind.WORKER],
                name,
                user=user,
                applied_on=since + timedelta(days=200),
                works_since=since,
            )
            self.pay_instalments(member, member.applied_on, Decimal(500), Decimal(0), 30)
            counts["members"] += 1

        carers = []
        # Carers: most are worker members paying their share in instalments (CHCA-style:
        # 50 up front, then regular amounts); recent hires are still in probation.
        for index in range(place.carers):
            name = self.person_name()
            login = "carer" if logins and index == 0 else f"{place.slug}-carer{index}"
            user = self.user(login, name, self.email_for(name, place))
            self.grant(user, coop, Role.CARER)
            carers.append(user)
            counts["carers"] += 1
            # The demo carer passed probation about seven months ago and is still paying in.
            works_since = (
                self.today - timedelta(days=400) if login == "carer" else self.days_ago(20, 2200)
            )
            probation_over = works_since + timedelta(days=180)
            if index % 10 == 9 or probation_over > self.today:
                continue  # not (yet) a member: recent hire, or chose not to join
            applied_on = min(self.today, probation_over + timedelta(days=self.rng.randint(0, 60)))
            member = self.join(
                coop,
                classes[StakeholderKind.WORKER],
                name,
                user=user,
                applied_on=applied_on,
                works_since=works_since,
                admit_after=(0, 30),
            )
            self.pay_instalments(member, applied_on, Decimal(50), Decimal(25), 14)
            counts["members"] += 1
            if index % 17 == 5 and member.admitted_on and member.admitted_on < self.today:
                left_on = min(
                    self.today, member.admitted_on + timedelta(days=self.rng.randint(60, 400))
                )
                services.resign(member, left_on, reason="Moved away")
                services.redeem(
                    member, min(self.today, left_on + timedelta(days=30)), reference="bank transfer"
                )
                counts["members"] -= 1

        # People cared for; about one in five is a member, and some families are too.
        active = []
        for index in range(place.people):
            name = self.person_name()
            age = self.rng.choice([self.rng.randint(68, 99)] * 8 + [self.rng.randint(3, 60)] * 2)
            since = self.days_ago(HISTORY_DAYS + 5, 1800)
            person = PersonCaredFor.objects.create(
                cooperative=coop,
                full_name=name,
                date_of_birth=self.today - timedelta(days=age * 365 + self.rng.randint(0, 364)),
                status=CareStatus.REFERRAL if index % 25 == 0 else CareStatus.ACTIVE,
                since=since,
                confirmation_code=f"{self.rng.randrange(10**6):06d}",
                # Most people confirm on the carer's phone; some prefer a call from the office.
                verification=Verification.PHONE if index % 7 == 3 else Verification.CONFIRMATION,
                # Mostly the municipality or health authority pays; some families, some
                # with a care voucher.
                funding=self.details.choices(list(Funding), [55, 15, 10, 20])[0],
                **self.address(place),
            )
            if index % 23 == 4:
                care_services.give_consent(person, ConsentKind.LOCATION, name, since)
                care_services.choose_verification(person, Verification.LOCATION)
            if person.status == CareStatus.ACTIVE:
                # About one adult in five has a family caregiver who gets an afternoon off.
                respite = place.respite and age >= 18 and index % 5 == 1
                self.care_plan(person, child=age < 18, respite=respite)
                self.assessments(person, child=age < 18, since=since, by=coordinators[0])
                active.append(person)
                if index % 3 == 0:
                    self.signed_and_edited(person, index, by=coordinators[0])
            counts["people_cared_for"] += 1
            if index % 5 == 0:
                member = self.join(
                    coop,
                    classes[StakeholderKind.PERSON_CARED_FOR],
                    name,
                    applied_on=since + timedelta(days=30),
                )
                self.pay_instalments(member, member.applied_on, Decimal(25), Decimal(0), 30)
                counts["members"] += 1
            if index % 6 == 1:
                relative = f"{self.rng.choice(names.FIRST_NAMES)} {name.split(' ', 1)[1]}"
                self.used_names.add(relative)
                user = None
                if logins and index == 1:
                    user = self.user("family", relative, self.email_for(relative, place))
                    self.grant(user, coop, Role.CIRCLE)
                # The person grants their relative their visits; the one with a login sees
                # the notes and the care plan too, and may choose the carers, so the demo's
                # family page has content.
                care_services.add_to_circle(
                    person,
                    user=user,
                    full_name=relative,
                    relationship=Relationship.FAMILY,
                    may_see_visits=True,
                    may_see_notes=user is not None,
                    may_see_care_plan=user is not None,
                    may_choose_carers=user is not None,
                    granted_by=name,
                    granted_on=since,
                )
                member = self.join(
                    coop,
                    classes[StakeholderKind.FAMILY],
                    relative,
                    user=user,
                    applied_on=since + timedelta(days=45),
                )
                self.pay_instalments(member, member.applied_on, Decimal(25), Decimal(0), 30)
                counts["members"] += 1

        # Community supporters, a municipality and a cooperative-development fund.
        for index in range(max(4, place.people // 10)):
            name = self.person_name()
            user = None
            if logins and index == 0:
                user = self.user("member", name, self.email_for(name, place))
                # A supporter follows the votes by push, not the carers' roster topics.
                push_services.choose_topics(user, [Topic.VOTE, Topic.MESSAGE])
            member = self.join(
                coop,
                classes[StakeholderKind.SUPPORTER],
                name,
                user=user,
                applied_on=self.days_ago(30, 1500),
                shares=self.rng.randint(1, 4),
            )
            self.pay_instalments(member, member.applied_on, Decimal(1000), Decimal(0), 30)
            counts["members"] += 1
        public = self.join(
            coop,
            classes[StakeholderKind.PUBLIC_BODY],
            f"Comune di {place.city}",
            applied_on=self.days_ago(1000, 2000),
        )
        self.pay_instalments(public, public.applied_on, Decimal(1000), Decimal(0), 30)
        fund = self.join(
            coop,
            classes[StakeholderKind.INVESTOR],
            "Fondo Sviluppo Cooperativo",
            applied_on=self.days_ago(1000, 2000),
            shares=10,
        )
        self.pay_instalments(fund, fund.applied_on, Decimal(10000), Decimal(0), 30)
        counts["members"] += 2

        # Applications waiting for the board.
        for _ in range(3):
            name = self.person_name()
            services.apply_for_membership(
                coop,
                full_name=name,
                email=self.email_for(name, place),
                stakeholder_class=classes[StakeholderKind.SUPPORTER],
                shares=1,
                applied_on=self.days_ago(1, 20),
                first_payment=Decimal(50),
            )
        # And one made on the public page (/c/<coop>/join/) by the applicant.
        name = self.person_name()
        services.apply_from_outside(
            coop,
            full_name=name,
            email=self.email_for(name, place),
            phone="+39 051 555 0101",
            address=f"Via dell'Indipendenza 12, {place.city}",
            stakeholder_class=classes[StakeholderKind.FAMILY],
            shares=2,
            consented=True,
            language="it",
            at=timezone.make_aware(datetime.combine(self.days_ago(1, 5), time(21, 30))),
        )
        # The main cooperative's visits from today on are given out by the planner.
        visits = VisitSeeder(self.rng, self.today, coop, carers, coordinators[0])
        main = logins
        visits.run(active, rostered_from=self.today if main else None)
        counts |= MedicationSeeder(self.medication, self.today, coop, coordinators[0]).run(active)
        # Handover notes draw from their own generator, so what is seeded after them stays.
        handover_rng = random.Random(f"handover {coop.slug}")
        counts |= HandoverSeeder(handover_rng, self.today, coop, coordinators[0]).run()
        analyze()
        # Risks draw from their own generator, so what is seeded after them stays as it was.
        risks_rng = random.Random(f"risks {coop.slug}")
        counts |= RiskSeeder(risks_rng, self.today, coordinators[0], carers).run(active)
        billing_rng = random.Random(f"billing {coop.slug}")
        counts |= BillingSeeder(billing_rng, self.today, coop, coordinators[0], place.city).run(
            active
        )
        counts |= BodyMapSeeder(self.today).run(active)
        login_ids = [u.pk for u in self.User.objects.filter(username__in=DEMO_LOGINS)]
        counts |= GovernanceSeeder(self.rng, self.today, coop, board[0], login_ids).run()
        counts |= WorkSeeder(
            self.rng, self.today, coop, carers, coordinators, coordinators[0], self.details
        ).run(HISTORY_DAYS)
        # After visits, work and billing: last month is billed from their records. Its own
        # generator leaves the rest of the demo as it was.
        invoices_rng = random.Random(f"invoices {coop.slug}")
        analyze()  # the timesheets just loaded, before the invoice run reads them
        counts |= InvoiceSeeder(invoices_rng, self.today, coop, coordinators[0]).run()
        # After work and governance: the certificates follow the qualifications, the minutes
        # are the assembly's. Their own generator leaves the rest of the demo as it was.
        documents_rng = random.Random(f"documents {coop.slug}")
        counts |= DocumentSeeder(documents_rng, self.today, coop, coordinators[0], board[0]).run(
            carers
        )
        counts |= DirectDebitSeeder(self.today, coop, board[0]).run()
        door_rng = random.Random(f"door {coop.slug}")
        counts |= DoorSeeder(door_rng, self.today, coordinators[0]).run(active)
        voice_rng = random.Random(f"voice {coop.slug}")
        counts |= VoiceSeeder(voice_rng, self.today, coop, coordinators[0], board[0]).run(active)
        counts |= RequestSeeder(self.today, coop, coordinators[0]).run()
        counts |= ConversationSeeder(self.today, coop, coordinators[0]).run()
        if main:
            # The main cooperative also exchanges time credits between its members.
            credits_rng = random.Random(f"timecredits {coop.slug}")
            counts |= TimeCreditSeeder(credits_rng, self.today, coop, coordinators[0]).run()
        counts |= PrivacySeeder(self.today, coop, coordinators[0], carers).run(active)
        if coop.runs_respite:
            respite_rng = random.Random(f"respite {coop.slug}")
            counts |= RespiteSeeder(respite_rng, self.today, coop, coordinators[0], carers).run()
        # Last: the run at seed time reads every app's records.
        counts |= RetentionSeeder(self.today, coop, coordinators[0], carers[0], place.city).run()
        if main and self.roster:
            counts |= RosterSeeder(self.today, coop, carers, coordinators[0], visits.day_off).run()
        counts["planned_visits"] = coop.visits.filter(starts_at__date__gte=self.today).count()
        counts["visit_records"] = VisitRecord.objects.filter(visit__cooperative=coop).count()
        self.summary.cooperatives[coop.name] = counts
        return coop


def analyze() -> None:
    """Refresh PostgreSQL's table statistics after bulk loading: without them (autovacuum has
    not run yet, or cannot see an open transaction's rows) it plans joins over the freshly
    loaded visits as if the tables were empty, and the rest of the seed takes minutes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@transaction.atomic
def seed(seed: int = 1, today: date | None = None, roster: bool = True) -> Summary:
    """Create the demo federation and its cooperatives; returns what was made. ``roster``:
    the planner makes and publishes this week's roster (the slowest part)."""
    seeder = Seeder(seed, today or date.today(), roster)
    federation = Federation.objects.create(name="Rete Cura Emilia", slug=FEDERATION_SLUG)
    seeder.cooperative(MAIN, federation, logins=True)
    for place in SMALLER:
        seeder.cooperative(place, federation, logins=False)
    centre, counts = ChildcareSeeder(random.Random(f"childcare {seed}"), seeder.today, seeder).run(
        federation
    )
    seeder.summary.cooperatives[centre.name] = counts
    # Madrid's cooperative, the intermediary for households that employ a carer; its own
    # generator leaves the rest of the demo as it was.
    madrid = household_demo.HouseholdSeeder(random.Random(f"household {seed}"), seeder, federation)
    seeder.summary.cooperatives[household_demo.NAME] = madrid.run()
    analyst = seeder.user("analyst", "Federation Analyst", "analyst@rete-cura-emilia.example.org")
    FederationAnalyst.objects.create(user=analyst, federation=federation)
    admin = seeder.user("admin", "Demo Admin", "admin@example.org")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return seeder.summary


def is_seeded() -> bool:
    return Federation.objects.filter(slug=FEDERATION_SLUG).exists()
