"""The payments pages: a coordinator records and withdraws payments against an issued
invoice, form errors save nothing; the board reads; carers see nothing; what payers owe, aged,
and each payer's account."""

from decimal import Decimal

from coopcare.billing import invoicing
from coopcare.billing.models import Payment, PaymentWithdrawal
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from tests import factories
from tests.billing.conftest import MONDAY
from tests.billing.paid import ISSUED, issued_invoices


def test_a_coordinator_records_a_payment_and_withdraws_it(client, billing):
    _comune, family = issued_invoices(billing)
    factories.log_in(client, billing["coordinator"])
    page = f"/c/cura/billing/invoices/{family.pk}/payments/"
    shown = client.get(page)
    assert shown.status_code == 200
    text = shown.content.decode()
    assert family.reference in text and "Marco Rossi" in text and "Anna Rossi" in text
    # The amount offered is what is still owed.
    assert shown.context["form"]["amount"].value() == Decimal("4.40")
    assert CareRecordRead.objects.filter(person=billing["person"], record="invoices").exists()
    too_much = client.post(
        page, {"received_on": ISSUED, "amount": "5.00", "method": "cash", "reference": ""}
    )
    assert too_much.status_code == 400
    assert "more than that" in too_much.content.decode()
    unreadable = client.post(page, {"received_on": "soon", "amount": "0", "method": "gold"})
    assert unreadable.status_code == 400
    assert set(unreadable.context["form"].errors) == {"received_on", "amount", "method"}
    assert not Payment.objects.exists()
    paid = client.post(
        page,
        {"received_on": ISSUED, "amount": "4.40", "method": "bank_transfer", "reference": "CRO1"},
    )
    assert paid.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.reference) == (Decimal("4.40"), "CRO1")
    withdraw = f"{page}{payment.pk}/withdraw/"
    assert client.post(withdraw, {"reason": ""}).status_code == 400
    assert client.get(withdraw).status_code == 405
    assert not PaymentWithdrawal.objects.exists()
    assert client.post(withdraw, {"reason": "Bounced"}).status_code == 302
    assert PaymentWithdrawal.objects.get(payment=payment).reason == "Bounced"
    after = client.get(page)
    assert "Bounced" in after.content.decode()
    assert after.context["balance"].owed == Decimal("4.40")


def test_a_draft_or_another_invoice_s_payment_has_no_page(client, billing):
    comune, family = issued_invoices(billing)
    factories.log_in(client, billing["coordinator"])
    client.post(
        f"/c/cura/billing/invoices/{family.pk}/payments/",
        {"received_on": ISSUED, "amount": "1", "method": "cash"},
    )
    payment = Payment.objects.get()
    # The payment is withdrawn only through its own invoice's page.
    elsewhere = f"/c/cura/billing/invoices/{comune.pk}/payments/{payment.pk}/withdraw/"
    assert client.post(elsewhere, {"reason": "x"}).status_code == 404
    credit_note = invoicing.credit(
        comune, by=billing["coordinator"], reason="x", bill_again=True, today=ISSUED
    )
    assert client.get(f"/c/cura/billing/invoices/{credit_note.pk}/payments/").status_code == 404
    draft = invoicing.run_invoices(
        billing["coop"], MONDAY, MONDAY, by=billing["coordinator"]
    ).invoices.first()
    assert client.get(f"/c/cura/billing/invoices/{draft.pk}/payments/").status_code == 404


def test_the_board_reads_what_is_owed_and_carers_see_none_of_it(client, billing):
    comune, _family = issued_invoices(billing)
    coop = billing["coop"]
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    page = f"/c/cura/billing/invoices/{comune.pk}/payments/"
    shown = client.get(page)
    assert shown.status_code == 200 and shown.context["form"] is None
    assert client.post(page, {"received_on": ISSUED, "amount": "1"}).status_code == 403
    owed = client.get("/c/cura/billing/receivables/")
    assert owed.status_code == 200
    assert [r.payer.name for r in owed.context["receivables"]] == [
        "Comune di Bologna",
        "Marco Rossi",
    ]
    assert owed.context["totals"]["owed"] == Decimal("22.00")
    account = client.get(f"/c/cura/billing/payers/{billing['comune'].pk}/account/")
    assert account.status_code == 200
    assert account.context["account"].owed == Decimal("17.60")
    assert comune.reference in account.content.decode()
    client.logout()
    factories.log_in(client, factories.user_with_role(coop, Role.CARER))
    assert client.get(page).status_code == 403
    assert client.get("/c/cura/billing/receivables/").status_code == 403
    assert client.get(f"/c/cura/billing/payers/{billing['comune'].pk}/account/").status_code == 403
    assert not Payment.objects.exists()
