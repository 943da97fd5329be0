"""The payments API: a coordinator lists, records and withdraws an issued invoice's payments
and reads what each payer owes, aged; a broken rule is a 400 with its code and writes
nothing; the board reads; carers see nothing."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.billing import invoicing
from coopcare.billing.models import Payment, PaymentWithdrawal
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from tests import factories
from tests.billing.conftest import MONDAY
from tests.billing.paid import ISSUED, issued_invoices

BASE = "/api/cooperatives/cura"


@pytest.fixture
def api(client):
    def as_user(user):
        _token, raw = ApiToken.issue(user, "test")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def request(method, path, body=None):
            if method == "get":
                return client.get(BASE + path, **auth)
            return client.post(BASE + path, body, content_type="application/json", **auth)

        return request

    return as_user


def test_a_coordinator_records_lists_and_withdraws_a_payment(billing, api):
    comune, _family = issued_invoices(billing)
    call = api(billing["coordinator"])
    path = f"/invoices/{comune.pk}/payments"
    recorded = call(
        "post",
        path,
        {"received_on": ISSUED.isoformat(), "amount": "10.00", "reference": "CRO 0001"},
    )
    assert recorded.status_code == 201, recorded.json()
    body = recorded.json()
    assert (body["amount"], body["method"], body["withdrawal"]) == (
        "10.00",
        "bank_transfer",
        None,
    )
    withdrawn = call("post", f"{path}/{body['id']}/withdrawal", {"reason": "Wrong invoice"})
    assert withdrawn.status_code == 201, withdrawn.json()
    assert withdrawn.json()["withdrawal"]["reason"] == "Wrong invoice"
    again = call("post", f"{path}/{body['id']}/withdrawal", {"reason": "Again"})
    assert (again.status_code, again.json()["code"]) == (400, "payment_already_withdrawn")
    listed = call("get", path).json()
    assert [(p["amount"], p["withdrawal"] is not None) for p in listed] == [("10.00", True)]
    account = call("get", f"/payers/{billing['comune'].pk}/account?on=2027-02-15").json()
    assert (account["owed"], account["overdue"], account["paid"]) == ("17.60", "17.60", "0.00")
    assert [(i["reference"], i["overdue"]) for i in account["invoices"]] == [
        (comune.reference, True)
    ]
    owed = call("get", "/receivables?on=2027-02-15").json()
    assert [(r["payer_name"], r["owed"], r["overdue"], r["days_31_60"]) for r in owed] == [
        ("Comune di Bologna", "17.60", "17.60", "17.60"),
        ("Marco Rossi", "4.40", "4.40", "4.40"),
    ]


def test_bad_input_is_a_400_with_its_code_and_writes_nothing(billing, api):
    comune, _family = issued_invoices(billing)
    call = api(billing["coordinator"])
    path = f"/invoices/{comune.pk}/payments"
    too_much = call("post", path, {"received_on": ISSUED.isoformat(), "amount": "17.61"})
    assert (too_much.status_code, too_much.json()["code"]) == (400, "payment_more_than_owed")
    to_come = call("post", path, {"received_on": "2099-01-01", "amount": "1.00"})
    assert (to_come.status_code, to_come.json()["code"]) == (400, "payment_in_future")
    both = call("post", path, {"received_on": "2026-11-30", "amount": "20.00"})
    assert (both.status_code, both.json()["code"]) == (400, "rule_broken")
    assert len(both.json()["errors"]) == 2
    nothing = call("post", path, {"received_on": ISSUED.isoformat(), "amount": "0"})
    assert (nothing.status_code, nothing.json()["code"]) == (422, "invalid_request")
    assert not Payment.objects.exists()
    paid = call("post", path, {"received_on": ISSUED.isoformat(), "amount": "1.00"}).json()
    blank = call("post", f"{path}/{paid['id']}/withdrawal", {"reason": "   "})
    assert (blank.status_code, blank.json()["code"]) == (400, "reason_missing")
    assert not PaymentWithdrawal.objects.exists()
    credit_note = invoicing.credit(
        comune, by=billing["coordinator"], reason="x", bill_again=True, today=ISSUED
    )
    draft = invoicing.run_invoices(
        billing["coop"], MONDAY, MONDAY, by=billing["coordinator"]
    ).invoices.get()
    for invoice in (credit_note, draft):
        unpaid = call(
            "post",
            f"/invoices/{invoice.pk}/payments",
            {"received_on": ISSUED.isoformat(), "amount": "1.00"},
        )
        assert unpaid.status_code == 404
    assert Payment.objects.count() == 1


def test_the_board_reads_payments_and_carers_see_nothing(billing, api):
    comune, _family = issued_invoices(billing)
    path = f"/invoices/{comune.pk}/payments"
    board = api(factories.user_with_role(billing["coop"], Role.BOARD))
    carer = api(factories.user_with_role(billing["coop"], Role.CARER))
    assert board("get", path).status_code == 200
    assert board("get", "/receivables").status_code == 200
    assert board("get", f"/payers/{billing['family'].pk}/account").status_code == 200
    assert CareRecordRead.objects.filter(person=billing["person"], via="api").exists()
    refused = board("post", path, {"received_on": ISSUED.isoformat(), "amount": "1.00"})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert carer("get", path).status_code == 403
    assert carer("get", "/receivables").status_code == 403
    assert carer("get", f"/payers/{billing['comune'].pk}/account").status_code == 403
    assert not Payment.objects.exists()
