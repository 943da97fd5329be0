"""The fees API: a coordinator sets the schedule, the subsidy and a child's terms, previews
and runs a month (refusals as JSON with their codes); a guardian reads their own child's fees
and nobody else's; a worker of the centre reads no fees."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.billing import services as billing_services
from coopcare.childcare.models import FeeCharge

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_coordinator_sets_fees_and_runs_a_month(client, centre):
    base = f"/api/cooperatives/{centre.coop.slug}/childcare"
    auth = _auth(centre.coordinator)

    def post(path, body):
        return client.post(base + path, body, content_type="application/json", **auth)

    bands = [
        {"income_up_to": "15000.00", "monthly_fee": "250.00"},
        {"income_up_to": None, "monthly_fee": "520.00"},
    ]
    gap = post("/fee-schedules", {"valid_from": "2026-09-01", "bands": bands[:1]})
    assert gap.status_code == 400 and gap.json()["code"] == "fee_bands_gap"
    made = post("/fee-schedules", {"valid_from": "2026-09-01", "bands": bands})
    assert made.status_code == 201, made.content
    assert [b["band"] for b in made.json()["bands"]] == [1, 2]
    comune = billing_services.add_payer(
        centre.coop, {"kind": "public_body", "name": "Comune di Bologna"}
    )
    subsidy = {"name": "Posti", "payer_id": comune.pk, "kind": "percent", "amount": "40.00"}
    assert post("/subsidies", subsidy | {"valid_from": "2026-09-01"}).status_code == 201
    amira = f"/children/{centre.amira.pk}"
    terms = {"guardian_id": centre.hana.pk, "valid_from": "2026-09-01"}
    half = post(f"{amira}/fee-terms", terms | {"income": "9000.00"})
    assert half.status_code == 400 and half.json()["code"] == "declaration_incomplete"
    done = post(f"{amira}/fee-terms", terms | {"income": "9000.00", "declared_on": "2026-08-01"})
    assert done.status_code == 201, done.content
    preview = client.get(base + "/fee-preview", {"month": "2026-10-01"}, **auth).json()
    assert preview["problems"][0] == {
        "code": "no_fee_terms",
        "detail": "Leo Brown has no fee terms.",
        "child_id": centre.leo.pk,
    }
    refused = post("/fee-runs", {"month": "2026-10-01"})
    assert refused.status_code == 400 and refused.json()["code"] == "no_fee_terms"
    post(f"/children/{centre.leo.pk}/fee-terms", terms | {"guardian_id": centre.leo_father.pk})
    ran = post("/fee-runs", {"month": "2026-10-15"})
    assert ran.status_code == 201, ran.content
    # Amira, band 1: 250.00, 40 % subsidised (100.00); Leo, not declared: 520.00.
    assert [(c["fee"], c["subsidised"], c["family_share"]) for c in ran.json()] == [
        ("250.00", "100.00", "150.00"),
        ("520.00", "208.00", "312.00"),
    ]
    again = post("/fee-runs", {"month": "2026-10-01"})
    assert again.status_code == 400 and again.json()["code"] == "fees_already_billed"
    # Hana reads Amira's fees, and not Leo's; a worker reads none.
    mine = client.get(base + f"{amira}/fees", **_auth(centre.hana_user))
    assert mine.status_code == 200
    assert (
        mine.json()["charges"][0]["invoice_id"]
        == FeeCharge.objects.get(child=centre.amira).line.invoice_id
    )
    assert (
        client.get(base + f"/children/{centre.leo.pk}/fees", **_auth(centre.hana_user)).status_code
        == 404
    )
    assert client.get(base + "/fee-schedules", **_auth(centre.worker)).status_code == 403
