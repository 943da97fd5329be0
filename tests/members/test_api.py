"""The members and shares API: token auth, rules as 400 with a JSON body, roles enforced."""

from decimal import Decimal

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member, ShareEntry
from tests import factories


@pytest.fixture
def api(client, board_user):
    _token, raw = ApiToken.issue(board_user, "tests")

    def call(method, path, body=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        if body is not None:
            kwargs |= {"data": body, "content_type": "application/json"}
        return getattr(client, method)(f"/api{path}", **kwargs)

    return call


def test_apply_admit_pay_over_the_api(api, coop, supporter_class):
    response = api(
        "post",
        f"/cooperatives/{coop.slug}/members",
        {
            "full_name": "Khadija Benali",
            "email": "khadija@example.org",
            "stakeholder_class_id": supporter_class.pk,
            "shares": 2,
            "applied_on": "2026-02-01",
            "first_payment": "50.00",
        },
    )
    assert response.status_code == 201, response.content
    member_id = response.json()["id"]
    response = api(
        "post", f"/cooperatives/{coop.slug}/members/{member_id}/admit", {"on": "2026-02-10"}
    )
    assert response.json()["status"] == "admitted" and response.json()["number"] == 1
    response = api(
        "post",
        f"/cooperatives/{coop.slug}/members/{member_id}/shares/payments",
        {"amount": "50.00", "on": "2026-03-01", "reference": "SEPA 123"},
    )
    assert response.status_code == 201
    assert response.json()["balance"] == {
        "shares": 2,
        "capital": "100.00",
        "paid": "100.00",
        "unpaid": "0.00",
        "paid_up": True,
    }
    listed = api("get", f"/cooperatives/{coop.slug}/members?status=admitted").json()
    assert [m["full_name"] for m in listed] == ["Khadija Benali"]


def test_broken_rule_is_a_400_with_a_message_and_nothing_written(api, coop, supporter_class):
    member = factories.admitted_member(supporter_class)
    before = ShareEntry.objects.count()
    response = api(
        "post",
        f"/cooperatives/{coop.slug}/members/{member.pk}/shares/payments",
        {"amount": "10.00", "on": "2026-03-01"},
    )
    assert response.status_code == 400
    assert "above the 50.00 subscribed" in response.json()["detail"]
    assert ShareEntry.objects.count() == before


def test_second_membership_is_a_400(api, coop, supporter_class):
    user = factories.UserFactory(email="ada@example.org")
    factories.applicant(supporter_class, user=user, email=user.email)
    response = api(
        "post",
        f"/cooperatives/{coop.slug}/members",
        {
            "full_name": "Ada",
            "email": "ada@example.org",
            "stakeholder_class_id": supporter_class.pk,
            "shares": 1,
            "applied_on": "2026-02-01",
        },
    )
    assert response.status_code == 400 and "already on the register" in response.json()["detail"]
    assert Member.objects.count() == 1


def test_malformed_input_is_a_422_with_details(api, coop, supporter_class):
    response = api(
        "post",
        f"/cooperatives/{coop.slug}/members",
        {
            "full_name": "",
            "stakeholder_class_id": supporter_class.pk,
            "shares": 0,
            "applied_on": "yesterday",
        },
    )
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert {"full_name", "shares", "applied_on"} <= fields


def test_redeem_twice_is_refused(api, coop, supporter_class):
    investors = factories.StakeholderClassFactory(
        cooperative=coop, name="Investors", share_value=Decimal("500.00")
    )
    member = factories.admitted_member(investors)
    base = f"/cooperatives/{coop.slug}/members/{member.pk}"
    assert api("post", f"{base}/resign", {"on": "2026-03-01"}).status_code == 200
    assert api("post", f"{base}/shares/redemption", {"on": "2026-03-02"}).status_code == 201
    response = api("post", f"{base}/shares/redemption", {"on": "2026-03-03"})
    assert response.status_code == 400 and "already been redeemed" in response.json()["detail"]


def test_no_token_or_a_revoked_token_is_401(client, coop, board_user):
    assert client.get(f"/api/cooperatives/{coop.slug}/members").status_code == 401
    token, raw = ApiToken.issue(board_user, "old")
    token.revoke()
    response = client.get(
        f"/api/cooperatives/{coop.slug}/members", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 401


def test_carer_role_may_not_read_the_register(client, coop):
    carer = factories.user_with_role(coop, Role.CARER)
    _token, raw = ApiToken.issue(carer, "phone")
    response = client.get(
        f"/api/cooperatives/{coop.slug}/members", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 403 and "detail" in response.json()


def test_member_reads_own_shares_only(client, coop, supporter_class):
    user = factories.UserFactory()
    mine = factories.admitted_member(supporter_class, user=user, paid=20)
    other = factories.admitted_member(supporter_class)
    _token, raw = ApiToken.issue(user, "app")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    mine_response = client.get(f"/api/cooperatives/{coop.slug}/members/{mine.pk}/shares", **auth)
    assert mine_response.json()["balance"]["paid"] == "20.00"
    assert mine_response.json()["balance"]["paid_up"] is False
    assert (
        client.get(f"/api/cooperatives/{coop.slug}/members/{other.pk}/shares", **auth).status_code
        == 404
    )
    assert [c["roles"] for c in client.get("/api/cooperatives", **auth).json()] == [["member"]]


def test_openapi_schema_lists_members_and_shares(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "coopcare"
    assert "/api/cooperatives/{coop}/members/{member_id}/shares/payments" in schema["paths"]


def test_numbers_and_dates_out_of_bounds_are_refused_and_nothing_written(api, coop):
    """The request that once broke the ledger: 100,000,000,000 shares answered 201, the
    capital overflowed its column and the member's pages answered 500 from then on."""
    investors = factories.StakeholderClassFactory(
        cooperative=coop, name="Investors", share_value=Decimal("500.00")
    )
    member = factories.admitted_member(investors)
    base = f"/cooperatives/{coop.slug}/members/{member.pk}"
    entries = ShareEntry.objects.count()
    for body in (
        {"shares": 100_000_000_000, "on": "2026-03-01"},
        {"shares": 2**64, "on": "2026-03-01"},
        {"shares": 1, "on": "0001-01-01"},
        {"shares": 1, "on": "9999-12-31"},
    ):
        response = api("post", f"{base}/shares/subscriptions", body)
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert response.json()["detail"]
    # Within the schema's bounds but above what one member may hold (999,999 × 500.00):
    # the rule answers.
    response = api("post", f"{base}/shares/subscriptions", {"shares": 999_999, "on": "2026-03-01"})
    assert response.status_code == 400 and "most the register holds" in response.json()["detail"]
    assert ShareEntry.objects.count() == entries
    assert api("get", f"{base}/shares").status_code == 200
    assert api("get", f"{base}/../../members/{2**64}").status_code in (404, 422)


def test_a_broken_rule_answers_its_own_code(api, coop, supporter_class, worker_class):
    """One problem: its code, so that a client can tell it from any other refusal. Several
    problems with different codes: ``rule_broken``, with every message in ``errors``."""
    member = factories.admitted_member(supporter_class)
    response = api(
        "post",
        f"/cooperatives/{coop.slug}/members/{member.pk}/shares/payments",
        {"amount": "10.00", "on": "2026-03-01"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "payment_above_capital"
    assert response.json()["errors"] == [response.json()["detail"]]
    worker_class.min_shares = 2
    worker_class.save(update_fields=["min_shares"])
    applicant = factories.applicant(worker_class, shares=1)
    response = api(
        "post", f"/cooperatives/{coop.slug}/members/{applicant.pk}/admit", {"on": "2026-02-10"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "rule_broken"
    assert len(response.json()["errors"]) == 2
    assert "at least 2 shares" in response.json()["errors"][0]
    assert "probation period" in response.json()["errors"][1]
