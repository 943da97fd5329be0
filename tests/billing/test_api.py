"""The billing API: coordinators add payers, tariffs and agreements; the board reads; carers
see nothing; a broken rule is a 400 with its code and writes nothing."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.billing.models import Agreement, Payer
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from tests import factories

BASE = "/api/cooperatives/cura"


@pytest.fixture
def call(client):
    def as_user(user):
        _token, raw = ApiToken.issue(user, "test")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def request(method, path, body=None):
            if method == "get":
                return client.get(BASE + path, **auth)
            return getattr(client, method)(
                BASE + path, body, content_type="application/json", **auth
            )

        return request

    return as_user


def test_a_coordinator_adds_a_payer_a_tariff_version_and_an_agreement(billing, call):
    api = call(billing["coordinator"])
    added = api(
        "post",
        "/payers",
        {"kind": "voucher", "name": "Bono Respiro", "language": "es", "payment_days": 60},
    )
    assert added.status_code == 201, added.json()
    changed = api(
        "put",
        f"/payers/{added.json()['id']}",
        {"kind": "voucher", "name": "Bono Respiro", "language": "es", "shows_carer": True},
    )
    assert changed.json()["shows_carer"] is True
    prices = {
        "valid_from": "2027-01-01",
        "weekday_rate": "23.00",
        "sunday_rate": "28.00",
        "night_rate": "26.00",
        "holiday_rate": "31.00",
    }
    version = api("post", f"/tariffs/{billing['tariff'].pk}/versions", prices)
    assert version.status_code == 201, version.json()
    assert [v["valid_from"] for v in api("get", "/tariffs").json()[0]["versions"]] == [
        "2027-01-01",
        "2026-01-01",
    ]
    agreed = api(
        "post",
        f"/people/{billing['person'].pk}/agreements",
        {
            "payer_id": billing["comune"].pk,
            "valid_from": "2026-11-01",
            "tariff_ids": [billing["tariff"].pk],
            "co_payer_id": billing["family"].pk,
            "bands": [{"income_up_to": "10000.00", "percent": "0"}, {"percent": "20"}],
            "income": "12000.00",
            "budgets": [{"service_type": "personal_care", "period": "month", "hours": "20"}],
        },
    )
    assert agreed.status_code == 201, agreed.json()
    assert agreed.json()["version"] == 1
    listed = api("get", f"/people/{billing['person'].pk}/agreements")
    assert [a["budgets"][0]["hours"] for a in listed.json()] == ["20.00"]
    assert CareRecordRead.objects.filter(record="billing", via="api").count() == 1
    budgets = api("get", "/hours-budgets?first_day=2026-11-01&last_day=2026-11-30")
    assert budgets.status_code == 200
    assert [row["authorised_hours"] for row in budgets.json()] == ["20.00"]


def test_a_broken_rule_is_a_400_with_its_code_and_writes_nothing(billing, call):
    api = call(billing["coordinator"])
    refused = api("post", "/payers", {"kind": "family", "name": "X", "office_code": "ABC123"})
    assert (refused.status_code, refused.json()["code"]) == (400, "office_code_not_public")
    refused = api(
        "post",
        f"/people/{billing['person'].pk}/agreements",
        {
            "payer_id": billing["comune"].pk,
            "valid_from": "2026-11-01",
            "tariff_ids": [],
        },
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "no_services")
    assert Payer.objects.count() == 2 and not Agreement.objects.exists()


def test_the_board_reads_and_carers_see_nothing(billing, call):
    board = factories.user_with_role(billing["coop"], Role.BOARD)
    carer = factories.user_with_role(billing["coop"], Role.CARER)
    assert call(board)("get", "/payers").status_code == 200
    assert call(board)("put", "/budget-policy", {"beyond": "refuse"}).status_code == 403
    assert call(carer)("get", "/tariffs").status_code == 403
    assert call(carer)("get", f"/people/{billing['person'].pk}/agreements").status_code == 403
    assert call(billing["coordinator"])("get", "/budget-policy").json() == {"beyond": "warn"}
