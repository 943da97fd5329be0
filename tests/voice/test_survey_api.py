"""The satisfaction survey through the API: opened by a coordinator, answered once by the
circle, taken by phone, its results read by the board, nothing shown under 5 answers."""

from datetime import timedelta

from django.utils import timezone

from coopcare.voice.models import SurveyAnswer


def test_a_survey_through_the_api(client, coop, coordinator, board, carer, family, as_user):
    base = f"/api/cooperatives/{coop.slug}/surveys"
    today = timezone.localdate()
    opened = client.post(
        base,
        {"year": today.year, "audience": "circle", "closes_on": str(today + timedelta(days=20))},
        content_type="application/json",
        **as_user(coordinator),
    )
    assert opened.status_code == 201 and opened.json()["anonymous"] is True
    survey_id = opened.json()["id"]
    assert [s["id"] for s in client.get(base, **as_user(family)).json()] == [survey_id]
    assert client.get(base, **as_user(carer)).json() == []

    answers = f"{base}/{survey_id}/answers"
    given = client.post(
        answers, {"scores": [5, 5, 4, 4]}, content_type="application/json", **as_user(family)
    )
    assert given.status_code == 201 and given.json() == {"survey_id": survey_id, "by_phone": False}
    again = client.post(
        answers, {"scores": [1, 1, 1, 1]}, content_type="application/json", **as_user(family)
    )
    assert again.status_code == 400 and again.json()["code"] == "survey_already_answered"
    wrong = client.post(answers, {"scores": [5]}, content_type="application/json", **as_user(carer))
    assert wrong.status_code == 400 and wrong.json()["code"] == "survey_not_for_you"

    for _ in range(3):
        phoned = client.post(
            f"{base}/{survey_id}/phone-answers",
            {"side": "circle", "scores": [4, 4, 4, 4]},
            content_type="application/json",
            **as_user(coordinator),
        )
        assert phoned.status_code == 201 and phoned.json()["by_phone"] is True
    results = client.get(f"{base}/{survey_id}/results", **as_user(board)).json()
    assert results["questions"][0] == {
        "question": results["survey"]["questions"][0],
        "count": 4,
        "shown": False,
        "distribution": None,
        "mean": None,
    }
    client.post(
        f"{base}/{survey_id}/phone-answers",
        {"side": "circle", "scores": [3, 3, 3, 3], "words": "More time, please."},
        content_type="application/json",
        **as_user(coordinator),
    )
    first = client.get(f"{base}/{survey_id}/results", **as_user(board)).json()["questions"][0]
    assert first["shown"] and first["distribution"] == [0, 0, 1, 3, 1]
    assert first["mean"] == "4.0"
    assert client.get(f"{base}/{survey_id}/results", **as_user(family)).status_code == 403
    assert SurveyAnswer.objects.filter(respondent__isnull=False).count() == 0
    closed = client.post(f"{base}/{survey_id}/close", **as_user(coordinator))
    assert closed.status_code == 200 and closed.json()["closed"] is True
    again = client.post(f"{base}/{survey_id}/close", **as_user(coordinator))
    assert again.status_code == 400 and again.json()["code"] == "survey_already_closed"
    assert client.post(f"{base}/{survey_id}/close", **as_user(board)).status_code == 403
    assert client.get(base, **as_user(family)).json() == []
