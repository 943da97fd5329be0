"""The demo seed: realistic, obeying the rules, and the same for the same seed and day."""

import io
import itertools
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from pypdf import PdfReader

from coopcare.billing import invoicing
from coopcare.billing import pdf as billing_pdf
from coopcare.billing import queries as billing_queries
from coopcare.billing import rules as billing_rules
from coopcare.billing.models import Agreement, Invoice, InvoicingDetails, Payer, Payment
from coopcare.bodymap.models import Mark
from coopcare.care.models import (
    AdvanceDecision,
    CircleMember,
    DoorAccess,
    PersonCaredFor,
    PersonChange,
)
from coopcare.cooperatives.models import Cooperative, CooperativeRole, Role
from coopcare.demo import billing as demo_billing
from coopcare.demo import documents as demo_documents
from coopcare.demo import household as demo_household
from coopcare.demo import retention as demo_retention
from coopcare.demo import seed as demo
from coopcare.documents import queries as document_queries
from coopcare.documents.models import Document
from coopcare.einvoice import schema_problems
from coopcare.governance import queries as governance_queries
from coopcare.governance.models import Assembly, Motion
from coopcare.medication import queries as medication_queries
from coopcare.medication.models import (
    Allergy,
    DoseRecord,
    Medicine,
    MedicineVersion,
    StockEntry,
    StockTracking,
)
from coopcare.members import queries, services
from coopcare.members.models import (
    Collection,
    DebitStatus,
    Mandate,
    Member,
    MemberStatus,
    ShareEntry,
)
from coopcare.members.rules import iban_problems
from coopcare.push.models import PushTopics
from coopcare.respite.models import Caregiver, Enrolment, Gathering
from coopcare.respite.queries import respite_given
from coopcare.risks import queries as risk_queries
from coopcare.risks.models import Review, RiskAssessment
from coopcare.rostering.models import Absence, Roster, RosterRequest
from coopcare.rostering.policies import policy_on
from coopcare.visits.models import (
    Cancellation,
    HandoverAcknowledgement,
    HandoverNote,
    Visit,
    VisitRecord,
)
from coopcare.work import queries as work_queries
from coopcare.work.models import Contract, PayRun, Timesheet

TODAY = date(2026, 11, 22)


def snapshot():
    return (
        sorted(Member.objects.values_list("cooperative__slug", "full_name", "status", "number")),
        sorted(ShareEntry.objects.values_list("member__full_name", "kind", "on", "shares", "paid")),
        sorted(PersonCaredFor.objects.values_list("full_name", "latitude", "longitude")),
        sorted(
            VisitRecord.objects.values_list("person__full_name", "checked_in_at", "carer__username")
        ),
        sorted(
            Document.objects.values_list(
                "cooperative__slug",
                "kind",
                "title",
                "person__full_name",
                "carer__username",
                "current__expires_on",
            ),
            key=str,
        ),
        # Whether an invoice has its FatturaPA file, not the file's name: the name's progressive
        # is the invoice's id, which PostgreSQL does not give again after a rollback.
        sorted(
            (slug, number, payer, issued_on, bool(einvoice))
            for slug, number, payer, issued_on, einvoice in Invoice.objects.values_list(
                "cooperative__slug", "number", "payer__name", "issued_on", "einvoice_name"
            )
        ),
        sorted(Payment.objects.values_list("invoice__number", "received_on", "amount", "method")),
    )


@pytest.mark.django_db
def test_demo_cooperative_is_realistic_and_obeys_the_rules(media):
    demo.seed(1, TODAY)
    coop = Cooperative.objects.get(slug="cura-insieme")
    assert CooperativeRole.objects.filter(cooperative=coop, role=Role.CARER).count() == 60
    people = PersonCaredFor.objects.filter(cooperative=coop)
    # 150 in care, and the two whose care ended nine years ago (one anonymised since).
    assert people.count() == 150 + len(demo_retention.FORMER)
    # Addresses are in Bologna's area (within ~6 km of the centre); the anonymised person's
    # home is no longer on the map.
    assert people.filter(latitude=None).count() == 1
    for p in people.exclude(latitude=None):
        assert abs(float(p.latitude) - 44.4949) < 0.06 and abs(float(p.longitude) - 11.3426) < 0.08

    register = queries.register(coop)
    admitted = register.filter(status=MemberStatus.ADMITTED)
    kinds = set(admitted.values_list("stakeholder_class__kind", flat=True))
    assert len(kinds) >= 4
    assert services.class_weight_problems(coop) == []
    for member in register:
        balance = services.share_balance(member)
        assert 0 <= balance.paid <= balance.capital  # the ledger rules held throughout
    in_instalments = [m for m in admitted if m.paid_up < m.capital]
    assert len(in_instalments) >= 3
    assert register.filter(status=MemberStatus.APPLICANT).exists()
    assert register.filter(status=MemberStatus.RESIGNED).exists()
    assert ShareEntry.objects.filter(cooperative=coop, kind="redemption").exists()

    carer = Member.objects.get(user__username="carer")
    assert carer.status == MemberStatus.ADMITTED and not services.is_paid_up(carer)
    # The supporter login follows votes and messages by push, not the carers' topics.
    assert PushTopics.objects.get(user__username="member").topics == ["message", "vote"]
    for username in demo.DEMO_LOGINS:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
    # The family login is in a person's circle with a grant, so it has something to see.
    family = CircleMember.objects.get(user__username="family", revoked_on__isnull=True)
    assert family.may_see_visits and family.may_see_notes and family.may_see_care_plan
    assert family.person.visits.exists()
    # Three home care cooperatives, a childcare centre and Madrid's intermediary for household
    # employers.
    assert Cooperative.objects.filter(federation__slug=demo.FEDERATION_SLUG).count() == 5
    assert Cooperative.objects.get(federation__slug=demo.FEDERATION_SLUG, runs_childcare=True)
    # Mani Amiche supports family caregivers: respite visits, a monthly group, training.
    respite = Cooperative.objects.get(slug="mani-amiche")
    assert respite.runs_respite and not coop.runs_respite
    assert 8 <= Caregiver.objects.filter(cooperative=respite).count() <= 15
    given = respite_given(respite, TODAY - timedelta(days=35), TODAY)
    assert given.time > timedelta(0) and len(given.visits) >= 3
    groups = Gathering.objects.filter(cooperative=respite, kind="group")
    assert groups.count() == 4 and groups.filter(enrolments__attended=True).exists()
    assert Enrolment.objects.filter(gathering__kind="training", attended=True).exists()
    # Every person in care (active, or paused: the demo's hospital stay) has a care plan and
    # four weeks of visits ahead.
    active = people.filter(status__in=["active", "paused"])
    assert all(p.plans.exists() for p in active)
    ahead = Visit.objects.filter(cooperative=coop, starts_at__date__gte=TODAY)
    assert ahead.values("person").distinct().count() == active.count()
    assert ahead.filter(double_handed=True).exists()
    # A morning at the office: a hospital stay cancelled visits, a family cancelled one, and a
    # one-off visit was added.
    assert people.filter(status="paused", care_breaks__kind="hospital").count() == 1
    assert Cancellation.objects.filter(visit__cooperative=coop, requested_by="care_status").exists()
    assert Cancellation.objects.filter(visit__cooperative=coop, requested_by="circle").count() == 1
    assert ahead.filter(extra=True).count() == 1
    # A month of visit records behind, each with the six EVV items; the demo carer has a day.
    # (Not the records of the two people whose care ended years ago, for retention.)
    month = VisitRecord.objects.filter(visit__cooperative=coop).exclude(person__status="ended")
    assert month.count() > 3000
    assert all(all(r.evv().values()) for r in month.select_related("person", "carer")[:200])
    assert month.filter(outcomes__done=False).exists()
    assert month.filter(uploaded_late=True).exists()
    assert Visit.objects.filter(cooperative=coop, status="missed").exists()
    assert Visit.objects.filter(carers__username="carer", starts_at__date=TODAY).count() >= 2
    # Nobody is in two homes at once.
    for carer_id in month.values_list("carer", flat=True).distinct()[:10]:
        visits = list(
            Visit.objects.filter(carers=carer_id)
            .order_by("starts_at")
            .values_list("starts_at", "ends_at")
        )
        assert all(end <= start for (_s, end), (start, _e) in itertools.pairwise(visits))
    check_governance(coop)
    check_direct_debit(coop)
    check_work(coop)
    check_roster(coop)
    check_risks(coop, active)
    check_body_map(coop)
    check_medication(coop)
    check_documents(coop, media)
    check_handover(coop)
    check_door(coop)
    check_invoices(coop)


def check_invoices(coop):
    """Last month billed: the municipality's invoice issued with a FatturaPA file that
    validates, the voucher scheme's and one per person to the families (printable); the
    families paid, but one in part and one not at all, now overdue; the public payers' still
    open; the demo family login is the payer of its relative's invoices."""
    first, last = date(2026, 10, 1), date(2026, 10, 31)
    # Every visit recorded in October is billable and billed: a new run finds nothing to bill.
    assert invoicing.price_period(coop, first, last) == ([], [])
    invoices = Invoice.objects.filter(cooperative=coop, first_day=first, last_day=last)
    assert invoices.count() > 50 and not invoices.exclude(status="issued").exists()
    assert set(invoices.values_list("issued_on", flat=True)) == {date(2026, 11, 2)}
    numbers = sorted(invoices.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    comune = invoices.get(payer__kind="public_body")
    assert comune.einvoice_name.endswith(".xml")
    assert schema_problems(bytes(comune.einvoice_xml)) == []
    assert b"<CodiceDestinatario>" + comune.payer_office_code.encode() in comune.einvoice_xml
    details = InvoicingDetails.objects.get(cooperative=coop)
    assert iban_problems(details.iban) == [] and len(details.vat_number) == 11
    family = invoices.get(payer__user__username="family")
    printed = PdfReader(io.BytesIO(billing_pdf.document(family)))
    assert family.reference in "".join(page.extract_text() for page in printed.pages)

    balances = billing_queries.balances(coop, TODAY)
    public = [b for b in balances if b.invoice.payer.kind != "family"]
    assert len(public) == 2 and all(b.paid == 0 and not b.overdue(TODAY) for b in public)
    families = [b for b in balances if b.invoice.payer.kind == "family"]
    unpaid = [b for b in families if b.paid == 0]
    partly = [b for b in families if 0 < b.paid < b.total]
    assert len(unpaid) == 1 and unpaid[0].overdue(TODAY)
    assert len(partly) == 1 and partly[0].overdue(TODAY)
    assert sum(b.owed == 0 for b in families) == len(families) - 2
    paid = Payment.objects.filter(cooperative=coop)
    assert all(p.invoice.issued_on <= p.received_on <= p.invoice.due_on for p in paid)
    assert {"bank_transfer", "card"} <= set(paid.values_list("method", flat=True))


class Draws:
    """A generator that draws the given numbers in turn."""

    def __init__(self, *numbers):
        self.numbers = list(numbers)

    def randrange(self, *_bounds):
        return self.numbers.pop(0)


def test_a_demo_vat_number_has_its_check_digit():
    """DM 23 December 1976 (the partita IVA): seven digits of the company, three of the
    province's office, and a check digit by the Luhn formula. Worked example: the Comune di
    Bologna, company 0123271 in the province of Bologna (037): 0123271037, digits in odd
    places 0+2+2+1+3 = 8, in even places doubled 2, 6, 14-9, 0, 14-9 = 18; 8 + 18 = 26, so
    the check digit is 10 - 6 = 4: 01232710374."""
    assert demo_billing.tax_number(Draws(123271), "037") == "01232710374"
    # The Comune di Modena's: 0022194036, 0+2+1+4+3 = 10 and 0, 4, 18-9, 0, 12-9 = 16; 26: 4.
    assert demo_billing.tax_number(Draws(22194), "036") == "00221940364"


def check_door(coop):
    """Every active person has what a carer must know at the door; one DNACPR decision's form
    is on the fridge; most homes have a key safe, kept out of the record's history."""
    active = PersonCaredFor.objects.filter(cooperative=coop, status="active")
    assert not active.filter(conditions__isnull=True).exists()
    dnacpr = AdvanceDecision.objects.filter(person__cooperative=coop, kind="dnacpr")
    assert dnacpr.filter(kept_where="Form on the fridge").exists()
    keyed = DoorAccess.objects.filter(person__cooperative=coop).exclude(key_safe_code="")
    assert keyed.count() > active.count() // 2
    codes = set(keyed.values_list("key_safe_code", flat=True))
    history = PersonChange.objects.filter(person__cooperative=coop, field="key_safe_code")
    assert not codes & set(history.values_list("new", flat=True))


def check_risks(coop, active):
    """Every active person is assessed for each kind of risk and has goals rated at reviews;
    some reviews are overdue."""
    kinds = RiskAssessment.objects.filter(person__in=active).values("person", "kind").distinct()
    assert kinds.count() == active.count() * 5
    assert RiskAssessment.objects.filter(person__in=active, version=2).exists()
    reviewed = Review.objects.filter(person__in=active).values("person").distinct().count()
    assert reviewed > active.count() / 2
    due = risk_queries.people_due(coop, TODAY)
    assert any(row.overdue for row in due)
    assert any(not row.overdue for row in due)
    assert risk_queries.goal_progress(coop, TODAY - timedelta(days=365), TODAY)[0] > 0


def check_body_map(coop):
    """Two people have a mark found on a visit, each with its incident and follow-ups: a heel
    pressure ulcer of category 1 that is improving, and a bruise on a forearm."""
    marks = Mark.objects.filter(person__cooperative=coop).prefetch_related("follow_ups")
    assert marks.count() == 2
    ulcer = marks.get(kind="pressure_ulcer")
    assert (ulcer.region, ulcer.category, ulcer.latest.status) == ("left_heel", "1", "improving")
    assert marks.get(kind="bruise").region == "right_forearm"
    assert all(m.visit and m.incident.visit == m.visit for m in marks)


def check_medication(coop):
    """Medicines (some as needed, one changed since), allergies, the outcomes of past doses,
    doses due at the demo carer's visits today, and a few medicines' stock, one running low."""
    assert Medicine.objects.filter(cooperative=coop).count() > 100
    versions = MedicineVersion.objects.filter(medicine__cooperative=coop)
    assert versions.filter(schedule="as_needed").exists() and versions.filter(number=2).exists()
    assert Allergy.objects.filter(cooperative=coop).exists()
    doses = DoseRecord.objects.filter(cooperative=coop)
    assert doses.filter(outcome="given").exists() and doses.filter(outcome="refused").exists()
    today = Visit.objects.filter(cooperative=coop, carers__username="carer", starts_at__date=TODAY)
    assert any(medication_queries.doses_due(visit) for visit in today)
    stock = [medication_queries.stock(t) for t in StockTracking.objects.filter(cooperative=coop)]
    assert len(stock) == 3 and sum(s.low for s in stock) == 1
    assert StockEntry.objects.filter(medicine__cooperative=coop, kind="received").exists()
    assert all(s.expected is not None and s.expected >= 0 for s in stock)


def check_handover(coop):
    """Handover notes left at check-out over the last days, most read by the carer who came
    next and never by their writer; the office's own, and one no longer relevant."""
    notes = HandoverNote.objects.filter(cooperative=coop)
    assert notes.filter(visit__isnull=False).count() >= 5
    assert notes.filter(visit__isnull=True).exists()
    assert notes.filter(retired_at__isnull=False).count() == 1
    read = HandoverAcknowledgement.objects.filter(note__cooperative=coop)
    assert read.exists() and notes.filter(acknowledgements__isnull=True).exists()
    assert not read.filter(carer=F("note__written_by")).exists()


def check_documents(coop, media):
    """Every cooperative keeps its statutes and last assembly's minutes; a few people their
    signed care plan and consent form; every carer a certificate and a background check, some
    expiring soon and one expired; each a PDF stored under MEDIA_ROOT."""
    home_care = Cooperative.objects.filter(
        federation__slug=demo.FEDERATION_SLUG, runs_home_care=True
    )
    # Madrid's intermediary for household employers keeps its contracts and payslips, no papers.
    for cooperative in home_care.exclude(slug=demo_household.SLUG):
        papers = Document.objects.filter(cooperative=cooperative, owner="cooperative")
        assert sorted(papers.values_list("kind", flat=True)) == ["minutes", "statutes"]
        people = Document.objects.filter(cooperative=cooperative, owner="person")
        assert people.filter(kind="signed_care_plan").count() == demo_documents.PEOPLE_WITH_PAPERS
        assert people.filter(kind="consent_form").count() == demo_documents.PEOPLE_WITH_PAPERS
        carers = CooperativeRole.objects.filter(cooperative=cooperative, role=Role.CARER)
        for kind in ("certificate", "background_check"):
            kept = Document.objects.filter(cooperative=cooperative, owner="carer", kind=kind)
            assert set(kept.values_list("carer", flat=True)) == set(
                carers.values_list("user", flat=True)
            )
        statuses = [status for _doc, status in document_queries.expiring(cooperative, TODAY)]
        assert "expiring" in statuses
        checks = Document.objects.filter(cooperative=cooperative, kind="background_check")
        assert checks.filter(current__expires_on__lte=TODAY).count() == 1
    # The minutes kept are the assembly's own, printed.
    minutes = Document.objects.get(cooperative=coop, kind="minutes").current
    assert minutes.content_type == "application/pdf"
    printed = PdfReader(media / minutes.file.name)
    assert "Passed." in "".join(page.extract_text() for page in printed.pages)
    # The demo carer's own page warns them of a check expiring soon.
    carer = get_user_model().objects.get(username="carer")
    assert [s for _d, s in document_queries.expiring(coop, TODAY, carer=carer)] == ["expiring"]


def check_direct_debit(coop):
    """Members with mandates; last month's collection confirmed, one debit returned; this
    month's instalments due, ready to collect."""
    collection = Collection.objects.get(cooperative=coop)
    assert collection.confirmed_on and collection.collection_date < TODAY.replace(day=1)
    debits = collection.debits.all()
    assert {d.status for d in debits} == {DebitStatus.COLLECTED, DebitStatus.RETURNED}
    assert all(d.payment_id for d in debits if d.status == DebitStatus.COLLECTED)
    due = services.instalments_due(coop, TODAY)
    assert due.count() == len(debits) + 1  # this month's, and the one returned
    assert Mandate.objects.filter(cooperative=coop, revoked_on__isnull=True).count() == 4


def check_governance(coop):
    """Last autumn's assembly with results and minutes, an online vote open now."""
    agm = Assembly.objects.get(cooperative=coop, kind="ordinary", status="closed")
    assert agm.minutes_published_at and "Passed." in agm.minutes
    assert governance_queries.assembly_attendance(agm)[1].met and agm.proxies.exists()
    motions = agm.motions.all()
    assert all(m.passed for m in motions) and motions.filter(secret=True).exists()
    assert motions.filter(amends__isnull=False).exists()
    election = agm.elections.get()
    elected = Member.objects.filter(candidacies__in=election.result["elected_ids"])
    assert elected.count() == 3
    assert elected.filter(stakeholder_class__kind="person_cared_for").count() >= 1  # reserved seat
    # The policy the assembly adopted is in force from its date.
    assert policy_on(coop, TODAY).continuity == 60
    online = Motion.objects.get(cooperative=coop, status="open", assembly__isnull=True)
    assert online.roll.exists()
    member = Member.objects.get(user__username="member")
    assert governance_queries.ballots_for(member, online) == [member]
    # The member login's own page has something in each section: the vote waiting for them,
    # the extraordinary assembly with the proxy they gave, their shares, and last year's social
    # report (refunds go to worker members: the page says so to a supporter).
    mine = queries.overview(coop, member, timezone.make_aware(datetime.combine(TODAY, time(12))))
    assert [vote.question for vote in mine.votes] == [online]
    [called] = [c for c in mine.assemblies if c.assembly.kind == "extraordinary"]
    assert called.proxy_given is not None and called.agenda
    assert mine.shares.balance.shares >= 1 and not mine.refunds_apply
    assert mine.social_report_year == TODAY.year - 1
    assert Assembly.objects.filter(cooperative=coop, status="called", kind="board").exists()

    # Billing: the municipality with its office code, agreements for the active people, and
    # one person's planned visits this month beyond the hours the municipality authorises.
    comune = Payer.objects.get(cooperative=coop, kind="public_body")
    assert len(comune.office_code) == 6
    active = PersonCaredFor.objects.filter(cooperative=coop, status="active")
    with_agreement = active.filter(agreements__isnull=False).distinct().count()
    assert with_agreement == active.filter(plans__isnull=False).distinct().count()
    assert Agreement.objects.filter(cooperative=coop, co_payer__isnull=False).exists()
    month = billing_rules.period_days(TODAY, "month")
    over = billing_queries.overruns(coop, *month)
    assert over and over[0].agreement.payer == comune and over[0].over_when_planned


@pytest.mark.django_db
def test_same_seed_and_day_give_the_same_data():
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            demo.seed(7, TODAY, roster=False)
            snapshots.append(snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0][1]) > 500


@pytest.mark.django_db
def test_demo_command_seeds_once(capsys):
    call_command("demo", "--today", "2026-11-22", "--no-roster")
    first = capsys.readouterr().out
    assert "Seeded Cura Insieme: 60 carers" in first and "coordinator" in first
    assert "emails of the demo's history were not sent" in first
    call_command("demo")
    assert "already in this database" in capsys.readouterr().out
    assert Cooperative.objects.filter(slug="cura-insieme").count() == 1


def check_work(coop):
    """Contracts for every worker, qualified carers, a month of approved time and a pay run."""
    carers = work_queries.workers(coop)
    assert all(work_queries.contract_on(coop, carer, TODAY) for carer in carers)
    assert Contract.objects.filter(cooperative=coop).count() > carers.count()  # some history
    assert not Contract.objects.filter(cooperative=coop, kind="zero_hours").exists()
    assert work_queries.expiring(coop, TODAY)
    # Every visit done needed only skills its carer was qualified for that day.
    skills = work_queries.skills_on(coop, TODAY - timedelta(days=1))
    for record in VisitRecord.objects.filter(visit__cooperative=coop).select_related("visit__task")[
        :500
    ]:
        assert set(record.visit.task.skill_list) <= skills[record.carer_id]
    run = PayRun.objects.get(cooperative=coop)
    assert (run.ends_on - run.starts_on).days == 27 and run.ends_on.weekday() == 6
    assert not Timesheet.objects.filter(
        cooperative=coop, day__range=(run.starts_on, run.ends_on), status="draft"
    ).exists()
    slips = run.payslips.all()
    assert slips.count() >= 50 and all(s.gross_pay > 0 and s.travel_minutes > 0 for s in slips)
    assert sum(s.below_minimum for s in slips) < slips.count() / 5
    # The demo roster keeps the working-time rules (weekly rest, breaks, daily rest).
    sample = list(carers.filter(cooperative_roles__role=Role.CARER)[:8])
    assert work_queries.working_time_breaches(coop, run.starts_on, TODAY, carers=sample) == {}


def check_roster(coop):
    """The rest of the week is rostered by the planner and published, within the rules."""
    roster = Roster.objects.get(cooperative=coop, status="published")
    assert roster.first_day == TODAY and roster.last_day.weekday() == 6
    assert roster.run is None and roster.costs["total"] > 0
    given = list(roster.assignments.select_related("visit__task", "visit__person"))
    assert len(given) > 1000 and roster.unplaced.count() < len(given) / 50
    skills = work_queries.skills_on(coop, TODAY)
    by_visit = {}
    for assignment in given:
        visit = assignment.visit
        assert assignment.carer in visit.carers.all()  # published
        assert set(visit.task.skill_list) <= skills[assignment.carer_id]
        assert assignment.carer_id not in {c.pk for c in visit.person.refused_carers.all()}
        by_visit.setdefault(visit.pk, []).append(assignment.carer_id)
        assert any(code == "choice" for code, _ in assignment.reasons)  # "why me"
    doubles = [a.visit for a in given if a.visit.double_handed]
    assert doubles and all(len(set(by_visit[v.pk])) == 2 for v in doubles)
    assert Visit.objects.filter(carers__username="carer", starts_at__date=TODAY).exists()
    sample = list(work_queries.workers(coop).filter(cooperative_roles__role=Role.CARER)[:8])
    assert work_queries.working_time_breaches(coop, TODAY, roster.last_day, carers=sample) == {}
    # Carers have had their say, and one fell ill after publishing.
    assert RosterRequest.objects.filter(cooperative=coop, status="open").count() == 2
    assert Absence.objects.filter(cooperative=coop, kind="sickness").exists()
