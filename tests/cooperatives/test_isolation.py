"""Each cooperative is isolated: a user of co-op A gets 404 on every object URL of co-op B.

The URLs are enumerated from the URL configuration and the OpenAPI schema, so a new page or
endpoint is covered as soon as it exists (and fails here until its parameters are mapped).
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.billing.models import Invoice, InvoiceStatus, Payment
from coopcare.childcare import services as childcare
from coopcare.conversations import services as conversations
from coopcare.conversations.models import Side
from coopcare.cooperatives.models import Role
from coopcare.documents import services as documents
from coopcare.governance.services.assemblies import call_assembly
from coopcare.governance.services.questions import call_election, propose_motion
from coopcare.governance.services.voting import cast_vote, open_vote
from coopcare.household import services as household
from coopcare.medication import services as medication
from coopcare.members import services as members
from coopcare.privacy import services as privacy
from coopcare.respite import services as respite
from coopcare.retention import services as retention
from coopcare.rostering.models import Absence, CoverProposal, Roster, RosterRequest, RosterRun
from coopcare.visits import services as visit_services
from coopcare.visits.models import Visit, VisitRequest
from coopcare.voice import services as voice
from coopcare.work.models import PayRun, SurplusAllocation, Timesheet
from coopcare.work.services import contracts, timesheets
from tests import factories
from tests.billing import conftest as billing
from tests.bodymap.conftest import heel_ulcer
from tests.documents import files
from tests.medication.conftest import prescription
from tests.risks.conftest import handling

ALL_ROLES = [Role.BOARD, Role.COORDINATOR, Role.CARER, Role.CIRCLE]
# Pages open to anyone, logged in or not: a cooperative's page where people apply to become
# members, and its privacy notice. They show nothing of the cooperative's records
# (tests/members/test_join.py).
PUBLIC_ROUTES = {"c/<slug:coop>/join/", "c/<slug:coop>/join/privacy/"}


def cooperative_patterns(resolver=None, prefix=""):
    """Every URL pattern (as a route string) that names a cooperative."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from cooperative_patterns(entry, route)
        elif isinstance(entry, URLPattern) and "<slug:coop>" in route:
            yield route


def fill(route: str, values: dict) -> str:
    def value(match):
        name = match.group(2)
        assert name in values, f"map the URL parameter {name!r} of {route!r} in this test"
        return str(values[name])

    return "/" + re.sub(r"<(\w+:)?(\w+)>", value, route)


@pytest.fixture
def two_coops(db):
    a, b = factories.CooperativeFactory(slug="coop-a"), factories.CooperativeFactory(slug="coop-b")
    user_a = factories.user_with_role(a, *ALL_ROLES)
    class_a = factories.StakeholderClassFactory(cooperative=a)
    factories.admitted_member(class_a, user=user_a)
    class_b = factories.StakeholderClassFactory(cooperative=b)
    member_b = factories.admitted_member(class_b, shares=2)
    person_b = factories.person_cared_for(b)
    carer_b = factories.user_with_role(b, Role.CARER)
    visit_b = factories.visit(person_b, [carer_b])
    record_b = factories.recorded_visit(visit_b, carer_b)
    incident_b = visit_services.report_incident(
        visit_b,
        carer_b,
        occurred_at=visit_b.starts_at,
        kind="fall",
        severity="low",
        description="Slipped, unhurt",
    )
    opens, closes = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=5)
    assembly_b = call_assembly(
        b,
        kind="ordinary",
        title="AGM",
        starts_at=timezone.now() + timedelta(days=30),
        called_on=timezone.localdate(),
        place="Hall",
    )
    motion_b = open_vote(propose_motion(b, title="X", text="X", opens_at=opens, closes_at=closes))
    cast_b = cast_vote(motion_b, member_b, choice="for")
    election_b = call_election(
        b,
        title="Board",
        method="plurality",
        seats=1,
        candidates=[member_b],
        opens_at=opens,
        closes_at=closes,
    )
    timesheets.build_timesheets(
        b, timezone.localdate(visit_b.starts_at), timezone.localdate(visit_b.starts_at)
    )
    pay_run_b = PayRun.objects.create(
        cooperative=b, starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31), made_by=carer_b
    )
    allocation_b = SurplusAllocation.objects.create(
        cooperative=b,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        surplus=Decimal(100),
        reserve=Decimal(30),
        mutual_fund=Decimal(3),
        refunds=Decimal(67),
        other_reserves=Decimal(0),
        hours_worked=Decimal(1),
        decided_by=carer_b,
    )
    roster_b = Roster.objects.create(
        cooperative=b, first_day=date(2026, 11, 20), last_day=date(2026, 11, 20)
    )
    roster_b.assignments.create(visit=visit_b, carer=carer_b)
    run_b = RosterRun.objects.create(
        cooperative=b, first_day=date(2026, 11, 20), last_day=date(2026, 11, 20), seconds_per_day=1
    )
    request_b = RosterRequest.objects.create(
        cooperative=b, visit=visit_b, carer=carer_b, kind="contest", reason="x"
    )
    absence_b = Absence.objects.create(
        cooperative=b,
        carer=carer_b,
        kind="sickness",
        first_day=date(2026, 11, 20),
        last_day=date(2026, 11, 20),
    )
    proposal_b = CoverProposal.objects.create(cooperative=b, absence=absence_b)
    contract_b = contracts.start_contract(
        b,
        carer_b,
        {"kind": "permanent", "weekly_hours": Decimal(30), "starts_on": date(2026, 1, 1)},
    )
    document_b = documents.upload(
        b, person=person_b, kind="consent_form", title="X", file=files.upload(), by=carer_b
    )
    assessment_b = handling(person_b, carer_b, timezone.localdate())
    medicine_b = medication.add_medicine(person_b, by=carer_b, **prescription())
    note_b = visit_services.write_handover(person_b, carer_b, "Pharmacy on Thursday", visit_b)
    members.set_creditor(
        b, name="B", identifier="IT66ZZZA1B2C3D4E5F6G7H8", iban="IT60X0542811101000000123456"
    )
    paying_b = factories.admitted_member(class_b, paid=0)
    members.plan_instalments(paying_b, 1, date(2026, 1, 1))
    members.sign_mandate(
        paying_b, debtor_name="X", iban="ES9121000418450200051332", signed_on=date(2026, 1, 1)
    )
    collection_b = members.make_collection(
        b, due_up_to=date(2026, 1, 1), collection_date=date(2026, 1, 7), today=date(2026, 1, 5)
    )
    mark_b = heel_ulcer(person_b, carer_b)
    payer_b = billing.payer(b)
    tariff_b = billing.tariff(b, carer_b)
    allergy_b = medication.add_allergy(person_b, substance="Latex", by=carer_b)
    invoice_b = Invoice.objects.create(
        cooperative=b,
        payer=payer_b,
        first_day=date(2026, 10, 1),
        last_day=date(2026, 10, 31),
        status=InvoiceStatus.ISSUED,
        year=2026,
        number=1,
        issued_on=date(2026, 11, 2),
        due_on=date(2026, 12, 2),
        total=Decimal("0.00"),
    )
    payment_b = Payment.objects.create(
        cooperative=b,
        invoice=invoice_b,
        received_on=date(2026, 11, 3),
        amount=Decimal(1),
        method="cash",
        recorded_by=carer_b,
    )
    daughter_b = factories.user_with_role(b, Role.CIRCLE)
    feedback_b = voice.give_feedback(
        visit_b, daughter_b, score=3, now=visit_b.ends_at + timedelta(hours=1)
    )
    complaint_b = voice.file_complaint(
        person_b, by=carer_b, about="care", description="X", complainant_name="X"
    )
    survey_b = voice.open_survey(
        b,
        by=carer_b,
        year=timezone.localdate().year,
        audience="both",
        closes_on=timezone.localdate() + timedelta(days=30),
    )
    visit_request_b = VisitRequest.objects.create(
        cooperative=b,
        person=person_b,
        kind="cancel",
        visit=visit_b,
        visit_starts_at=visit_b.starts_at,
        reason="x",
        asked_by=carer_b,
        asked_as="circle",
        asked_at=timezone.now(),
    )
    message_b = conversations.send_message(person_b, carer_b, Side.OFFICE, "Door code changed")
    hold_b = retention.place_hold(b, person_b, "dispute", "", by=carer_b)
    rights_request_b = privacy.receive_request(
        b,
        kind="restriction",
        by=carer_b,
        requester_name="X",
        received_on=timezone.localdate(),
        person=person_b,
    )
    breach_b = privacy.record_breach(
        b,
        by=carer_b,
        aware_at=timezone.now(),
        nature="x",
        people_categories="x",
        people_count=1,
        record_categories="x",
        record_count=1,
        consequences="x",
        measures="x",
    )
    a.runs_childcare = b.runs_childcare = True
    a.runs_respite = b.runs_respite = True
    a.save()
    b.save()
    room_b = childcare.add_room(b, name="Babies", from_months=0, to_months=24, capacity=9)
    child_b = childcare.enrol(
        b, full_name="X", born_on=date(2025, 6, 1), enrolled_on=date(2026, 1, 5), room=room_b
    )
    guardian_b = childcare.add_guardian(child_b, full_name="X", by=carer_b)
    consent_b = childcare.give_consent(
        child_b, kind="photos", guardian=guardian_b, given_on=date(2026, 1, 5), by=carer_b
    )
    observation_b = childcare.observe(
        child_b, observed_on=date(2026, 1, 5), area="physical", text="X", by=carer_b
    )
    shift_b = childcare.roster(
        room_b,
        worker=carer_b,
        starts_at=visit_b.starts_at,
        ends_at=visit_b.starts_at + timedelta(minutes=1),
    )
    caregiver_b = respite.register_caregiver(
        b,
        full_name="X",
        cares_for=person_b,
        cares_for_whom="X",
        hours_caring_a_week=1,
        consent_given_on=date(2026, 1, 1),
        since=date(2026, 1, 1),
    )
    gathering_b = respite.plan_gathering(
        b,
        kind="group",
        topic="X",
        starts_at=timezone.now(),
        minutes=60,
        facilitator=carer_b,
        place="X",
    )
    b.runs_household_employment = True
    b.save()
    employer_b = household.add_employer(
        b,
        person_b,
        {
            "name": "X",
            "tax_id": "12345678Z",
            "social_security_account": "28123456742",
            "address": "X",
        },
    )
    household_contract_b = household.start_contract(
        employer_b, carer_b, {"starts_on": date(2025, 1, 1), "hourly_rate": Decimal(10)}
    )
    household_payslip_b = household.make_payslip(household_contract_b, date(2025, 3, 1))
    # Both exchange time credits, so that A's pages reach their lookups.
    a.runs_time_credits = True
    a.save(update_fields=["runs_time_credits"])
    exchange_b = factories.time_exchange(member_b, factories.admitted_member(class_b))
    return {
        "a": a,
        "b": b,
        "user_a": user_a,
        "member_b": member_b,
        "class_b": class_b,
        "ids": {
            "member_id": member_b.pk,
            "person_id": person_b.pk,
            "visit_id": visit_b.pk,
            "record_id": record_b.pk,
            "incident_id": incident_b.pk,
            "assembly_id": assembly_b.pk,
            "motion_id": motion_b.pk,
            "election_id": election_b.pk,
            "code": cast_b.receipt,
            "user_id": carer_b.pk,
            "timesheet_id": Timesheet.objects.get(cooperative=b).pk,
            "pay_run_id": pay_run_b.pk,
            "allocation_id": allocation_b.pk,
            "roster_id": roster_b.pk,
            "run_id": run_b.pk,
            "request_id": request_b.pk,
            "absence_id": absence_b.pk,
            "proposal_id": proposal_b.pk,
            "contract_id": contract_b.pk,
            "kind": "swap",
            "document_id": document_b.pk,
            "version": 1,
            "assessment_id": assessment_b.pk,
            "scale": "must",
            "medicine_id": medicine_b.pk,
            "note_id": note_b.pk,
            "collection_id": collection_b.pk,
            "debit_id": collection_b.debits.get().pk,
            "mark_id": mark_b.pk,
            "payer_id": payer_b.pk,
            "tariff_id": tariff_b.pk,
            "allergy_id": allergy_b.pk,
            "invoice_id": invoice_b.pk,
            "payment_id": payment_b.pk,
            "feedback_id": feedback_b.pk,
            "complaint_id": complaint_b.pk,
            "visit_request_id": visit_request_b.pk,
            "survey_id": survey_b.pk,
            "message_id": message_b.pk,
            "hold_id": hold_b.pk,
            "rights_request_id": rights_request_b.pk,
            "breach_id": breach_b.pk,
            "room_id": room_b.pk,
            "child_id": child_b.pk,
            "adult_id": child_b.adults.get().pk,
            "consent_id": consent_b.pk,
            "observation_id": observation_b.pk,
            "shift_id": shift_b.pk,
            "caregiver_id": caregiver_b.pk,
            "gathering_id": gathering_b.pk,
            "employer_id": employer_b.pk,
            "household_contract_id": household_contract_b.pk,
            "household_payslip_id": household_payslip_b.pk,
            "exchange_id": exchange_b.pk,
            "credit_id": exchange_b.entries.first().pk,
        },
    }


def test_every_page_of_another_cooperative_is_404(client, two_coops):
    factories.log_in(client, two_coops["user_a"])
    b, member_b, ids = two_coops["b"], two_coops["member_b"], two_coops["ids"]
    routes = sorted(set(cooperative_patterns()) - PUBLIC_ROUTES)
    assert len(routes) >= 15
    for route in routes:
        for slug in (b.slug, two_coops["a"].slug):
            plain = {
                "coop": slug,
                "action": "pay",
                "year": 2026,
                "table": "indicators",
                "version": 1,
            }
            url = fill(route, plain | ids)
            if slug == two_coops["a"].slug and url == fill(route, plain | dict.fromkeys(ids, 0)):
                continue  # a page of A with no object of B in it: A's own page, not a leak
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"pay-amount": "1", "pay-on": "2026-01-01"}).status_code in (
                404,
                405,
            ), url
    assert services_untouched(member_b)


def services_untouched(member_b) -> bool:
    """Nothing of co-op B changed: its member's payments, its visit records, its incident,
    its votes, its worker's contract, its handover note, its SEPA collection, its body map,
    its issued invoice (no credit note made against it) and its payment, its feedback and
    complaint, its request about a visit, its satisfaction survey (still unanswered), its
    conversation (one message, none marked), its legal hold (still open), no retention period
    set and no retention run, its rights request (unanswered, nothing restricted), its
    breach (not notified), its household employer's one contract and one payslip, and its
    time credits (one exchange done, no reversal, no terms)."""
    from coopcare.billing.models import PaymentWithdrawal
    from coopcare.bodymap.models import FollowUp, Mark
    from coopcare.conversations.models import Message, NeedsAction
    from coopcare.governance.models import Assembly, Ballot, Motion, VoterRoll
    from coopcare.household.models import Employer, HouseholdContract, HouseholdPayslip
    from coopcare.members.models import Collection, Debit, Mandate, SepaCreditor
    from coopcare.members.services import share_balance
    from coopcare.privacy.models import PersonalDataBreach, Restriction, RightsRequest
    from coopcare.retention.models import LegalHold, RetentionPeriod, RetentionRun
    from coopcare.timecredits.models import CreditEntry, Exchange, Terms
    from coopcare.visits.models import HandoverAcknowledgement, HandoverNote, Incident, VisitRecord
    from coopcare.voice.models import Complaint, Feedback, SurveyAnswer, SurveyAnswered
    from coopcare.work.models import Contract

    return (
        VoterRoll.objects.count() == Ballot.objects.count() == 1
        and Motion.objects.get().status == "open"
        and Assembly.objects.get().status == "called"
        and share_balance(member_b).paid == member_b.stakeholder_class.share_value * 2
        and VisitRecord.objects.count() == 1
        and not Incident.objects.filter(closed_on__isnull=False).exists()
        # Its own incident and the one its body map mark raised.
        and Incident.objects.count() == 2
        and Mark.objects.count() == 1
        and not FollowUp.objects.exists()
        and Contract.objects.get().ends_on is None
        and HandoverNote.objects.get().retired_at is None
        and not HandoverAcknowledgement.objects.exists()
        and Collection.objects.get().confirmed_on is None
        and not Debit.objects.exclude(status="sent").exists()
        and Mandate.objects.get().revoked_on is None
        and SepaCreditor.objects.get().name == "B"
        and Invoice.objects.get().status == "issued"
        and Payment.objects.count() == 1
        and not PaymentWithdrawal.objects.exists()
        and not Feedback.objects.filter(shared_with_carers=True).exists()
        and Complaint.objects.get().status == "received"
        and not SurveyAnswer.objects.exists()
        and not SurveyAnswered.objects.exists()
        and VisitRequest.objects.get().status == "pending"
        and Message.objects.count() == 1
        and not NeedsAction.objects.exists()
        and LegalHold.objects.get().released_at is None
        and not RetentionPeriod.objects.exists()
        and not RetentionRun.objects.exists()
        and RightsRequest.objects.get().status == "received"
        and not Restriction.objects.exists()
        and PersonalDataBreach.objects.get().authority_notified_at is None
        and not PersonalDataBreach.objects.exclude(no_notice_reason="").exists()
        and childcare_untouched()
        and Employer.objects.count() == HouseholdContract.objects.count() == 1
        and HouseholdPayslip.objects.get().month == date(2025, 3, 1)
        and Exchange.objects.get().status == "done"
        and CreditEntry.objects.count() == 2
        and not Terms.objects.exists()
    )


def childcare_untouched() -> bool:
    """Nothing of co-op B's centre changed: its one room and child, the guardian's
    authorisation and consent still in force, its one shift, its one observation not shared,
    no day signed, no refusal, no ratio set, no read of the child's record, and no fee
    schedule, subsidy, fee terms nor fee billed."""
    from coopcare.childcare.models import (
        Attendance,
        AuthorisedAdult,
        Child,
        ChildConsent,
        ChildRecordRead,
        FeeCharge,
        FeeSchedule,
        FeeTerms,
        Observation,
        RatioSetting,
        RefusedCollection,
        Room,
        Shift,
        Subsidy,
    )

    return (
        Room.objects.count() == Child.objects.count() == Shift.objects.count() == 1
        and AuthorisedAdult.objects.get().withdrawn_at is None
        and ChildConsent.objects.get().withdrawn_on is None
        and not Attendance.objects.exists()
        and not RefusedCollection.objects.exists()
        and not RatioSetting.objects.exists()
        and not ChildRecordRead.objects.exists()
        and Observation.objects.get().shared_at is None
        and not FeeSchedule.objects.exists()
        and not Subsidy.objects.exists()
        and not FeeTerms.objects.exists()
        and not FeeCharge.objects.exists()
    )


def openapi_operations(client, token):
    schema = client.get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    for path, operations in schema["paths"].items():
        for method in operations:
            yield path, method


def test_every_api_endpoint_of_another_cooperative_is_404(client, two_coops):
    _token, raw = ApiToken.issue(two_coops["user_a"], "test")
    b, member_b, ids = two_coops["b"], two_coops["member_b"], two_coops["ids"]
    # One body that every endpoint's schema accepts, so each call reaches the cooperative check.
    body = {
        "on": "2026-03-01",
        "shares": 1,
        "amount": "1.00",
        "to_member_id": member_b.pk,
        "stakeholder_class_id": two_coops["class_b"].pk,
        "full_name": "X",
        "applied_on": "2026-03-01",
        "reason": "test",
        "address": "Via X 1",
        "latitude": "44.5",
        "longitude": "11.3",
        "client_id": "8d0f6a9e-3f0e-4d0a-9b7c-2f4e5b6a7c8d",
        "at": "2026-11-20T09:00:00+01:00",
        "steps": [],
        "occurred_at": "2026-11-20T09:10:00+01:00",
        "kind": "fall",
        "severity": "low",
        "description": "test",
        "domain": "social",
        "notes": "test",
        "valid_from": "2026-12-01",
        "goals": "test",
        "tasks": [],
        "relationship": "family",
        "granted_by": "test",
        "granted_on": "2026-03-01",
        "given_by": "test",
        "method": "phone",
        "status": "paused",
        "carers": [],
        "accept": True,
    }
    later = (timezone.now() + timedelta(days=30)).isoformat()
    visit_b = Visit.objects.get(cooperative=b)
    billing_prices = {k: str(v) for k, v in billing.PRICES.items()}
    medicine = {k: str(v) if v is not None else v for k, v in prescription().items()} | {
        "times": ["08:00"]
    }
    by_path = {
        # Before "/consents" of care, which ends the same way.
        "{child_id}/consents": {"kind": "photos", "guardian_id": 1, "given_on": "2026-03-01"},
        "/childcare/rooms": {"name": "X", "from_months": 0, "to_months": 12, "capacity": 1},
        "{room_id}/shifts": {"worker_id": 1, "starts_at": later, "ends_at": later},
        "/childcare/children": {"born_on": "2025-01-01", "enrolled_on": "2026-01-01"},
        "{child_id}/adults": {"relation": "X"},
        "{child_id}/observations": {"observed_on": "2026-03-01", "area": "physical", "text": "X"},
        "/sign-in": {"adult_id": 1},
        "/childcare/ratios": {"from_months": 0, "to_months": 12, "children_per_adult": 3},
        "/childcare/fee-schedules": {"bands": [{"income_up_to": None, "monthly_fee": "1.00"}]},
        "/childcare/subsidies": {"name": "X", "payer_id": 1, "kind": "fixed"},
        "{child_id}/fee-terms": {"guardian_id": 1},
        "/childcare/fee-runs": {"month": "2026-03-01"},
        "/consents": {"kind": "care"},
        "/assemblies": {"kind": "ordinary", "title": "X", "starts_at": later, "place": "Hall"},
        "/attendance": {"member_id": member_b.pk},
        "/proxies": {"holder_member_id": member_b.pk},
        "/motions": {"title": "X", "text": "X"},
        "/elections": {"title": "X", "method": "plurality", "candidate_member_ids": [member_b.pk]},
        "/votes": {"choice": "for"},
        "/timesheets": {"starts_on": "2026-11-01", "ends_on": "2026-11-30"},
        "/pay-runs": {"starts_on": "2026-11-01", "ends_on": "2026-11-15"},
        "/roster-runs": {"first_day": "2026-12-01", "last_day": "2026-12-02"},
        "/roster-requests": {"visit_id": visit_b.pk, "kind": "swap"},
        "/decision": {"accept": True},
        "/documents": {"kind": "statutes", "title": "X"},
        "/signatures": {"plan_version": 1, "signer_name": "X", "capacity": "self"},
        "/sick-reports": {"last_day": "2026-12-01"},
        "/accept": {"changes": [1]},
        "/status": {"kind": "pause"},
        "/cancel": {"requested_by": "person"},
        "/people/{person_id}/visits": {"task_id": 1, "starts_at": later, "minutes": 30},
        "/risk-assessments": {"kind": "falls", "scale": "steadi_frq", "assessed_on": "2026-03-01"},
        "/goals": {"words": "X", "set_on": "2026-03-01"},
        "/reviews": {"held_on": "2026-03-01", "changes": "X"},
        "/medicines": medicine,
        "{medicine_id}/versions": medicine,
        "/allergies": {"substance": "X"},
        "/doses": {"medicine_id": ids["medicine_id"], "outcome": "given"},
        "{medicine_id}/stock": {"unit": "tablets"},
        "/stock/received": {"quantity": "1", "supplier": "pharmacy"},
        "/stock/counts": {"quantity": "1"},
        "/handover-notes": {"text": "X"},
        "/instalments": {"count": 1, "first_due": "2026-03-01"},
        "/mandates": {
            "debtor_name": "X",
            "iban": "ES9121000418450200051332",
            "signed_on": "2026-03-01",
        },
        "/sepa-creditor": {
            "name": "A",
            "identifier": "DE98ZZZ09999999999",
            "iban": "ES9121000418450200051332",
        },
        "/collections": {"due_up_to": "2026-03-01", "collection_date": "2026-03-04"},
        "/return": {"reason": "AM04"},
        "/body-marks": {"side": "front", "region": "chest", "kind": "bruise"},
        "/follow-ups": {"status": "same"},
        "/payers": {"kind": "other", "name": "X"},
        "{payer_id}": {"kind": "other", "name": "X"},
        "/tariffs": {"name": "X", "service_type": "sitting", "prices": billing_prices},
        "{tariff_id}/versions": billing_prices,
        "/agreements": {"payer_id": ids["payer_id"], "valid_from": "2026-12-01", "tariff_ids": []},
        "/budget-policy": {"beyond": "refuse"},
        "/invoice-runs": {"first_day": "2026-11-01", "last_day": "2026-11-30"},
        "/invoicing-details": {
            "vat_number": "07654320378",
            "street": "X",
            "postcode": "1",
            "town": "X",
        },
        "{invoice_id}/payments": {"received_on": "2026-11-03", "method": "cash"},
        "/door": {"conditions": [], "advance_decisions": [], "access": {}},
        "/feedback": {"score": 3},
        "/sharing": {"shared": True},
        "/complaints": {"about": "care"},
        "/steps": {"step": "acknowledged"},
        "/complaint-policy": {
            "acknowledge_working_days": 3,
            "answer_working_days": 20,
            "appeal_working_days": 20,
        },
        "/visit-requests": {"kind": "cancel", "visit_id": visit_b.pk, "at": None},
        "/circle/carers": {"preferred": [], "refused": []},
        "/photo/shown": {"shown": True},
        "/surveys": {"year": 2026, "audience": "both", "closes_on": "2099-01-01"},
        "/answers": {"scores": [3, 3, 3]},
        "/phone-answers": {"side": "circle", "scores": [3, 3, 3]},
        "/messages": {"text": "X"},
        "/phone-confirmations": {"record_ids": [ids["record_id"]]},
        "/retention/periods": {"kind": "messages", "years": 2},
        "/retention/holds": {"person_id": ids["person_id"], "reason": "dispute"},
        "/rights-requests": {"kind": "access", "requester_name": "X", "received_on": "2026-03-01"},
        "/answer": {"answer": "X"},
        "/breaches": {
            "aware_at": "2026-03-01T09:00:00+01:00",
            "nature": "X",
            "people_categories": "X",
            "people_count": 1,
            "record_categories": "X",
            "record_count": 1,
            "consequences": "X",
            "measures": "X",
        },
        "/authority": {"no_notice_reason": "X"},
        "/people-told": {"reason": "X"},
        "/caregivers": {
            "cares_for_whom": "X",
            "hours_caring_a_week": 1,
            "consent_given_on": "2026-03-01",
            "since": "2026-03-01",
        },
        "/support-plans": {"respite_hours_a_month": 1},
        "/gatherings": {
            "kind": "group",
            "topic": "X",
            "starts_at": later,
            "minutes": 60,
            "place": "Hall",
            "facilitator_id": ids["user_id"],
        },
        "/enrolments": {"caregiver_id": ids["caregiver_id"]},
        "/attended": {"caregiver_ids": [ids["caregiver_id"]]},
        "/households": {
            "person_id": ids["person_id"],
            "name": "X",
            "tax_id": "12345678Z",
            "social_security_account": "28123456742",
        },
        "{employer_id}/contracts": {
            "carer_id": ids["user_id"],
            "starts_on": "2025-01-01",
            "hourly_rate": "10.00",
        },
        "/payslips": {"month": "2025-04-01"},
        "/time-credits/exchanges": {"direction": "offer", "kind": "lift", "words": "X"},
        "/confirmation": {"hours": "1", "done_on": "2026-11-20"},
        "/time-credits/terms": {"most_hours": "1", "overdraft": "1", "welcome_hours": "0"},
        "{household_contract_id}/end": {"ends_on": "2025-05-31"},
    }
    # Uploads are multipart forms: the file beside the other fields.
    uploads = ("/documents", "{document_id}/versions", "/me/photo")
    checked = 0
    for path, method in openapi_operations(client, raw):
        if "{coop}" not in path:
            continue
        for slug in (b.slug, two_coops["a"].slug):
            if slug == two_coops["a"].slug and "_id}" not in path:
                continue  # A's own collections
            url = path.replace("{coop}", slug)
            for name, pk in ids.items():
                url = url.replace("{" + name + "}", str(pk))
            assert "{" not in url, f"map the parameters of {path} in this test"
            data = body | next((v for k, v in by_path.items() if path.endswith(k)), {})
            if method == "get":
                response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
            elif method == "post" and path.endswith(uploads):
                response = client.post(
                    url, data | {"file": files.upload()}, HTTP_AUTHORIZATION=f"Bearer {raw}"
                )
            else:
                response = getattr(client, method)(
                    url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
                )
            assert response.status_code == 404, (method, url, response.content)
            assert "detail" in response.json()
            checked += 1
    assert checked >= 40
    assert services_untouched(member_b)


def test_roles_in_one_cooperative_give_nothing_in_another(client, two_coops):
    factories.log_in(client, two_coops["user_a"])
    assert client.get(f"/c/{two_coops['a'].slug}/").status_code == 200
    assert client.get(f"/c/{two_coops['b'].slug}/").status_code == 404
    assert client.get("/c/no-such-coop/").status_code == 404
