"""A roster run and the hours budgets: under a budget policy that refuses, the visits beyond a
person's budget are left unplanned, the latest of the period first; under one that warns, the
run plans them all and the draft shows the overrun."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from coopcare import localise
from coopcare.billing import services
from coopcare.cooperatives.models import Role
from coopcare.rostering.models import Roster, Unplaced
from coopcare.rostering.planning import beyond_budgets, visits_to_plan
from coopcare.rostering.services.runs import plan_period, save_draft
from coopcare.rostering.wording import say
from coopcare.visits.services import generate_visits
from tests import factories
from tests.billing.conftest import payer, tariff
from tests.rostering.conftest import carer_with


@pytest.fixture
def week(coop, day):
    """Rosa's daily 45-minute visits from a Tuesday to come to the Sunday after (six visits,
    each billed an hour: the tariff's minimum is 60 minutes), with a budget the municipality
    authorises of 4 hours of personal care a week, and a carer to give them to."""
    coordinator = factories.user_with_role(coop, Role.COORDINATOR, username="co")
    carer_with(coop, "ana")
    rosa = factories.person_cared_for(
        coop, full_name="Rosa", latitude=Decimal("44.4940"), longitude=Decimal("11.3430")
    )
    factories.care_plan(rosa, valid_from=date(2026, 1, 1), skills="personal")
    services.agree(
        rosa,
        payer(coop),
        {"valid_from": day - timedelta(days=7)},
        tariffs=[tariff(coop, coordinator)],
        budgets=[("personal_care", "week", Decimal(4))],
        by=coordinator,
    )
    sunday = day + timedelta(days=5)
    generate_visits(rosa, day, sunday)
    return day, sunday, list(rosa.visits.order_by("starts_at"))


def test_under_a_policy_that_warns_a_run_plans_every_visit_beyond_the_budget(coop, week):
    first, last, visits = week
    assert beyond_budgets(coop, first, last, visits) == {}
    results = plan_period(coop, first, last, seconds=1, solution_limit=1)
    assert [visit for result in results for visit, _, _ in result.assigned] == visits
    assert [visit for result in results for visit, _ in result.unplaced] == []


def test_under_a_policy_that_refuses_a_run_leaves_the_latest_visits_beyond_the_budget(coop, week):
    """The agreement authorises 4 hours a week and the cooperative's budget policy refuses to
    plan beyond it. Worked example: six visits from Tuesday to Sunday, billed an hour each,
    are 2 hours over, so Saturday's and Sunday's are left unplanned and Tuesday's to
    Friday's (4 hours) planned."""
    first, last, visits = week
    services.set_budget_policy(coop, "refuse")
    beyond = beyond_budgets(coop, first, last, list(visits_to_plan(coop, first, last)))
    assert set(beyond) == {visits[4].pk, visits[5].pk}
    results = plan_period(coop, first, last, seconds=1, solution_limit=1)
    assert [visit for result in results for visit, _, _ in result.assigned] == visits[:4]
    roster = save_draft(coop, first, last, results)
    left = Unplaced.objects.filter(roster=roster).order_by("visit__starts_at")
    assert [u.visit_id for u in left] == [visits[4].pk, visits[5].pk]
    code, values = left[0].reasons[0]
    assert code == "over_hours_budget"
    assert say(left[0].reasons) == (
        f"beyond the person's 4 hr budget from Comune di Bologna for "
        f"{localise.day(values['first'])} to {localise.day(values['last'])}, which the "
        "cooperative refuses to plan"
    )
    assert values["first"] == (first - timedelta(days=1)).isoformat()


def test_the_draft_roster_links_its_overruns_to_the_budgets_of_its_days(client, coop, week):
    first, last, _ = week
    roster = Roster.objects.create(cooperative=coop, first_day=first, last_day=last)
    factories.log_in(client, get_user_model().objects.get(username="co"))
    page = client.get(f"/c/{coop.slug}/roster/{roster.pk}/").content.decode()
    assert "Hours budgets these days go beyond" in page
    assert f"/billing/budgets/?first_day={first:%Y-%m-%d}&amp;last_day={last:%Y-%m-%d}" in page
