"""The demo's risk assessments, goals and reviews, recorded through the risks services as of
the day each was done: every active person is assessed for each kind of risk, some twice;
people say one or two goals in their words, rated at up to three reviews; and some reviews
and assessments are overdue, so the coordinators' list has work in it."""

import random
from datetime import date, timedelta

from coopcare.risks import services
from coopcare.risks.scales import SCALES, Band, Kind

GOALS = [
    "I want to walk to the market on my own again.",
    "Keep living at home with my cat.",
    "Sleep through the night without getting up to the toilet.",
    "Cook my own lunch, at least on weekdays.",
    "See my grandchildren on Sundays.",
    "Get out into the garden when the weather is good.",
    "Have a shower without being afraid of falling.",
    "Go to mass at the parish church.",
]
EQUIPMENT = ["walking frame", "slide sheet", "standing aid", "grab rails", ""]


class RiskSeeder:
    def __init__(self, rng: random.Random, today: date, coordinator, carers):
        self.rng = rng
        self.today = today
        self.coordinator = coordinator
        self.carers = carers

    def run(self, people) -> dict[str, int]:
        counts = {"risk_assessments": 0, "reviews": 0}
        for index, person in enumerate(people):
            since = person.since or min(p.valid_from for p in person.plans.all())
            hoist = any(t.double_handed for p in person.plans.all() for t in p.tasks.all())
            # One person in nine needs two carers for transfers but does not have them yet:
            # the coordinator's page offers to make their visits double-handed.
            needs_two = hoist or index % 9 == 4
            overdue = index % 4 == 0
            for kind in Kind.values:
                # Reassessed within the last year, or, when overdue, long enough ago that the
                # half-year review it set has passed.
                ago = self.rng.randint(200 if overdue else 10, 330)
                latest = max(since, self.today - timedelta(days=ago))
                earlier = latest - timedelta(days=365)
                if earlier >= since and self.rng.random() < 0.5:
                    counts["risk_assessments"] += self._assess(
                        person, kind, earlier, needs_two, False
                    )
                counts["risk_assessments"] += self._assess(person, kind, latest, needs_two, overdue)
            counts["reviews"] += self._goals_and_reviews(person, since, overdue)
        return counts

    def _assess(self, person, kind: str, on: date, needs_two: bool, overdue: bool) -> int:
        scale_key = self.rng.choice([k for k, s in SCALES.items() if s.kind == kind])
        scale = SCALES[scale_key]
        answers, total, band = {}, None, ""
        if scale.items is None:
            total = self.rng.randint(scale.lowest + 4, min(scale.highest, scale.lowest + 14))
            band = self.rng.choice([Band.LOW, Band.MEDIUM, Band.HIGH])
        else:
            # Mostly the first (lowest-scoring) answer: most people are at low risk.
            answers = {
                key: (
                    next(iter(item.options))
                    if self.rng.random() < 0.75
                    else self.rng.choice(list(item.options))
                )
                for key, item in scale.items.items()
            }
        handling = kind == Kind.MOVING_HANDLING
        # An overdue review was set for half a year on, and that day has passed.
        review_on = on + timedelta(days=180 if overdue else 365)
        services.assess(
            person,
            kind=kind,
            scale=scale_key,
            answers=answers,
            total=total,
            band=band,
            carers_needed=2 if handling and needs_two else 1,
            equipment=("hoist, slide sheet" if needs_two else self.rng.choice(EQUIPMENT))
            if handling
            else "",
            assessed_on=on,
            next_review_on=review_on,
            by=self.coordinator,
            today=on,
        )
        return 1

    def _goals_and_reviews(self, person, since: date, overdue: bool) -> int:
        """Goals set when care began; reviews about every six months since, the last three
        kept, each rating the goals a little higher or the same, now and then lower."""
        goals = [
            services.set_goal(person, words=words, set_on=since, by=self.coordinator, today=since)
            for words in self.rng.sample(GOALS, self.rng.randint(1, 2))
        ]
        held_on = []
        day = since + timedelta(days=self.rng.randint(150, 200))
        while day <= self.today:
            held_on.append(day)
            day += timedelta(days=self.rng.randint(160, 200))
        ratings = {goal.pk: self.rng.choice([-2, -1]) for goal in goals}
        circle = list(person.circle.filter(revoked_on__isnull=True))
        for held in held_on[-3:]:
            ratings = {
                pk: max(-2, min(2, rating + self.rng.choice([0, 1, 1, 2, -1])))
                for pk, rating in ratings.items()
            }
            services.record_review(
                person,
                held_on=held,
                changes=self.rng.choice(
                    [
                        "No change to the plan.",
                        "Evening visit moved earlier, at the person's request.",
                        "Added a weekly shower; grab rail fitted by the council.",
                        "Fewer visits after the daughter moved nearby.",
                    ]
                ),
                person_took_part=self.rng.random() < 0.9,
                circle_ids=[c.pk for c in circle[:1]],
                carer_ids=[self.rng.choice(self.carers).pk] if self.carers else [],
                next_review_on=held + timedelta(days=120 if overdue else 365),
                ratings=ratings,
                by=self.coordinator,
                today=held,
            )
        return len(held_on[-3:])
