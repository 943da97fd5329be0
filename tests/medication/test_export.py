"""Medication's sections of the person's data export: allergies, every medicine version with
who made it and why, and the doses recorded, for this person only, on the cooperative's
clock."""

from decimal import Decimal

from django.utils import timezone

from coopcare.medication import queries, services
from coopcare.medication.export import person_medication
from tests import factories
from tests.medication.conftest import prescription


def test_every_version_is_exported_with_who_and_why(person, coordinator, coop):
    services.add_allergy(person, substance="penicillin", reaction="rash", by=coordinator)
    medicine = services.add_medicine(person, by=coordinator, **prescription())
    services.change_medicine(
        medicine, by=coordinator, reason="Pressure still high", **prescription(strength="10 mg")
    )
    someone_else = factories.person_cared_for(coop, full_name="Other Person")
    services.add_allergy(someone_else, substance="latex", by=coordinator)
    services.add_medicine(someone_else, by=coordinator, **prescription(name="Warfarin"))

    data = person_medication(person)

    [allergy] = data["allergies"]
    assert (allergy["substance"], allergy["reaction"]) == ("penicillin", "rash")
    assert allergy["recorded_at"].endswith(("+01:00", "+02:00"))
    [exported] = data["medicines"]
    assert exported["current_version"] == 2
    newest, first = exported["versions"]
    assert (newest["version"], newest["strength"], newest["why"]) == (
        2,
        "10 mg",
        "Pressure still high",
    )
    assert (first["version"], first["strength"], first["why"]) == (1, "5 mg", "First prescribed.")
    assert newest["by"] == coordinator.get_full_name()
    assert newest["dose_amount"] == "1.000"
    assert data["doses"] == []


def test_a_dose_is_exported_with_its_visit_and_outcome(checked_in, due_now, carer):
    [due] = queries.doses_due(checked_in)
    services.record_dose(
        checked_in, due_now, by=carer, outcome="refused", reason="Nauseous", due_at=due.due_at
    )
    [dose] = person_medication(checked_in.person)["doses"]
    assert (dose["outcome"], dose["reason"], dose["version"]) == ("refused", "Nauseous", 1)
    assert dose["due_at"] == timezone.localtime(due.due_at).isoformat()
    assert dose["visit_starts_at"] == timezone.localtime(checked_in.starts_at).isoformat()
    assert dose["recorded_by"] == carer.get_full_name()


def test_an_ended_allergy_and_the_stock_kept_are_exported(person, coordinator):
    allergy = services.add_allergy(person, substance="aspirin", by=coordinator)
    services.end_allergy(allergy, reason="Recorded for another person", by=coordinator)
    medicine = services.add_medicine(person, by=coordinator, **prescription())
    services.track_stock(medicine, by=coordinator, unit="tablet")
    services.count_stock(medicine, by=coordinator, quantity=Decimal(28))
    services.receive_stock(medicine, by=coordinator, quantity=Decimal(14), supplier="pharmacy")

    data = person_medication(person)

    [ended] = data["allergies"]
    assert ended["why_ended"] == "Recorded for another person"
    assert ended["ended_by"] == coordinator.get_full_name()
    [stock] = data["medicine_stock"]
    assert (stock["medicine"], stock["unit"]) == (medicine.pk, "tablet")
    assert [(e["kind"], e["quantity"]) for e in stock["entries"]] == [
        ("counted", "28.000"),
        ("received", "14.000"),
    ]
