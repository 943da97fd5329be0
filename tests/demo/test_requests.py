"""The demo's requests about visits: the family login sees one answered (refused, with the
coordinator's reason) and one waiting for the office."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.care import services as care_services
from coopcare.care.models import Relationship
from coopcare.cooperatives.models import Role
from coopcare.demo.requests import RequestSeeder
from coopcare.visits.models import VisitRequest, VisitRequestKind, VisitRequestStatus
from coopcare.visits.services import generate_visits
from tests import factories


@pytest.mark.django_db
def test_the_family_login_has_one_request_answered_and_one_waiting(coop, coordinator):
    today = timezone.localdate()
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 1, 1))
    generate_visits(person, today, today + timedelta(days=27))
    family = factories.user_with_role(coop, Role.CIRCLE, username="family")
    care_services.add_to_circle(
        person,
        user=family,
        full_name="Family",
        relationship=Relationship.FAMILY,
        may_see_visits=True,
        granted_by=person.full_name,
        granted_on=date(2026, 1, 1),
    )
    assert RequestSeeder(today, coop, coordinator).run() == {"visit_requests": 2}
    answered, waiting = VisitRequest.objects.filter(asked_by=family).order_by("asked_at")
    assert (answered.kind, answered.status) == (VisitRequestKind.EXTRA, VisitRequestStatus.REFUSED)
    assert answered.answer.startswith("No carer is free") and answered.answered_by == coordinator
    assert (waiting.kind, waiting.status) == (VisitRequestKind.MOVE, VisitRequestStatus.PENDING)
    assert timezone.localdate(waiting.visit.starts_at) >= today + timedelta(days=6)
