"""A motion adopts new pay rules: checked when proposed as the office's are, written from
its effect date when it passes, and, if pay was run past that date while the vote was open,
recorded as not applied, with the coordinators and the board told, without ever stopping the
vote from closing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coopcare.cooperatives.models import Role
from coopcare.governance.forms import MotionForm
from coopcare.governance.models import Decision
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.voting import cast_vote, close_due_votes, open_vote
from coopcare.work.models import PayRules, Timesheet
from coopcare.work.queries import pay_rules_on
from coopcare.work.services import timesheets
from coopcare.work.services.pay import run_pay
from tests import factories
from tests.governance.conftest import online_window
from tests.work.conftest import contract, worked


def _motion(coop, effect_from, effect=None):
    opens, closes = online_window()
    return propose_motion(
        coop,
        title="A fairer base rate",
        text="Carers are paid 12.50 an hour, and 20 % more at night.",
        opens_at=opens,
        closes_at=closes,
        effect_kind="pay_rules",
        effect={"base_rate": "12.50", "unsocial_premium": "20"} if effect is None else effect,
        effect_from=effect_from,
    )


def _pass(motion, members):
    open_vote(motion)
    for member in [*members["Workers"], *members["People cared for"], *members["Supporters"]]:
        cast_vote(motion, member, choice="for")
    assert close_due_votes(motion.closes_at) == 1
    motion.refresh_from_db()
    assert motion.passed


def test_a_passed_motion_adopts_the_pay_rules_it_carries_from_its_date(coop, members):
    motion = _motion(coop, date(2027, 1, 1))
    _pass(motion, members)
    rules = Decision.objects.get(motion=motion).pay_rules
    assert (rules.effective_from, rules.base_rate) == (date(2027, 1, 1), Decimal("12.50"))
    assert rules.unsocial_premium == Decimal("20")
    # What the motion leaves out stays as the rules in force had it (here the defaults).
    assert rules.minimum_wage == PayRules().minimum_wage
    assert rules.summary == "Adopted by the motion “A fairer base rate”."
    assert pay_rules_on(coop, date(2027, 1, 1)) == rules
    assert pay_rules_on(coop, date(2026, 12, 31)).pk is None


def test_pay_rules_the_office_could_not_record_are_refused_when_proposed(coop):
    with pytest.raises(ValidationError) as refused:
        _motion(coop, date(2027, 1, 1), {"base_rate": "0"})
    assert "base_rate" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _motion(coop, date(2027, 1, 1), {"unsocial_from": ["late"]})
    assert [e.code for e in refused.value.error_list] == ["effect_price_invalid"]


def test_pay_run_past_the_date_while_the_vote_was_open_keeps_the_rules_and_tells_the_office(
    coop, members, django_capture_on_commit_callbacks
):
    """Pay already run is never paid again by other rules: the vote still closes, the decision
    says why its rules were not written, and the coordinators and the board are told."""
    coordinator = factories.user_with_role(
        coop, Role.COORDINATOR, username="co", email="co@example.org"
    )
    carer = factories.user_with_role(coop, Role.CARER, username="carla")
    contract(coop, carer)
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 1, 1))
    worked(carer, person, date(2026, 11, 3), 8, 9)
    motion = _motion(coop, date(2026, 11, 10))
    # While the vote is open the office pays the first half of November.
    timesheets.build_timesheets(coop, date(2026, 11, 1), date(2026, 11, 15))
    timesheets.approve(coop, Timesheet.objects.filter(carer=carer), coordinator)
    run_pay(coop, date(2026, 11, 1), date(2026, 11, 15), coordinator, today=date(2026, 12, 1))
    with django_capture_on_commit_callbacks(execute=True):
        _pass(motion, members)
    decision = Decision.objects.get(motion=motion)
    assert decision.pay_rules is None and not PayRules.objects.filter(cooperative=coop).exists()
    assert decision.not_applied.startswith("Pay was already run up to")
    [email] = [m for m in mail.outbox if m.to == ["co@example.org"]]
    assert "which adopts new pay rules" in email.body


def test_the_motion_form_carries_the_pay_rules_given(coop):
    opens, closes = online_window()
    form = MotionForm(
        {
            "title": "A fairer base rate",
            "text": "…",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "majority": "simple",
            "base": "cast",
            "min_days_member": 0,
            "effect_kind": "pay_rules",
            "pay_base_rate": "12.50",
        },
        cooperative=coop,
    )
    assert form.is_valid(), form.errors
    effect = form.cleaned_data["effect"]
    assert effect["base_rate"] == Decimal("12.50") and effect["minimum_wage"] is None
