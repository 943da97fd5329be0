"""One week of a cooperative, through the services and pages it uses, in the order it goes
(DESIGN.md, data flow): care plans → visits → a roster run → publishing → check-in and
check-out → timesheets → a pay run → the indicators. At each step the test checks what a
coordinator would: every visit placed or explained, carers told, records verified, minutes on
timesheets equal to the visits plus travel, payslips that add up, and the hours of care in the
indicators equal to what carers recorded.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise
from statistics import median
from uuid import uuid4

import holidays
from django.core import mail
from django.utils import timezone

from coopcare.care import services as care
from coopcare.care.models import ConsentKind, Verification
from coopcare.cooperatives.models import Role
from coopcare.impact import indicators
from coopcare.planner.travel import CoordinateTravel
from coopcare.rostering import queries
from coopcare.rostering.models import RosterStatus, RunStatus
from coopcare.rostering.services import publishing, runs
from coopcare.visits import services as visit_services
from coopcare.visits.models import VerifiedHow, Visit, VisitRecord, VisitStatus
from coopcare.work import queries as work_queries
from coopcare.work.models import ContractKind, EntryKind, Timesheet, TimesheetStatus
from coopcare.work.queries import between_days
from coopcare.work.services import pay, timesheets
from coopcare.work.services.contracts import start_contract
from coopcare.work.services.homes import set_home
from coopcare.work.services.qualifications import add_qualification
from tests import factories

RATE = Decimal("12.00")  # the base rate of the pay rules
ANA_RATE = Decimal("15.00")  # Ana's contract pays more than the base rate
PAID = (EntryKind.VISIT, EntryKind.TRAVEL, EntryKind.WAITING)


def cents(amount) -> Decimal:
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return Decimal(amount).quantize(Decimal("0.01"), ROUND_HALF_UP)


def next_monday() -> date:
    """The first Monday after today: the roster is for a week to come."""
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def carer(coop, name: str, skills: str, home: tuple[str, str], **contract):
    """A carer with a contract, a certificate and the home place their days start from,
    each recorded through the work services."""
    user = factories.user_with_role(
        coop,
        Role.CARER,
        username=name.lower(),
        first_name=name,
        last_name="Carer",
        email=f"{name.lower()}@example.org",
    )
    start_contract(
        coop,
        user,
        {"kind": ContractKind.PERMANENT, "weekly_hours": Decimal(30), "starts_on": date(2026, 1, 1)}
        | contract,
    )
    add_qualification(
        coop,
        user,
        {"name": "OSS", "skills": skills, "obtained_on": date(2025, 1, 1), "issued_by": "Regione"},
    )
    set_home(coop, user, {"latitude": Decimal(home[0]), "longitude": Decimal(home[1])})
    return user


def task(title, at, minutes, rrule="FREQ=DAILY", **more):
    return {"title": title, "rrule": rrule, "start_time": at, "duration_minutes": minutes} | more


def planned_starts(first: date, last: date, at: time, weekdays=range(7)) -> set:
    """The local starts of a task at ``at`` on the given weekdays from ``first`` to ``last``."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return {
        timezone.make_aware(datetime.combine(day, at)) for day in days if day.weekday() in weekdays
    }


def do_visits(carer, visits, people_codes, coordinator):
    """The carer's day as their phone sends it: each visit checked in a few minutes after its
    time (or after getting there from the one before) and out when its task is done, with the
    person confirming the way they chose."""
    last_out = None
    for visit in sorted(visits, key=lambda v: v.starts_at):
        person = visit.person
        at = visit.starts_at + timedelta(minutes=3)
        if last_out is not None:
            at = max(at, last_out + timedelta(minutes=10))
        out = at + timedelta(minutes=visit.task.duration_minutes)
        where = {}
        if person.verification == Verification.LOCATION:
            where = {"latitude": float(person.latitude), "longitude": float(person.longitude)}
        visit_services.check_in(visit, carer, client_id=uuid4(), at=at, now=at, **where)
        steps = [{"step": step, "done": True} for step in visit.task.step_list]
        confirm = {}
        if person.verification == Verification.CONFIRMATION:
            code = people_codes.get(person.pk)
            confirm = {"code": code} if code else {"tapped": True}
        record = visit_services.check_out(
            visit, carer, client_id=uuid4(), at=out, now=out, steps=steps, **where, **confirm
        ).record
        if person.verification == Verification.PHONE:
            # The coordinator phones the person the same evening.
            visit_services.confirm_by_phone(record, coordinator, now=out + timedelta(hours=2))
        last_out = out


def test_a_week_from_care_plans_to_pay_and_indicators(
    client, coop, coordinator, django_capture_on_commit_callbacks
):
    first = next_monday()
    last = first + timedelta(days=6)

    # -- The cooperative's rules: pay rules adopted, working-time rules from its country. --
    pay.adopt_pay_rules(
        coop,
        {
            "effective_from": date(2026, 1, 1),
            "base_rate": RATE,
            "minimum_wage": Decimal("9.50"),
            "unsocial_premium": Decimal(20),
            "weekend_premium": Decimal(15),
            "holiday_premium": Decimal(30),
            "waiting_paid": Decimal(100),
            "waiting_max_minutes": 45,
            "mileage_rate": Decimal("0.350"),
        },
        by=coordinator,
    )
    limits = work_queries.work_rules_of(coop)
    assert limits.max_average_weekly_hours == 48 and limits.daily_rest_hours == 11

    # -- Three carers, two of them trained to use a hoist; nobody is a nurse. --
    ana = carer(coop, "Ana", "personal, hoist", ("44.4990", "11.3300"), hourly_rate=ANA_RATE)
    ben = carer(coop, "Ben", "personal, hoist", ("44.5000", "11.3500"))
    cleo = carer(
        coop,
        "Cleo",
        "personal",
        ("44.4950", "11.3550"),
        kind=ContractKind.FIXED_TERM,
        ends_on=last + timedelta(days=365),
        weekly_hours=Decimal(20),
    )
    carers = [ana, ben, cleo]

    # -- Four people cared for, each with a care plan, choosing how visits are confirmed. --
    rosa = factories.person_cared_for(
        coop, full_name="Rosa", latitude=Decimal("44.4940"), longitude=Decimal("11.3430")
    )
    marco = factories.person_cared_for(
        coop, full_name="Marco", latitude=Decimal("44.5060"), longitude=Decimal("11.3600")
    )
    gina = factories.person_cared_for(
        coop, full_name="Gina", latitude=Decimal("44.4980"), longitude=Decimal("11.3400")
    )
    luca = factories.person_cared_for(
        coop, full_name="Luca", latitude=Decimal("44.5020"), longitude=Decimal("11.3480")
    )
    care.give_consent(gina, ConsentKind.LOCATION, "Gina", date(2026, 1, 1), by=coordinator)
    care.choose_verification(gina, Verification.LOCATION)
    care.choose_verification(luca, Verification.PHONE)
    plans = {
        rosa: [
            task("Morning care", time(8, 0), 45, skills="personal", steps="Wash\nDress"),
            task("Evening care", time(18, 0), 30, skills="personal"),
        ],
        marco: [task("Shopping and lunch", time(9, 30), 30)],
        gina: [
            task(
                "Transfer with hoist",
                time(11, 0),
                60,
                rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR",
                skills="hoist",
                double_handed=True,
            )
        ],
        luca: [
            task("Breakfast", time(8, 0), 30),
            task("Wound dressing", time(15, 0), 45, rrule="FREQ=WEEKLY;BYDAY=TU", skills="nursing"),
        ],
    }
    for person, tasks in plans.items():
        care.new_care_plan(
            person, valid_from=first, goals="Stay safely at home", tasks=tasks, by=coordinator
        )
    week = Visit.objects.filter(cooperative=coop, **between_days("starts_at", first, last))
    expected_starts = {
        "Morning care": planned_starts(first, last, time(8, 0)),
        "Evening care": planned_starts(first, last, time(18, 0)),
        "Shopping and lunch": planned_starts(first, last, time(9, 30)),
        "Transfer with hoist": planned_starts(first, last, time(11, 0), weekdays=(0, 2, 4)),
        "Breakfast": planned_starts(first, last, time(8, 0)),
        "Wound dressing": planned_starts(first, last, time(15, 0), weekdays=(1,)),
    }
    # The care plans' visits of the week are generated, each occurrence once.
    for title, starts in expected_starts.items():
        assert set(week.filter(task__title=title).values_list("starts_at", flat=True)) == starts
    assert week.count() == 7 * 4 + 3 + 1 == 32

    # -- A roster run for the week (the test settings run the background task at once). --
    run = runs.start_run(coop, first, last, coordinator, seconds=1)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100, run.message
    roster = run.rosters.get()
    assert roster.status == RosterStatus.DRAFT
    assert week.count() == 32  # the run generated nothing twice

    # Every visit of the week is placed or explained, and only once.
    given = defaultdict(set)
    for visit_id, carer_id in roster.assignments.values_list("visit_id", "carer_id"):
        given[visit_id].add(carer_id)
    left_out = dict(roster.unplaced.values_list("visit_id", "reasons"))
    assert set(given) | set(left_out) == set(week.values_list("pk", flat=True))
    assert not set(given) & set(left_out)
    # Nobody is a nurse: the wound dressing is left out, with the reason.
    dressing = week.get(task__title="Wound dressing")
    assert left_out == {dressing.pk: [["no_skills", {"skills": "nursing"}]]}
    # The hoist transfer gets two carers trained for it; every other visit one carer.
    skills = work_queries.skills_on(coop, first)
    for visit in week.exclude(pk=dressing.pk).select_related("task"):
        if visit.double_handed:
            assert given[visit.pk] == {ana.pk, ben.pk}
        else:
            assert len(given[visit.pk]) == 1
        for carer_id in given[visit.pk]:
            assert set(visit.task.skill_list) <= skills[carer_id]
    # The rules the members adopted hold in the draft: no working-time breach.
    assert queries.roster_breaches(roster) == []

    # The coordinator reviews the draft on the roster page.
    factories.log_in(client, coordinator)
    page = client.get(f"/c/{coop.slug}/roster/{roster.pk}/?day={first + timedelta(days=1)}")
    assert page.status_code == 200
    assert "Wound dressing" in page.content.decode()

    # -- Publishing: carers get their visits and are told by email, once each. --
    with django_capture_on_commit_callbacks(execute=True):
        published = publishing.publish(roster, coordinator)
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED
    working = {c for carers_of_visit in given.values() for c in carers_of_visit}
    assert published.notified == len(working) == len(mail.outbox)
    assert {m.to[0] for m in mail.outbox} == {c.email for c in carers if c.pk in working}
    for visit in week.prefetch_related("carers"):
        assert {c.pk for c in visit.carers.all()} == given.get(visit.pk, set())
    # A carer finds their visits on their phone's day page.
    tuesday = first + timedelta(days=1)
    busy = next(c for c in carers if week.filter(carers=c, starts_at__date=tuesday).exists())
    factories.log_in(client, busy)
    today_page = client.get(f"/c/{coop.slug}/today/?day={tuesday}").content.decode()
    for visit in week.filter(carers=busy, starts_at__date=tuesday).select_related("person"):
        assert visit.person.full_name in today_page

    # -- The week is worked: carers check in and out; the visit nobody could do is missed. --
    codes = {rosa.pk: rosa.confirmation_code}
    by_carer_day = defaultdict(list)
    for visit in week.exclude(pk=dressing.pk).select_related("person", "task"):
        for carer_id in given[visit.pk]:
            by_carer_day[carer_id, timezone.localdate(visit.starts_at)].append(visit)
    users = {c.pk: c for c in carers}
    for (carer_id, _day), visits in sorted(by_carer_day.items(), key=lambda i: i[0][1]):
        do_visits(users[carer_id], visits, codes, coordinator)
    visit_services.mark_missed(dressing, "No nurse this week; the district nurse came instead.")

    done = VisitRecord.objects.filter(visit__in=week)
    assert done.count() == sum(len(c) for c in given.values()) == 31 + 3
    assert not week.exclude(status__in=[VisitStatus.DONE, VisitStatus.MISSED]).exists()
    assert week.filter(status=VisitStatus.MISSED).get() == dressing
    # Every record is verified, the way the person chose.
    how = set(done.values_list("person__full_name", "verified_how"))
    assert how == {
        ("Rosa", VerifiedHow.CODE),
        ("Marco", VerifiedHow.TAP),
        ("Gina", VerifiedHow.LOCATION),
        ("Luca", VerifiedHow.PHONE),
    }
    assert not done.filter(verified_how="").exists()
    assert not done.filter(uploaded_late=True).exists()

    # -- Timesheets: built from the records, checked, approved. --
    built = timesheets.build_timesheets(coop, first, last)
    assert built.built == len(by_carer_day) and not built.open_records
    homes = work_queries.homes_of(coop)
    sheets = list(Timesheet.objects.filter(cooperative=coop).prefetch_related("entries"))
    assert {(s.carer_id, s.day) for s in sheets} == set(by_carer_day)
    minutes_of = defaultdict(lambda: defaultdict(int))
    for sheet in sheets:
        entries = list(sheet.entries.all())
        mine = list(
            done.filter(
                carer_id=sheet.carer_id, **between_days("checked_in_at", sheet.day, sheet.day)
            )
            .select_related("person")
            .order_by("checked_in_at")
        )
        figures = work_queries.summary(entries)
        # The visits on the timesheet are the visits recorded, minute for minute.
        assert [e.visit_record_id for e in entries if e.kind == EntryKind.VISIT] == [
            r.pk for r in mine
        ]
        assert figures["minutes"][EntryKind.VISIT] == sum(r.minutes for r in mine)
        # Travel: from home, between homes (never longer than the gap), and back home.
        places = [(float(r.person.latitude), float(r.person.longitude)) for r in mine]
        travel = CoordinateTravel([*places, homes[sheet.carer_id]])
        home = len(places)
        journeys = round(travel.minutes(home, 0)) + round(travel.minutes(len(mine) - 1, home))
        for n, (a, b) in enumerate(pairwise(mine)):
            gap = (b.checked_in_at - a.checked_out_at).total_seconds() / 60
            journeys += min(round(gap), round(travel.minutes(n, n + 1)))
        assert figures["minutes"][EntryKind.TRAVEL] == journeys
        # The day holds no hole and no overlap: from leaving home to getting back, each minute
        # is a visit, travel, waiting or a break.
        for before, after in pairwise(entries):
            assert before.ends_at == after.starts_at
        whole = round((entries[-1].ends_at - entries[0].starts_at).total_seconds() / 60)
        assert sum(figures["minutes"].values()) == whole
        for kind, minutes in figures["minutes"].items():
            minutes_of[sheet.carer_id][kind] += minutes
        minutes_of[sheet.carer_id]["km"] += figures["km"]
    assert not work_queries.working_time_breaches(coop, first, last)
    assert timesheets.approve(coop, sheets, by=coordinator) == len(sheets)
    assert not Timesheet.objects.exclude(status=TimesheetStatus.APPROVED).exists()

    # -- The pay run for the week, once it is over. --
    problems = pay.pay_run_problems(coop, first, last, today=last + timedelta(days=1))
    assert problems == []
    run_of_pay = pay.run_pay(coop, first, last, coordinator, today=last + timedelta(days=1))
    slips = {s.carer_id: s for s in run_of_pay.payslips.all()}
    assert set(slips) == {carer_id for carer_id, _day in by_carer_day}
    feast = holidays.country_holidays(coop.country, years=range(first.year, last.year + 1))
    for carer_id, slip in slips.items():
        rate = ANA_RATE if carer_id == ana.pk else RATE
        mine = [s for s in sheets if s.carer_id == carer_id]
        minutes = minutes_of[carer_id]
        assert slip.days == len(mine)
        assert (
            slip.visit_minutes
            == sum(r.minutes for r in done.filter(carer_id=carer_id))
            == minutes[EntryKind.VISIT]
        )
        assert slip.travel_minutes == minutes[EntryKind.TRAVEL]
        assert slip.waiting_minutes == minutes[EntryKind.WAITING]
        assert slip.break_minutes == minutes[EntryKind.BREAK]
        assert slip.km == minutes["km"]
        # Visits, travel and waiting are paid at the contract's rate; public holidays (30 %)
        # and weekends (15 %) earn a premium, the higher one (every minute here is between
        # 07:00 and 20:00, outside unsocial hours).
        paid = sum(minutes[kind] for kind in PAID)
        assert slip.basic_pay == cents(Fraction(rate) * paid / 60)
        extra = Fraction(0)
        extra_minutes = 0
        for sheet in mine:
            share = (
                Fraction(30, 100)
                if sheet.day in feast
                else (Fraction(15, 100) if sheet.day.weekday() >= 5 else Fraction(0))
            )
            for entry in sheet.entries.all():
                assert time(7) <= timezone.localtime(entry.starts_at).time() < time(20)
                if entry.kind in PAID and share:
                    extra += Fraction(rate) * entry.minutes / 60 * share
                    extra_minutes += entry.minutes
        assert slip.premium_pay == cents(extra)
        assert slip.premium_minutes == extra_minutes
        assert slip.gross_pay == slip.basic_pay + slip.premium_pay
        assert slip.mileage == cents(Fraction(slip.km) * Fraction(Decimal("0.350")))
        assert slip.true_hourly_pay == cents(Fraction(slip.gross_pay) * 60 / slip.span_minutes)
        assert slip.below_minimum == (slip.true_hourly_pay < Decimal("9.50"))
        weekly = Decimal(20) if carer_id == cleo.pk else Decimal(30)
        assert slip.contracted_hours == weekly
    csv_rows = work_queries.payroll_csv(run_of_pay).splitlines()
    assert len(csv_rows) == 1 + len(slips)

    # -- The indicators of the week. --
    figures = {i.key: f for i, f in indicators.compute(coop, first, last)}
    recorded = sum(r.minutes for r in done)
    assert figures["care_hours"].value == (Decimal(recorded) / 60).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    assert figures["visits"].value == week.filter(status=VisitStatus.DONE).count() == 31
    assert ("missed", 1) in figures["visits"].parts
    assert ("begun more than 15 minutes late", 0) in figures["visits"].parts
    assert figures["people_cared_for"].value == 4
    # Continuity: nobody had visited them before this week, so a visit is by known carers
    # once each of its carers has been to that person earlier in the week.
    seen, by_known = set(), 0
    for visit in week.filter(status=VisitStatus.DONE).order_by("starts_at", "pk"):
        pairs = {(visit.person_id, carer_id) for carer_id in given[visit.pk]}
        by_known += pairs <= seen
        seen |= pairs
    assert figures["continuity"].value == (Decimal(100) * by_known / 31).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    assert figures["workforce"].value == 3
    assert figures["permanent_share"].value == Decimal("66.7")
    assert figures["pay_ratio"].value == Decimal("1.25")
    pays = [s.true_hourly_pay for s in slips.values()]
    assert figures["median_true_hourly_pay"].value == Decimal(median(pays)).quantize(
        Decimal("0.01")
    )
    assert figures["median_true_hourly_pay"].base == len(slips)
