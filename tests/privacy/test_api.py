from datetime import timedelta

from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care.access import log_read
from coopcare.privacy.models import RightsRequest


def bearer(user):
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_request_through_the_api(client, coop, coordinator, person, monkeypatch):
    from coopcare.privacy import services

    erased = []

    def erase(person, *, by, reason) -> list[str]:
        erased.append(person)
        return ["Invoices: kept."]

    monkeypatch.setattr(services, "erase_person", erase)
    auth = bearer(coordinator)
    base = f"/api/cooperatives/{coop.slug}/rights-requests"
    made = client.post(
        base,
        {
            "kind": "erasure",
            "person_id": person.pk,
            "requester_name": "Giulia Neri",
            "received_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["due_on"] and body["steps"][0]["step"] == "received"
    refused = client.post(
        f"{base}/{body['id']}/answer",
        {"answer": "No.", "refused": True},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "refusal_reason_required"
    done = client.post(
        f"{base}/{body['id']}/answer",
        {"answer": "Erased."},
        content_type="application/json",
        **auth,
    )
    assert done.json()["status"] == "answered" and erased == [person]
    assert client.get(f"{base}/{body['id']}/export", **auth).json()["person_cared_for"]


def test_two_subjects_are_refused_with_a_code(client, coop, coordinator, person, carer):
    response = client.post(
        f"/api/cooperatives/{coop.slug}/rights-requests",
        {
            "kind": "access",
            "person_id": person.pk,
            "carer_id": carer.pk,
            "requester_name": "X",
            "received_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
        **bearer(coordinator),
    )
    assert response.status_code == 400 and response.json()["code"] == "one_subject_required"
    assert not RightsRequest.objects.exists()


def test_the_circle_reads_the_access_history(client, coop, person, family, carer):
    log_read(carer, person, "record")
    response = client.get(
        f"/api/cooperatives/{coop.slug}/people/{person.pk}/reads", **bearer(family)
    )
    assert response.status_code == 200
    # Looking at the history is itself a read of the record, logged first.
    assert [r["who"] for r in response.json()["reads"]] == ["Anna Neri", "Marta Bianchi"]


def test_a_breach_through_the_api(client, coop, coordinator):
    auth = bearer(coordinator)
    made = client.post(
        f"/api/cooperatives/{coop.slug}/breaches",
        {
            "aware_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "nature": "x",
            "people_categories": "carers",
            "people_count": 3,
            "record_categories": "contracts",
            "record_count": 3,
            "consequences": "x",
            "measures": "x",
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201 and made.json()["authority"] == "running"
    told = client.post(
        f"/api/cooperatives/{coop.slug}/breaches/{made.json()['id']}/authority",
        {"no_notice_reason": "Encrypted files."},
        content_type="application/json",
        **auth,
    )
    assert told.json()["authority"] == "not_needed"
    rows = client.get(f"/api/cooperatives/{coop.slug}/records-of-processing", **auth).json()
    assert rows and rows[0]["legal_basis"]
