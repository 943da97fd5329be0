"""The import pages: upload, preview, import; templates; who may import."""

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member
from tests import factories
from tests.imports.conftest import csv_bytes

BASE = "/c/cura/imports"


def _upload(client, kind, content, name="file.csv"):
    return client.post(f"{BASE}/{kind}/", {"file": SimpleUploadedFile(name, content)})


def test_preview_then_import(client, coordinator, people_rows):
    factories.log_in(client, coordinator)
    assert "Import" in client.get("/c/cura/").content.decode()
    preview = _upload(client, "people", csv_bytes(people_rows))
    assert preview.status_code == 200
    assert "will be created" in preview.content.decode()
    assert not PersonCaredFor.objects.exists()

    imported = client.post(f"{BASE}/people/run/", {"digest": preview.context["digest"]})
    assert imported.status_code == 200 and imported.context["report"].written
    assert PersonCaredFor.objects.count() == 2


def test_rows_with_errors_are_listed_and_cannot_be_imported(client, coordinator, people_rows):
    factories.log_in(client, coordinator)
    people_rows[1][1] = "yesterday"
    preview = _upload(client, "people", csv_bytes(people_rows))
    page = preview.content.decode()
    assert "Date of birth" in page and "Nothing is imported" in page
    assert f"{BASE}/people/run/" not in page
    refused = client.post(f"{BASE}/people/run/", {"digest": preview.context["digest"]})
    assert not refused.context["report"].written
    assert not PersonCaredFor.objects.exists()


def test_a_file_not_previewed_is_not_imported(client, coordinator):
    factories.log_in(client, coordinator)
    response = client.post(f"{BASE}/people/run/", {"digest": "0" * 64})
    assert response.status_code == 302 and not PersonCaredFor.objects.exists()


def test_a_wrong_file_is_refused_on_the_form(client, coordinator):
    factories.log_in(client, coordinator)
    response = _upload(client, "people", b"%PDF", name="people.pdf")
    assert response.status_code == 200
    assert "Upload a CSV file" in response.content.decode()


def test_templates_hold_the_column_keys(client, coordinator):
    factories.log_in(client, coordinator)
    as_csv = client.get(f"{BASE}/carers/template.csv")
    assert as_csv.content.decode().splitlines()[0].startswith("email,first_name,last_name")
    as_xlsx = client.get(f"{BASE}/availability/template.xlsx")
    sheet = load_workbook(__import__("io").BytesIO(as_xlsx.content)).active
    assert [c.value for c in sheet[1]] == ["email", "weekday", "starts", "ends"]
    assert client.get(f"{BASE}/people/template.pdf").status_code == 404


def test_the_board_imports_members_but_not_people(client, board_user, supporter_class):
    factories.log_in(client, board_user)
    kinds = client.get(f"{BASE}/")
    assert [k.key for k in kinds.context["kinds"]] == ["members", "shares"]
    assert client.get(f"{BASE}/people/").status_code == 403
    rows = [
        ["full_name", "stakeholder_class", "shares", "applied_on"],
        ["Ada", "Supporters", "1", "2026-01-02"],
    ]
    preview = _upload(client, "members", csv_bytes(rows))
    client.post(f"{BASE}/members/run/", {"digest": preview.context["digest"]})
    assert Member.objects.filter(full_name="Ada").exists()


def test_carers_and_other_cooperatives_may_not_import(client, coop, people_rows):
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    assert client.get(f"{BASE}/").status_code == 403
    assert _upload(client, "people", csv_bytes(people_rows)).status_code == 403
    other = factories.CooperativeFactory()
    outsider = factories.user_with_role(other, Role.COORDINATOR)
    factories.log_in(client, outsider)
    assert client.get(f"{BASE}/people/").status_code == 404
    assert _upload(client, "people", csv_bytes(people_rows)).status_code == 404
    assert client.get(f"{BASE}/people/template.csv").status_code == 404
    assert not PersonCaredFor.objects.exists()
