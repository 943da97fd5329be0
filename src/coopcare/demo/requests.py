"""The demo's requests about visits, made through the visits services: the relative with the
``family`` login asked for an extra visit on Sunday afternoon, which a coordinator refused
with a reason, and to move a visit next week, which waits for the office."""

from datetime import date, time, timedelta

from django.utils import timezone

from coopcare.care.services import current_plan
from coopcare.demo.family import family_grant
from coopcare.visits import requests
from coopcare.visits.models import VisitRequestKind, VisitStatus
from coopcare.visits.services import local_moment


class RequestSeeder:
    def __init__(self, today: date, cooperative, coordinator):
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator

    def run(self) -> dict[str, int]:
        grant = family_grant(self.cooperative, revoked_on__isnull=True, may_see_visits=True)
        if grant is None:
            return {}
        person, family = grant.person, grant.user
        plan = current_plan(person, self.today)
        to_move = (
            person.visits.filter(
                status=VisitStatus.PLANNED, starts_at__date__gte=self.today + timedelta(days=6)
            )
            .order_by("starts_at")
            .first()
        )
        if plan is None or to_move is None:
            return {}
        sunday = self.today + timedelta(days=6 - self.today.weekday() or 7)
        extra = requests.ask(
            person,
            VisitRequestKind.EXTRA,
            "Her grandchildren visit on Sunday; could someone help her get ready after lunch?",
            family,
            grant,
            task=plan.tasks.order_by("start_time").first(),
            starts_at=local_moment(sunday, time(14)),
            ends_by=local_moment(sunday, time(16)),
            now=local_moment(self.today - timedelta(days=2), time(19, 10)),
        )
        requests.refuse(
            extra,
            self.coordinator,
            "No carer is free that Sunday afternoon. We can come on Saturday at the same "
            "time: ask again for Saturday if that suits you.",
            now=local_moment(self.today - timedelta(days=1), time(9, 20)),
        )
        requests.ask(
            person,
            VisitRequestKind.MOVE,
            "The physiotherapist comes that morning; could the visit be after lunch?",
            family,
            grant,
            visit=to_move,
            starts_at=local_moment(timezone.localdate(to_move.starts_at), time(14, 30)),
            now=local_moment(self.today, time(7, 50)),
        )
        return {"visit_requests": 2}
