"""Planning a day: it starts and ends at the carer's home when the carer gave it, and its
minutes are real minutes, also on the days the clocks change."""

from datetime import date, time, timedelta
from decimal import Decimal

from coopcare.care.services import edit_person
from coopcare.rostering.planning import Period, day_problem, plan_day, repair_day
from coopcare.rostering.wording import say
from coopcare.shared.days import elapsed
from coopcare.visits.services import local_moment
from tests.rostering.conftest import visits_on
from tests.work.conftest import home, planned


def test_a_carer_with_a_home_place_starts_and_ends_the_day_there(coop, ana, ben, people, day):
    # Journeys from home to the first visit and back are working time (CJEU C-266/14 Tyco),
    # so the planner counts them; a carer with no home place keeps the free depot (0).
    rosa, marco = people
    home(coop, ana, latitude=str(rosa.latitude + Decimal("0.01")), longitude=str(rosa.longitude))
    visits = [visits_on(rosa, day), visits_on(marco, day)]
    built = day_problem(Period.load(coop, day, day), day, visits)
    carers = {c.id: c for c in built.problem.carers}
    at_home = carers[str(ana.pk)]
    assert at_home.start_location == at_home.end_location != 0
    assert carers[str(ben.pk)].start_location == carers[str(ben.pk)].end_location == 0
    rosa_at = next(v.location for v in built.problem.visits if v.id == str(visits[0].pk))
    travel = built.problem.travel
    # About 1.1 km north of Rosa: some minutes by car, both ways; the free depot costs none.
    assert 2 < travel.minutes(at_home.start_location, rosa_at) < 5
    assert travel.minutes(rosa_at, at_home.end_location) > 2
    assert travel.minutes(0, rosa_at) == 0


def test_a_carer_living_far_away_is_not_sent_out_when_a_neighbour_can_go(
    coop, ana, ben, people, day
):
    # Ana lives 20 km out of town, Ben at Marco's door: with their homes known, Ben does both
    # visits rather than Ana driving 40 km (with a free depot, Ana looked as near as anyone).
    rosa, marco = people
    home(coop, ana, latitude="44.6700", longitude="11.3430")
    home(coop, ben, latitude=str(marco.latitude), longitude=str(marco.longitude))
    visits = [visits_on(rosa, day), visits_on(marco, day)]
    result = plan_day(Period.load(coop, day, day), day, visits, seconds=1)
    assert {carer for _visit, carer, _why in result.assigned} == {ben.pk}


def test_the_daily_rest_before_a_spring_change_day_lasts_eleven_real_hours(coop, ana, ben, people):
    # Directive 2003/88/EC art. 3: 11 consecutive hours of rest. Summer time begins on Sunday
    # 28 March 2027 (Directive 2000/84/EC art. 2): the night has 23 hours. Ana works until
    # 22:00 on Saturday; 09:00 on Sunday is only 10 hours later, so Rosa's 9:00 visit goes to
    # Ben. (Minutes on the clock would have said 11 hours.)
    rosa, _marco = people
    saturday, sunday = date(2027, 3, 27), date(2027, 3, 28)
    evening = planned(ana, rosa, saturday, 19, 22)
    assert elapsed(evening.ends_at, local_moment(sunday, time(9))) == timedelta(hours=10)
    visit = visits_on(rosa, sunday)
    built = day_problem(Period.load(coop, sunday, sunday), sunday, [visit])
    carers = {c.id: c for c in built.problem.carers}
    # The planner's minutes are real minutes from midnight: 09:00 CEST is 8 hours after it,
    # and Ana may start 11 hours after 22:00 CET, at 10:00 CEST: 9 hours after midnight.
    assert built.problem.visits[0].earliest == 8 * 60
    assert carers[str(ana.pk)].available_from == 9 * 60
    assert carers[str(ben.pk)].available_until == 23 * 60
    result = plan_day(Period.load(coop, sunday, sunday), sunday, [visit], seconds=1)
    assert [carer for _visit, carer, _why in result.assigned] == [ben.pk]


def test_visits_to_a_home_not_placed_are_left_unplaced_and_the_others_planned(
    coop, coordinator, ana, ben, people, day
):
    rosa, marco = people
    edit_person(rosa, coordinator, latitude=None, longitude=None)
    rosa_visit, marco_visit = visits_on(rosa, day), visits_on(marco, day)
    result = plan_day(Period.load(coop, day, day), day, [rosa_visit, marco_visit], seconds=1)
    assert [visit for visit, _carer, _why in result.assigned] == [marco_visit]
    assert result.unplaced == [(rosa_visit, [("home_not_placed", {})])]
    assert say(result.unplaced[0][1]) == "the person's home is not placed on the map yet"

    # Once a coordinator places the home, Rosa is rostered as usual.
    edit_person(rosa, coordinator, latitude="44.4940", longitude="11.3430")
    rosa_visit.person.refresh_from_db()
    result = plan_day(Period.load(coop, day, day), day, [rosa_visit, marco_visit], seconds=1)
    assert {visit for visit, _carer, _why in result.assigned} == {rosa_visit, marco_visit}


def test_cover_leaves_a_visit_to_a_home_not_placed_uncovered_with_the_reason(
    coop, coordinator, ana, ben, people, day
):
    rosa, marco = people
    edit_person(rosa, coordinator, latitude=None, longitude=None)
    rosa_visit, marco_visit = visits_on(rosa, day), visits_on(marco, day)
    current = {rosa_visit.pk: {ana.pk}, marco_visit.pk: {ana.pk}}
    period = Period.load(coop, day, day)
    repair = repair_day(period, day, [rosa_visit, marco_visit], current, ana.pk, seconds=1)
    assert repair.uncovered == {rosa_visit.pk: [("home_not_placed", {})]}
    assert repair.proposed[marco_visit.pk][0] == [ben.pk]
