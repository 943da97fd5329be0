"""The large cooperative of ``benchmarks.impact``: people, plans, carers and the rest of the
cooperative's year (profiles, training, payslips, assessments, members, shares, an assembly)
through the ORM, then a year of visits, their carers and visit records generated inside
PostgreSQL."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from coopcare.accounts.models import ApiToken, Gender, Profile
from coopcare.care.models import (
    Assessment,
    CarePlan,
    CareStatus,
    CareTask,
    Domain,
    Funding,
    PersonCaredFor,
)
from coopcare.cooperatives.models import Cooperative, CooperativeRole, Role
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
from coopcare.visits.models import Visit
from coopcare.visits.services import add_carer
from coopcare.work.models import Contract, ContractKind, PayRun, Payslip, Training

SLUG = "benchmark-large"
FUNDING = [Funding.PUBLIC_BODY] * 6 + [
    Funding.PRIVATE,
    Funding.PRIVATE,
    Funding.VOUCHER,
    Funding.MIXED,
]
# Morning and evening visits in three waves, so that each carer's visits never overlap.
MORNING, EVENING, WAVE = time(7), time(16), 75  # minutes between waves


def load(carers: int, people: int) -> tuple[Cooperative, dict[str, int]]:
    """The cooperative, with visits from 1 January to today (today's still planned)."""
    remove(Cooperative.objects.filter(slug=SLUG).first())
    today = timezone.localdate()
    with transaction.atomic():
        coop = Cooperative.objects.create(name="Benchmark Large", slug=SLUG, country="IT")
        users = _carers(coop, carers, today)
        tasks = _people(coop, people, today)
        _the_year(coop, users, today)
    first = date(today.year, 1, 1)
    days = (today - first).days + 1
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_task (n int, task_id bigint, plan_id bigint, "
                       "person_id bigint, at_minutes int, minutes int, carer_id bigint, "
                       "other_id bigint)")  # fmt: skip
        rows = []
        for n, (task, minutes) in enumerate(tasks):
            wave, carer = divmod(task.plan.person_id_index, carers)
            rows.append(
                (n, task.pk, task.plan_id, task.plan.person_id, minutes + wave * WAVE,
                 task.duration_minutes, users[(carer + (n % 2) * carers // 2) % carers],
                 users[(carer + 1) % carers])
            )  # fmt: skip
        cursor.executemany("INSERT INTO bench_task VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM visits_visit")
        base = cursor.fetchone()[0]
        params = {"coop": coop.pk, "first": first, "days": days, "base": base,
                  "tasks": len(tasks), "today": days - 1,
                  "tz": timezone.get_current_timezone_name()}  # fmt: skip
        # Visits: one per task per day, starting in the cooperative's local time.
        cursor.execute(
            """
            INSERT INTO visits_visit (id, cooperative_id, person_id, plan_id, task_id, starts_at,
                                      ends_at, double_handed, status, status_reason, extra)
            SELECT %(base)s + d * %(tasks)s + t.n, %(coop)s, t.person_id, t.plan_id, t.task_id,
                   ((%(first)s::date + d) + make_interval(mins => t.at_minutes))
                       AT TIME ZONE %(tz)s,
                   ((%(first)s::date + d) + make_interval(mins => t.at_minutes + t.minutes))
                       AT TIME ZONE %(tz)s,
                   false,
                   CASE WHEN d = %(today)s THEN 'planned'
                        WHEN (d * 7 + t.n) %% 97 = 0 THEN 'missed' ELSE 'done' END,
                   '', false
            FROM generate_series(0, %(days)s - 1) AS d CROSS JOIN bench_task AS t
            """,
            params,
        )
        # Their carers: the usual one, and on one day in seven a colleague; each row with its
        # visit's start and person, as ``visits.services.carer_row`` writes it, and whether
        # the person knew the carer, as ``visits.models.reckon_known_of`` works it out (the
        # same definition, over every row at once).
        cursor.execute(
            """
            INSERT INTO visits_visit_carers (visit_id, user_id, starts_at, person_id, known)
            SELECT id, carer, starts_at, person_id, coalesce(lag(starts_at) OVER (
                       PARTITION BY person_id, carer ORDER BY starts_at, id
                   ) >= starts_at - interval '8 weeks', false)
            FROM (SELECT %(base)s + d * %(tasks)s + t.n AS id, t.person_id,
                         CASE WHEN (d + t.n) %% 7 = 0 THEN t.other_id ELSE t.carer_id END AS carer,
                         ((%(first)s::date + d) + make_interval(mins => t.at_minutes))
                             AT TIME ZONE %(tz)s AS starts_at
                  FROM generate_series(0, %(days)s - 1) AS d CROSS JOIN bench_task AS t) AS r
            """,
            params,
        )
        # Statistics first: planned with the last ones (no visits of this cooperative), the join
        # below scans the carers table once per visit and takes tens of minutes.
        cursor.execute("ANALYZE visits_visit, visits_visit_carers")
        # Records of the visits done: check-in a few minutes either side of the plan.
        cursor.execute(
            """
            INSERT INTO visits_visitrecord (visit_id, carer_id, person_id, service, place,
                checked_in_at, checked_out_at, duration, check_in_id, check_out_id,
                check_in_received_at, check_out_received_at, uploaded_late, verification,
                verified_how, notes, implausible, carer_reason)
            SELECT v.id, vc.user_id, v.person_id, 'Home care', 'Home', a.checked_in_at,
                   a.checked_out_at, a.checked_out_at - a.checked_in_at,
                   md5('in' || v.id)::uuid, md5('out' || v.id)::uuid,
                   v.starts_at, v.ends_at, false, 'confirmation', 'tap', '', '', ''
            FROM visits_visit v
            CROSS JOIN LATERAL (SELECT
                v.starts_at + make_interval(mins => ((v.id %% 23) - 5)::int) AS checked_in_at,
                v.ends_at + make_interval(mins => ((v.id %% 11) - 3)::int) AS checked_out_at) a
            JOIN visits_visit_carers vc ON vc.visit_id = v.id
            WHERE v.cooperative_id = %(coop)s AND v.status = 'done'
            """,
            params,
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('visits_visit', 'id'), max(id)) FROM visits_visit"
        )
        # Every table, not only the large ones: the users, roles and people the pages join
        # were written in the same transaction, and without statistics their plans go wrong.
        cursor.execute("ANALYZE")
    return coop, _counts(coop)


def kept() -> tuple[Cooperative, dict[str, int]]:
    """The cooperative an earlier ``load`` left in the database, analysed again."""
    coop = Cooperative.objects.get(slug=SLUG)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return coop, _counts(coop)


def _counts(coop: Cooperative) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits_visitrecord WHERE person_id IN "
                       "(SELECT id FROM care_personcaredfor WHERE cooperative_id = %s)",
                       [coop.pk])  # fmt: skip
        records = cursor.fetchone()[0]
    return {
        "carers": CooperativeRole.objects.filter(cooperative=coop, role=Role.CARER).count(),
        "people cared for": PersonCaredFor.objects.filter(cooperative=coop).count(),
        "visits": Visit.objects.filter(cooperative=coop).count(),
        "visit records": records,
    }


def _carers(coop, count: int, today: date) -> list[int]:
    User = get_user_model()
    password = make_password("benchmark")
    users = User.objects.bulk_create(
        User(username=f"{SLUG}-carer{n}", password=password, first_name="Carer", last_name=str(n))
        for n in range(count)
    )
    CooperativeRole.objects.bulk_create(
        CooperativeRole(user=u, cooperative=coop, role=Role.CARER) for u in users
    )
    Contract.objects.bulk_create(
        Contract(cooperative=coop, carer=u, kind=ContractKind.PERMANENT,
                 weekly_hours=Decimal(30), starts_on=date(today.year - 2, 1, 1))
        for u in users
    )  # fmt: skip
    return [u.pk for u in users]


def _people(coop, count: int, today: date) -> list[tuple[CareTask, int]]:
    people = PersonCaredFor.objects.bulk_create(
        PersonCaredFor(cooperative=coop, full_name=f"Person {n}", address=f"Via {n}",
                       latitude=Decimal("44.49"), longitude=Decimal("11.34"),
                       date_of_birth=date(1930 + n % 60, 1 + n % 12, 1),
                       status=CareStatus.ACTIVE, since=date(today.year - 1, 1, 1),
                       funding=FUNDING[n % len(FUNDING)])
        for n in range(count)
    )  # fmt: skip
    plans = CarePlan.objects.bulk_create(
        CarePlan(person=p, version=1, valid_from=date(today.year - 1, 1, 1), goals="Stay at home")
        for p in people
    )
    for index, plan in enumerate(plans):
        plan.person_id_index = index
    tasks = []
    for plan in plans:
        for title, at, minutes in (("Morning care", MORNING, 60), ("Evening care", EVENING, 45)):
            task = CareTask(plan=plan, title=title, rrule="FREQ=DAILY", start_time=at,
                            duration_minutes=minutes, steps="Wash\nDress\nBreakfast")  # fmt: skip
            tasks.append((task, at.hour * 60 + at.minute))
    created = CareTask.objects.bulk_create(task for task, _minutes in tasks)
    for made, (task, _minutes) in zip(created, tasks, strict=True):
        made.plan = task.plan
    return [(made, minutes) for made, (_task, minutes) in zip(created, tasks, strict=True)]


def _the_year(coop, users: list[int], today: date) -> None:
    """What else a cooperative's year leaves: carers' profiles, training, monthly payslips,
    assessments of each person, carers and families as members with shares, one assembly."""
    Profile.objects.bulk_create(
        Profile(user_id=u, gender=(Gender.WOMAN, Gender.WOMAN, Gender.WOMAN, Gender.MAN,
                                   Gender.OTHER, Gender.UNSAID)[n % 6],
                desired_weekly_hours=(30, 36, 38, None)[n % 4])
        for n, u in enumerate(users)
    )  # fmt: skip
    Training.objects.bulk_create(
        Training(cooperative=coop, carer_id=u, course=course, hours=hours,
                 on=date(today.year, 1 + (n + i * 5) % today.month, 10))
        for n, u in enumerate(users)
        for i, (course, hours) in enumerate((("Moving and handling", 6), ("Dementia care", 12)))
    )  # fmt: skip
    coordinator = users[0]
    for month in range(1, today.month):
        run = PayRun.objects.create(
            cooperative=coop, starts_on=date(today.year, month, 1),
            ends_on=month_end(date(today.year, month, 1)), made_by_id=coordinator,
        )  # fmt: skip
        Payslip.objects.bulk_create(_payslip(run, u, n) for n, u in enumerate(users))
    people = list(PersonCaredFor.objects.filter(cooperative=coop).values_list("pk", flat=True))
    domains = [Domain.PHYSICAL, Domain.COGNITIVE, Domain.PSYCHOLOGICAL, Domain.SOCIAL]
    Assessment.objects.bulk_create(
        Assessment(person_id=p, on=date(today.year, 1 + n % today.month, 1),
                   assessor_id=coordinator, domain=domain, scale="Barthel", score=n % 20)
        for n, p in enumerate(people)
        for domain in domains[: 1 + n % len(domains)]
    )  # fmt: skip
    workers, families = StakeholderClass.objects.bulk_create(
        StakeholderClass(cooperative=coop, name=name, kind=kind, share_value=Decimal(25))
        for name, kind in (
            ("Workers", StakeholderKind.WORKER),
            ("Families", StakeholderKind.FAMILY),
        )
    )
    joined = date(today.year - 2, 3, 1)
    members = Member.objects.bulk_create(
        [Member(cooperative=coop, user_id=u, full_name=f"Carer {n}", number=n + 1,
                stakeholder_class=workers, status=MemberStatus.ADMITTED,
                applied_on=joined, admitted_on=joined, works_since=joined)
         for n, u in enumerate(users)]
        + [Member(cooperative=coop, full_name=f"Family {n}", number=len(users) + n + 1,
                  stakeholder_class=families, status=MemberStatus.ADMITTED,
                  applied_on=joined, admitted_on=joined)
           for n in range(len(people) // 5)]
    )  # fmt: skip
    ShareEntry.objects.bulk_create(
        ShareEntry(cooperative=coop, member=m, kind=ShareEntryKind.SUBSCRIPTION, on=joined,
                   shares=4, capital=Decimal(100), paid=Decimal(100))
        for m in members
    )  # fmt: skip
    held = timezone.make_aware(datetime(today.year, 5, 20, 18))
    assembly = Assembly.objects.create(
        cooperative=coop, kind=AssemblyKind.ORDINARY, title="Annual general assembly",
        starts_at=held, called_on=date(today.year, 4, 20), status=AssemblyStatus.CLOSED,
        opened_at=held, closed_at=held + timedelta(hours=2),
    )  # fmt: skip
    Attendance.objects.bulk_create(
        Attendance(assembly=assembly, member=m, arrived_at=held,
                   mode=AttendanceMode.IN_PERSON if n % 3 else AttendanceMode.ONLINE)
        for n, m in enumerate(members)
        if n % 5 < 2
    )  # fmt: skip


def _payslip(run: PayRun, carer: int, n: int) -> Payslip:
    visits, travel = 6000 + n % 900, 900 + n % 300
    rate = Decimal("9.50") + Decimal(n % 5) / 2
    gross = (rate * (visits + travel) / 60).quantize(Decimal("0.01"))
    return Payslip(
        pay_run=run, carer_id=carer, days=21, visit_minutes=visits, travel_minutes=travel,
        waiting_minutes=120, break_minutes=600, span_minutes=9000, premium_minutes=0,
        km=Decimal(400), contracted_hours=Decimal(130), basic_pay=gross,
        premium_pay=Decimal(0), gross_pay=gross, mileage=Decimal(120),
        true_hourly_pay=(gross / Decimal(visits + travel + 120) * 60).quantize(Decimal("0.01")),
        minimum_wage=Decimal("9.00"),
    )  # fmt: skip


@dataclass
class Phone:
    cookie: str
    token: str
    visit_id: int
    client_id: str
    at: datetime


def phones(coop, count: int) -> list[Phone]:
    """``count`` carers logged in, each with a visit begun half an hour ago to check in to."""
    now = timezone.now()
    task = CareTask.objects.filter(plan__person__cooperative=coop).select_related("plan").first()
    result = []
    for n, carer in enumerate(get_user_model().objects.filter(
        username__startswith=f"{SLUG}-carer"
    ).order_by("pk")[:count]):  # fmt: skip
        visit = Visit.objects.create(
            cooperative=coop, person_id=task.plan.person_id, plan=task.plan, task=task,
            starts_at=now - timedelta(minutes=30, seconds=n), ends_at=now + timedelta(minutes=30),
        )  # fmt: skip
        add_carer(visit, carer)
        client = Client()
        client.force_login(carer)
        _token, raw = ApiToken.issue(carer, "benchmark")
        result.append(Phone(client.cookies["sessionid"].value, raw, visit.pk,
                            str(uuid.uuid4()), now - timedelta(minutes=25)))  # fmt: skip
    return result


def remove(coop: Cooperative | None) -> None:
    """Everything the benchmark loaded (not the carers' login sessions, which expire)."""
    if coop is None:
        return
    # Plain SQL, children first: the ORM's delete would fetch millions of visits into Python
    # to follow their relations.
    in_people = "IN (SELECT id FROM care_personcaredfor WHERE cooperative_id = %s)"
    in_users = "IN (SELECT id FROM auth_user WHERE username LIKE %s)"
    carers = f"{SLUG}-carer%"
    with connection.cursor() as cursor:
        for sql, arg in (
            ("DELETE FROM visits_visitrecord WHERE person_id " + in_people, coop.pk),  # noqa: S608 - constant SQL
            ("DELETE FROM visits_visit_carers WHERE visit_id IN "
             "(SELECT id FROM visits_visit WHERE cooperative_id = %s)", coop.pk),
            ("DELETE FROM visits_visit WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM care_carerecordread WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM care_assessment WHERE person_id " + in_people, coop.pk),  # noqa: S608 - constant SQL
            ("DELETE FROM governance_attendance WHERE assembly_id IN "
             "(SELECT id FROM governance_assembly WHERE cooperative_id = %s)", coop.pk),
            ("DELETE FROM governance_assembly WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM governance_statutes WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM members_shareentry WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM members_member WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM members_stakeholderclass WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM work_payslip WHERE pay_run_id IN "
             "(SELECT id FROM work_payrun WHERE cooperative_id = %s)", coop.pk),
            ("DELETE FROM work_payrun WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM work_training WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM care_caretask WHERE plan_id IN (SELECT p.id FROM care_careplan p "
             "JOIN care_personcaredfor c ON c.id = p.person_id WHERE c.cooperative_id = %s)",
             coop.pk),
            ("DELETE FROM care_careplan WHERE person_id " + in_people, coop.pk),  # noqa: S608 - constant SQL
            ("DELETE FROM care_personcaredfor WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM work_contract WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM accounts_apitoken WHERE user_id " + in_users, carers),  # noqa: S608 - constant SQL
            ("DELETE FROM accounts_profile WHERE user_id " + in_users, carers),  # noqa: S608 - constant SQL
            ("DELETE FROM cooperatives_cooperativerole WHERE cooperative_id = %s", coop.pk),
            ("DELETE FROM auth_user WHERE id " + in_users, carers),  # noqa: S608 - constant SQL
            ("DELETE FROM cooperatives_cooperative WHERE id = %s", coop.pk),
        ):  # fmt: skip
            cursor.execute(sql, [arg])
