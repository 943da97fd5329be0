"""The person's risks page and the reviews due: who sees them, the read log, and forms that
refuse bad input and save nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.accounts.models import Profile
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.risks.models import Goal, Review, RiskAssessment
from tests import factories
from tests.risks.conftest import FALLS_LOW, circle_member, falls, handling


def url(person, tail=""):
    return f"/c/cura/risks/people/{person.pk}/{tail}"


def reads(person, user):
    return CareRecordRead.objects.filter(person=person, user=user, record="risks and reviews")


def test_coordinator_reads_the_page_and_the_read_is_logged(client, person, coordinator):
    falls(person, coordinator, timezone.localdate() - timedelta(days=5))
    factories.log_in(client, coordinator)
    response = client.get(url(person))
    assert response.status_code == 200
    assert "STEADI" in response.content.decode()
    assert reads(person, coordinator).count() == 1


def test_the_persons_page_links_to_risks(client, person, coordinator):
    factories.log_in(client, coordinator)
    response = client.get(f"/c/cura/people/{person.pk}/")
    assert url(person).encode() in response.content


def test_a_carer_sees_it_only_around_a_visit(client, coop, person, carer):
    factories.log_in(client, carer)
    assert client.get(url(person)).status_code == 404
    factories.visit(person, [carer], day=timezone.localdate())
    assert client.get(url(person)).status_code == 200
    assert reads(person, carer).count() == 1


def test_a_circle_member_sees_it_only_when_granted_the_care_plan(client, coop, person):
    granted, not_granted = (factories.user_with_role(coop, Role.CIRCLE) for _ in range(2))
    circle_member(person, user=granted, may_see_care_plan=True)
    circle_member(person, user=not_granted, may_see_visits=True)
    factories.log_in(client, not_granted)
    assert client.get(url(person)).status_code == 404
    factories.log_in(client, granted)
    assert client.get(url(person)).status_code == 200
    assert reads(person, granted).count() == 1


def test_only_coordinators_assess(client, served, carer):
    factories.log_in(client, carer)
    response = client.post(url(served, "assess/must/"), {})
    assert response.status_code == 403


def test_assess_on_the_page(client, person, coordinator):
    factories.log_in(client, coordinator)
    data = {f"steadi_frq-item_{k}": v for k, v in FALLS_LOW.items()} | {
        "steadi_frq-item_fallen": "yes",
        "steadi_frq-assessed_on": timezone.localdate().isoformat(),
    }
    response = client.post(url(person, "assess/steadi_frq/"), data)
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get(person=person)
    assert (assessment.total, assessment.band, assessment.assessor) == (2, "low", coordinator)


def test_a_review_date_in_the_past_is_refused_with_a_message(client, person, coordinator):
    factories.log_in(client, coordinator)
    today = timezone.localdate()
    response = client.post(
        url(person, "assess/braden/"),
        {
            "braden-assessed_on": today.isoformat(),
            "braden-total": "12",
            "braden-band": "high",
            "braden-next_review_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "The next review cannot be in the past" in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_goal_and_review_on_the_page(client, person, coordinator, carer):
    factories.log_in(client, coordinator)
    today = timezone.localdate()
    response = client.post(
        url(person, "goals/"), {"goal-words": "See my grandchildren", "goal-set_on": today}
    )
    assert response.status_code == 302
    goal = Goal.objects.get(person=person)
    response = client.post(
        url(person, "reviews/"),
        {
            "review-held_on": today.isoformat(),
            "review-person_took_part": "on",
            "review-carers": [carer.pk],
            "review-changes": "No change.",
            f"review-goal_{goal.pk}": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()
    review = Review.objects.get(person=person)
    assert list(review.carers.all()) == [carer]
    assert review.ratings.get().rating == 1


def test_double_handed_from_the_page(client, person, coordinator):
    today = timezone.localdate()
    plan = factories.care_plan(person, valid_from=date(2026, 3, 2))
    assessment = handling(person, coordinator, today)
    factories.log_in(client, coordinator)
    page = client.get(url(person))
    assert f"/risks/assessments/{assessment.pk}/double-handed/".encode() in page.content
    response = client.post(
        f"/c/cura/risks/assessments/{assessment.pk}/double-handed/",
        {"double-valid_from": today.isoformat(), "double-tasks": [plan.tasks.get().pk]},
    )
    assert response.status_code == 302
    assert person.plans.order_by("-version").first().tasks.get().double_handed


def test_reviews_due_page(client, coop, person, coordinator, carer):
    factories.care_plan(person, valid_from=date(2024, 3, 2))
    factories.log_in(client, carer)
    assert client.get("/c/cura/risks/due/").status_code == 403
    factories.log_in(client, coordinator)
    response = client.get("/c/cura/risks/due/")
    assert response.status_code == 200
    assert "Giuseppe Zanetti" in response.content.decode()
    assert "overdue since" in response.content.decode()
    assert CareRecordRead.objects.filter(
        person=person, user=coordinator, record="reviews due"
    ).exists()


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_page_with_charts_in_every_direction(client, person, coordinator, language):
    today = timezone.localdate()
    falls(person, coordinator, today - timedelta(days=200))
    falls(person, coordinator, today - timedelta(days=10), fallen="yes")
    Profile.objects.update_or_create(user=coordinator, defaults={"language": language})
    factories.log_in(client, coordinator)
    response = client.get(url(person))
    assert response.status_code == 200
    assert b"data:image/svg+xml;base64," in response.content
