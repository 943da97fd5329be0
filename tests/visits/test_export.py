"""Visits' sections of the person's data export: the breaks in their care and the visits
cancelled, who asked and why, on the cooperative's clock, for this person only."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from coopcare.visits import services
from coopcare.visits.export import person_breaks_and_cancellations
from tests import factories


def test_breaks_and_cancellations_are_exported(coop, coordinator):
    person = factories.person_cared_for(coop, full_name="Rosa Bianchi")
    someone_else = factories.person_cared_for(coop, full_name="Other Person")
    today = timezone.localdate()
    visit = factories.visit(person, day=today + timedelta(days=2))
    services.cancel_visit(visit, "person", "At the dentist", coordinator)
    services.cancel_visit(
        factories.visit(someone_else, day=today + timedelta(days=2)),
        "person",
        "Visiting family",
        coordinator,
    )
    services.start_break(
        person,
        "hospital",
        today + timedelta(days=10),
        coordinator,
        last_day=today + timedelta(days=12),
        reason="Hip operation",
    )

    data = person_breaks_and_cancellations(person)

    [cancelled] = data["cancellations"]
    assert (cancelled["asked_by"], cancelled["why"]) == ("person", "At the dentist")
    assert cancelled["visit_starts_at"] == timezone.localtime(visit.starts_at).isoformat()
    assert datetime.fromisoformat(cancelled["cancelled_at"]).utcoffset() == (
        timezone.localtime().utcoffset()
    )
    assert cancelled["cancelled_by"] == coordinator.get_full_name()
    [hospital] = data["care_breaks"]
    assert (hospital["kind"], hospital["reason"]) == ("hospital", "Hip operation")
    assert date.fromisoformat(hospital["last_day"]) == today + timedelta(days=12)
