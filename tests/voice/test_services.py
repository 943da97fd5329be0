"""Feedback given and changed, complaints filed and taken through their steps."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.voice import rules, services
from coopcare.voice.models import ComplaintStep, Feedback
from tests import factories
from tests.voice.conftest import complaint


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def test_feedback_is_changed_the_same_day_and_kept_after(yesterday_visit, family):
    evening = yesterday_visit.ends_at + timedelta(hours=3)
    given = services.give_feedback(yesterday_visit, family, score=2, words="Late", now=evening)
    changed = services.give_feedback(
        yesterday_visit, family, score=4, words="Late, but kind", now=evening + timedelta(hours=1)
    )
    assert changed.pk == given.pk and Feedback.objects.get().score == 4
    with pytest.raises(ValidationError) as refused:
        services.give_feedback(yesterday_visit, family, score=1, now=evening + timedelta(days=1))
    assert codes(refused.value) == ["feedback_already_given"]
    assert Feedback.objects.get().words == "Late, but kind"


def test_no_feedback_on_a_visit_to_come(person, carer, family):
    tomorrow = factories.visit(person, [carer], day=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        services.give_feedback(tomorrow, family, score=5)
    assert codes(refused.value) == ["visit_not_happened"]
    assert not Feedback.objects.exists()


def test_a_complaint_gets_its_number_deadlines_and_tells_the_office(
    person, coordinator, django_capture_on_commit_callbacks
):
    coordinator.email = "office@example.org"
    coordinator.save()
    # Friday 4 December 2026; the cooperative is Italian, so the 8th is a holiday.
    with django_capture_on_commit_callbacks(execute=True):
        first = complaint(person, coordinator, received_on=date(2026, 12, 4))
    second = complaint(person, coordinator, received_on=date(2026, 12, 4))
    assert (first.number, second.number) == (1, 2)
    assert first.acknowledge_by == date(2026, 12, 10)
    assert first.answer_by == rules.add_working_days(
        date(2026, 12, 4), 20, services.days_off(person.cooperative)
    )
    assert first.status == "received" and first.steps.get().step == "received"
    [email] = mail.outbox
    assert email.to == ["office@example.org"]
    # No care details leave the app.
    assert "shower" not in email.body and person.full_name not in email.body


def test_a_complaint_about_a_carer_names_one(person, coordinator):
    with pytest.raises(ValidationError) as refused:
        complaint(person, coordinator, about="carer")
    assert codes(refused.value) == ["carer_missing"]


def test_the_steps_from_receipt_to_the_boards_decision(person, coordinator, board):
    received = timezone.localdate() - timedelta(days=20)
    filed = complaint(person, coordinator, received_on=received)
    services.take_step(filed, "acknowledged", by=coordinator, on=received, text="Received")
    services.take_step(filed, "investigated", by=coordinator, on=received, text="Rota checked")
    with pytest.raises(ValidationError) as refused:
        services.take_step(filed, "answered", by=coordinator, on=received, text="Sorry")
    assert codes(refused.value) == ["complaint_outcome_missing"]
    services.take_step(
        filed, "answered", by=coordinator, on=received, text="Sorry", outcome="partly_upheld"
    )
    filed.refresh_from_db()
    assert filed.outcome == "partly_upheld" and filed.appeal_by > received
    services.take_step(filed, "appealed", by=coordinator, text="Not enough")
    services.take_step(filed, "closed", by=board, outcome="upheld", text="The board agrees")
    filed.refresh_from_db()
    assert (filed.status, filed.outcome) == ("closed", "upheld")
    assert [s.step for s in filed.steps.all()] == [
        "received",
        "acknowledged",
        "investigated",
        "answered",
        "appealed",
        "closed",
    ]


def test_a_step_out_of_order_writes_nothing(person, coordinator):
    filed = complaint(person, coordinator)
    with pytest.raises(ValidationError) as refused:
        services.take_step(filed, "answered", by=coordinator, text="x", outcome="upheld")
    assert codes(refused.value) == ["step_out_of_order"]
    assert ComplaintStep.objects.count() == 1


def test_the_cooperatives_deadlines_apply_to_complaints_received_after(person, coordinator):
    services.set_policy(
        person.cooperative,
        acknowledge_working_days=1,
        answer_working_days=5,
        appeal_working_days=10,
    )
    filed = complaint(person, coordinator, received_on=date(2026, 11, 2))
    assert (filed.acknowledge_by, filed.answer_by) == (date(2026, 11, 3), date(2026, 11, 9))
    with pytest.raises(ValidationError) as refused:
        services.set_policy(
            person.cooperative,
            acknowledge_working_days=5,
            answer_working_days=2,
            appeal_working_days=10,
        )
    assert codes(refused.value) == ["answer_before_acknowledgement"]
