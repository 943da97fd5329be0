"""Marks and follow-ups: placed on the outline or refused, numbered, raising an incident in the
same transaction, followed up until healed, never edited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.bodymap import queries, services
from coopcare.bodymap.models import FollowUp, Mark
from coopcare.kept import Refused
from coopcare.visits.models import Incident
from tests import factories
from tests.bodymap.conftest import heel_ulcer


def test_a_mark_without_a_point_is_placed_at_its_region_and_raises_an_incident(person, coordinator):
    mark = heel_ulcer(person, coordinator)
    assert (mark.number, mark.side, mark.x, mark.y) == (1, "back", 76, 426)
    incident = Incident.objects.get()
    assert mark.incident == incident
    assert (incident.person, incident.visit, incident.kind, incident.severity) == (
        person,
        None,
        "injury",
        "medium",
    )
    assert "left heel" in incident.description
    assert "Red patch" in incident.description


def test_a_mark_on_a_visit_raises_the_incident_on_that_visit(person, carer, today_visit):
    mark = services.add_mark(
        person,
        by=carer,
        side="front",
        region="left_forearm",
        x=158,
        y=207,
        kind="bruise",
        length_cm=Decimal("3.0"),
        width_cm=Decimal("2.0"),
        description="Bluish bruise, says she knocked the table.",
        visit=today_visit,
    )
    assert (mark.x, mark.y, mark.visit) == (158, 207, today_visit)
    assert mark.incident.visit == today_visit
    assert mark.incident.reported_by == carer


def test_a_deep_pressure_ulcer_is_a_high_incident(person, coordinator):
    heel_ulcer(person, coordinator, category="3")
    assert Incident.objects.get().severity == "high"


def test_marks_are_numbered_per_person(coop, person, coordinator):
    other = factories.person_cared_for(coop)
    assert [heel_ulcer(person, coordinator).number for _ in range(2)] == [1, 2]
    assert heel_ulcer(other, coordinator).number == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"x": 5, "y": 5}, "mark_off_body"),
        ({"x": 100, "y": 300}, "mark_off_body"),
        ({"category": ""}, "category_missing"),
        ({"description": ""}, "description_missing"),
        ({"length_cm": Decimal("2")}, "size_incomplete"),
        ({"at": timezone.now() + timedelta(hours=1)}, "dated_in_future"),
    ],
)
def test_a_bad_mark_is_refused_and_saves_nothing(person, coordinator, fields, code):
    with pytest.raises(ValidationError) as refused:
        heel_ulcer(person, coordinator, **fields)
    assert [e.code for e in refused.value.error_list] == [code]
    assert not Mark.objects.exists()
    assert not Incident.objects.exists()


def test_a_mark_off_the_outline_says_so_clearly(person, coordinator):
    with pytest.raises(ValidationError) as refused:
        heel_ulcer(person, coordinator, x=5, y=5)
    assert refused.value.messages == ["The mark is not on the body: place it inside the outline."]


def test_a_visit_to_someone_else_is_refused(coop, person, coordinator, carer):
    elsewhere = factories.visit(factories.person_cared_for(coop), [carer])
    with pytest.raises(ValidationError) as refused:
        heel_ulcer(person, coordinator, visit=elsewhere)
    assert refused.value.error_list[0].code == "visit_of_someone_else"


def test_the_mark_and_its_incident_are_saved_together_or_not_at_all(
    person, coordinator, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Mark, "save", fail)
    with pytest.raises(RuntimeError):
        heel_ulcer(person, coordinator)
    assert not Incident.objects.exists()
    assert not Mark.objects.exists()


def test_follow_ups_until_healed_take_the_mark_off_the_current_map(person, coordinator, carer):
    mark = heel_ulcer(person, coordinator, at=timezone.now() - timedelta(days=10))
    services.follow_up(mark, by=carer, status="improving", at=timezone.now() - timedelta(days=5))
    assert queries.current(queries.marks(person)) == [mark]
    services.follow_up(
        mark,
        by=coordinator,
        status="healed",
        notes="Skin intact, no redness.",
        length_cm=Decimal("0.5"),
        width_cm=Decimal("0.5"),
    )
    marks = list(queries.marks(person))
    assert queries.current(marks) == []
    assert marks == [mark]  # still in the history
    assert [f.status for f in marks[0].follow_ups.all()] == ["improving", "healed"]


def test_a_follow_up_after_healed_puts_the_mark_back(person, coordinator):
    mark = heel_ulcer(person, coordinator, at=timezone.now() - timedelta(days=2))
    services.follow_up(mark, by=coordinator, status="healed", at=timezone.now() - timedelta(days=1))
    services.follow_up(mark, by=coordinator, status="worse", notes="Red again.")
    assert queries.current(queries.marks(person)) == [mark]


def test_a_follow_up_before_the_mark_or_with_half_a_size_is_refused(person, coordinator):
    mark = heel_ulcer(person, coordinator)
    with pytest.raises(ValidationError) as refused:
        services.follow_up(
            mark,
            by=coordinator,
            status="same",
            width_cm=Decimal(1),
            at=mark.recorded_at - timedelta(hours=1),
        )
    assert {e.code for e in refused.value.error_list} == {
        "size_incomplete",
        "follow_up_before_mark",
    }
    assert not FollowUp.objects.exists()


def test_marks_and_follow_ups_are_never_edited(person, coordinator):
    mark = heel_ulcer(person, coordinator)
    follow_up = services.follow_up(mark, by=coordinator, status="same")
    for record in (mark, follow_up):
        with pytest.raises(Refused) as refused:
            record.save()
        assert refused.value.code == "kept_as_written"
        with pytest.raises(Refused):
            type(record).objects.filter(pk=record.pk).update()
    with pytest.raises(Refused):
        mark.delete()
