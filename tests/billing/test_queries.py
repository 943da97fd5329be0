"""Hours budgets: done (verified, billed minutes), planned, left and over per period."""

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import queries, services
from coopcare.cooperatives.models import Role
from coopcare.rostering.models import Roster, RosterStatus, Unplaced
from coopcare.rostering.services import edits, visit_changes
from coopcare.visits.models import Visit
from coopcare.visits.services import confirm_by_phone, generate_visits, set_carers
from tests import factories


def test_a_budget_counts_verified_visits_billed_and_planned_ones_and_shows_the_overrun(billing):
    coop, person, by = billing["coop"], billing["person"], billing["coordinator"]
    carer = factories.user_with_role(coop, Role.CARER)
    # Daily 45-minute visits, billed an hour each (minimum 60): 4 hours a week authorised.
    factories.care_plan(person, valid_from=date(2026, 11, 2))
    services.agree(
        person,
        billing["comune"],
        {"valid_from": date(2026, 11, 1)},
        tariffs=[billing["tariff"]],
        budgets=[("personal_care", "week", Decimal(4))],
        by=by,
    )
    generate_visits(person, date(2026, 11, 2), date(2026, 11, 8))
    monday = person.visits.order_by("starts_at").first()
    set_carers(monday, [carer])
    record = factories.recorded_visit(monday, carer)
    confirm_by_phone(record, by, now=monday.ends_at + timedelta(hours=1))
    [row] = queries.budget_rows(coop, date(2026, 11, 2), date(2026, 11, 8))
    assert (row.first_day, row.last_day) == (date(2026, 11, 2), date(2026, 11, 8))
    # Monday done (40 minutes recorded, billed 60); six days planned, 60 billed each.
    assert (row.standing.authorised, row.standing.done, row.standing.planned) == (240, 60, 360)
    assert (row.left_hours, row.over_hours) == (Decimal("0.00"), Decimal("3.00"))
    assert row.over_when_planned
    assert queries.overruns(coop, date(2026, 11, 2), date(2026, 11, 8)) == [row]
    # The week before the agreement has no budget.
    assert queries.budget_rows(coop, date(2026, 10, 19), date(2026, 10, 25)) == []


def test_the_budgets_page_period_is_this_month_unless_asked():
    today = date(2026, 2, 11)
    assert queries.period(None, None, today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert queries.period(date(2026, 3, 4), None, today) == (date(2026, 3, 4), date(2026, 3, 31))
    assert queries.period(date(2026, 3, 9), date(2026, 3, 2), today) == (
        date(2026, 3, 2),
        date(2026, 3, 9),
    )


def _over_budget(billing):
    """Daily 45-minute visits (billed an hour) in the week of 2 November 2026, with a budget
    of 4 hours a week: planned, they go 3 hours over."""
    person = billing["person"]
    factories.care_plan(person, valid_from=date(2026, 11, 2))
    services.agree(
        person,
        billing["comune"],
        {"valid_from": date(2026, 11, 1)},
        tariffs=[billing["tariff"]],
        budgets=[("personal_care", "week", Decimal(4))],
        by=billing["coordinator"],
    )
    generate_visits(person, date(2026, 11, 2), date(2026, 11, 8))
    return person.visits.order_by("starts_at").last()


def test_a_visit_beyond_the_budget_needs_a_reason_or_is_refused_as_the_policy_says(billing):
    visit = _over_budget(billing)
    hard, soft = queries.budget_problems(visit)
    assert hard == [] and [e.code for e in soft] == ["over_hours_budget"]
    assert "3 hr beyond the 4 hr" in soft[0].message
    services.set_budget_policy(billing["coop"], "refuse")
    hard, soft = queries.budget_problems(visit)
    assert [e.code for e in hard] == ["over_hours_budget"] and soft == []


def test_the_draft_roster_page_shows_the_overrun_and_a_change_of_carers_is_not_held_by_it(
    client, billing
):
    """Giving a visit to other carers (cover for a sick colleague) plans no more hours for
    the person, so even under a policy that refuses overruns it is not held by the budget."""
    visit = _over_budget(billing)
    services.set_budget_policy(billing["coop"], "refuse")
    roster = Roster.objects.create(
        cooperative=billing["coop"], first_day=date(2026, 11, 2), last_day=date(2026, 11, 8)
    )
    found = edits.check(roster, visit, [])
    assert "over_hours_budget" not in [e.code for e in found.hard + found.soft]
    factories.log_in(client, billing["coordinator"])
    page = client.get(f"/c/{billing['coop'].slug}/roster/{roster.pk}/")
    assert page.status_code == 200
    assert "Hours budgets these days go beyond" in page.content.decode()


def test_a_one_off_visit_beyond_the_budget_needs_a_reason_or_is_refused(billing):
    """A visit added to a published roster adds hours: beyond the budget it needs a reason
    (kept with the open visit) when the policy warns, and is refused, writing nothing, when
    it refuses."""
    visit = _over_budget(billing)
    Roster.objects.create(
        cooperative=billing["coop"],
        first_day=date(2026, 11, 2),
        last_day=date(2026, 11, 8),
        status=RosterStatus.PUBLISHED,
    )
    person, coordinator = billing["person"], billing["coordinator"]
    task = visit.task
    starts_at = visit.starts_at - timedelta(hours=3)
    before = Visit.objects.count()
    week_before = starts_at - timedelta(days=7)
    add = partial(visit_changes.add, person, task, minutes=60, by=coordinator, now=week_before)
    with pytest.raises(ValidationError) as warned:
        add(starts_at=starts_at)
    assert {e.code for e in warned.value.error_list} == {
        "over_hours_budget",
        "override_reason_missing",
    }
    assert Visit.objects.count() == before
    reason = "Hospital discharge, the municipality agreed by phone"
    added = add(starts_at=starts_at, override_reason=reason)
    [open_visit] = Unplaced.objects.filter(visit=added)
    assert ["override", {"reason": reason}] in open_visit.reasons
    services.set_budget_policy(billing["coop"], "refuse")
    with pytest.raises(ValidationError) as refused:
        add(starts_at=starts_at - timedelta(hours=2), override_reason="Anyway")
    assert [e.code for e in refused.value.error_list] == ["over_hours_budget"]
    assert Visit.objects.count() == before + 1
