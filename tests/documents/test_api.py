"""The documents API: uploads as multipart forms, lists, new versions, downloads and
deletion, with the same access and read log as the pages, and refusals with their codes."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.documents.models import Document
from tests import factories
from tests.documents import files

BASE = "/api/cooperatives/cura"


@pytest.fixture
def as_user(client):
    """Calls the API with a token of the given user."""

    def auth(user) -> dict:
        _token, raw = ApiToken.issue(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return auth


def test_upload_list_download_replace_and_delete(client, as_user, coordinator, person):
    auth = as_user(coordinator)
    created = client.post(
        f"{BASE}/people/{person.pk}/documents",
        {"kind": "consent_form", "title": "Consent", "file": files.upload()},
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["owner"] == "person" and body["person_id"] == person.pk
    assert body["versions"][0]["number"] == 1 and body["versions"][0]["available"]
    document_id = body["id"]

    listed = client.get(f"{BASE}/people/{person.pk}/documents", **auth)
    assert [d["title"] for d in listed.json()] == ["Consent"]
    download = client.get(f"{BASE}/documents/{document_id}/versions/1", **auth)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.PDF
    reads = CareRecordRead.objects.filter(person=person, via="api")
    assert {"documents", f"document {document_id} version 1"} <= set(
        reads.values_list("record", flat=True)
    )

    replaced = client.post(
        f"{BASE}/documents/{document_id}/versions",
        {"file": files.upload(files.docx(), "consent.docx", "application/octet-stream")},
        **auth,
    )
    assert replaced.status_code == 201
    assert [v["number"] for v in replaced.json()["versions"]] == [2, 1]

    deleted = client.post(
        f"{BASE}/documents/{document_id}/delete",
        {"reason": "Wrong person"},
        content_type="application/json",
        **auth,
    )
    assert deleted.status_code == 200
    assert deleted.json()["deletion_reason"] == "Wrong person"
    assert not any(v["available"] for v in deleted.json()["versions"])
    gone = client.get(f"{BASE}/documents/{document_id}/versions/1", **auth)
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"file": files.upload(files.HTML, "x.pdf")}, "file_type_not_allowed"),
        ({"file": files.upload(files.PNG, "x.pdf")}, "file_name_mismatch"),
        ({"kind": "minutes"}, "kind_not_for_owner"),
    ],
)
def test_refusals_are_400_with_their_code(client, as_user, coordinator, person, fields, code):
    data = {"kind": "consent_form", "title": "X", "file": files.upload()} | fields
    response = client.post(f"{BASE}/people/{person.pk}/documents", data, **as_user(coordinator))
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["detail"]
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_400(client, as_user, coordinator, settings):
    settings.DOCUMENT_MAX_BYTES = 10
    response = client.post(
        f"{BASE}/documents",
        {"kind": "statutes", "title": "Statutes", "file": files.upload()},
        **as_user(coordinator),
    )
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"


def test_an_upload_without_a_file_is_422(client, as_user, coordinator):
    response = client.post(
        f"{BASE}/documents", {"kind": "statutes", "title": "Statutes"}, **as_user(coordinator)
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


def test_a_carer_not_serving_the_person_gets_404(client, as_user, carer, person, consent):
    auth = as_user(carer)
    assert client.get(f"{BASE}/people/{person.pk}/documents", **auth).status_code == 404
    assert client.get(f"{BASE}/documents/{consent.pk}", **auth).status_code == 404
    assert client.get(f"{BASE}/documents/{consent.pk}/versions/1", **auth).status_code == 404
    assert not CareRecordRead.objects.filter(user=carer).exists()


def test_a_carer_sees_their_own_documents_and_no_one_elses(
    client, as_user, coop, carer, background_check
):
    auth = as_user(carer)
    mine = client.get(f"{BASE}/carers/{carer.pk}/documents", **auth)
    assert [d["expiry"] for d in mine.json()] == ["expiring"]
    colleague = factories.user_with_role(coop, Role.CARER)
    assert client.get(f"{BASE}/carers/{colleague.pk}/documents", **auth).status_code == 404
    assert client.get(f"{BASE}/documents/expiring", **auth).status_code == 403
    refused = client.post(
        f"{BASE}/documents/{background_check.pk}/delete",
        {"reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_a_carer_neither_adds_nor_replaces_a_background_check(
    client, as_user, carer, background_check
):
    auth = as_user(carer)
    added = client.post(
        f"{BASE}/carers/{carer.pk}/documents",
        {
            "kind": "background_check",
            "title": "Clean record",
            "expires_on": "2028-01-01",
            "file": files.upload(files.PNG, "clean.png", "image/png"),
        },
        **auth,
    )
    assert added.status_code == 403 and added.json()["code"] == "forbidden"
    replaced = client.post(
        f"{BASE}/documents/{background_check.pk}/versions",
        {"expires_on": "2028-01-01", "file": files.upload(files.PNG, "clean.png", "image/png")},
        **auth,
    )
    assert replaced.status_code == 403 and replaced.json()["code"] == "forbidden"
    assert Document.objects.filter(carer=carer).count() == 1
    assert background_check.versions.count() == 1
    # Their own certificate they keep themselves.
    certificate = client.post(
        f"{BASE}/carers/{carer.pk}/documents",
        {"kind": "certificate", "title": "First aid", "file": files.upload()},
        **auth,
    )
    assert certificate.status_code == 201, certificate.content


def test_coordinators_list_what_expires(client, as_user, coordinator, background_check):
    listed = client.get(f"{BASE}/documents/expiring", **as_user(coordinator))
    assert [d["id"] for d in listed.json()] == [background_check.pk]


def test_another_cooperatives_documents_are_404(client, as_user, consent):
    other = factories.CooperativeFactory(slug="altra")
    auth = as_user(factories.user_with_role(other, Role.COORDINATOR))
    response = client.get(f"/api/cooperatives/altra/documents/{consent.pk}", **auth)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
