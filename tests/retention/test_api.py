"""The retention API: periods read and set, holds placed and released, runs made (dry or not)
and listed; every refusal a JSON error with its code."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.care.models import PersonCaredFor
from coopcare.retention.models import LegalHold, RetentionRun
from tests import factories

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_periods_are_read_with_their_sources_and_set_with_a_reason(client, coop, coordinator):
    auth = _auth(coordinator)
    base = f"/api/cooperatives/{coop.slug}/retention/periods"
    periods = client.get(base, **auth).json()
    care = next(p for p in periods if p["kind"] == "care_records")
    assert care["own"] is False
    assert "Codice civile" in care["source"]
    refused = client.post(
        base,
        {"kind": "care_records", "years": 200, "reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 422
    set_ = client.post(
        base,
        {"kind": "care_records", "years": 12, "reason": "The DPO's advice."},
        content_type="application/json",
        **auth,
    )
    assert set_.status_code == 201
    assert set_.json() | {"counted_from": ""} == {
        "kind": "care_records",
        "years": 12,
        "counted_from": "",
        "source": "The DPO's advice.",
        "own": True,
    }


def test_a_hold_is_placed_released_once_and_refused_twice(client, coop, coordinator):
    person = factories.person_cared_for(coop)
    auth = _auth(coordinator)
    base = f"/api/cooperatives/{coop.slug}/retention/holds"
    placed = client.post(
        base, {"person_id": person.pk, "reason": "dispute"}, content_type="application/json", **auth
    )
    assert placed.status_code == 201
    hold = LegalHold.objects.get(pk=placed.json()["id"])
    assert client.post(f"{base}/{hold.pk}/release", **auth).status_code == 200
    again = client.post(f"{base}/{hold.pk}/release", **auth)
    assert again.status_code == 400
    assert again.json()["code"] == "hold_already_released"


def test_a_dry_run_writes_nothing_and_a_run_is_listed(client, coop, coordinator, past):
    free, _held = past
    auth = _auth(coordinator)
    base = f"/api/cooperatives/{coop.slug}/retention/runs"
    dry = client.post(base, {"dry_run": True}, content_type="application/json", **auth)
    assert dry.status_code == 201
    assert dry.json()["id"] is None
    care = next(c for c in dry.json()["counts"] if c["kind"] == "care_records")
    assert (care["done"], care["held"]) == (1, 1)
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "Edith Clarke"
    assert not RetentionRun.objects.exists()

    ran = client.post(base, {}, content_type="application/json", **auth)
    assert ran.status_code == 201
    assert [r["id"] for r in client.get(base, **auth).json()] == [ran.json()["id"]]


def test_the_board_reads_but_may_not_hold_or_run(client, coop, board_user):
    auth = _auth(board_user)
    assert client.get(f"/api/cooperatives/{coop.slug}/retention/runs", **auth).status_code == 200
    refused = client.post(
        f"/api/cooperatives/{coop.slug}/retention/runs", {}, content_type="application/json", **auth
    )
    assert refused.status_code == 403
    assert "code" in refused.json()
