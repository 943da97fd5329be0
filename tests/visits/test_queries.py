"""The follow-up page's selections: what it lists, over which window."""

from datetime import timedelta
from uuid import uuid4

from coopcare.cooperatives.models import Role
from coopcare.visits import queries, services
from tests import factories


def test_a_check_in_is_listed_as_left_open_after_four_hours_within_two_weeks(coop):
    carer = factories.user_with_role(coop, Role.CARER)
    visit = factories.visit(factories.person_cared_for(coop), [carer])
    began = visit.starts_at
    record = services.check_in(visit, carer, client_id=uuid4(), at=began, now=began).record

    def open_checkins(now):
        return list(queries.follow_up(coop, now=now)["open_checkins"])

    minute = timedelta(minutes=1)
    assert open_checkins(began + queries.OPEN_CHECK_IN_AFTER - minute) == []
    assert open_checkins(began + queries.OPEN_CHECK_IN_AFTER + minute) == [record]
    assert open_checkins(began + queries.FOLLOW_UP_WINDOW + minute) == []
