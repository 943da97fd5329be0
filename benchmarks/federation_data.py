"""The federation of ``benchmarks.federation``: N home care cooperatives of the demo's sizes
(60 carers and 150 people, 14 and 35, 10 and 24, in turn), each with what the federation's
indicators read, written in bulk from a seeded generator.

Each cooperative has its coordinators, board and carers (contracts, profiles, training, monthly
payslips), people cared for (assessments, a care plan with one or two visits a day), visits from
the first day of the last quarter that has ended to today with their carers and records (done,
a few missed, today's planned), members in the demo's six stakeholder classes with their shares,
a closed assembly with its attendance, and billing: a payer per kind of funding, a tariff per
service, an agreement per person (with a budget of hours a week or a month when a public body
pays), a monthly invoice per person with a line per visit done, most of them paid.
The same seed and the same today always give the same data."""

import itertools
import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from coopcare.accounts.models import Gender, Profile
from coopcare.billing.models import (
    Agreement,
    HoursBudget,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Payer,
    PayerKind,
    Payment,
    PaymentMethod,
    Period,
    Tariff,
    TariffVersion,
)
from coopcare.care.models import (
    Assessment,
    CarePlan,
    CareStatus,
    CareTask,
    Domain,
    Funding,
    PersonCaredFor,
    ServiceType,
)
from coopcare.cooperatives.models import (
    Cooperative,
    CooperativeRole,
    Federation,
    FederationAnalyst,
    Role,
)
from coopcare.governance.models import (
    Assembly,
    AssemblyKind,
    AssemblyStatus,
    Attendance,
    AttendanceMode,
)
from coopcare.members.models import (
    Member,
    MemberStatus,
    ShareEntry,
    ShareEntryKind,
    StakeholderClass,
    StakeholderKind,
)
from coopcare.shared.days import month_end
from coopcare.visits.models import Visit, VisitCarer, VisitRecord, VisitStatus, reckon_known_of
from coopcare.work.models import Contract, ContractKind, PayRun, Payslip, Training

SLUG = "benchmark-federation"
ANALYST = f"{SLUG}-analyst"
# The demo's three home care cooperatives (``demo.seed.MAIN`` and ``SMALLER``): carers, people.
SIZES = [(60, 150), (14, 35), (10, 24)]
STAFF = [Role.COORDINATOR] * 3 + [Role.BOARD] * 3
# The demo's stakeholder classes: name, kind, share value.
CLASSES = [
    ("Worker members", StakeholderKind.WORKER, Decimal(500)),
    ("People cared for", StakeholderKind.PERSON_CARED_FOR, Decimal(25)),
    ("Families and advocates", StakeholderKind.FAMILY, Decimal(25)),
    ("Community supporters", StakeholderKind.SUPPORTER, Decimal(50)),
    ("Public bodies", StakeholderKind.PUBLIC_BODY, Decimal(500)),
    ("Investor members", StakeholderKind.INVESTOR, Decimal(1000)),
]
# Who pays for a person's care, by their funding (as the demo's billing does).
PAYERS = {
    Funding.PUBLIC_BODY: PayerKind.PUBLIC_BODY,
    Funding.PRIVATE: PayerKind.FAMILY,
    Funding.VOUCHER: PayerKind.VOUCHER,
    Funding.MIXED: PayerKind.HEALTH_AUTHORITY,
}
TASKS = [
    ("Morning care", time(8), 60, ServiceType.PERSONAL_CARE),
    ("Afternoon help at home", time(15), 90, ServiceType.DOMESTIC_HELP),
]
BATCH = 2000


def load(count: int, seed: int, today: date) -> tuple[Federation, dict[str, int]]:
    """The federation of ``count`` cooperatives, each in its own transaction."""
    remove()
    rng = random.Random(seed)  # noqa: S311 - repeatable data, not a secret
    since = _quarter_start(today)
    with transaction.atomic():
        federation = Federation.objects.create(name="Benchmark Federation", slug=SLUG)
        analyst = get_user_model().objects.create(
            username=ANALYST, password=make_password("benchmark")
        )
        FederationAnalyst.objects.create(user=analyst, federation=federation)
    password = make_password("benchmark")
    for n in range(count):
        carers, people = SIZES[n % len(SIZES)]
        with transaction.atomic():
            _Cooperative(rng, federation, n, today, since, password).load(carers, people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return federation, counts(federation)


def kept() -> tuple[Federation, dict[str, int]]:
    """The federation an earlier ``load`` left in the database."""
    federation = Federation.objects.get(slug=SLUG)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return federation, counts(federation)


def counts(federation: Federation) -> dict[str, int]:
    """How much the federation holds, for the benchmark's first line."""
    coops = Cooperative.objects.filter(federation=federation)
    return {
        "cooperatives": coops.count(),
        "carers": CooperativeRole.objects.filter(cooperative__in=coops, role=Role.CARER).count(),
        "people cared for": PersonCaredFor.objects.filter(cooperative__in=coops).count(),
        "members": Member.objects.filter(cooperative__in=coops).count(),
        "visits": Visit.objects.filter(cooperative__in=coops).count(),
        "visit records": VisitRecord.objects.filter(visit__cooperative__in=coops).count(),
        "invoice lines": InvoiceLine.objects.filter(invoice__cooperative__in=coops).count(),
    }


def _quarter_start(today: date) -> date:
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    month = this_quarter.month - 3
    return date(this_quarter.year, month, 1) if month > 0 else date(this_quarter.year - 1, 10, 1)


def _months(first: date, last: date) -> Iterator[tuple[date, date]]:
    """Each calendar month from ``first``'s to ``last``'s: its first and last days."""
    month = first.replace(day=1)
    while month <= last:
        last = month_end(month)
        yield month, last
        month = last + timedelta(days=1)


class _Cooperative:
    """One cooperative of the federation, loaded by ``load``."""

    def __init__(self, rng, federation, n: int, today: date, since: date, password: str):
        self.rng, self.federation, self.n = rng, federation, n
        self.today, self.since, self.password = today, since, password
        self.tz = timezone.get_current_timezone()

    def load(self, carers: int, people: int) -> None:
        self.coop = Cooperative.objects.create(
            federation=self.federation,
            name=f"Cooperative {self.n + 1:02d}",
            slug=f"{SLUG}-{self.n + 1:02d}",
            city="Bologna",
            country="IT",
            currency="EUR",
        )
        staff = self._users("staff", len(STAFF))
        CooperativeRole.objects.bulk_create(
            CooperativeRole(user=u, cooperative=self.coop, role=role)
            for u, role in zip(staff, STAFF, strict=True)
        )
        self.coordinator = staff[0]
        self.carers = self._users("carer", carers)
        CooperativeRole.objects.bulk_create(
            CooperativeRole(user=u, cooperative=self.coop, role=Role.CARER) for u in self.carers
        )
        self._work(staff)
        self.people = self._people(people)
        self._members(staff)
        self._visits()
        self._billing()

    def _users(self, what: str, count: int) -> list:
        User = get_user_model()
        return User.objects.bulk_create(
            User(username=f"{self.coop.slug}-{what}{i}", password=self.password,
                 first_name=what.title(), last_name=str(i))
            for i in range(count)
        )  # fmt: skip

    def _day(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def _work(self, staff: list) -> None:
        """Contracts (a few ended in the period), profiles, training and monthly payslips."""
        rng = self.rng
        contracts = []
        for i, user in enumerate(staff + self.carers):
            kind = rng.choices(list(ContractKind), [70, 15, 10, 5])[0]
            ends_on = self._day(1, 120) if i % 12 == 11 else None
            contracts.append(
                Contract(cooperative=self.coop, carer=user, kind=kind,
                         weekly_hours=Decimal(rng.choice([18, 24, 30, 36, 38])),
                         hourly_rate=Decimal(rng.choice(["10.50", "11.00", "11.75", "13.20"])),
                         starts_on=self._day(200, 2200), ends_on=ends_on)
            )  # fmt: skip
        Contract.objects.bulk_create(contracts)
        Profile.objects.bulk_create(
            Profile(user=u, gender=rng.choice([Gender.WOMAN] * 3 + [Gender.MAN, Gender.UNSAID]),
                    desired_weekly_hours=rng.choice([None, None, 30, 36, 38]))
            for u in staff + self.carers
        )  # fmt: skip
        Training.objects.bulk_create(
            Training(cooperative=self.coop, carer=u, course=course, hours=Decimal(hours),
                     on=self.since + timedelta(days=rng.randrange((self.today - self.since).days)))
            for u in self.carers
            for course, hours in (("Moving and handling", 6), ("Dementia care", 12))
            if rng.random() < 0.7
        )  # fmt: skip
        for first, last in _months(self.since, self.today):
            if last >= self.today:
                break
            run = PayRun.objects.create(
                cooperative=self.coop, starts_on=first, ends_on=last, made_by=self.coordinator
            )
            Payslip.objects.bulk_create(self._payslip(run, u) for u in self.carers)

    def _payslip(self, run: PayRun, carer) -> Payslip:
        visits, travel = self.rng.randint(4000, 8000), self.rng.randint(600, 1500)
        rate = Decimal(self.rng.choice(["10.50", "11.00", "11.75"]))
        gross = (rate * (visits + travel) / 60).quantize(Decimal("0.01"))
        return Payslip(
            pay_run=run, carer=carer, days=21, visit_minutes=visits, travel_minutes=travel,
            waiting_minutes=120, break_minutes=600, span_minutes=9000, premium_minutes=0,
            km=Decimal(400), contracted_hours=Decimal(130), basic_pay=gross,
            premium_pay=Decimal(0), gross_pay=gross, mileage=Decimal(120),
            true_hourly_pay=(gross / Decimal(visits + travel + 120) * 60).quantize(
                Decimal("0.01")),
            minimum_wage=Decimal("9.00"),
        )  # fmt: skip

    def _people(self, count: int) -> list[PersonCaredFor]:
        rng = self.rng
        people = PersonCaredFor.objects.bulk_create(
            PersonCaredFor(
                cooperative=self.coop, full_name=f"Person {i}", address=f"Via {i}",
                date_of_birth=self.today - timedelta(
                    days=rng.choice([rng.randint(68, 99)] * 8 + [rng.randint(3, 60)] * 2) * 365
                    + rng.randint(0, 364)),
                status=CareStatus.ACTIVE, since=self._day(60, 1800),
                funding=rng.choices(list(Funding), [55, 15, 10, 20])[0],
            )
            for i in range(count)
        )  # fmt: skip
        domains = list(Domain)
        Assessment.objects.bulk_create(
            Assessment(person=p, on=self._day(1, 400), assessor=self.coordinator, domain=d,
                       scale="Barthel", score=rng.randint(0, 20))
            for p in people
            for d in rng.sample(domains, rng.randint(1, 3))
        )  # fmt: skip
        plans = CarePlan.objects.bulk_create(
            CarePlan(person=p, version=1, valid_from=p.since, goals="Stay at home") for p in people
        )
        tasks = CareTask.objects.bulk_create(
            CareTask(plan=plan, title=title, rrule="FREQ=DAILY", start_time=at,
                     duration_minutes=minutes, service_type=service)
            for plan in plans
            for title, at, minutes, service in TASKS[: rng.choice([1, 1, 2])]
        )  # fmt: skip
        self.tasks = [(task, task.plan.person_id) for task in tasks]
        return people

    def _members(self, staff: list) -> None:
        """The demo's classes: most carers, one person in five, a family in six, supporters,
        the municipality and a fund; each with its shares subscribed and paid."""
        rng = self.rng
        classes = {
            kind: StakeholderClass.objects.create(
                cooperative=self.coop, name=name, kind=kind, share_value=value
            )
            for name, kind, value in CLASSES
        }
        joining = [(StakeholderKind.WORKER, u, None) for u in staff]
        joining += [
            (StakeholderKind.WORKER, u, None) for i, u in enumerate(self.carers) if i % 10 != 9
        ]
        joining += [
            (StakeholderKind.PERSON_CARED_FOR, None, p.full_name)
            for i, p in enumerate(self.people)
            if i % 5 == 0
        ]
        joining += [
            (StakeholderKind.FAMILY, None, f"Family of {p.full_name}")
            for i, p in enumerate(self.people)
            if i % 6 == 1
        ]
        joining += [
            (StakeholderKind.SUPPORTER, None, f"Supporter {i}")
            for i in range(max(4, len(self.people) // 10))
        ]
        joining += [(StakeholderKind.PUBLIC_BODY, None, "Comune"), (StakeholderKind.INVESTOR,
                    None, "Fondo Sviluppo Cooperativo")]  # fmt: skip
        members = []
        for number, (kind, user, name) in enumerate(joining, start=1):
            admitted = self._day(30, 2000)
            # One worker member in seventeen has left.
            left = self._day(1, 29) if kind == StakeholderKind.WORKER and number % 17 == 5 else None
            members.append(
                Member(cooperative=self.coop, user=user,
                       full_name=name or f"{user.first_name} {user.last_name}", number=number,
                       stakeholder_class=classes[kind],
                       status=MemberStatus.RESIGNED if left else MemberStatus.ADMITTED,
                       applied_on=admitted - timedelta(days=20), admitted_on=admitted,
                       left_on=left)
            )  # fmt: skip
        members = Member.objects.bulk_create(members)
        ShareEntry.objects.bulk_create(
            ShareEntry(cooperative=self.coop, member=m, kind=ShareEntryKind.SUBSCRIPTION,
                       on=m.admitted_on, shares=1,
                       capital=m.stakeholder_class.share_value,
                       paid=m.stakeholder_class.share_value)
            for m in members
        )  # fmt: skip
        held = timezone.make_aware(datetime.combine(self.since + timedelta(days=50), time(18)))
        assembly = Assembly.objects.create(
            cooperative=self.coop, kind=AssemblyKind.ORDINARY, title="General assembly",
            starts_at=held, called_on=self.since + timedelta(days=20),
            status=AssemblyStatus.CLOSED, opened_at=held, closed_at=held + timedelta(hours=2),
        )  # fmt: skip
        Attendance.objects.bulk_create(
            Attendance(assembly=assembly, member=m, arrived_at=held,
                       mode=rng.choice([AttendanceMode.IN_PERSON, AttendanceMode.ONLINE]))
            for m in members
            if m.left_on is None and rng.random() < 0.4
        )  # fmt: skip

    def _visits(self) -> None:
        """A visit of each task every day from ``since`` to today, by one of the person's two
        or three regular carers (another now and then); done with a record, 1 in 40 missed,
        today's planned. Written by ``_insert``, a week at a time."""
        rng = self.rng
        teams = {
            person: rng.sample(self.carers, rng.choice([2, 3, 3])) for _t, person in self.tasks
        }
        days = (self.today - self.since).days + 1
        # (visit id, person, task, local day, carer) of each visit done, for the invoices.
        self.done: list[tuple[int, int, CareTask, date, int]] = []
        ids = _next_ids("visits_visit")
        for first in range(0, days, 7):
            visits, carers, records = [], [], []
            for d in range(first, min(first + 7, days)):
                day = self.since + timedelta(days=d)
                for task, person in self.tasks:
                    pk = next(ids)
                    starts = timezone.make_aware(datetime.combine(day, task.start_time), self.tz)
                    starts += timedelta(minutes=rng.choice([-15, 0, 0, 15, 30]))
                    ends = starts + timedelta(minutes=task.duration_minutes)
                    status = (
                        VisitStatus.PLANNED
                        if day == self.today
                        else VisitStatus.MISSED
                        if rng.random() < 0.025
                        else VisitStatus.DONE
                    )
                    team = teams[person]
                    carer = rng.choice(self.carers) if rng.random() < 0.1 else rng.choice(team)
                    visits.append((pk, self.coop.pk, person, task.plan_id, task.pk, _at(starts),
                                   _at(ends), False, status, "", False))  # fmt: skip
                    carers.append((pk, carer.pk, _at(starts), person, False))
                    if status != VisitStatus.DONE:
                        continue
                    self.done.append((pk, person, task, day, carer.pk))
                    checked_in = starts + timedelta(minutes=rng.randint(-5, 25))
                    checked_out = ends + timedelta(minutes=rng.randint(-10, 10))
                    records.append(
                        (pk, carer.pk, person, "Home care", "Home", _at(checked_in),
                         _at(checked_out), _uuid(rng), _uuid(rng), _at(checked_in),
                         _at(checked_out), False, "confirmation", "tap", _at(checked_out), "",
                         "", "", _duration(checked_out - checked_in))
                    )  # fmt: skip
            _insert("visits_visit", "id, cooperative_id, person_id, plan_id, task_id, starts_at,"
                    " ends_at, double_handed, status, status_reason, extra", visits)  # fmt: skip
            _insert("visits_visit_carers", "visit_id, user_id, starts_at, person_id, known",
                    carers)  # fmt: skip
            _insert("visits_visitrecord", "visit_id, carer_id, person_id, service, place,"
                    " checked_in_at, checked_out_at, check_in_id, check_out_id,"
                    " check_in_received_at, check_out_received_at, uploaded_late, verification,"
                    " verified_how, verified_at, notes, implausible, carer_reason, duration",
                    records)  # fmt: skip
        # Whether each person knew each carer, as the services work it out once rows are in.
        reckon_known_of(VisitCarer.objects.filter(visit__cooperative=self.coop))

    def _billing(self) -> None:
        """A payer per funding, one tariff, an agreement per person; each month that has
        ended invoiced per person on the 5th of the next, a line per visit done; invoices
        paid within their 30 days but those of the last two months, partly unpaid."""
        rng = self.rng
        payers = {
            funding: Payer.objects.create(cooperative=self.coop, kind=kind, name=f"{kind.label}")
            for funding, kind in PAYERS.items()
        }
        tariffs = {}
        for *_task, service in TASKS:
            tariff = Tariff.objects.create(
                cooperative=self.coop, name=str(service.label), service_type=service
            )
            tariffs[service] = TariffVersion.objects.create(
                tariff=tariff, valid_from=self.since - timedelta(days=365),
                weekday_rate=Decimal("24.00"), sunday_rate=Decimal("30.00"),
            )  # fmt: skip
        agreements = {
            a.person_id: a
            for a in Agreement.objects.bulk_create(
                Agreement(cooperative=self.coop, person=p, payer=payers[Funding(p.funding)],
                          version=1, valid_from=self.since - timedelta(days=365),
                          recorded_by=self.coordinator)
                for p in self.people
            )
        }  # fmt: skip
        Agreement.tariffs.through.objects.bulk_create(
            Agreement.tariffs.through(agreement_id=a.pk, tariff_id=v.tariff_id)
            for a in agreements.values()
            for v in tariffs.values()
        )
        # A public body pays for a number of hours of personal care a week (or a month).
        HoursBudget.objects.bulk_create(
            HoursBudget(agreement=a, service_type=ServiceType.PERSONAL_CARE,
                        period=period, hours=Decimal(hours))
            for a in agreements.values()
            if a.payer.kind == PayerKind.PUBLIC_BODY
            for period, hours in [rng.choice([(Period.WEEK, 6), (Period.WEEK, 7),
                                              (Period.MONTH, 28), (Period.MONTH, 31)])]
        )  # fmt: skip
        by_month: dict[tuple[date, int], list[tuple[int, CareTask, date]]] = {}
        for visit, person, task, day, _carer in self.done:
            by_month.setdefault((day.replace(day=1), person), []).append((visit, task, day))
        invoices, lines = [], []
        number = 0
        for (month, person), done in sorted(by_month.items(), key=lambda i: i[0]):
            last = month_end(month)
            issued_on = last + timedelta(days=5)
            if issued_on > self.today:
                continue
            number += 1
            agreement = agreements[person]
            invoice = Invoice(
                cooperative=self.coop, payer=agreement.payer, first_day=month, last_day=last,
                status=InvoiceStatus.ISSUED, year=issued_on.year, number=number,
                issued_on=issued_on, due_on=issued_on + timedelta(days=30),
                issued_by=self.coordinator, payer_name=agreement.payer.name,
                person_id=person if agreement.payer.kind == PayerKind.FAMILY else None,
            )  # fmt: skip
            invoices.append(invoice)
            for visit, task, day in done:
                version = tariffs[task.service_type]
                amount = (version.weekday_rate * task.duration_minutes / 60).quantize(
                    Decimal("0.01")
                )
                lines.append((invoice, visit, person, day, task, version, amount))
        # What issuing keeps on each invoice: its net and the VAT at 5 %, rounded once.
        net: dict[int, Decimal] = {}
        for invoice, *_line, amount in lines:
            net[id(invoice)] = net.get(id(invoice), Decimal(0)) + amount
        for invoice in invoices:
            vat = (net[id(invoice)] * 5 / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            invoice.total = net[id(invoice)] + vat
        Invoice.objects.bulk_create(invoices, batch_size=BATCH)
        empty = connection.ops.adapt_json_value([], None)
        _insert(
            "billing_invoiceline",
            "invoice_id, visit_id, kind, person_id, day, service_type, agreement_id,"
            " tariff_version_id, minutes, carers, double_handed, stretches, price, share_percent,"
            " amount, vat_rate, vat_note, bill_again, description",
            [
                (invoice.pk, visit, LineKind.VISIT, person, _day(day), task.service_type,
                 agreements[person].pk, version.pk, task.duration_minutes, "", False, empty,
                 version.weekday_rate, Decimal(100), amount, Decimal(5), "", False, "")
                for invoice, visit, person, day, task, version, amount in lines
            ],
        )  # fmt: skip
        recent = self.today - timedelta(days=70)
        Payment.objects.bulk_create(
            Payment(cooperative=self.coop, invoice=invoice, received_on=min(
                        self.today, invoice.issued_on + timedelta(days=rng.randint(10, 45))),
                    amount=invoice.total,
                    method=PaymentMethod.BANK_TRANSFER, recorded_by=self.coordinator)
            for invoice in invoices
            if invoice.issued_on < recent or rng.random() < 0.5
        )  # fmt: skip


def _next_ids(table: str) -> Iterator[int]:
    """Ids after the table's highest, so that rows written by ``_insert`` can be referred to
    before they are (the sequence is moved past them in ``_insert``)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - our tables
        return itertools.count(cursor.fetchone()[0] + 1)


def _insert(table: str, columns: str, rows: list[tuple]) -> None:
    """``rows`` written with one statement run for all (the ORM's ``bulk_create`` spends most of
    its time turning each value into SQL), values already as the database stores them."""
    if not rows:
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        if connection.vendor == "postgresql" and columns.startswith("id,"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"  # noqa: S608
            )


def _at(moment: datetime):
    return connection.ops.adapt_datetimefield_value(moment)


def _day(day: date):
    return connection.ops.adapt_datefield_value(day)


def _uuid(rng: random.Random):
    made = uuid.UUID(int=rng.getrandbits(128), version=4)
    return made if connection.features.has_native_uuid_field else made.hex


def _duration(length: timedelta):
    if connection.features.has_native_duration_field:
        return length
    return length // timedelta(microseconds=1)


def remove() -> None:
    """Everything an earlier ``load`` left (users and the federation included)."""
    federation = Federation.objects.filter(slug=SLUG).first()
    if federation is None:
        return
    # Plain SQL, children first: the ORM's delete would fetch every visit into Python to
    # follow its relations. Each statement takes the federation's id, or the users' prefix.
    coops = "(SELECT id FROM cooperatives_cooperative WHERE federation_id = %s)"
    people = (
        "(SELECT id FROM care_personcaredfor WHERE cooperative_id IN"
        " (SELECT id FROM cooperatives_cooperative WHERE federation_id = %s))"
    )
    by_coop = [
        ("billing_payment", "cooperative_id", coops),
        ("billing_invoiceline", "invoice_id",
         ("billing_invoice", "cooperative_id", coops)),
        ("billing_invoice", "cooperative_id", coops),
        ("billing_hoursbudget", "agreement_id", ("billing_agreement", "cooperative_id", coops)),
        ("billing_agreement_tariffs", "agreement_id",
         ("billing_agreement", "cooperative_id", coops)),
        ("billing_agreement", "cooperative_id", coops),
        ("billing_tariffversion", "tariff_id",
         ("billing_tariff", "cooperative_id", coops)),
        ("billing_tariff", "cooperative_id", coops),
        ("billing_payer", "cooperative_id", coops),
        ("visits_visitrecord", "person_id", people),
        ("visits_visit_carers", "visit_id",
         ("visits_visit", "cooperative_id", coops)),
        ("visits_visit", "cooperative_id", coops),
        ("care_carerecordread", "cooperative_id", coops),
        ("care_assessment", "person_id", people),
        ("governance_attendance", "assembly_id",
         ("governance_assembly", "cooperative_id", coops)),
        ("governance_assembly", "cooperative_id", coops),
        # A cooperative is given its statutes when it is made.
        ("governance_statutes", "cooperative_id", coops),
        ("members_shareentry", "cooperative_id", coops),
        ("members_member", "cooperative_id", coops),
        ("members_stakeholderclass", "cooperative_id", coops),
        ("work_payslip", "pay_run_id",
         ("work_payrun", "cooperative_id", coops)),
        ("work_payrun", "cooperative_id", coops),
        ("work_training", "cooperative_id", coops),
        ("care_caretask", "plan_id", ("care_careplan", "person_id", people)),
        ("care_careplan", "person_id", people),
        ("care_personcaredfor", "cooperative_id", coops),
        ("work_contract", "cooperative_id", coops),
        ("cooperatives_cooperativerole", "cooperative_id", coops),
        ("cooperatives_federationanalyst", "federation_id", "(%s)"),
        ("cooperatives_cooperative", "federation_id", "(%s)"),
    ]  # fmt: skip
    users = "(SELECT id FROM auth_user WHERE username LIKE %s)"
    by_user = [("accounts_profile", "user_id", users), ("auth_user", "id", users)]

    def rows(among) -> str:
        """A subquery: as given, or that of the rows whose column is among another's."""
        if isinstance(among, str):
            return among
        table, column, parents = among
        return f"(SELECT id FROM {table} WHERE {column} IN {rows(parents)})"  # noqa: S608

    with transaction.atomic(), connection.cursor() as cursor:
        for table, column, among in by_coop:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN {rows(among)}", [federation.pk])  # noqa: S608 - our own tables
        for table, column, among in by_user:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN {among}", [f"{SLUG}-%"])  # noqa: S608 - our own tables
        cursor.execute("DELETE FROM cooperatives_federation WHERE id = %s", [federation.pk])
