"""The demo at any hour: whenever it starts, the carer login has a visit to check in to."""

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from coopcare.care import services as care_services
from coopcare.cooperatives.models import Role
from coopcare.demo.due_now import visit_due_now
from coopcare.visits import services as visit_services
from coopcare.visits.models import Visit, VisitStatus
from coopcare.visits.services import add_carer, generate_visits
from tests import factories

DAY = date(2026, 12, 4)


@pytest.fixture
def demo_carer(db):
    """The demo's carer login in the demo's cooperative, with a person they visit every day
    from 8:00 to 8:45 and again from 19:30 to 20:15, as the demo's own days go."""
    coop = factories.CooperativeFactory(slug="cura-insieme", name="Cura Insieme")
    carer = factories.user_with_role(coop, Role.CARER, username="carer")
    person = factories.person_cared_for(coop)
    care_services.new_care_plan(
        person,
        valid_from=DAY - timedelta(days=7),
        goals="Stay safely at home",
        tasks=[
            {
                "title": "Morning care",
                "rrule": "FREQ=DAILY",
                "start_time": time(8),
                "duration_minutes": 45,
                "steps": "Wash\nDress",
            },
            {
                "title": "Evening care",
                "rrule": "FREQ=DAILY",
                "start_time": time(19, 30),
                "duration_minutes": 45,
                "steps": "Supper\nTo bed",
            },
        ],
        horizon_days=0,
    )
    generate_visits(person, DAY - timedelta(days=1), DAY + timedelta(days=1))
    for visit in person.visits.all():
        add_carer(visit, carer)
    return carer, person


def at(hour: int, minute: int, zone: str = "Europe/Rome") -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=ZoneInfo(zone))


def checks_in(visit: Visit, carer, now: datetime) -> None:
    visit_services.check_in(visit, carer, client_id=uuid.uuid4(), at=now, now=now)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.IN_PROGRESS


def overlapping(carer, visit: Visit) -> bool:
    return (
        Visit.objects.filter(carers=carer, starts_at__lt=visit.ends_at, ends_at__gt=visit.starts_at)
        .exclude(pk=visit.pk)
        .exists()
    )


@pytest.mark.parametrize(
    "now, expected_start",
    [
        # Mid-afternoon, nothing planned near: a visit at the next quarter hour.
        (at(15, 2), at(15, 15)),
        # Late in the evening, long after the carer's last visit of the day.
        (at(22, 50), at(23, 0)),
        # Just before midnight: the next minute, so the visit is on today's page.
        (at(23, 52), at(23, 53)),
        # Just past midnight: the visit is on the new day.
        (at(0, 5), at(0, 15)),
    ],
)
def test_the_carer_gets_a_visit_at_the_next_quarter_hour(demo_carer, now, expected_start):
    carer, person = demo_carer
    visit = visit_due_now(now)
    assert visit.starts_at == expected_start
    assert visit.extra and visit.person == person and carer in visit.carers.all()
    assert visit.task.step_list == ["Wash", "Dress"]  # the person's own task and its steps
    assert not overlapping(carer, visit)
    checks_in(visit, carer, now)


def test_a_visit_of_their_own_due_now_is_the_one(demo_carer):
    carer, _ = demo_carer
    now = at(7, 40)  # the 8:00 visit is due in twenty minutes
    visit = visit_due_now(now)
    assert timezone.localtime(visit.starts_at).time() == time(8) and not visit.extra
    assert not Visit.objects.filter(extra=True).exists()
    checks_in(visit, carer, now)


def test_a_carer_busy_now_gets_the_visit_after_the_one_they_are_at(demo_carer):
    carer, _ = demo_carer
    evening = Visit.objects.get(carers=carer, starts_at=at(19, 30))
    checks_in(evening, carer, at(19, 30))
    now = at(20, 0)  # with the evening visit until 20:15, and 15 minutes to travel
    visit = visit_due_now(now)
    assert visit.starts_at == at(20, 30) and not overlapping(carer, visit)
    checks_in(visit, carer, now)


def test_starting_the_demo_again_keeps_the_visit_due(demo_carer):
    now = at(22, 50)
    first = visit_due_now(now)
    assert visit_due_now(now + timedelta(minutes=20)) == first
    assert Visit.objects.filter(extra=True).count() == 1


def test_in_another_time_zone_the_visit_follows_the_cooperatives_clock(demo_carer, settings):
    """An install in New York, tried at 21:10 there (3:10 the next day in Rome)."""
    settings.TIME_ZONE = "America/New_York"
    carer, _ = demo_carer
    now = at(21, 10, "America/New_York")
    visit = visit_due_now(now)
    assert visit.starts_at == at(21, 15, "America/New_York")
    checks_in(visit, carer, now)


def test_no_demo_carer_no_visit(db):
    assert visit_due_now(at(10, 0)) is None
