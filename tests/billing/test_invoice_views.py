"""Invoice pages: a coordinator runs a month's invoices (a refused run shows every reason and
makes nothing), issues or deletes the drafts, credits an issued invoice and downloads its
files; the board reads; carers and families see none of it."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from django.utils import translation
from pypdf import PdfReader

from coopcare import localise
from coopcare.billing import invoicing
from coopcare.billing.models import (
    Invoice,
    InvoiceRun,
    InvoiceStatus,
    InvoicingDetails,
    LineKind,
)
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.visits.services import generate_visits
from tests import factories
from tests.billing.conftest import MONDAY, done, week_of_visits

RUN = {"first_day": MONDAY.isoformat(), "last_day": (MONDAY + timedelta(days=1)).isoformat()}


def _base(billing):
    return f"/c/{billing['coop'].slug}/billing"


def test_a_refused_run_shows_every_reason_with_the_person_and_day_and_makes_nothing(
    client, billing
):
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday, approved=False)
    unpaid = factories.person_cared_for(billing["coop"], full_name="Bruno Verdi")
    factories.care_plan(unpaid, valid_from=MONDAY)
    generate_visits(unpaid, MONDAY, MONDAY)
    done(billing, unpaid.visits.get())
    factories.log_in(client, billing["coordinator"])
    refused = client.post(f"{_base(billing)}/invoices/", RUN)
    assert refused.status_code == 400
    errors = refused.context["form"].non_field_errors()
    assert len(errors) == 2
    assert "Anna Rossi, 2 Nov 2026 09:00: the visit is not yet checked out" in errors[0]
    assert "Bruno Verdi, 2 Nov 2026 09:00: no agreement in force" in errors[1]
    assert not InvoiceRun.objects.exists() and not Invoice.objects.exists()


def test_a_coordinator_runs_issues_credits_and_downloads_a_months_invoices(client, billing):
    monday, tuesday = week_of_visits(billing)
    done(billing, monday)
    done(billing, tuesday)
    factories.log_in(client, billing["coordinator"])
    base = _base(billing)
    page = client.get(f"{base}/invoices/")
    assert page.status_code == 200
    # The run's form proposes last month.
    assert page.context["form"]["first_day"].value().day == 1
    run = client.post(f"{base}/invoices/", RUN)
    assert run.status_code == 302
    made = InvoiceRun.objects.get()
    assert run["Location"].endswith(f"?run={made.pk}")
    drafts = client.get(run["Location"])
    assert {i.payer for i in drafts.context["invoices"]} == {billing["comune"], billing["family"]}
    comune = made.invoices.get(payer=billing["comune"])
    family = made.invoices.get(payer=billing["family"])

    shown = client.get(f"{base}/invoices/{comune.pk}/")
    assert shown.status_code == 200
    assert [rates for _line, rates, _credited in shown.context["lines"]] == [
        "60 min weekday 22.00",
        "60 min weekday 22.00",
    ]
    assert shown.context["totals"].total == comune.totals().total
    assert CareRecordRead.objects.filter(person=billing["person"], record="invoice").exists()

    assert client.post(f"{base}/invoices/{family.pk}/delete/").status_code == 302
    assert not Invoice.objects.filter(pk=family.pk).exists()
    # A draft is not credited: the page says why and nothing is written.
    draft_credit = client.post(
        f"{base}/invoices/{comune.pk}/credit/",
        {"reason": "Wrong", "lines": [comune.lines.first().pk]},
        follow=True,
    )
    assert "Only an issued invoice is credited." in draft_credit.content.decode()
    assert not Invoice.objects.filter(credits=comune).exists()
    assert client.get(f"{base}/invoices/{comune.pk}/issue/").status_code == 405
    assert client.post(f"{base}/invoices/{comune.pk}/issue/").status_code == 302
    comune.refresh_from_db()
    assert comune.status == InvoiceStatus.ISSUED and comune.number == 1
    # An issued invoice is not deleted: the page says why and it stays.
    kept = client.post(f"{base}/invoices/{comune.pk}/delete/", follow=True)
    assert "never deleted" in kept.content.decode()
    assert Invoice.objects.filter(pk=comune.pk).exists()

    printed = client.get(f"{base}/invoices/{comune.pk}/invoice.pdf")
    assert printed["Content-Type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF")
    number = comune.reference.replace("/", "-")
    assert printed["Content-Disposition"] == f'attachment; filename="invoice-{number}.pdf"'
    xml = client.get(f"{base}/invoices/{comune.pk}/einvoice.xml")
    assert xml["Content-Type"] == "application/xml"
    assert xml["Content-Disposition"] == f'attachment; filename="{comune.einvoice_name}"'
    assert bytes(xml.content) == bytes(comune.einvoice_xml)

    issued = client.get(f"{base}/invoices/{comune.pk}/")
    lines = list(comune.lines.all())
    assert set(issued.context["credit_form"]["lines"].initial) == {line.pk for line in lines}
    # An issued invoice's page leads to its payments.
    assert f"{base}/invoices/{comune.pk}/payments/" in issued.content.decode()
    missing = client.post(f"{base}/invoices/{comune.pk}/credit/", {"reason": ""})
    assert missing.status_code == 400
    credited = client.post(
        f"{base}/invoices/{comune.pk}/credit/",
        {"reason": "Tuesday was billed twice", "lines": [lines[1].pk], "bill_again": "on"},
    )
    assert credited.status_code == 302
    note = Invoice.objects.get(credits=comune)
    assert (note.number, note.lines.get().credits) == (2, lines[1])
    assert client.get(credited["Location"]).context["invoice"] == note
    again = client.get(f"{base}/invoices/{comune.pk}/")
    assert list(again.context["credit_form"]["lines"].field.queryset) == [lines[0]]
    assert again.context["credit_notes"] == [note]

    csv = client.get(f"{base}/journal.csv", {"first_day": "2026-01-01", "last_day": "2026-12-31"})
    assert csv["Content-Type"] == "text/csv"
    assert f"{comune.reference}" in csv.content.decode()
    assert client.get(f"{base}/journal.csv", {"first_day": "nonsense"}).status_code == 400
    issued_list = client.get(f"{base}/invoices/", {"status": "issued", "payer": comune.payer_id})
    assert issued_list.context["invoices"] == [note, comune]


def test_the_invoicing_details_are_saved_and_a_bad_form_saves_nothing(client, billing):
    factories.log_in(client, billing["coordinator"])
    url = f"{_base(billing)}/invoicing-details/"
    details = {
        "vat_number": "07654320378",
        "street": "Via Saragozza",
        "street_number": "5",
        "postcode": "40123",
        "town": "Bologna",
        "province": "BO",
        "iban": "IT60X0542811101000000123456",
        "stamp_duty_exempt": "on",
        "receivable_account": "1210",
        "revenue_account": "4010",
        "vat_account": "2410",
    }
    assert client.get(url).status_code == 200
    assert client.post(url, details | {"town": ""}).status_code == 400
    assert InvoicingDetails.objects.get().street == "Via dell'Indipendenza"
    assert client.post(url, details).status_code == 302
    saved = InvoicingDetails.objects.get()
    assert (saved.street, saved.stamp_duty_exempt, saved.revenue_account) == (
        "Via Saragozza",
        True,
        "4010",
    )


def test_the_board_reads_invoices_and_no_one_else_sees_them(client, billing):
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    draft = run.invoices.get(payer=billing["comune"])
    base = _base(billing)
    factories.log_in(client, factories.user_with_role(billing["coop"], Role.BOARD))
    assert client.get(f"{base}/invoices/").status_code == 200
    page = client.get(f"{base}/invoices/{draft.pk}/")
    assert page.status_code == 200 and page.context["credit_form"] is None
    assert client.get(f"{base}/invoices/{draft.pk}/invoice.pdf").status_code == 200
    assert client.post(f"{base}/invoices/", RUN).status_code == 403
    assert client.post(f"{base}/invoices/{draft.pk}/issue/").status_code == 403
    assert client.post(f"{base}/invoices/{draft.pk}/delete/").status_code == 403
    assert client.get(f"{base}/invoicing-details/").status_code == 403
    for role in (Role.CARER, Role.CIRCLE):
        client.logout()
        factories.log_in(client, factories.user_with_role(billing["coop"], role))
        assert client.get(f"{base}/invoices/").status_code == 403
        assert client.get(f"{base}/invoices/{draft.pk}/").status_code == 403
        assert client.get(f"{base}/invoices/{draft.pk}/invoice.pdf").status_code == 403
        assert client.get(f"{base}/journal.csv").status_code == 403
    assert Invoice.objects.get(pk=draft.pk).status == InvoiceStatus.DRAFT


def test_the_invoice_page_and_its_pdf_write_days_time_and_money_alike(client, billing):
    """An invoice on its page and printed: each visit's day, the time billed and the amounts
    written one way, the reader's language with the cooperative's country (an Italian
    cooperative read in English: "2 Nov 2026", "1 hr", "17,60 €"), never "Nov. 2, 2026",
    "60" minutes or "17.60"."""
    monday, tuesday = week_of_visits(billing)
    done(billing, monday)
    done(billing, tuesday)
    invoicing.run_invoices(
        billing["coop"], MONDAY, MONDAY + timedelta(days=1), by=billing["coordinator"]
    )
    comune = Invoice.objects.get(payer=billing["comune"])
    line = comune.lines.order_by("day").first()
    coop = billing["coop"]
    with translation.override("en"), localise.in_region(coop.country):
        day, billed, amount = (
            localise.day(line.day),
            localise.duration(line.minutes),
            localise.money(line.amount, coop.currency),
        )
    assert (day, billed) == ("2 Nov 2026", "1 hr")
    factories.log_in(client, billing["coordinator"])
    page = client.get(f"{_base(billing)}/invoices/{comune.pk}/").content.decode()
    printed = client.get(f"{_base(billing)}/invoices/{comune.pk}/invoice.pdf").content
    # The paper's text comes out with plain spaces where the page has no-break ones.
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(printed)).pages)
    for shown in (page.replace("\xa0", " "), text.replace("\xa0", " ")):
        assert day in shown and billed in shown and amount.replace("\xa0", " ") in shown
        assert "Nov. 2" not in shown and f"{line.amount}" not in shown


def test_the_credit_forms_box_says_whether_it_bills_the_visits_or_the_fees_again(client, billing):
    by, coop = billing["coordinator"], billing["coop"]
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(coop, MONDAY, MONDAY + timedelta(days=1), by=by)
    visits = invoicing.issue(run.invoices.get(payer=billing["comune"]), by=by)
    fee = invoicing.Charge(
        payer=billing["family"],
        day=date(2026, 10, 1),
        description="Fee for October 2026, Luca Rossi, part time, band 2",
        amount=Decimal("186.00"),
        vat_rate=Decimal(0),
        vat_note="Esente art. 10 c. 1 n. 20 DPR 633/1972",
        service_type="childcare",
    )
    billed = invoicing.bill_charges(coop, [fee], date(2026, 10, 1), date(2026, 10, 31), by=by)
    fees = invoicing.issue(billed.invoices[0], by=by)
    assert set(visits.lines.values_list("kind", flat=True)) == {LineKind.VISIT}
    assert set(fees.lines.values_list("kind", flat=True)) == {LineKind.FEE}
    factories.log_in(client, by)
    base = _base(billing)

    visit_page = client.get(f"{base}/invoices/{visits.pk}/").content.decode()
    assert '<label for="id_bill_again">Bill the visits again</label>' in visit_page
    assert "A later invoice run bills these visits again, as they are corrected." in visit_page
    assert "fees again" not in visit_page

    fee_page = client.get(f"{base}/invoices/{fees.pk}/").content.decode()
    assert '<label for="id_bill_again">Bill the fees again</label>' in fee_page
    assert "The next fee run bills these fees again, with the terms then in force" in fee_page
    assert "visits again" not in fee_page

    # The box ticked on the fee's line credits it to be billed again.
    credited = client.post(
        f"{base}/invoices/{fees.pk}/credit/",
        {"reason": "Left in September", "lines": [billed.lines[0].pk], "bill_again": "on"},
    )
    assert credited.status_code == 302
    note = Invoice.objects.get(credits=fees)
    assert note.lines.get().bill_again
