"""The demo's feedback and complaints: relatives with a login give feedback on some of the
visits of the last two weeks (mostly good, some not), and the office has complaints at each
step, one of them still to acknowledge past its day. The ``family`` login gave feedback on
earlier visits but not yesterday's, and follows a complaint that was answered, so that the
demo can give feedback on yesterday's visit, appeal, or file a new complaint."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from coopcare.care import services as care_services
from coopcare.care.models import Relationship
from coopcare.cooperatives import services as cooperative_services
from coopcare.cooperatives.models import Role
from coopcare.demo import names
from coopcare.demo.family import family_grant
from coopcare.visits.models import VisitStatus
from coopcare.voice import rules, services

RELATIVES = 6  # people whose relative gives feedback, besides the family login's
SCORES = [5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1]
WORDS = {
    5: ["Lovely as always, thank you.", "She chatted with Mum about her garden; Mum was happy."],
    4: ["All done, a bit rushed at the end.", "Good visit."],
    3: ["Fine, but the shower was skipped again.", ""],
    2: ["Twenty minutes late and nobody called.", "The kitchen was left untidy."],
    1: ["Nobody told us the carer had changed; Dad was upset."],
}
# What people said to the survey's open question on the telephone.
SURVEY_WORDS = [
    "",
    "Please tell us sooner when the carer changes.",
    "The carers are kind; the office is hard to reach by phone in the afternoon.",
    "More time for the morning visit would help.",
]
# A complaint at each step: days before today it was received, the steps taken after it (days
# after receipt), and its story.
COMPLAINTS: list[dict[str, Any]] = [
    {
        "ago": 70,
        "about": "office",
        "description": "Invoice for October counted two visits that were cancelled.",
        "steps": [
            ("acknowledged", 1, "Thank you; we are checking the October visits."),
            ("investigated", 5, "Two cancellations were recorded after the invoice run."),
            ("answered", 9, "We credited the two visits and changed how runs are checked."),
            ("closed", 35, ""),
        ],
        "outcome": "upheld",
    },
    {
        "ago": 40,
        "about": "carer",
        "description": "The carer was on the phone during most of the evening visit.",
        "steps": [
            ("acknowledged", 2, "We are sorry to hear it and will speak with the carer."),
            ("investigated", 6, "The carer was calling the GP about a missed prescription."),
            ("answered", 12, "The call was needed, but the family should have been told."),
            ("appealed", 15, "Nobody told us about the GP; we still want another carer."),
        ],
        "outcome": "partly_upheld",
    },
    {
        "ago": 25,
        "about": "care",
        "description": "The care plan says a shower on Tuesdays; it was skipped three weeks.",
        "steps": [
            ("acknowledged", 2, "We have received your complaint and will answer by its day."),
            ("investigated", 4, "The bathroom step was unsafe; carers gave a wash instead."),
            ("answered", 8, "We will fit a shower seat and review the plan with you."),
        ],
        "outcome": "partly_upheld",
        "family": True,
    },
    {
        "ago": 12,
        "about": "care",
        "description": "Visits start at different times every day; Mum gets anxious.",
        "steps": [
            ("acknowledged", 2, "Thank you; we are looking at the roster for your mother."),
            ("investigated", 5, "Three carers cover her week; start times vary by 45 minutes."),
        ],
    },
    {
        # Not acknowledged yet, past its day: the register flags it.
        "ago": 9,
        "about": "office",
        "description": "Nobody answers the office phone after 5 pm.",
        "steps": [],
    },
]


class VoiceSeeder:
    def __init__(self, rng, today: date, coop, coordinator, board):
        self.rng = rng
        self.today = today
        self.coop = coop
        self.coordinator = coordinator
        self.board = board

    def run(self, people) -> dict[str, int]:
        family = family_grant(self.coop)
        authors = self._relatives(people[: RELATIVES * 3 : 3])
        feedback = sum(self._feedback(person, user) for person, user in authors)
        if family is not None:
            # Earlier visits only: yesterday's is left for the demo to give.
            feedback += self._feedback(family.person, family.user, before=self.today - timedelta(1))
        complaints = self._complaints([person for person, _user in authors], family)
        answers = self._surveys([user for _person, user in authors])
        return {"feedback": feedback, "complaints": complaints, "survey_answers": answers}

    def _surveys(self, relatives) -> int:
        """Last year's satisfaction survey, closed, answered by the relatives with a login and
        by more people on the telephone, enough to show its results; and this year's, open for
        a month, which the ``family`` and ``carer`` logins have not answered yet."""
        year = self.today.year - 1
        opened = date(year, 11, 2)
        last_year = services.open_survey(
            self.coop,
            by=self.coordinator,
            year=year,
            audience="both",
            closes_on=date(year, 12, 15),
            today=opened,
        )
        questions = len(last_year.questions)
        for user in relatives:
            scores = [self.rng.choice(SCORES) for _ in range(questions)]
            services.answer_survey(last_year, user, {Role.CIRCLE}, scores=scores, today=opened)
        for side in ["circle"] * 5 + ["carers"] * 6:
            scores = [self.rng.choice(SCORES) for _ in range(questions)]
            words = self.rng.choice(SURVEY_WORDS)
            services.record_phone_answer(
                last_year, side=side, scores=scores, words=words, today=opened
            )
        services.open_survey(
            self.coop,
            by=self.coordinator,
            year=self.today.year,
            audience="both",
            closes_on=self.today + timedelta(days=30),
            today=self.today,
        )
        return len(relatives) + 11

    def _relatives(self, people) -> list[tuple[Any, Any]]:
        """A relative with a login, granted the visits, for each of ``people``."""
        authors = []
        for person in people:
            first = self.rng.choice(names.FIRST_NAMES)
            last = person.full_name.split(" ", 1)[-1]
            user = cooperative_services.add_login(
                self.coop,
                email=f"family.{self.coop.slug}.{person.pk}@example.org",
                first_name=first,
                last_name=last,
                role=Role.CIRCLE,
            )
            care_services.add_to_circle(
                person,
                user=user,
                full_name=f"{first} {last}",
                relationship=Relationship.FAMILY,
                may_see_visits=True,
                granted_by=person.full_name,
                granted_on=self.today - timedelta(days=60),
            )
            authors.append((person, user))
        return authors

    def _feedback(self, person, user, before: date | None = None) -> int:
        """Feedback from ``user`` on about half of the person's visits done in the last two
        weeks (before ``before``), given the evening of the visit."""
        since = self.today - timedelta(days=rules.FEEDBACK_DAYS - 1)
        visits = person.visits.filter(
            status=VisitStatus.DONE,
            starts_at__date__gte=since,
            starts_at__date__lt=before or self.today,
        ).order_by("starts_at")
        given = 0
        for visit in visits:
            if self.rng.random() < 0.5:
                continue
            score = self.rng.choice(SCORES)
            evening = timezone.make_aware(
                datetime.combine(timezone.localdate(visit.starts_at), time(20, 30))
            )
            feedback = services.give_feedback(
                visit,
                user,
                score=score,
                words=self.rng.choice(WORDS[score]),
                now=max(evening, visit.ends_at + timedelta(minutes=30)),
            )
            if score <= 2 or self.rng.random() < 0.3:
                services.share_feedback(feedback, True)
            given += 1
        return given

    def _complaints(self, people, family) -> int:
        made = 0
        for index, story in enumerate(COMPLAINTS):
            by_family = story.get("family") and family is not None
            person = family.person if by_family else people[index % len(people)]
            received = self.today - timedelta(days=story["ago"])
            carer = None
            if story["about"] == "carer":
                visit = person.visits.filter(status=VisitStatus.DONE).first()
                carer = visit.carers.first() if visit else None
                if carer is None:
                    continue
            circle = family if by_family else person.circle.filter(user__isnull=False).first()
            complaint = services.file_complaint(
                person,
                by=family.user if by_family else self.coordinator,
                about=story["about"],
                carer=carer,
                description=story["description"],
                complainant_name=circle.full_name if circle else person.full_name,
                complainant=family.user if by_family else None,
                received_on=received,
            )
            for step, after, text in story["steps"]:
                closing_appeal = step == "closed" and complaint.status == "appealed"
                services.take_step(
                    complaint,
                    step,
                    by=self.board if closing_appeal else self.coordinator,
                    on=received + timedelta(days=after),
                    text=text,
                    outcome=story.get("outcome", "") if step == "answered" else "",
                )
                complaint.refresh_from_db()
            made += 1
        return made
