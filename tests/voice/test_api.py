"""The API of feedback and complaints."""

from coopcare.voice import rules, services
from coopcare.voice.models import Complaint, Feedback
from tests.voice.conftest import complaint


def test_feedback_through_the_api(
    client, coop, coordinator, carer, yesterday_visit, family, as_user
):
    url = f"/api/cooperatives/{coop.slug}/visits/{yesterday_visit.pk}/feedback"
    given = client.post(
        url, {"score": 4, "words": "Good"}, content_type="application/json", **as_user(family)
    )
    assert given.status_code == 201 and given.json()["score"] == 4
    bad = client.post(url, {"score": 7}, content_type="application/json", **as_user(family))
    assert bad.status_code == 422 and Feedback.objects.count() == 1
    mine = client.get(f"/api/cooperatives/{coop.slug}/carers/{carer.pk}/feedback", **as_user(carer))
    assert mine.json() == []
    shared = client.post(
        f"/api/cooperatives/{coop.slug}/feedback/{given.json()['id']}/sharing",
        {"shared": True},
        content_type="application/json",
        **as_user(coordinator),
    )
    assert shared.json()["shared_with_carers"] is True
    mine = client.get(f"/api/cooperatives/{coop.slug}/carers/{carer.pk}/feedback", **as_user(carer))
    assert [f["words"] for f in mine.json()] == ["Good"]
    # A carer does not give feedback.
    assert (
        client.post(
            url, {"score": 5}, content_type="application/json", **as_user(carer)
        ).status_code
        == 403
    )


def test_complaints_through_the_api(client, coop, person, coordinator, board, family, as_user):
    filed = client.post(
        f"/api/cooperatives/{coop.slug}/people/{person.pk}/complaints",
        {"about": "office", "description": "Nobody answers the phone after 5 pm."},
        content_type="application/json",
        **as_user(family),
    )
    assert filed.status_code == 201 and filed.json()["status"] == "received"
    steps = f"/api/cooperatives/{coop.slug}/complaints/{filed.json()['id']}/steps"
    # The family may not acknowledge their own complaint.
    assert (
        client.post(
            steps,
            {"step": "acknowledged", "text": "x"},
            content_type="application/json",
            **as_user(family),
        ).status_code
        == 403
    )
    wrong = client.post(
        steps,
        {"step": "answered", "text": "x", "outcome": "upheld"},
        content_type="application/json",
        **as_user(coordinator),
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "step_out_of_order"
    done = client.post(
        steps,
        {"step": "acknowledged", "text": "Thank you"},
        content_type="application/json",
        **as_user(coordinator),
    )
    assert done.status_code == 201 and done.json()["acknowledgement"] == "met"
    register = client.get(
        f"/api/cooperatives/{coop.slug}/complaints?status=acknowledged", **as_user(board)
    )
    assert [c["number"] for c in register.json()] == [1]
    # A family sees its own complaints only.
    complaint(person, coordinator)
    own = client.get(f"/api/cooperatives/{coop.slug}/complaints", **as_user(family))
    assert len(own.json()) == 1 and Complaint.objects.count() == 2


def test_the_deadlines_through_the_api(client, coop, coordinator, as_user):
    answer = client.put(
        f"/api/cooperatives/{coop.slug}/complaint-policy",
        {"acknowledge_working_days": 3, "answer_working_days": 2, "appeal_working_days": 5},
        content_type="application/json",
        **as_user(coordinator),
    )
    assert answer.status_code == 400 and answer.json()["code"] == "answer_before_acknowledgement"
    assert services.policy_of(coop) == rules.DEFAULT_POLICY
