"""The API's edges: what it documents, and what it answers to requests too large or with
numbers and dates outside what coopcare keeps (4xx with a JSON body, never 500)."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.api import DOCUMENTED_ERRORS
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member
from tests import factories


@pytest.fixture
def call(client, coop):
    _token, raw = ApiToken.issue(factories.user_with_role(coop, Role.COORDINATOR), "tests")

    def call(method, path, body=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        if body is not None:
            kwargs |= {"data": body, "content_type": "application/json"}
        return getattr(client, method)(f"/api/cooperatives/{coop.slug}{path}", **kwargs)

    return call


def test_every_operation_documents_the_errors_it_may_answer(client, db):
    schema = client.get("/api/openapi.json").json()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = {int(status) for status in operation["responses"]}
            assert set(DOCUMENTED_ERRORS) <= documented, (method, path)
            assert 500 not in documented


def test_a_body_over_the_limit_is_a_413_and_nothing_written(call, coop):
    """10 MB bodies answered 500; Django refuses what is over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    body = '{"full_name": "' + "x" * 10_000_000 + '"}'
    response = call("post", "/members", body)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    "path",
    [f"/members/{2**64}", f"/people/{2**63}", f"/visits/{2**64}/records", "/members/0"],
)
def test_ids_no_column_can_hold_are_a_422(call, path):
    """Integers past 2⁶³ answered 500 (the database cannot compare them with a key)."""
    response = call("get", path)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_dates_outside_1900_to_2100_are_a_422(call, day):
    response = call("get", f"/visits?day={day}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_times_of_day_are_documented_as_they_are_sent(client, db):
    """A care task's start time is sent as "09:00:00", with no offset: RFC 3339 calls it a
    partial-time (its "time" needs an offset, which a rota time has not)."""
    schema = client.get("/api/openapi.json").json()
    start = schema["components"]["schemas"]["TaskSchema"]["properties"]["start_time"]
    assert start["format"] == "partial-time"
