"""Risks' sections of the person's data export: each assessment version with its answers,
score, band and the assessor who signed it; goals with their ratings; reviews with who took
part and what changed."""

from datetime import date

from coopcare.risks import services
from coopcare.risks.export import person_risks
from tests import factories
from tests.risks.conftest import circle_member, falls, handling


def test_assessments_goals_and_reviews_are_exported(person, coordinator, carer, coop):
    """STEADI (CDC, "Stay Independent"): "yes" to having fallen (2 points) and to a walking
    aid (2 points) makes 4, "may be at risk": the export keeps the answers, 4 and the band."""
    on = date(2026, 3, 2)
    falls(person, coordinator, on, fallen="yes", walking_aid="yes")
    handling(person, coordinator, on)
    goal = services.set_goal(person, words="Walk to the market", set_on=on, by=coordinator)
    daughter = circle_member(person)
    services.record_review(
        person,
        held_on=on,
        changes="Two carers for transfers",
        by=coordinator,
        circle_ids=[daughter.pk],
        carer_ids=[carer.pk],
        others="GP",
        ratings={goal.pk: -1},
        today=on,
    )
    someone_else = factories.person_cared_for(coop, full_name="Other Person")
    falls(someone_else, coordinator, on)

    data = person_risks(person)

    by_kind = {a["kind"]: a for a in data["risk_assessments"]}
    assert set(by_kind) == {"falls", "moving_handling"}
    steadi = by_kind["falls"]
    assert (steadi["total"], steadi["band"], steadi["version"]) == (4, "high", 1)
    assert steadi["answers"]["fallen"] == "yes"
    assert {"item": "Has fallen in the past year.", "answer": "Yes"} in steadi["answer_texts"]
    assert steadi["signed_by"] == coordinator.get_full_name()
    assert steadi["signed_at"].endswith(("+01:00", "+02:00"))
    assert "Rubenstein" in steadi["scale_source"]
    assert by_kind["moving_handling"]["carers_needed"] == 2
    [exported_goal] = data["goals"]
    assert exported_goal["ratings"] == [{"review_held_on": "2026-03-02", "rating": -1}]
    [review] = data["reviews"]
    assert review["circle"] == ["Anna Zanetti"]
    assert review["carers"] == [carer.get_full_name()]
    assert (review["others"], review["what_changed"]) == ("GP", "Two carers for transfers")
    assert review["goal_ratings"] == {str(goal.pk): -1}
