"""Anonymising a person also blanks the free text written about them in the care plan, the
risk assessments (notes, goals, reviews) and the body map (descriptions, follow-ups), keeping
the rows with their scores, bands, dates and regions, and deletes the files uploaded on them,
keeping the documents as deleted, and blanks the words of feedback and of closed complaints;
a held person keeps everything."""

from datetime import date, datetime

import pytest
from django.core.files.storage import default_storage

from coopcare.bodymap import services as bodymap
from coopcare.bodymap.models import FollowUp, Mark
from coopcare.care.models import CarePlan, CareTask
from coopcare.documents import services as documents
from coopcare.documents.models import Document
from coopcare.retention import services
from coopcare.risks import services as risks
from coopcare.risks.models import Goal, Review, RiskAssessment
from coopcare.visits import services as visits
from coopcare.voice import services as voice
from tests.documents import files
from tests.retention.conftest import ROME, TODAY
from tests.risks.conftest import FALLS_LOW

pytestmark = pytest.mark.django_db

ON = date(2016, 6, 1)


def _written_about(person, coordinator, name: str) -> None:
    CareTask.objects.filter(plan__person=person).update(instructions=f"{name} likes tea first.")
    risks.assess(
        person,
        kind="falls",
        scale="steadi_frq",
        answers=FALLS_LOW,
        assessed_on=ON,
        by=coordinator,
        today=ON,
        notes=f"{name}'s rug in the hall.",
    )
    risks.set_goal(person, words="Walk to the market.", set_on=ON, by=coordinator, today=ON)
    risks.record_review(
        person, held_on=ON, changes="Rug removed.", by=coordinator, others="Dr Moretti", today=ON
    )
    mark = bodymap.add_mark(
        person,
        by=coordinator,
        side="back",
        region="left_heel",
        kind="pressure_ulcer",
        category="1",
        description=f"{name}'s heel is red.",
        at=datetime(2016, 6, 1, 10, 0, tzinfo=ROME),
    )
    bodymap.follow_up(
        mark,
        by=coordinator,
        status="healed",
        notes="Skin intact.",
        at=datetime(2016, 6, 8, 10, 0, tzinfo=ROME),
    )
    visits.close_incident(mark.incident, date(2016, 6, 8), "Healed.")


def test_anonymising_blanks_what_was_written_about_the_person_and_keeps_the_held(
    coop, coordinator, past
):
    free, held = past
    for person, name in ((free, "Edith"), (held, "Walter")):
        _written_about(person, coordinator, name)

    services.run_retention(coop, today=TODAY)

    assert CarePlan.objects.get(person=free).goals == ""
    assert CareTask.objects.get(plan__person=free).instructions == ""
    falls = RiskAssessment.objects.get(person=free)
    assert falls.notes == "" and falls.band == RiskAssessment.objects.get(person=held).band
    assert Goal.objects.get(person=free).words == ""
    assert (Review.objects.get(person=free).changes, Review.objects.get(person=free).others) == (
        "",
        "",
    )
    mark = Mark.objects.get(person=free)
    assert mark.description == "" and mark.region == "left_heel"
    assert FollowUp.objects.get(mark=mark).notes == ""

    assert CarePlan.objects.get(person=held).goals == "Stay safely at home"
    assert CareTask.objects.get(plan__person=held).instructions == "Walter likes tea first."
    assert RiskAssessment.objects.get(person=held).notes == "Walter's rug in the hall."
    assert Goal.objects.get(person=held).words == "Walk to the market."
    assert Review.objects.get(person=held).others == "Dr Moretti"
    assert Mark.objects.get(person=held).description == "Walter's heel is red."
    assert FollowUp.objects.get(mark__person=held).notes == "Skin intact."


def test_anonymising_deletes_the_persons_uploaded_files_and_keeps_the_documents_as_deleted(
    coop, coordinator, past, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }
    settings.MEDIA_ROOT = tmp_path
    free, held = past
    uploaded = {
        person: documents.upload(
            coop,
            kind="consent_form",
            title=f"{name}'s consent",
            file=files.upload(),
            by=coordinator,
            person=person,
        )
        for person, name in ((free, "Edith"), (held, "Walter"))
    }
    stored = {person: doc.current.file.name for person, doc in uploaded.items()}

    with django_capture_on_commit_callbacks(execute=True):
        services.run_retention(coop, today=TODAY)

    gone = Document.objects.get(pk=uploaded[free].pk)
    assert gone.is_deleted and gone.deletion_reason == "retention period over"
    assert gone.title == "" and gone.versions.get().original_name == ""
    assert gone.versions.get().file.name == ""
    assert not default_storage.exists(stored[free])
    kept = Document.objects.get(pk=uploaded[held].pk)
    assert not kept.is_deleted and kept.title == "Walter's consent"
    assert default_storage.exists(stored[held])


def test_anonymising_blanks_the_words_of_feedback_and_closed_complaints(coop, coordinator, past):
    free, held = past
    visit = free.visits.get()
    feedback = voice.give_feedback(
        visit, coordinator, score=4, words="Edith liked Marta.", now=visit.ends_at
    )
    complaint = voice.file_complaint(
        free,
        by=coordinator,
        about="care",
        description="Edith's visit was late.",
        complainant_name="Ann Clarke",
        received_on=date(2016, 5, 12),
    )
    for step, outcome in (("acknowledged", ""), ("investigated", ""), ("answered", "upheld")):
        voice.take_step(
            complaint, step, by=coordinator, on=date(2016, 5, 13), text="Noted.", outcome=outcome
        )
    voice.take_step(complaint, "closed", by=coordinator, on=date(2016, 7, 1), text="Closed.")

    services.run_retention(coop, today=TODAY)

    feedback.refresh_from_db()
    assert (feedback.words, feedback.score) == ("", 4)
    complaint.refresh_from_db()
    assert (complaint.description, complaint.complainant_name) == ("", "")
    assert complaint.outcome == "upheld"
    assert set(complaint.steps.values_list("text", flat=True)) == {""}
    assert held.complaints.get().description == "The family disputes the care given in 2016."
