"""The whole API against its own OpenAPI schema, with generated requests (Schemathesis).

Every operation is called with requests generated from the schema, valid and not, as a
coordinator and as a carer, against a seeded cooperative: no answer may be a server error,
and every answer must be one the schema documents, with the documented body. The number of
requests is bounded (``EXAMPLES`` per operation and role), so the run takes about a minute.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from coopcare.accounts.models import ApiToken
from coopcare.billing import invoicing, payments
from coopcare.care import services as care_services
from coopcare.childcare import services as childcare
from coopcare.conversations import services as conversations
from coopcare.conversations.models import Side
from coopcare.cooperatives.models import Role
from coopcare.documents import services as documents
from coopcare.governance.services.assemblies import call_assembly
from coopcare.governance.services.questions import propose_motion
from coopcare.household import services as household
from coopcare.medication import services as medication
from coopcare.members import services as members_services
from coopcare.members.models import StakeholderKind
from coopcare.privacy import services as privacy
from coopcare.respite import services as respite
from coopcare.retention import services as retention
from coopcare.timecredits import services as timecredits
from coopcare.visits import requests
from coopcare.visits.services import write_handover
from coopcare.voice import services as voice
from coopcare.work.services import photos
from tests import factories
from tests.billing import conftest as billing
from tests.bodymap.conftest import heel_ulcer
from tests.documents import files
from tests.medication.conftest import prescription
from tests.push import conftest as push
from tests.risks.conftest import handling
from tests.work.images import picture

EXAMPLES = 12
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def seeded(db):
    """A small cooperative with something behind every kind of id the API takes."""
    coop = factories.CooperativeFactory(name="Cura Insieme", slug="cura")
    coordinator = factories.user_with_role(coop, Role.COORDINATOR, Role.BOARD, username="co")
    carer = factories.user_with_role(coop, Role.CARER, username="carer")
    workers = factories.StakeholderClassFactory(
        cooperative=coop, name="Workers", kind=StakeholderKind.WORKER, probation_days=0
    )
    users = factories.StakeholderClassFactory(
        cooperative=coop, name="Families", kind=StakeholderKind.FAMILY, share_value=Decimal("25")
    )
    members = [factories.admitted_member(workers, user=coordinator)]
    members += [factories.admitted_member(users) for _ in range(3)]
    person = factories.person_cared_for(coop)
    planned = factories.visit(person, carers=[carer], day=date(2026, 11, 20))
    factories.recorded_visit(planned, carer)
    later = factories.visit(person, carers=[carer], day=date(2026, 11, 21))
    starts = timezone.make_aware(datetime.combine(date(2027, 3, 1), time(18)))
    assembly = call_assembly(
        coop,
        kind="ordinary",
        title="Spring assembly",
        starts_at=starts,
        called_on=date(2027, 1, 2),
        place="Sala Borsa",
    )
    motion = propose_motion(coop, assembly=assembly, title="Accounts", text="Approve")
    consent = documents.upload(
        coop,
        person=person,
        kind="consent_form",
        title="Consent",
        file=files.upload(),
        by=coordinator,
    )
    assessment = handling(person, coordinator, date(2026, 11, 20))
    ramipril = medication.add_medicine(person, by=coordinator, **prescription())
    medication.track_stock(ramipril, by=coordinator, unit="tablets")
    handover = write_handover(person, coordinator, "The pharmacy delivers on Thursday")
    members_services.set_creditor(
        coop, name="Cura", identifier="IT66ZZZA1B2C3D4E5F6G7H8", iban="IT60X0542811101000000123456"
    )
    paying = factories.admitted_member(users, paid=0, shares=2)
    members_services.plan_instalments(paying, 2, date(2026, 1, 1))
    members_services.sign_mandate(
        paying, debtor_name="X", iban="ES9121000418450200051332", signed_on=date(2026, 1, 1)
    )
    collection = members_services.make_collection(
        coop, due_up_to=date(2026, 1, 1), collection_date=date(2026, 1, 7), today=date(2026, 1, 5)
    )
    members.append(paying)
    mark = heel_ulcer(person, coordinator)
    comune = billing.payer(coop)
    care = billing.tariff(coop, coordinator)
    invoices = _invoices(coop, coordinator, comune, care)
    latex = medication.add_allergy(person, substance="Latex", by=coordinator)
    factories.door_facts(person, coordinator)
    payment = payments.record_payment(
        invoices[0], {"received_on": invoices[0].issued_on, "amount": Decimal(1)}, by=coordinator
    )
    daughter = factories.user_with_role(coop, Role.CIRCLE, username="daughter")
    feedback = voice.give_feedback(
        planned, daughter, score=4, now=planned.ends_at + timedelta(hours=1)
    )
    complaint = voice.file_complaint(
        person, by=coordinator, about="care", description="Late", complainant_name="Daughter"
    )
    family = factories.user_with_role(coop, Role.CIRCLE, username="family")
    grant = care_services.add_to_circle(
        person,
        user=family,
        full_name="Family",
        relationship="family",
        may_see_visits=True,
        granted_by="Person",
        granted_on=date(2026, 1, 1),
    )
    coming = factories.visit(person, carers=[carer], day=timezone.localdate() + timedelta(days=5))
    survey = voice.open_survey(
        coop,
        by=coordinator,
        year=timezone.localdate().year,
        audience="both",
        closes_on=timezone.localdate() + timedelta(days=30),
    )
    asked = requests.ask(person, "cancel", "Away", family, grant, visit=coming)
    # The carer's photo, shown: the photo operations reach their code, not a 404.
    photos.set_photo(coop, carer, picture())
    photos.show_photo(coop, carer, True)
    asking = conversations.send_message(person, family, Side.CIRCLE, "Can she have a bath?")
    conversations.send_message(person, coordinator, Side.OFFICE, "We will ask the nurse.")
    conversations.mark_needs_action(asking, coordinator)
    hold = retention.place_hold(coop, person, "complaint", "Family's complaint", by=coordinator)
    # A browser of each login, subscribed while the installation had a key.
    with override_settings(VAPID_PRIVATE_KEY=push.KEY):
        devices = [push.subscribed(u, u.username) for u in (coordinator, carer)]
    rights_request = privacy.receive_request(
        coop,
        kind="portability",
        by=coordinator,
        requester_name="Family",
        received_on=timezone.localdate(),
        person=person,
    )
    breach = privacy.record_breach(
        coop,
        by=coordinator,
        aware_at=timezone.now() - timedelta(hours=1),
        nature="A letter sent to the wrong address",
        people_categories="people cared for",
        people_count=1,
        record_categories="invoice",
        record_count=1,
        consequences="A name and an amount seen by a neighbour",
        measures="The neighbour returned it",
    )
    coop.runs_childcare = coop.runs_respite = True
    coop.save()
    babies = childcare.add_room(coop, name="Babies", from_months=0, to_months=24, capacity=9)
    amira = childcare.enrol(
        coop, full_name="Amira", born_on=date(2025, 6, 1), enrolled_on=date(2026, 1, 5), room=babies
    )
    hana = childcare.add_guardian(amira, full_name="Hana", by=coordinator)
    photo_consent = childcare.give_consent(
        amira, kind="photos", guardian=hana, given_on=date(2026, 1, 5), by=coordinator
    )
    childcare.give_consent(
        amira, kind="observations", guardian=hana, given_on=date(2026, 1, 5), by=coordinator
    )
    observation = childcare.observe(
        amira, observed_on=date(2026, 1, 6), area="physical", text="Crawled", by=coordinator
    )
    caregiver = respite.register_caregiver(
        coop,
        full_name="Lucia",
        cares_for=person,
        cares_for_whom="Her mother",
        hours_caring_a_week=40,
        consent_given_on=date(2026, 1, 1),
        since=date(2026, 1, 1),
    )
    gathering = respite.plan_gathering(
        coop,
        kind="group",
        topic="Living with dementia",
        starts_at=timezone.now() - timedelta(hours=1),
        minutes=90,
        facilitator=carer,
        place="Casa del Quartiere",
    )
    respite.enrol(gathering, caregiver)
    coop.runs_household_employment = True
    coop.save()
    employer = household.add_employer(
        coop,
        person,
        {
            "name": "Javier Ruiz",
            "tax_id": "12345678Z",
            "social_security_account": "28123456742",
            "address": "Calle de Toledo 12, Madrid",
        },
    )
    household_contract = household.start_contract(
        employer, carer, {"starts_on": date(2025, 1, 1), "hourly_rate": Decimal(10)}
    )
    household_payslip = household.make_payslip(household_contract, date(2025, 3, 1))
    # A lift the coordinator gave a family member, and a request still open.
    lift = factories.time_exchange(members[0], members[1])
    coop.refresh_from_db()  # switched to time credits by the exchange
    open_request = timecredits.post(
        coop, members[2], direction="request", kind="shopping", words="Bread on Fridays"
    )
    ids = {
        "member_id": [m.pk for m in members],
        "person_id": [person.pk],
        "visit_id": [planned.pk, later.pk],
        "record_id": list(planned.records.values_list("pk", flat=True)),
        "assembly_id": [assembly.pk],
        "motion_id": [motion.pk],
        "document_id": [consent.pk],
        "version": [1],
        "user_id": [carer.pk],
        "assessment_id": [assessment.pk],
        "medicine_id": [ramipril.pk],
        "note_id": [handover.pk],
        "collection_id": [collection.pk],
        "debit_id": list(collection.debits.values_list("pk", flat=True)),
        "mark_id": [mark.pk],
        "payer_id": [comune.pk],
        "tariff_id": [care.pk],
        "allergy_id": [latex.pk],
        "invoice_id": [i.pk for i in invoices],
        "payment_id": [payment.pk],
        "feedback_id": [feedback.pk],
        "complaint_id": [complaint.pk],
        "visit_request_id": [asked.pk],
        "survey_id": [survey.pk],
        "message_id": [asking.pk],
        "subscription_id": [d.pk for d in devices],
        "hold_id": [hold.pk],
        "rights_request_id": [rights_request.pk],
        "breach_id": [breach.pk],
        "room_id": [babies.pk],
        "child_id": [amira.pk],
        "adult_id": [amira.adults.get().pk],
        "consent_id": [photo_consent.pk],
        "observation_id": [observation.pk],
        "caregiver_id": [caregiver.pk],
        "gathering_id": [gathering.pk],
        "employer_id": [employer.pk],
        "household_contract_id": [household_contract.pk],
        "household_payslip_id": [household_payslip.pk],
        "exchange_id": [lift.pk, open_request.pk],
        "credit_id": list(lift.entries.values_list("pk", flat=True)),
    }
    return coop, {"coordinator": coordinator, "carer": carer}, ids


def _invoices(coop, coordinator, comune, care):
    """An issued invoice to the municipality and the family's draft, for a week's visit of a
    person of their own (so that the other operations' visits are left as they are)."""
    person = factories.person_cared_for(coop, full_name="Anna Rossi")
    setting = {
        "coop": coop,
        "coordinator": coordinator,
        "person": person,
        "comune": comune,
        "family": billing.payer(coop, name="Marco Rossi", kind="family"),
        "tariff": care,
    }
    monday, _tuesday = billing.week_of_visits(setting)
    billing.done(setting, monday)
    run = invoicing.run_invoices(coop, billing.MONDAY, billing.MONDAY, by=coordinator)
    issued = invoicing.issue(run.invoices.get(payer=comune), by=coordinator)
    return [issued, run.invoices.get(payer=setting["family"])]


def _pinned(coop_slug: str, ids: dict[str, list[int]]):
    """Most requests name the seeded cooperative and its real objects, so that they reach
    the code behind the lookups; the rest keep what was generated (unknown ids: 404)."""

    def pin(drawn):
        case, real, choices = drawn
        if "coop" in case.path_parameters:
            case.path_parameters["coop"] = coop_slug
        for name in case.path_parameters or {}:
            if real and ids.get(name):
                case.path_parameters[name] = ids[name][choices % len(ids[name])]
        return case

    return pin


@pytest.fixture
def app():
    """The WSGI application, as the test client runs it: each request keeps the test's
    database connection (Django would close it at the end of a request, and with it the
    test's transaction on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["coordinator", "carer"])
def test_every_operation_answers_as_its_schema_says(seeded, app, role):
    coop, users, ids = seeded
    _token, raw = ApiToken.issue(users[role], "conformance")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60
    for operation in operations:
        cases = st.tuples(operation.as_strategy(), st.booleans(), st.integers(0, 10)).map(
            _pinned(coop.slug, ids)
        )

        @given(case=cases)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {raw}"}, checks=CHECKS)

        try:
            call()
        except BaseException as failure:  # gathered, and reported all at once below
            if isinstance(failure, KeyboardInterrupt):
                raise
            failures.append(f"{operation.method.upper()} {operation.path}\n{failure}")
    assert not failures, "\n\n".join(failures)
