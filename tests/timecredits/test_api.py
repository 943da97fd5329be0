"""The time credit API: the same actions as the pages, errors as JSON with their codes."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.timecredits.models import CreditEntry, EntryKind
from tests import factories

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_an_exchange_through_the_api(client, coop, anna, bruno):
    base = f"/api/cooperatives/{coop.slug}/time-credits"
    posted = client.post(
        f"{base}/exchanges",
        {"direction": "request", "kind": "call", "words": "A call on Sundays"},
        content_type="application/json",
        **bearer(bruno.user),
    )
    assert posted.status_code == 201
    exchange = posted.json()["id"]
    as_anna = bearer(anna.user)
    assert [e["id"] for e in client.get(f"{base}/exchanges", **as_anna).json()] == [exchange]
    taken = client.post(f"{base}/exchanges/{exchange}/acceptance", **as_anna)
    assert taken.json()["taken_by_id"] == anna.pk
    wrong = client.post(
        f"{base}/exchanges/{exchange}/confirmation",
        {"hours": "0.5", "done_on": "2026-11-20"},
        content_type="application/json",
        **as_anna,
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "time_credit_not_receiver"
    confirmed = client.post(
        f"{base}/exchanges/{exchange}/confirmation",
        {"hours": "0.5", "done_on": "2026-11-20"},
        content_type="application/json",
        **bearer(bruno.user),
    )
    assert confirmed.status_code == 201
    mine = client.get(f"{base}/me", **as_anna).json()
    assert float(mine["balance"]) == 0.5
    assert [e["kind"] for e in mine["entries"]] == ["given"]


def test_the_coordinators_reverse_and_set_terms(client, coop, coordinator, anna, bruno):
    base = f"/api/cooperatives/{coop.slug}/time-credits"
    lift = factories.time_exchange(anna, bruno)
    as_coordinator = bearer(coordinator)
    balances = client.get(f"{base}/balances", **as_coordinator).json()
    assert {b["member_id"]: float(b["balance"]) for b in balances} == {anna.pk: 1.5, bruno.pk: -1.5}
    entry = lift.entries.get(kind=EntryKind.RECEIVED)
    reversed_ = client.post(
        f"{base}/entries/{entry.pk}/reversal",
        {"reason": "Never happened"},
        content_type="application/json",
        **as_coordinator,
    )
    assert reversed_.status_code == 201
    assert CreditEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 2
    bad = client.put(
        f"{base}/terms",
        {"most_hours": "0", "overdraft": "1", "welcome_hours": "0"},
        content_type="application/json",
        **as_coordinator,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "time_credit_terms_invalid"
    assert client.get(f"{base}/balances", **bearer(anna.user)).status_code == 403
