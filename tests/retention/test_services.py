"""Retention's actions: a run anonymises what is past its period and keeps what a hold
protects, writes its report, writes nothing dry; periods and holds; erasing a person now."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coopcare.care.models import (
    CareRecordRead,
    CircleMember,
    DoorAccess,
    PersonCaredFor,
    PersonChange,
)
from coopcare.conversations.models import Message
from coopcare.retention import services
from coopcare.retention.models import Anonymised, HoldReason, RetentionRun
from coopcare.retention.rules import Kind
from coopcare.visits.models import Incident, VisitRecord
from tests.retention.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_run_anonymises_the_expired_and_keeps_the_held(coop, past):
    free, held = past
    report = services.run_retention(coop, today=TODAY)

    person = PersonCaredFor.objects.get(pk=free.pk)
    assert person.full_name == "#1"
    assert (person.address, person.city, person.phone, person.latitude) == ("", "", "", None)
    assert person.date_of_birth == date(1931, 4, 1)
    assert not DoorAccess.objects.filter(person=free).exists()
    assert not PersonChange.objects.filter(person=free).exclude(old="", new="").exists()
    assert VisitRecord.objects.get(person=free).notes == ""
    assert Incident.objects.get(person=free).description == ""
    assert Message.objects.get(conversation__person=free).text == ""
    assert not CareRecordRead.objects.filter(person=free).exists()
    # The rows stay, so counts of visits and incidents do not change.
    assert VisitRecord.objects.filter(person=free).count() == 1
    assert Anonymised.objects.filter(person=free).exists()

    kept = PersonCaredFor.objects.get(pk=held.pk)
    assert kept.full_name == "Walter Price"
    assert kept.address == held.address
    assert VisitRecord.objects.get(person=held).notes == "Walter Price was tired today."
    assert Incident.objects.get(person=held).description == "Walter Price slipped in the bathroom."
    assert Message.objects.get(conversation__person=held).text == "The visit moves to 10:00."
    assert CareRecordRead.objects.filter(person=held).exists()

    assert report.counts[Kind.CARE_RECORDS] == {"done": 1, "held": 1}
    assert report.counts[Kind.VISIT_RECORDS] == {"done": 1, "held": 1}
    assert report.counts[Kind.MESSAGES] == {"done": 1, "held": 1}
    assert RetentionRun.objects.get(cooperative=coop).counts == report.counts


def test_a_second_run_finds_nothing_more_to_do(coop, past):
    services.run_retention(coop, today=TODAY)
    again = services.run_retention(coop, today=TODAY)
    assert {kind: n["done"] for kind, n in again.counts.items()} == dict.fromkeys(Kind, 0)


def test_a_dry_run_counts_and_writes_nothing(coop, past):
    free, _held = past
    report = services.run_retention(coop, today=TODAY, dry_run=True)
    assert report.counts[Kind.CARE_RECORDS] == {"done": 1, "held": 1}
    assert report.run is None
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "Edith Clarke"
    assert VisitRecord.objects.get(person=free).notes == "Edith Clarke was tired today."
    assert CareRecordRead.objects.filter(person=free).exists()
    assert not RetentionRun.objects.exists()


def test_records_within_their_period_are_kept(coop, coordinator, past):
    free, _held = past
    services.set_period(
        coop, Kind.CARE_RECORDS, 12, "The DPO asks for twelve years.", by=coordinator
    )
    services.set_period(coop, Kind.VISIT_RECORDS, 12, "As the care record.", by=coordinator)
    report = services.run_retention(coop, today=TODAY)
    assert report.counts[Kind.CARE_RECORDS] == {"done": 0, "held": 0}
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "Edith Clarke"
    assert VisitRecord.objects.get(person=free).notes == "Edith Clarke was tired today."


def test_a_legal_hold_keeps_until_released(coop, coordinator, past):
    free, _held = past
    hold = services.place_hold(
        coop, free, HoldReason.DISPUTE, "Claim by the estate.", by=coordinator
    )
    services.run_retention(coop, today=TODAY)
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "Edith Clarke"

    services.release_hold(hold, by=coordinator)
    with pytest.raises(ValidationError) as again:
        services.release_hold(hold, by=coordinator)
    assert again.value.code == "hold_already_released"
    services.run_retention(coop, today=TODAY)
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "#1"


def test_a_period_out_of_range_or_without_reason_is_refused(coop, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.set_period(coop, Kind.MESSAGES, 0, "", by=coordinator)
    assert {e.code for e in refused.value.error_list} == {
        "period_out_of_range",
        "period_reason_missing",
    }


def test_erasing_a_person_now_anonymises_and_lists_what_the_law_keeps(coop, coordinator, past):
    free, _held = past
    erased = services.erase_person(free, by=coordinator, reason="Asked by the person's daughter.")
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "#1"
    assert erased.anonymised[Kind.VISIT_RECORDS] == 1
    assert erased.anonymised[Kind.MESSAGES] == 1
    assert erased.kept
    assert CircleMember.objects.filter(person=free).exclude(full_name="").count() == 0
    with pytest.raises(ValidationError) as twice:
        services.erase_person(free, by=coordinator, reason="Again.")
    assert twice.value.code == "already_anonymised"


def test_erasing_a_held_person_is_refused_and_writes_nothing(coop, coordinator, past):
    _free, held = past
    with pytest.raises(ValidationError) as refused:
        services.erase_person(held, by=coordinator, reason="Asked by the person.")
    assert refused.value.code == "person_on_hold"
    assert PersonCaredFor.objects.get(pk=held.pk).full_name == "Walter Price"
    assert VisitRecord.objects.get(person=held).notes == "Walter Price was tired today."
