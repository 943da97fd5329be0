"""Ending an allergy recorded in error or no longer current: a coordinator gives the reason,
the allergy stays on the record as ended, and medicines are no longer checked against it."""

import pytest
from django.core.exceptions import ValidationError

from coopcare.medication import services
from coopcare.medication.models import Allergy
from tests import factories
from tests.medication.conftest import prescription
from tests.medication.test_api import call


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


AMOXIL = prescription(name="Amoxicillin", ingredients="amoxicillin, penicillin")


def test_an_ended_allergy_is_kept_and_no_longer_checked(person, coordinator):
    allergy = services.add_allergy(person, substance="Penicillin", by=coordinator)
    with pytest.raises(ValidationError):
        services.add_medicine(person, by=coordinator, **AMOXIL)
    ended = services.end_allergy(allergy, reason="Tested negative in clinic", by=coordinator)
    assert ended.ended_at is not None
    assert ended.ended_by == coordinator
    kept = Allergy.objects.get()
    assert kept.end_reason == "Tested negative in clinic"
    assert list(Allergy.objects.current()) == []
    medicine = services.add_medicine(person, by=coordinator, **AMOXIL)
    assert medicine.current.allergy_reason == ""


def test_ending_needs_a_reason_and_happens_once(person, coordinator):
    allergy = services.add_allergy(person, substance="Latex", by=coordinator)
    with pytest.raises(ValidationError) as no_reason:
        services.end_allergy(allergy, reason="  ", by=coordinator)
    assert codes(no_reason.value) == ["end_reason_missing"]
    assert Allergy.objects.current().count() == 1
    services.end_allergy(allergy, reason="Recorded in error", by=coordinator)
    with pytest.raises(ValidationError) as again:
        services.end_allergy(allergy, reason="Again", by=coordinator)
    assert codes(again.value) == ["allergy_already_ended"]
    assert Allergy.objects.get().end_reason == "Recorded in error"


def test_a_coordinator_ends_an_allergy_on_the_page(client, coordinator, carer, visit, person):
    allergy = services.add_allergy(person, substance="Penicillin", by=coordinator)
    url = f"/c/cura/medication/people/{person.pk}/"
    factories.log_in(client, coordinator)
    missing = client.post(url, {"end-allergy": allergy.pk, "end-reason": ""})
    assert missing.status_code == 400
    assert Allergy.objects.current().count() == 1
    ended = client.post(
        url, {"end-allergy": allergy.pk, "end-reason": "No longer current, GP letter"}
    )
    assert ended.status_code == 302
    page = client.get(url).content.decode()
    assert "Ended allergies" in page
    assert "No longer current, GP letter" in page
    client.logout()
    factories.log_in(client, carer)
    refused = client.post(url, {"end-allergy": allergy.pk, "end-reason": "Carer says so"})
    assert refused.status_code == 403


def test_the_api_ends_an_allergy_with_codes(client, coordinator, carer, visit, person):
    allergy = services.add_allergy(person, substance="Penicillin", by=coordinator)
    url = f"/api/cooperatives/cura/people/{person.pk}/allergies/{allergy.pk}/end"
    assert call(client, carer, url, {"reason": "Carer says so"}).status_code == 403
    blank = call(client, coordinator, url, {"reason": " "})
    assert blank.status_code == 400
    assert blank.json()["code"] == "end_reason_missing"
    done = call(client, coordinator, url, {"reason": "Recorded in error"})
    assert done.status_code == 200
    assert done.json()["end_reason"] == "Recorded in error"
    again = call(client, coordinator, url, {"reason": "Again"})
    assert again.json()["code"] == "allergy_already_ended"
    listed = call(client, carer, f"/api/cooperatives/cura/people/{person.pk}/allergies").json()
    assert listed[0]["ended_at"] is not None
