"""Imports under attack: crafted workbooks and CSV files, previews kept in the session used
for another kind or another cooperative, and who may reach the pages and the API."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coopcare.accounts.models import ApiToken
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.cooperatives.services import grant_role
from coopcare.imports import rules
from tests import factories
from tests.documents import files
from tests.imports.conftest import csv_bytes, xlsx_bytes

BASE = "/c/cura/imports"


def _code(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        rules.read_table(name, content)
    return refused.value.error_list[0].code


def _with_part(workbook: bytes, name: str, data: bytes) -> bytes:
    """``workbook`` with one more part, packed as tightly as ZIP packs."""
    buffer = io.BytesIO(workbook)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(name, data)
    return buffer.getvalue()


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unread():
    # 64 MB of XML packs into a few dozen kilobytes: a small upload that openpyxl would unpack.
    bomb = _with_part(xlsx_bytes([["full_name"]]), "xl/padding.xml", b" " * (64 * 1024 * 1024))
    assert len(bomb) < rules.MAX_BYTES
    assert _code("people.xlsx", bomb) == "import_file_too_large"


def test_a_workbook_within_the_limit_is_read():
    table = rules.read_table("people.xlsx", xlsx_bytes([["full_name"], ["Anna Rossi"]]))
    assert table.rows == ((2, {"full_name": "Anna Rossi"}),)


def test_openpyxl_reads_workbooks_through_defusedxml():
    # Without it openpyxl would expand entities declared in a workbook's XML.
    assert openpyxl.DEFUSEDXML


def test_a_workbook_declaring_entities_is_unreadable():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["full_name"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for info in source.infolist():
            data = source.read(info)
            package.writestr(info, laughs if info.filename.endswith("sheet1.xml") else data)
    assert _code("people.xlsx", buffer.getvalue()) == "import_unreadable"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"full_name\nAnna\x00Rossi\n", "import_file_type"),
        (b"full_name\n\xff\xfeAnna\n", "import_bad_encoding"),
        (b'full_name\n"' + b"x" * 200_000 + b'"\n', "import_unreadable"),
        (b"full_name\n" + b"\n" * (rules.MAX_LINES_READ + 1), "import_too_many_rows"),
    ],
    ids=["nul", "not-utf8", "huge-cell", "endless-empty-lines"],
)
def test_crafted_csv_files_are_refused(content, code):
    assert _code("people.csv", content) == code


def test_columns_past_the_limit_are_not_read():
    table = rules.read_table("people.csv", b",".join([b"x"] * 10_000) + b"\n")
    assert len(table.headers) == rules.MAX_COLUMNS


def _preview(client, kind, content, slug="cura"):
    return client.post(
        f"/c/{slug}/imports/{kind}/", {"file": SimpleUploadedFile("file.csv", content)}
    )


def test_a_preview_of_one_kind_cannot_be_run_as_another(client, coordinator, people_rows):
    factories.log_in(client, coordinator)
    preview = _preview(client, "people", csv_bytes(people_rows))
    digest = preview.context["digest"]
    for other in ("carers", "members", "availability"):
        response = client.post(f"{BASE}/{other}/run/", {"digest": digest})
        assert response.status_code in (302, 403)
    assert not PersonCaredFor.objects.exists()


def test_a_preview_in_one_cooperative_cannot_be_run_in_another(client, coop, people_rows):
    other = factories.CooperativeFactory(slug="altra")
    user = factories.user_with_role(coop, Role.COORDINATOR)
    grant_role(other, user, Role.COORDINATOR)
    factories.log_in(client, user)
    preview = _preview(client, "people", csv_bytes(people_rows))
    response = client.post("/c/altra/imports/people/run/", {"digest": preview.context["digest"]})
    assert response.status_code == 302
    assert not PersonCaredFor.objects.exists()


def test_another_user_cannot_run_a_preview_they_did_not_make(client, coop, people_rows):
    first = factories.user_with_role(coop, Role.COORDINATOR)
    second = factories.user_with_role(coop, Role.COORDINATOR)
    factories.log_in(client, first)
    digest = _preview(client, "people", csv_bytes(people_rows)).context["digest"]
    client.logout()
    factories.log_in(client, second)
    assert client.post(f"{BASE}/people/run/", {"digest": digest}).status_code == 302
    assert not PersonCaredFor.objects.exists()


def test_running_an_import_needs_post(client, coordinator, people_rows):
    factories.log_in(client, coordinator)
    digest = _preview(client, "people", csv_bytes(people_rows)).context["digest"]
    assert client.get(f"{BASE}/people/run/", {"digest": digest}).status_code == 405
    assert not PersonCaredFor.objects.exists()


@pytest.mark.parametrize("role", [Role.CARER, Role.CIRCLE])
def test_carers_and_circles_reach_no_import(client, coop, role, people_rows):
    factories.log_in(client, factories.user_with_role(coop, role))
    for url in (f"{BASE}/", f"{BASE}/people/", f"{BASE}/people/template.csv"):
        assert client.get(url).status_code == 403, url
    assert _preview(client, "people", csv_bytes(people_rows)).status_code == 403


def test_a_member_imports_nothing(client, coop, supporter_class, people_rows):
    member = factories.admitted_member(supporter_class, user=factories.UserFactory())
    factories.log_in(client, member.user)
    assert client.get(f"{BASE}/").status_code == 403
    assert _preview(client, "people", csv_bytes(people_rows)).status_code == 403


def test_the_board_cannot_import_people(client, board_user, people_rows):
    factories.log_in(client, board_user)
    assert _preview(client, "people", csv_bytes(people_rows)).status_code == 403


def test_anonymous_users_reach_no_import(client, coop, people_rows):
    assert client.get(f"{BASE}/people/").status_code == 302
    assert client.post(f"{BASE}/people/run/", {"digest": "0" * 64}).status_code == 302
    response = client.post(
        "/api/cooperatives/cura/imports/people",
        {"file": SimpleUploadedFile("p.csv", csv_bytes(people_rows))},
    )
    assert response.status_code == 401
    assert not PersonCaredFor.objects.exists()


def test_the_api_refuses_a_carer_and_a_workbook_bomb(client, coop, coordinator):
    _token, raw = ApiToken.issue(factories.user_with_role(coop, Role.CARER), "test")
    bomb = _with_part(xlsx_bytes([["full_name"]]), "xl/padding.xml", b" " * (64 * 1024 * 1024))
    url = "/api/cooperatives/cura/imports/people/preview"
    as_carer = client.post(
        url, {"file": SimpleUploadedFile("p.xlsx", bomb)}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert as_carer.status_code == 403
    _token, raw = ApiToken.issue(coordinator, "test")
    refused = client.post(
        url, {"file": SimpleUploadedFile("p.xlsx", bomb)}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "import_file_too_large"


@pytest.mark.parametrize("crafted", files.CRAFTED_ZIPS.values(), ids=files.CRAFTED_ZIPS.keys())
def test_a_crafted_workbook_is_unreadable_not_a_server_error(crafted):
    assert _code("people.xlsx", crafted) == "import_unreadable"
