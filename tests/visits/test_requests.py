"""Requests about visits: the person's circle asks to move or cancel a visit, or for an extra
one; a coordinator accepts (the change made as their own roster edit, with its checks) or
refuses with a reason; the office and the one who asked are told that there is something to
see, and nothing of it."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.billing import services as billing
from coopcare.care import services as care_services
from coopcare.care.models import Relationship
from coopcare.cooperatives.models import Role
from coopcare.rostering.services.visit_changes import move
from coopcare.visits import requests
from coopcare.visits.models import (
    Cancellation,
    Requester,
    Visit,
    VisitRequest,
    VisitRequestKind,
    VisitRequestStatus,
    VisitStatus,
)
from coopcare.visits.services import local_moment
from tests import factories
from tests.billing.conftest import payer, tariff
from tests.rostering.conftest import carer_with, published_with


@pytest.fixture
def day():
    return timezone.localdate() + timedelta(days=3)


@pytest.fixture
def grant(lucia, daughter):
    return lucia.circle.get(user=daughter)


def visit_on(person, day) -> Visit:
    return person.visits.get(starts_at__date=day)


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def test_a_cancellation_asked_by_the_circle_is_accepted_and_billed_as_theirs(
    coop, coordinator, lucia, daughter, grant, day, django_capture_on_commit_callbacks
):
    visit = visit_on(lucia, day)
    with django_capture_on_commit_callbacks(execute=True):
        asked = requests.ask(
            lucia, VisitRequestKind.CANCEL, "At the seaside with us", daughter, grant, visit=visit
        )
    assert (asked.status, asked.asked_as, asked.visit_starts_at) == (
        VisitRequestStatus.PENDING,
        Requester.CIRCLE,
        visit.starts_at,
    )
    # The office is told a request waits, and nothing of it.
    [told] = mail.outbox
    assert told.to == [coordinator.email]
    assert "Lucia" not in told.body and "seaside" not in told.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered = requests.accept(asked, coordinator, answer="Enjoy the sea")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    cancellation = Cancellation.objects.get(visit=visit)
    # Recorded as asked by the circle, so a late one is charged (billing.invoicing).
    assert cancellation.requested_by == Requester.CIRCLE
    assert cancellation.reason == "At the seaside with us" and not cancellation.short_notice
    assert (answered.status, answered.outcome, answered.answered_by) == (
        VisitRequestStatus.ACCEPTED,
        visit,
        coordinator,
    )
    [answer] = mail.outbox
    assert answer.to == [daughter.email]
    assert "Lucia" not in answer.body and "sea" not in answer.body


def test_a_legal_representative_asks_in_the_persons_name(coop, coordinator, lucia, day):
    lawyer = factories.user_with_role(coop, Role.CIRCLE, username="avv")
    representative = care_services.add_to_circle(
        lucia,
        user=lawyer,
        full_name="Avv. Rossi",
        relationship=Relationship.LEGAL_REPRESENTATIVE,
        may_see_visits=True,
        granted_by="The court",
        granted_on=timezone.localdate(),
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    visit = visit_on(lucia, tomorrow)
    asked = requests.ask(
        lucia, VisitRequestKind.CANCEL, "Hospital check", lawyer, representative, visit=visit
    )
    assert asked.asked_as == Requester.PERSON
    # Accepted less than a day before the visit: at short notice, so it may be charged.
    requests.accept(asked, coordinator, now=visit.starts_at - timedelta(hours=20))
    cancellation = Cancellation.objects.get(visit=visit)
    assert cancellation.requested_by == Requester.PERSON and cancellation.short_notice


@pytest.mark.parametrize(
    ("kind", "fields", "code"),
    [
        (VisitRequestKind.CANCEL, {"reason": "  "}, "reason_missing"),
        (VisitRequestKind.CANCEL, {"visit": None}, "visit_missing"),
        (VisitRequestKind.MOVE, {"starts_at": None}, "visit_in_past"),
        (VisitRequestKind.MOVE, {"same_time": True}, "visit_not_moved"),
        ("swap", {}, "request_kind_unknown"),
    ],
)
def test_a_request_that_cannot_be_is_refused_with_its_code(
    lucia, daughter, grant, day, kind, fields, code
):
    visit = visit_on(lucia, day)
    asked = {"visit": visit, "starts_at": local_moment(day, time(15))}
    if fields.pop("same_time", False):
        asked["starts_at"] = visit.starts_at
    reason = fields.pop("reason", "A reason")
    with pytest.raises(ValidationError) as refused:
        requests.ask(lucia, kind, reason, daughter, grant, **(asked | fields))
    assert refused.value.code == code
    assert not VisitRequest.objects.exists() and not mail.outbox


def test_one_request_waits_per_visit_and_a_past_visit_cannot_be_asked_about(
    lucia, daughter, grant, day
):
    visit = visit_on(lucia, day)
    requests.ask(lucia, VisitRequestKind.CANCEL, "Away", daughter, grant, visit=visit)
    with pytest.raises(ValidationError) as refused:
        moved = local_moment(day, time(15))
        requests.ask(
            lucia, VisitRequestKind.MOVE, "Later", daughter, grant, visit=visit, starts_at=moved
        )
    assert refused.value.code == "request_pending"
    with pytest.raises(ValidationError) as refused:
        requests.ask(
            lucia, VisitRequestKind.CANCEL, "Away", daughter, grant, visit=visit, now=visit.ends_at
        )
    assert refused.value.code == "visit_begun"
    assert VisitRequest.objects.count() == 1


def test_a_move_is_checked_as_a_roster_edit_before_and_when_accepted(
    coop, coordinator, lucia, daughter, grant, day, django_capture_on_commit_callbacks
):
    ana = carer_with(coop, "ana")
    visit = visit_on(lucia, day)
    roster = published_with(coop, coordinator, day, {visit: [ana]})
    asked = requests.ask(
        lucia,
        VisitRequestKind.MOVE,
        "Physiotherapy in the morning",
        daughter,
        grant,
        visit=visit,
        starts_at=local_moment(day, time(15)),
    )
    mail.outbox.clear()
    # Lucia has never met Ana at 15:00 before: a soft rule, which needs a reason. Looking
    # writes nothing and tells nobody.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        found = requests.checks(asked, coordinator)
    assert {e.code for e in found} >= {"carer_not_known", "override_reason_missing"}
    assert not callbacks and not mail.outbox
    assert Visit.objects.filter(person=lucia).count() == 9
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator)
    assert codes(refused.value) == {e.code for e in found}
    asked.refresh_from_db()
    assert asked.status == VisitRequestStatus.PENDING and asked.outcome is None
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    # A hard rule no reason sets aside: Lucia has since refused Ana.
    lucia.refused_carers.add(ana)
    assert "carer_refused" in {e.code for e in requests.checks(asked, coordinator)}
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator, override_reason="Agreed on the phone")
    assert "carer_refused" in codes(refused.value)
    lucia.refused_carers.remove(ana)
    with django_capture_on_commit_callbacks(execute=True):
        answered = requests.accept(asked, coordinator, override_reason="Agreed on the phone")
    moved = answered.outcome
    assert moved.starts_at == local_moment(day, time(15)) and list(moved.carers.all()) == [ana]
    assert roster.assignments.filter(visit=moved, carer=ana).exists()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    # A move is never charged as a cancellation.
    assert visit.cancellations.get().moved_to == moved
    assert {m.to[0] for m in mail.outbox} == {ana.email, daughter.email}


def test_a_request_whose_visit_changed_meanwhile_cannot_be_accepted_only_refused(
    coordinator, lucia, daughter, grant, day, django_capture_on_commit_callbacks
):
    visit = visit_on(lucia, day)
    asked = requests.ask(lucia, VisitRequestKind.CANCEL, "Away", daughter, grant, visit=visit)
    move(visit, coordinator, starts_at=local_moment(day, time(11)), reason="Office")
    assert [e.code for e in requests.checks(asked, coordinator)] == ["request_outdated"]
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator)
    assert refused.value.code == "request_outdated"
    with pytest.raises(ValidationError) as refused:
        requests.refuse(asked, coordinator, " ")
    assert refused.value.code == "reason_missing"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered = requests.refuse(asked, coordinator, "We moved it to 11:00 the day before.")
    assert answered.status == VisitRequestStatus.REFUSED
    assert answered.answer == "We moved it to 11:00 the day before."
    assert [m.to for m in mail.outbox] == [[daughter.email]]
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator)
    assert refused.value.code == "request_answered"


def test_a_request_past_its_time_cannot_be_accepted(coordinator, lucia, daughter, grant, day):
    visit = visit_on(lucia, day)
    asked = requests.ask(lucia, VisitRequestKind.CANCEL, "Away", daughter, grant, visit=visit)
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator, now=visit.starts_at + timedelta(minutes=1))
    assert refused.value.code == "request_outdated"
    assert not Cancellation.objects.exists()


def test_an_extra_visit_is_asked_in_a_window_and_placed_in_it(
    coordinator, lucia, daughter, grant, day
):
    task = lucia.plans.get().tasks.get()
    window = {"starts_at": local_moment(day, time(14)), "ends_by": local_moment(day, time(14, 30))}
    with pytest.raises(ValidationError) as refused:
        requests.ask(lucia, VisitRequestKind.EXTRA, "Party", daughter, grant, task=task, **window)
    assert refused.value.code == "window_too_short"
    window["ends_by"] = local_moment(day, time(17))
    asked = requests.ask(
        lucia,
        VisitRequestKind.EXTRA,
        "Birthday party: help her dress",
        daughter,
        grant,
        task=task,
        **window,
    )
    # The visit lasts 45 minutes: its last start in the window is 16:15.
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator, starts_at=local_moment(day, time(16, 30)))
    assert refused.value.code == "start_outside_window"
    answered = requests.accept(asked, coordinator, starts_at=local_moment(day, time(16, 15)))
    extra = answered.outcome
    assert extra.extra and extra.task == task and extra.minutes == 45
    assert (
        extra.starts_at == local_moment(day, time(16, 15)) and extra.status == VisitStatus.PLANNED
    )


def test_an_extra_visit_beyond_the_hours_budget_is_held_as_any_added_visit(
    coop, coordinator, lucia, daughter, grant, day
):
    """Lucia's payer authorises 4 hours of personal care a week and the cooperative refuses
    to plan beyond it; her daily visits already fill the week, so an extra one on a day of
    the published roster is refused with over_hours_budget, as a coordinator's own."""
    billing.agree(
        lucia,
        payer(coop),
        {"valid_from": timezone.localdate() - timedelta(days=7)},
        tariffs=[tariff(coop, coordinator)],
        budgets=[("personal_care", "week", Decimal(4))],
        by=coordinator,
    )
    billing.set_budget_policy(coop, "refuse")
    ana = carer_with(coop, "ana")
    published_with(coop, coordinator, day, {visit_on(lucia, day): [ana]})
    task = lucia.plans.get().tasks.get()
    asked = requests.ask(
        lucia,
        VisitRequestKind.EXTRA,
        "Extra help",
        daughter,
        grant,
        task=task,
        starts_at=local_moment(day, time(15)),
        ends_by=local_moment(day, time(18)),
    )
    assert "over_hours_budget" in {e.code for e in requests.checks(asked, coordinator)}
    with pytest.raises(ValidationError) as refused:
        requests.accept(asked, coordinator, override_reason="x")
    assert "over_hours_budget" in codes(refused.value)
    assert not Visit.objects.filter(extra=True).exists()
