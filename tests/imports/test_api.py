"""The import API: preview and import as multipart uploads, errors as JSON with codes."""

from django.core.files.uploadedfile import SimpleUploadedFile

from coopcare.accounts.models import ApiToken
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.rostering.models import Availability
from tests import factories
from tests.imports.conftest import csv_bytes, xlsx_bytes

BASE = "/api/cooperatives/cura/imports"


def _post(client, user, path, content, name="file.csv"):
    _token, raw = ApiToken.issue(user, "test")
    return client.post(
        BASE + path,
        {"file": SimpleUploadedFile(name, content)},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_preview_then_import(client, coordinator, people_rows):
    content = xlsx_bytes(people_rows)
    preview = _post(client, coordinator, "/people/preview", content, "people.xlsx")
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert body["written"] is False and body["counts"]["create"] == 2
    assert not PersonCaredFor.objects.exists()
    imported = _post(client, coordinator, "/people", content, "people.xlsx")
    assert imported.status_code == 200 and imported.json()["written"] is True
    again = _post(client, coordinator, "/people", content, "people.xlsx")
    assert again.json()["counts"] == {"create": 0, "update": 0, "unchanged": 2, "error": 0}
    assert PersonCaredFor.objects.count() == 2


def test_rows_with_errors_answer_400_with_the_rows(client, coop, coordinator):
    factories.user_with_role(coop, Role.CARER, email="lucia@example.org")
    rows = [["email", "weekday", "starts", "ends"], ["lucia@example.org", "1", "12:00", "08:00"]]
    response = _post(client, coordinator, "/availability", csv_bytes(rows))
    body = response.json()
    assert response.status_code == 400 and body["code"] == "import_rows_invalid"
    assert body["rows"][0]["problems"][0]["code"] == "slot_ends_before_start"
    assert not Availability.objects.exists()


def test_a_file_that_cannot_be_taken_answers_its_code(client, coordinator):
    response = _post(client, coordinator, "/people/preview", b"full_name\nAnna\n")
    assert response.status_code == 400
    assert response.json()["code"] == "import_columns_missing"


def test_carers_and_other_cooperatives_are_refused(client, coop, people_rows):
    carer = factories.user_with_role(coop, Role.CARER)
    response = _post(client, carer, "/people", csv_bytes(people_rows))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    outsider = factories.user_with_role(factories.CooperativeFactory(), Role.COORDINATOR)
    response = _post(client, outsider, "/people", csv_bytes(people_rows))
    assert response.status_code == 404
    assert not PersonCaredFor.objects.exists()


def test_an_unknown_kind_is_not_found_and_a_missing_file_refused(client, coordinator):
    response = _post(client, coordinator, "/pets", b"name\nRex\n")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    _token, raw = ApiToken.issue(coordinator, "test")
    response = client.post(BASE + "/people", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400 and response.json()["code"] == "import_file_missing"
