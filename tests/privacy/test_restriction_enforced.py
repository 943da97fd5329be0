"""While a person's records are restricted (GDPR art. 18), the services that start new
processing refuse with ``person_restricted`` and write nothing; storing, reading and moving a
visit already agreed go on, and everything works again once the restriction is lifted.

GDPR art. 18(2): "Where processing has been restricted under paragraph 1, such personal data
shall, with the exception of storage, only be processed with the data subject's consent or for
the establishment, exercise or defence of legal claims or for the protection of the rights of
another natural or legal person or for reasons of important public interest"."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care_services
from coopcare.care.models import CarePlan
from coopcare.documents import services as documents
from coopcare.documents.models import Document
from coopcare.privacy import queries, services
from coopcare.visits import services as visits
from coopcare.visits.models import Visit
from tests import factories
from tests.documents import files

pytestmark = pytest.mark.django_db

TASK = {"title": "Lunch", "rrule": "FREQ=DAILY", "start_time": time(12, 0), "duration_minutes": 30}


@pytest.fixture
def restricted(coop, coordinator, person):
    """Giulia Neri, with a care plan, whose records she asked to restrict while she checks
    them."""
    factories.care_plan(person, valid_from=date(2026, 3, 2))
    made = services.receive_request(
        coop,
        kind="restriction",
        by=coordinator,
        requester_name="Giulia Neri",
        received_on=timezone.localdate(),
        person=person,
    )
    services.answer_request(made, by=coordinator, answer="Restricted while you check the data.")
    return person


def _refused(call) -> None:
    with pytest.raises(ValidationError) as refused:
        call()
    assert refused.value.code == "person_restricted"
    assert "Giulia Neri's records are restricted" in refused.value.messages[0]


def _new_plan(person, coordinator):
    return care_services.new_care_plan(
        person,
        valid_from=timezone.localdate(),
        goals="Eat well",
        tasks=[TASK],
        by=coordinator,
        horizon_days=0,
    )


def _tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_a_new_care_plan_is_refused_until_the_restriction_is_lifted(restricted, coordinator):
    _refused(lambda: _new_plan(restricted, coordinator))
    assert CarePlan.objects.filter(person=restricted).count() == 1

    services.lift_restriction(queries.restricted(restricted), by=coordinator)
    assert _new_plan(restricted, coordinator).version == 2


def test_a_one_off_visit_is_refused_and_a_planned_one_still_moves(restricted):
    task = restricted.plans.get().tasks.get()
    _refused(lambda: visits.add_visit(restricted, task, _tomorrow_at(15), 30))
    assert not Visit.objects.filter(person=restricted, extra=True).exists()

    planned = factories.visit(restricted, day=timezone.localdate() + timedelta(days=1))
    cancelled, moved = visits.move_visit(planned, _tomorrow_at(16), "Hospital appointment", None)
    assert cancelled.status == "cancelled" and moved.starts_at == _tomorrow_at(16)


def test_a_document_on_the_person_is_refused_and_the_cooperatives_is_not(
    coop, restricted, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _refused(
        lambda: documents.upload(
            coop,
            kind="consent_form",
            title="Consent",
            file=files.upload(),
            by=coordinator,
            person=restricted,
        )
    )
    assert not Document.objects.exists()
    statutes = documents.upload(
        coop, kind="statutes", title="Statutes", file=files.upload(), by=coordinator
    )
    assert statutes.person is None


def test_the_api_answers_a_new_care_plan_with_the_code(client, coop, restricted, coordinator):
    _token, raw = ApiToken.issue(coordinator, "test")
    response = client.post(
        f"/api/cooperatives/{coop.slug}/people/{restricted.pk}/plans",
        {
            "valid_from": timezone.localdate().isoformat(),
            "goals": "Eat well",
            "tasks": [TASK | {"start_time": "12:00"}],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "person_restricted"
    assert CarePlan.objects.filter(person=restricted).count() == 1
