"""Visits generated from care plans: idempotent, versioned, in local time."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coopcare.cooperatives.models import Role
from coopcare.visits.models import Visit, VisitStatus
from coopcare.visits.services import add_carer, generate_horizon, generate_visits, set_carers
from tests import factories

ROME = ZoneInfo("Europe/Rome")


def test_four_weeks_of_a_daily_task_and_rerunning_never_duplicates(coop):
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 3, 2))
    assert generate_horizon(person, date(2026, 3, 2)) == 28
    assert generate_horizon(person, date(2026, 3, 2)) == 0
    assert generate_visits(person, date(2026, 3, 1), date(2026, 3, 10)) == 0
    assert Visit.objects.filter(person=person).count() == 28


def test_a_task_at_midnight_is_generated_on_each_day(coop):
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 3, 2), start_time=time(0, 0))
    generate_visits(person, date(2026, 3, 2), date(2026, 3, 3))
    starts = [v.starts_at.astimezone(ROME) for v in person.visits.order_by("starts_at")]
    assert starts == [datetime(2026, 3, 2, tzinfo=ROME), datetime(2026, 3, 3, tzinfo=ROME)]


def test_weekly_rule_on_given_days(coop):
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 3, 2), rrule="FREQ=WEEKLY;BYDAY=MO,TH")
    generate_visits(person, date(2026, 3, 2), date(2026, 3, 15))
    days = [v.starts_at.astimezone(ROME).strftime("%a %d") for v in Visit.objects.all()]
    assert days == ["Mon 02", "Thu 05", "Mon 09", "Thu 12"]


def test_visits_keep_local_time_across_the_clock_change(coop):
    """Europe/Rome leaves summer time on 25 October 2026: 09:00 stays 09:00."""
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 10, 20))
    generate_visits(person, date(2026, 10, 24), date(2026, 10, 26))
    local = [v.starts_at.astimezone(ROME).time() for v in Visit.objects.all()]
    assert local == [time(9, 0)] * 3


def test_new_version_keeps_done_visits_and_replaces_planned_ones(coop):
    person = factories.person_cared_for(coop)
    first = factories.care_plan(person, valid_from=date(2026, 3, 2))
    generate_horizon(person, date(2026, 3, 2))
    done = Visit.objects.get(starts_at=datetime(2026, 3, 20, 9, tzinfo=ROME))
    carer = factories.user_with_role(coop, Role.CARER)
    set_carers(done, [carer])
    factories.recorded_visit(done, carer)
    second = factories.care_plan(
        person, valid_from=date(2026, 3, 16), start_time=time(10, 30), title="Late morning"
    )
    visits = Visit.objects.filter(person=person)
    before = visits.filter(starts_at__lt=datetime(2026, 3, 16, tzinfo=ROME))
    assert before.count() == 14 and set(before.values_list("plan", flat=True)) == {first.pk}
    after = visits.filter(starts_at__gte=datetime(2026, 3, 16, tzinfo=ROME)).exclude(pk=done.pk)
    assert set(after.values_list("plan", flat=True)) == {second.pk}
    assert after.count() == 14  # regenerated up to where visits had been planned
    done.refresh_from_db()
    assert done.status == VisitStatus.DONE and done.plan == first


def test_planned_visits_already_given_to_carers_are_cancelled_not_deleted(coop):
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 3, 2))
    generate_visits(person, date(2026, 3, 2), date(2026, 3, 8))
    rostered = Visit.objects.get(starts_at=datetime(2026, 3, 6, 9, tzinfo=ROME))
    add_carer(rostered, factories.UserFactory())
    factories.care_plan(person, valid_from=date(2026, 3, 5), start_time=time(11, 0))
    rostered.refresh_from_db()
    assert rostered.status == VisitStatus.CANCELLED


def test_a_visit_across_the_clock_change_lasts_its_real_duration(coop):
    """Europe/Rome springs from 02:00 to 03:00 on 29 March 2026: a three-hour night visit from
    01:00 ends at 05:00 on the clock, three real hours later (adding three hours of wall time
    gave 04:00, two real hours)."""
    person = factories.person_cared_for(coop)
    factories.care_plan(
        person, valid_from=date(2026, 3, 28), start_time=time(1, 0), duration_minutes=180
    )
    generate_visits(person, date(2026, 3, 29), date(2026, 3, 29))
    visit = person.visits.get()
    assert visit.ends_at - visit.starts_at == timedelta(hours=3)
    assert visit.ends_at.astimezone(ROME).time() == time(5, 0)
