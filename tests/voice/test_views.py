"""The pages: a family gives feedback on yesterday's visit and files a complaint; the office
reads feedback and shares it; the board and coordinators read the register and its CSV."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from coopcare.care.models import CareRecordRead
from coopcare.voice import services
from coopcare.voice.models import Complaint, Feedback
from tests import factories
from tests.voice.conftest import complaint, relative


def test_the_family_gives_feedback_on_yesterdays_visit(client, coop, yesterday_visit, family):
    factories.log_in(client, family)
    page = client.get(f"/c/{coop.slug}/voice/circle/{yesterday_visit.person_id}/")
    url = f"/c/{coop.slug}/voice/visits/{yesterday_visit.pk}/feedback/"
    assert url in page.content.decode()
    form = client.get(url).content.decode()
    # Five choices, each a labelled radio input with its words.
    assert form.count('type="radio"') == 5
    assert "Very good" in form and "Very poor" in form
    response = client.post(url, {"score": "5", "words": "Kind and on time"})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.score, feedback.words, feedback.author) == (5, "Kind and on time", family)
    assert CareRecordRead.objects.filter(user=family, record="feedback").exists()


def test_no_score_says_so_and_saves_nothing(client, coop, yesterday_visit, family):
    factories.log_in(client, family)
    url = f"/c/{coop.slug}/voice/visits/{yesterday_visit.pk}/feedback/"
    assert client.post(url, {"score": "9"}).status_code == 400
    assert not Feedback.objects.exists()


def test_a_circle_member_not_granted_the_visits_gives_no_feedback(
    client, coop, person, yesterday_visit
):
    cousin = relative(person, may_see_visits=False, username="cousin")
    factories.log_in(client, cousin)
    url = f"/c/{coop.slug}/voice/visits/{yesterday_visit.pk}/feedback/"
    assert client.post(url, {"score": "5"}).status_code == 404
    assert not Feedback.objects.exists()


def test_carers_see_only_the_feedback_shared_with_them(
    client, coop, coordinator, carer, yesterday_visit, family
):
    kept = services.give_feedback(yesterday_visit, family, score=2, words="Rushed")
    factories.log_in(client, carer)
    own = f"/c/{coop.slug}/voice/carers/{carer.pk}/feedback/"
    assert "Rushed" not in client.get(own).content.decode()
    factories.log_in(client, coordinator)
    assert "Rushed" in client.get(own).content.decode()
    client.post(f"/c/{coop.slug}/voice/feedback/{kept.pk}/share/", {"shared": "1"})
    assert Feedback.objects.get().shared_with_carers
    factories.log_in(client, carer)
    assert "Rushed" in client.get(own).content.decode()
    # Another carer's feedback is not theirs to read.
    other = factories.user_with_role(coop, "carer", username="other")
    assert client.get(f"/c/{coop.slug}/voice/carers/{other.pk}/feedback/").status_code == 404


def test_the_family_files_a_complaint_and_follows_it(client, coop, person, family, board):
    factories.log_in(client, family)
    response = client.post(
        f"/c/{coop.slug}/voice/people/{person.pk}/complaints/new/",
        {"about": "care", "description": "Visits start at a different time every day."},
    )
    filed = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{filed.pk}/")
    assert (filed.complainant, filed.complainant_name) == (
        family,
        f"Daughter of {person.full_name}",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Visits start at a different time every day." in page
    # The register is for the board and the coordinators.
    assert client.get(f"/c/{coop.slug}/voice/complaints/").status_code == 403
    factories.log_in(client, board)
    register = client.get(f"/c/{coop.slug}/voice/complaints/").content.decode()
    assert person.full_name in register


def test_a_complaint_without_words_saves_nothing(client, coop, person, family):
    factories.log_in(client, family)
    response = client.post(
        f"/c/{coop.slug}/voice/people/{person.pk}/complaints/new/", {"about": "care"}
    )
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_the_register_flags_overdue_and_exports_inert_cells(client, coop, person, coordinator):
    late = complaint(
        person,
        coordinator,
        complainant_name="=HYPERLINK(1)",
        received_on=timezone.localdate() - timedelta(days=20),
    )
    complaint(person, coordinator)
    factories.log_in(client, coordinator)
    overdue = client.get(f"/c/{coop.slug}/voice/complaints/?overdue=on").content.decode()
    assert f"/voice/complaints/{late.pk}/" in overdue
    assert overdue.count("/voice/complaints/") - overdue.count("complaints/policy") >= 1
    rows = list(
        csv.reader(io.StringIO(client.get(f"/c/{coop.slug}/voice/complaints.csv").content.decode()))
    )
    assert len(rows) == 3
    assert "'=HYPERLINK(1)" in [cell for row in rows for cell in row]
    assert "overdue" in [cell for row in rows for cell in row]


def test_a_coordinator_takes_the_next_step_on_the_page(client, coop, person, coordinator):
    filed = complaint(person, coordinator)
    factories.log_in(client, coordinator)
    url = f"/c/{coop.slug}/voice/complaints/{filed.pk}/steps/"
    today = timezone.localdate().isoformat()
    refused = client.post(url, {"step": "acknowledged", "on": today, "text": ""})
    assert refused.status_code == 400
    done = client.post(url, {"step": "acknowledged", "on": today, "text": "Thank you"})
    assert done.status_code == 302
    filed.refresh_from_db()
    assert filed.status == "acknowledged"


def test_the_office_sets_its_deadlines(client, coop, coordinator):
    factories.log_in(client, coordinator)
    response = client.post(
        f"/c/{coop.slug}/voice/complaints/policy/",
        {"acknowledge_working_days": 2, "answer_working_days": 15, "appeal_working_days": 10},
    )
    assert response.status_code == 302
    assert services.policy_of(coop).answer_working_days == 15
