"""Risks' sections of a person's data export (``care.export``): every version of every risk
assessment with its answers, score, band and the assessor who signed it, the person's goals
with their ratings, and the reviews of their care."""

from typing import Any

from coopcare.care.export import name, plain
from coopcare.risks.models import Goal, Review, RiskAssessment


def person_risks(person) -> dict[str, Any]:
    """The person's risk assessments, goals and reviews."""
    cooperative = person.cooperative
    assessments = (
        RiskAssessment.objects.filter(person=person)
        .select_related("assessor")
        .prefetch_related("double_handings__plan", "double_handings__by")
    )
    goals = (
        Goal.objects.filter(person=person)
        .select_related("set_by")
        .prefetch_related("ratings__review")
    )
    reviews = (
        Review.objects.filter(person=person)
        .select_related("recorded_by")
        .prefetch_related("circle", "carers", "ratings")
    )
    return {
        "risk_assessments": [
            {
                "kind": a.kind,
                "version": a.version,
                "scale": a.scale,
                "scale_source": a.risk_scale.source if a.risk_scale else "",
                "answers": a.answers,
                "answer_texts": [
                    {"item": item, "answer": answer} for item, answer in a.answer_texts()
                ],
                "total": a.total,
                "band": a.band,
                "carers_needed": a.carers_needed,
                "equipment": a.equipment,
                "notes": a.notes,
                "assessed_on": plain(a.assessed_on, cooperative),
                "next_review_on": plain(a.next_review_on, cooperative),
                "signed_by": name(a.assessor),
                "signed_at": plain(a.signed_at, cooperative),
                "double_handed_plans": [
                    {
                        "care_plan_version": d.plan.version,
                        "by": name(d.by),
                        "at": plain(d.at, cooperative),
                    }
                    for d in a.double_handings.all()
                ],
            }
            for a in assessments
        ],
        "goals": [
            {
                "goal": g.pk,
                "words": g.words,
                "set_on": plain(g.set_on, cooperative),
                "set_by": name(g.set_by),
                "ratings": [
                    {"review_held_on": plain(r.review.held_on, cooperative), "rating": r.rating}
                    for r in sorted(g.ratings.all(), key=lambda r: r.review.held_on)
                ],
            }
            for g in goals
        ],
        "reviews": [
            {
                "held_on": plain(r.held_on, cooperative),
                "person_took_part": r.person_took_part,
                "circle": [c.full_name for c in r.circle.all()],
                "carers": [name(c) for c in r.carers.all()],
                "others": r.others,
                "what_changed": r.changes,
                "goal_ratings": {str(x.goal_id): x.rating for x in r.ratings.all()},
                "next_review_on": plain(r.next_review_on, cooperative),
                "recorded_by": name(r.recorded_by),
                "recorded_at": plain(r.recorded_at, cooperative),
            }
            for r in reviews
        ],
    }
