"""The invoices API: a refused run is a 400 listing every problem with its person and
visit; a coordinator runs, issues, deletes and credits, and downloads the PDF, the FatturaPA
file and the journal; the board reads; carers see nothing."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.billing.models import Invoice, InvoiceRun, InvoicingDetails
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from tests import factories
from tests.billing.conftest import done, week_of_visits

BASE = "/api/cooperatives/cura"
RUN = {"first_day": "2026-11-02", "last_day": "2026-11-03"}


@pytest.fixture
def call(client):
    def as_user(user):
        _token, raw = ApiToken.issue(user, "test")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def request(method, path, body=None):
            if method in ("get", "delete"):
                return getattr(client, method)(BASE + path, body or {}, **auth)
            return getattr(client, method)(
                BASE + path, body, content_type="application/json", **auth
            )

        return request

    return as_user


def test_a_refused_run_lists_every_problem_and_writes_nothing(billing, call):
    monday, tuesday = week_of_visits(billing)
    done(billing, monday, approved=False)
    done(billing, tuesday, approved=False)
    refused = call(billing["coordinator"])("post", "/invoice-runs", RUN)
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "visit_not_verified"
    assert [(p["visit_id"], p["person_id"]) for p in body["problems"]] == [
        (monday.pk, billing["person"].pk),
        (tuesday.pk, billing["person"].pk),
    ]
    assert body["errors"] == [p["detail"] for p in body["problems"]]
    assert not InvoiceRun.objects.exists()
    nothing = call(billing["coordinator"])(
        "post", "/invoice-runs", {"first_day": "2026-10-01", "last_day": "2026-10-31"}
    )
    assert (nothing.status_code, nothing.json()["code"]) == (400, "nothing_to_invoice")


def test_a_coordinator_runs_issues_credits_and_downloads(billing, call):
    monday, tuesday = week_of_visits(billing)
    done(billing, monday)
    done(billing, tuesday)
    api = call(billing["coordinator"])
    run = api("post", "/invoice-runs", RUN | {"payer_id": billing["comune"].pk})
    assert run.status_code == 201, run.json()
    [draft] = run.json()["invoices"]
    assert (draft["status"], draft["reference"], draft["total"]) == ("draft", "", "35.20")
    assert [line["amount"] for line in draft["lines"]] == ["17.60", "17.60"]
    assert draft["lines"][0]["carers"] == ""  # the municipality does not want carers named
    family_run = api("post", "/invoice-runs", RUN | {"payer_id": billing["family"].pk})
    [family] = family_run.json()["invoices"]
    assert api("delete", f"/invoices/{family['id']}").status_code == 204
    assert not Invoice.objects.filter(pk=family["id"]).exists()

    issued = api("post", f"/invoices/{draft['id']}/issue")
    assert issued.status_code == 200, issued.json()
    assert issued.json()["reference"].endswith("/1")
    assert issued.json()["einvoice_name"]
    again = api("post", f"/invoices/{draft['id']}/issue")
    assert (again.status_code, again.json()["code"]) == (400, "invoice_issued")
    kept = api("delete", f"/invoices/{draft['id']}")
    assert (kept.status_code, kept.json()["code"]) == (400, "invoice_issued")

    printed = api("get", f"/invoices/{draft['id']}/pdf")
    assert printed["Content-Type"] == "application/pdf"
    # Named as on the invoice's page: the same file whichever way it is fetched.
    number = issued.json()["reference"].replace("/", "-")
    assert f'filename="invoice-{number}.pdf"' in printed["Content-Disposition"]
    xml = api("get", f"/invoices/{draft['id']}/fatturapa")
    assert xml["Content-Type"] == "application/xml"
    assert issued.json()["einvoice_name"] in xml["Content-Disposition"]

    line = draft["lines"][0]["id"]
    note = api(
        "post", f"/invoices/{draft['id']}/credit-notes", {"reason": "Wrong day", "line_ids": [line]}
    )
    assert note.status_code == 201, note.json()
    assert (note.json()["kind"], note.json()["credits_id"], note.json()["total"]) == (
        "credit_note",
        draft["id"],
        "17.60",
    )
    twice = api(
        "post", f"/invoices/{draft['id']}/credit-notes", {"reason": "Again", "line_ids": [line]}
    )
    assert (twice.status_code, twice.json()["code"]) == (400, "line_already_credited")
    listed = api("get", "/invoices", {"status": "issued"})
    assert [i["id"] for i in listed.json()] == [note.json()["id"], draft["id"]]
    assert api("get", f"/invoices/{draft['id']}").json()["credit_note_ids"] == [note.json()["id"]]
    assert CareRecordRead.objects.filter(record="invoice", via="api").exists()

    journal = api("get", "/invoice-journal", {"first_day": "2026-01-01", "last_day": "2026-12-31"})
    assert journal["Content-Type"] == "text/csv"
    assert issued.json()["reference"] in journal.content.decode()


def test_the_invoicing_details_are_read_and_set(billing, call):
    api = call(billing["coordinator"])
    assert api("get", "/invoicing-details").json()["town"] == "Bologna"
    details = {"vat_number": "07654320378", "street": "Via Saragozza", "postcode": "40123"}
    short = api("put", "/invoicing-details", details)
    assert short.status_code == 422
    saved = api("put", "/invoicing-details", details | {"town": "Bologna", "vat_account": "2410"})
    assert saved.status_code == 200, saved.json()
    assert InvoicingDetails.objects.get().vat_account == "2410"


def test_the_board_reads_invoices_and_carers_see_nothing(billing, call):
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = call(billing["coordinator"])("post", "/invoice-runs", RUN)
    draft = run.json()["invoices"][0]["id"]
    board = call(factories.user_with_role(billing["coop"], Role.BOARD))
    assert board("get", f"/invoices/{draft}").status_code == 200
    assert board("get", "/invoicing-details").status_code == 200
    assert board("post", f"/invoices/{draft}/issue").status_code == 403
    assert board("delete", f"/invoices/{draft}").status_code == 403
    assert board("post", "/invoice-runs", RUN).status_code == 403
    carer = call(factories.user_with_role(billing["coop"], Role.CARER))
    assert carer("get", "/invoices").status_code == 403
    assert carer("get", f"/invoices/{draft}/pdf").status_code == 403
    assert carer("get", "/invoice-journal").status_code == 403
    assert Invoice.objects.get(pk=draft).status == "draft"
