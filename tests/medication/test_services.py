"""Medicines kept by version, the allergy check, doses recorded at a visit, as-needed limits,
and the check-out held until every dose due has its outcome."""

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.medication import queries, services
from coopcare.medication.models import DoseRecord, Medicine, MedicineVersion
from coopcare.visits import services as visit_services
from coopcare.visits.models import VisitRecord
from tests.medication.conftest import as_needed, prescription


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def test_a_change_is_a_new_version_and_the_old_one_stays(person, coordinator):
    medicine = services.add_medicine(person, by=coordinator, **prescription())
    services.change_medicine(
        medicine,
        by=coordinator,
        reason="Blood pressure still high",
        **prescription(strength="10 mg"),
    )
    medicine.refresh_from_db()
    first, second = medicine.versions.order_by("number")
    assert (first.strength, second.strength) == ("5 mg", "10 mg")
    assert medicine.current == second
    assert (second.reason, second.created_by) == ("Blood pressure still high", coordinator)


def test_a_change_without_why_is_refused(person, coordinator):
    medicine = services.add_medicine(person, by=coordinator, **prescription())
    with pytest.raises(ValidationError) as refused:
        services.change_medicine(medicine, by=coordinator, reason=" ", **prescription())
    assert codes(refused.value) == ["change_reason_missing"]
    assert medicine.versions.count() == 1


def test_a_dose_with_no_unit_is_refused_and_nothing_is_saved(person, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.add_medicine(person, by=coordinator, **prescription(dose_unit=""))
    assert codes(refused.value) == ["dose_unit_missing"]
    assert not Medicine.objects.exists() and not MedicineVersion.objects.exists()


def test_a_medicine_matching_an_allergy_needs_the_coordinators_reason(person, coordinator):
    services.add_allergy(person, substance="Penicillin", reaction="Rash", by=coordinator)
    amoxil = prescription(name="Amoxicillin", ingredients="amoxicillin, penicillin")
    with pytest.raises(ValidationError) as refused:
        services.add_medicine(person, by=coordinator, **amoxil)
    assert codes(refused.value) == ["allergy_conflict"]
    assert "Penicillin" in refused.value.messages[0]
    assert not Medicine.objects.exists()
    reason = "Prescriber confirmed: the rash was viral, tested negative"
    medicine = services.add_medicine(person, by=coordinator, allergy_reason=reason, **amoxil)
    assert medicine.current.allergy_reason == reason


def test_doses_due_at_the_visit_and_recorded_once(checked_in, due_now, carer):
    [due] = queries.doses_due(checked_in)
    assert due.record is None
    services.record_dose(checked_in, due_now, by=carer, outcome="given", due_at=due.due_at)
    [due] = queries.doses_due(checked_in)
    assert due.record.outcome == "given"
    with pytest.raises(ValidationError) as again:
        services.record_dose(checked_in, due_now, by=carer, outcome="given", due_at=due.due_at)
    assert codes(again.value) == ["dose_already_recorded"]


def test_a_dose_recorded_and_a_medicine_version_are_kept_as_written(checked_in, due_now, carer):
    [due] = queries.doses_due(checked_in)
    services.record_dose(checked_in, due_now, by=carer, outcome="given", due_at=due.due_at)
    dose = DoseRecord.objects.get()
    version = MedicineVersion.objects.get()
    dose.outcome, version.strength = "refused", "10 mg"
    for attempt in (
        dose.save,
        dose.delete,
        version.save,
        version.delete,
        lambda: DoseRecord.objects.update(outcome="refused"),
        MedicineVersion.objects.all().delete,
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert codes(refused.value) == ["kept_as_written"]
    assert DoseRecord.objects.get().outcome == "given"
    assert MedicineVersion.objects.get().strength == "5 mg"


def test_a_dose_not_given_needs_its_reason(checked_in, due_now, carer):
    [due] = queries.doses_due(checked_in)
    with pytest.raises(ValidationError) as refused:
        services.record_dose(checked_in, due_now, by=carer, outcome="refused", due_at=due.due_at)
    assert codes(refused.value) == ["dose_reason_missing"]
    assert not DoseRecord.objects.exists()
    services.record_dose(
        checked_in, due_now, by=carer, outcome="refused", reason="Nauseous", due_at=due.due_at
    )
    assert DoseRecord.objects.get().reason == "Nauseous"


def test_doses_are_recorded_only_during_the_visit_and_when_due(visit, due_now, carer):
    [due] = queries.doses_due(visit)
    with pytest.raises(ValidationError) as early:
        services.record_dose(visit, due_now, by=carer, outcome="given", due_at=due.due_at)
    assert codes(early.value) == ["visit_not_under_way"]
    visit_services.check_in(visit, carer, client_id=uuid4(), at=timezone.now())
    with pytest.raises(ValidationError) as not_due:
        services.record_dose(
            visit, due_now, by=carer, outcome="given", due_at=due.due_at + timedelta(hours=3)
        )
    assert codes(not_due.value) == ["dose_not_due"]


def test_check_out_is_refused_until_every_dose_due_has_its_outcome(checked_in, due_now, carer):
    steps = [{"step": "Wash", "done": True}]
    with pytest.raises(ValidationError) as refused:
        visit_services.check_out(
            checked_in, carer, client_id=uuid4(), at=timezone.now(), steps=steps
        )
    assert codes(refused.value) == ["doses_unrecorded"]
    assert "Ramipril" in refused.value.messages[0]
    assert VisitRecord.objects.get().checked_out_at is None
    [due] = queries.doses_due(checked_in)
    services.record_dose(checked_in, due_now, by=carer, outcome="given", due_at=due.due_at)
    visit_services.check_out(checked_in, carer, client_id=uuid4(), at=timezone.now(), steps=steps)
    assert VisitRecord.objects.get().checked_out_at is not None


def test_a_visit_with_no_dose_due_checks_out_as_before(checked_in, person, coordinator, carer):
    services.add_medicine(person, by=coordinator, **as_needed())
    far = timezone.localtime(checked_in.starts_at) + timedelta(hours=12)
    services.add_medicine(person, by=coordinator, **prescription(times=[f"{far:%H:%M}"]))
    visit_services.check_out(
        checked_in,
        carer,
        client_id=uuid4(),
        at=timezone.now(),
        steps=[{"step": "Wash", "done": True}],
    )
    assert VisitRecord.objects.get().checked_out_at is not None


def test_as_needed_doses_are_held_to_their_limits(checked_in, person, coordinator, carer):
    paracetamol = services.add_medicine(person, by=coordinator, **as_needed(max_per_day=2))
    now = timezone.now()
    services.record_dose(checked_in, paracetamol, by=carer, outcome="given", now=now)
    with pytest.raises(ValidationError) as soon:
        services.record_dose(
            checked_in, paracetamol, by=carer, outcome="given", now=now + timedelta(hours=1)
        )
    assert codes(soon.value) == ["as_needed_too_soon"]
    services.record_dose(
        checked_in, paracetamol, by=carer, outcome="self", now=now + timedelta(hours=5)
    )
    with pytest.raises(ValidationError) as over:
        services.record_dose(
            checked_in, paracetamol, by=carer, outcome="given", now=now + timedelta(hours=10)
        )
    assert codes(over.value) == ["as_needed_over_limit"]
    # A dose refused is recorded, whatever the limits.
    services.record_dose(
        checked_in,
        paracetamol,
        by=carer,
        outcome="refused",
        reason="No pain now",
        now=now + timedelta(hours=10),
    )
    assert DoseRecord.objects.filter(medicine=paracetamol).count() == 3


def test_the_chart_shows_each_outcome_and_unrecorded_days(checked_in, due_now, carer):
    [due] = queries.doses_due(checked_in)
    services.record_dose(
        checked_in, due_now, by=carer, outcome="refused", reason="Asleep", due_at=due.due_at
    )
    day = timezone.localdate(checked_in.starts_at)
    chart = queries.chart(checked_in.cooperative, checked_in.person, day.year, day.month)
    [row] = chart.rows
    assert row.cells[day.day - 1] == "R"
    if day.day > 1:
        assert row.cells[day.day - 2] == "?"
    assert [r.reason for r in chart.not_taken] == ["Asleep"]


def test_a_medicine_stopped_is_no_longer_due(checked_in, due_now, coordinator):
    yesterday = timezone.localdate(checked_in.starts_at) - timedelta(days=1)
    services.change_medicine(
        due_now,
        by=coordinator,
        reason="Stopped by the GP",
        **prescription(times=due_now.current.times, ends_on=yesterday, dose_amount=Decimal(1)),
    )
    assert queries.doses_due(checked_in) == []
