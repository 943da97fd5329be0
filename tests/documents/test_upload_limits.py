"""Uploads are limited per user (``UPLOAD_RATE_LIMIT``), documents and imports together, on
the pages and through the API, so that one login cannot fill the storage or the sessions."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from coopcare.accounts import ratelimit
from coopcare.accounts.models import ApiToken
from coopcare.documents.models import Document, DocumentVersion
from tests import factories
from tests.documents import files


@pytest.fixture(autouse=True)
def _two_uploads_a_window(monkeypatch, settings):
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_800_000_030.0)
    settings.UPLOAD_RATE_LIMIT = "2/h"
    cache.clear()
    yield
    cache.clear()


def _upload(client, coop, person):
    return client.post(
        f"/c/{coop.slug}/documents/people/{person.pk}/",
        {"kind": "consent_form", "title": "Consent", "file": files.upload()},
    )


def test_a_page_refuses_uploads_past_the_limit(client, coop, person, coordinator):
    factories.log_in(client, coordinator)
    assert _upload(client, coop, person).status_code == 302
    assert _upload(client, coop, person).status_code == 302
    refused = _upload(client, coop, person)
    assert refused.status_code == 429 and b"Too many files uploaded" in refused.content
    document = Document.objects.first()
    replaced = client.post(
        f"/c/{coop.slug}/documents/{document.pk}/replace/", {"file": files.upload()}
    )
    assert replaced.status_code == 429
    assert Document.objects.count() == 2 and DocumentVersion.objects.count() == 2


def test_the_api_refuses_uploads_past_the_limit(client, coop, person, coordinator):
    _token, raw = ApiToken.issue(coordinator, "test")
    url = f"/api/cooperatives/{coop.slug}/people/{person.pk}/documents"
    data = {"kind": "consent_form", "title": "Consent"}
    for _ in range(2):
        answer = client.post(
            url, data | {"file": files.upload()}, HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
        assert answer.status_code == 201
    refused = client.post(url, data | {"file": files.upload()}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0
    assert Document.objects.count() == 2


def test_imports_count_with_documents(client, coop, person, coordinator):
    factories.log_in(client, coordinator)
    _upload(client, coop, person)
    _upload(client, coop, person)
    preview = client.post(
        f"/c/{coop.slug}/imports/people/",
        {"file": SimpleUploadedFile("people.csv", b"full_name\nAnna Rossi\n")},
    )
    assert preview.status_code == 429 and "report" not in preview.context
    _token, raw = ApiToken.issue(coordinator, "test")
    refused = client.post(
        f"/api/cooperatives/{coop.slug}/imports/people/preview",
        {"file": SimpleUploadedFile("people.csv", b"full_name\nAnna Rossi\n")},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert refused.status_code == 429


def test_each_user_has_their_own_count(client, coop, person, coordinator):
    factories.log_in(client, coordinator)
    for _ in range(3):
        _upload(client, coop, person)
    other = factories.user_with_role(coop, "coordinator")
    client.logout()
    factories.log_in(client, other)
    assert _upload(client, coop, person).status_code == 302
