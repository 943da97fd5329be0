"""The person's data export (GDPR art. 15 access, art. 20 portability): every section of
every app, for this person only, moments on the cooperative's clock, and the download with
the files it names."""

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from coopcare.care import access as care_access
from coopcare.care import export
from coopcare.care import services as care_services
from coopcare.conversations import services as conversation_services
from coopcare.conversations.models import Side
from coopcare.cooperatives.models import Role
from coopcare.documents import services as document_services
from coopcare.medication import services as medication_services
from coopcare.risks import services as risk_services
from coopcare.visits import services as visit_services
from coopcare.voice import services as voice_services
from tests import factories
from tests.bodymap.conftest import heel_ulcer
from tests.care.conftest import KATZ_ALL_INDEPENDENT
from tests.care.test_signatures import PNG
from tests.documents import files
from tests.medication.conftest import prescription
from tests.risks.conftest import falls

# Every key the export gives, whichever app writes it.
SECTIONS = {
    "person", "status_history", "consents", "circle", "assessments", "care_plans", "visits",
    "visit_records", "incidents", "record_changes", "record_edits", "signatures",
    "record_reads", "allergies", "medicines", "doses", "risk_assessments", "goals", "reviews",
    "documents", "care_breaks", "cancellations", "handover_notes", "body_marks",
    "at_the_door", "medicine_stock", "feedback", "complaints", "conversation",
}  # fmt: skip
# An ISO moment with its offset: on Rome's clock, +01:00 or +02:00, never UTC's +00:00.
MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d)$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"


def someone_with_everything(coop, coordinator, full_name: str):
    """A person as the demo has them: a signed care plan and consent, a visit recorded with
    a dose given, an allergy, a medicine changed once, a falls assessment, a goal rated at a
    review, a consent form kept as a document, a handover note, a mark on the body map, what
    to know at the door, the record edited and read."""
    carer = factories.user_with_role(coop, Role.CARER, first_name=f"Carer of {full_name}")
    person = factories.person_cared_for(coop, full_name=full_name)
    began = timezone.localtime() - timedelta(minutes=30)
    visit = factories.visit(
        person, [carer], day=began.date(), start_time=began.time().replace(second=0, microsecond=0)
    )
    care_services.sign_care_plan(
        person.plans.get(), signer_name=full_name, capacity="self", drawing=PNG, by=coordinator
    )
    care_services.edit_person(person, coordinator, phone="+39 051 000")
    care_services.give_consent(person, "care", full_name, date(2026, 1, 1), by=coordinator)
    care_services.add_to_circle(
        person,
        full_name=f"Daughter of {full_name}",
        relationship="family",
        granted_by=full_name,
        granted_on=date(2026, 1, 1),
    )
    care_services.record_assessment(
        person,
        domain="physical",
        on=date(2026, 1, 2),
        assessor=coordinator,
        scale="katz_adl",
        items=KATZ_ALL_INDEPENDENT,
    )
    visit_services.report_incident(
        visit,
        carer,
        occurred_at=visit.starts_at,
        kind="fall",
        severity="medium",
        description=f"{full_name} found on the floor, conscious",
    )
    care_access.log_read(coordinator, person, "record")
    later = factories.visit(person, [carer], day=began.date() + timedelta(days=3))
    visit_services.cancel_visit(later, "person", "At the dentist", coordinator)
    visit_services.start_break(
        person,
        "hospital",
        began.date() + timedelta(days=10),
        coordinator,
        last_day=began.date() + timedelta(days=12),
        reason="Hip operation",
    )
    medication_services.add_allergy(person, substance=f"penicillin {full_name}", by=coordinator)
    medicine = medication_services.add_medicine(person, by=coordinator, **prescription())
    medication_services.track_stock(medicine, by=coordinator, unit="tablet")
    medication_services.count_stock(medicine, by=coordinator, quantity=Decimal(28))
    medication_services.change_medicine(
        medicine,
        by=coordinator,
        reason="Blood pressure still high",
        **prescription(strength="10 mg"),
    )
    visit_services.check_in(visit, carer, client_id=uuid4(), at=timezone.now())
    medication_services.record_dose(
        visit,
        medication_services.add_medicine(
            person,
            by=coordinator,
            **prescription(
                name="Paracetamol",
                schedule="as_needed",
                times=[],
                max_per_day=4,
                min_gap_minutes=240,
            ),
        ),
        by=carer,
        outcome="given",
    )
    today = timezone.localdate()
    falls(person, coordinator, today, fallen="yes", walking_aid="yes")
    goal = risk_services.set_goal(
        person, words=f"Walk to the market, {full_name}", set_on=today, by=coordinator
    )
    risk_services.record_review(
        person,
        held_on=today,
        changes="Walks with a frame now",
        by=coordinator,
        carer_ids=[carer.pk],
        ratings={goal.pk: 0},
        today=today,
    )
    visit_services.write_handover(
        person, carer, f"{full_name} was low today, check she ate", visit=visit
    )
    heel_ulcer(person, carer, description=f"Red patch on {full_name}'s heel")
    factories.door_facts(person, coordinator)
    document_services.upload(
        coop,
        person=person,
        kind="consent_form",
        title="Consent to care",
        file=files.upload(),
        by=coordinator,
    )
    daughter = factories.user_with_role(coop, Role.CIRCLE, first_name=f"Daughter of {full_name}")
    voice_services.give_feedback(visit, daughter, score=4, words=f"Kind to {full_name}")
    voice_services.file_complaint(
        person,
        by=coordinator,
        about="care",
        description=f"{full_name}'s shower was skipped",
        complainant_name=f"Daughter of {full_name}",
    )
    conversation_services.send_message(
        person, carer, Side.CARER, f"{full_name} asked for her glasses to be mended"
    )
    return person


@pytest.fixture
def ada(coop, coordinator):
    return someone_with_everything(coop, coordinator, "Ada Rossi")


def moments(value):
    """Every string in ``value`` that is a moment (a date and a time)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from moments(item)
    elif isinstance(value, list):
        for item in value:
            yield from moments(item)
    elif isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\dT", value):
        yield value


def test_the_export_holds_every_section_of_every_app(ada, coordinator):
    data = export.person_data(ada)
    assert set(data) == SECTIONS
    assert [key for key in sorted(SECTIONS) if not data[key]] == []
    [medicine, _paracetamol] = data["medicines"]
    assert [v["version"] for v in medicine["versions"]] == [2, 1]
    assert medicine["versions"][0]["why"] == "Blood pressure still high"
    assert medicine["versions"][0]["by"] == coordinator.get_full_name()
    assert data["doses"][0]["outcome"] == "given"
    [falls_assessment] = data["risk_assessments"]
    assert (falls_assessment["total"], falls_assessment["band"]) == (4, "high")
    assert falls_assessment["signed_by"] == coordinator.get_full_name()
    [review] = data["reviews"]
    assert review["what_changed"] == "Walks with a frame now"
    assert review["carers"] == [ada.visits.earliest("starts_at").carers.get().get_full_name()]
    assert data["goals"][0]["ratings"] == [{"review_held_on": review["held_on"], "rating": 0}]
    [document] = data["documents"]
    [version] = document["versions"]
    assert (version["type"], version["size"]) == ("application/pdf", len(files.PDF))
    assert version["sha256"] == hashlib.sha256(files.PDF).hexdigest()
    [signature] = data["signatures"]
    assert signature["care_plan_version"] == 1
    assert signature["drawing_file"] == f"signatures/signature-{ada.signatures.get().pk}.png"
    assert "phone" in [edit["fields"] for edit in data["record_edits"]]
    json.dumps(data)  # plain JSON values only


def test_the_export_holds_nothing_of_another_person_or_cooperative(ada, coop, coordinator):
    someone_with_everything(coop, coordinator, "Bruno Neri")
    elsewhere = factories.CooperativeFactory()
    someone_with_everything(
        elsewhere, factories.user_with_role(elsewhere, Role.COORDINATOR), "Carla Verdi"
    )
    text = json.dumps(export.person_data(ada))
    assert "Ada Rossi" in text
    assert "Bruno Neri" not in text
    assert "Carla Verdi" not in text


def test_moments_are_on_the_cooperatives_clock(ada):
    """The dose recorded at 10:00 UTC on 20 November was given at 11:00 in Rome: the export
    says 11:00+01:00, as every moment it holds carries Rome's offset."""
    # A dose record is kept as written: the test moves it in the database, past the guard.
    QuerySet.update(ada.doses.all(), at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    data = export.person_data(ada)
    assert data["doses"][0]["at"] == "2026-11-20T11:00:00+01:00"
    found = list(moments(data))
    assert len(found) > 10
    for moment in found:
        assert MOMENT.match(moment), moment
        assert moment[-6:] in ("+01:00", "+02:00"), moment


def test_the_download_bundles_the_data_with_the_documents_and_drawings(
    client, coop, ada, coordinator
):
    factories.log_in(client, coordinator)
    response = client.get(f"/c/{coop.slug}/people/{ada.pk}/export.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    [version] = data["documents"][0]["versions"]
    kept = archive.read(version["file"])
    assert hashlib.sha256(kept).hexdigest() == version["sha256"]
    assert archive.read(data["signatures"][0]["drawing_file"]) == PNG
    assert set(archive.namelist()) == {
        "data.json",
        version["file"],
        data["signatures"][0]["drawing_file"],
    }
    assert ada.reads.filter(user=coordinator, record="export").count() == 1


def test_a_deleted_documents_description_stays_without_its_file(ada, coordinator):
    document = ada.documents.get()
    document_services.delete(document, by=coordinator, reason="Replaced by the signed plan")
    data = export.person_data(ada)
    [version] = data["documents"][0]["versions"]
    assert version["file"] is None
    assert version["sha256"] == hashlib.sha256(files.PDF).hexdigest()
    assert data["documents"][0]["deletion_reason"] == "Replaced by the signed plan"
    assert [f.path for f in export.person_files(ada)] == [data["signatures"][0]["drawing_file"]]


def test_a_section_cannot_take_a_key_another_gives(ada, monkeypatch):
    monkeypatch.setattr(export, "_SECTIONS", [lambda person: {"doses": []}, *export._SECTIONS])
    with pytest.raises(ValueError, match="doses"):
        export.person_data(ada)


def test_a_section_registers_once(monkeypatch):
    monkeypatch.setattr(export, "_SECTIONS", [])

    def section(person):
        return {}

    export.on_export(section)
    export.on_export(section)
    assert [section] == export._SECTIONS


def test_deleting_a_person_leaves_nothing_of_theirs_behind(ada):
    """coopcare has no erasure yet (docs/rules.md, Privacy): deleting a person is refused
    while the other apps hold records of them, rather than orphaning those records."""
    with pytest.raises(ProtectedError):
        ada.delete()
    assert ada.medicines.exists() and ada.risk_assessments.exists() and ada.documents.exists()
