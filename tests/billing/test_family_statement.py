"""A family that pays for someone's care sees its own issued invoices, their PDFs and the
payments received, and nobody else's: not another family's, not a carer, not another
cooperative's user."""

from decimal import Decimal

import pytest
from django.utils import translation

from coopcare.accounts.models import Profile
from coopcare.billing import invoicing, payments, services
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.localise import money
from tests import factories
from tests.billing.conftest import MONDAY, done, payer, week_of_visits
from tests.billing.paid import ISSUED, issued_invoices

PAGE = "/c/cura/billing/mine/"


@pytest.fixture
def rossi(billing):
    """Marco Rossi's login, linked to his family payer."""
    user = factories.user_with_role(billing["coop"], Role.CIRCLE, username="marco")
    services.change_payer(billing["family"], {"user": user})
    return user


def test_a_family_sees_its_issued_invoices_and_payments(client, billing, rossi):
    comune, family = issued_invoices(billing)
    by = billing["coordinator"]
    bounced = payments.record_payment(
        family, {"received_on": ISSUED, "amount": Decimal("4.40"), "reference": "SDD1"}, by=by
    )
    payments.withdraw_payment(bounced, "Debit returned: the Bianchi family's account", by=by)
    payments.record_payment(family, {"received_on": ISSUED, "amount": Decimal("1.00")}, by=by)
    factories.log_in(client, rossi)
    home = client.get("/c/cura/")
    assert PAGE in home.content.decode()
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    (balance,) = page.context["statement"].balances
    assert balance.invoice == family and balance.owed == Decimal("3.40")
    assert comune.reference not in text
    # The withdrawn payment is shown, struck out, so that the family's bank statement and
    # what it still owes agree; the office's reason is not, as it may name other people.
    assert "SDD1" in text and "withdrawn" in text
    assert "Bianchi" not in text
    assert CareRecordRead.objects.filter(user=rossi, person=billing["person"]).exists()
    document = client.get(f"{PAGE}{family.pk}/pdf/")
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF")
    number = family.reference.replace("/", "-")
    assert document["Content-Disposition"] == f'inline; filename="invoice-{number}.pdf"'
    assert "no-store" in document["Cache-Control"]
    assert client.get(f"{PAGE}{comune.pk}/pdf/").status_code == 404
    # A credit note against the family's invoice is theirs too, and prints.
    note = invoicing.credit(family, by=by, reason="Visit not due", today=ISSUED)
    assert client.get(PAGE).context["statement"].credit_notes == [note]
    assert client.get(f"{PAGE}{note.pk}/pdf/").content.startswith(b"%PDF")


def test_a_draft_is_never_shown(client, billing, rossi):
    monday, _tuesday = week_of_visits(billing)
    done(billing, monday)
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    draft = run.invoices.get(payer=billing["family"])
    factories.log_in(client, rossi)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.context["statement"].balances == []
    assert client.get(f"{PAGE}{draft.pk}/pdf/").status_code == 404


def test_nobody_else_sees_a_family_s_invoices(client, billing, rossi):
    _comune, family = issued_invoices(billing)
    coop = billing["coop"]
    document = f"{PAGE}{family.pk}/pdf/"
    # Another family, with its own payer: its page shows none of the Rossis' invoices.
    bianchi = factories.user_with_role(coop, Role.CIRCLE)
    payer(coop, name="Famiglia Bianchi", kind="family", user=bianchi)
    factories.log_in(client, bianchi)
    assert client.get(PAGE).context["statement"].balances == []
    assert client.get(document).status_code == 404
    # A carer, a coordinator and a circle member who pays for nobody have no such page.
    for role in (Role.CARER, Role.COORDINATOR, Role.CIRCLE):
        client.logout()
        someone = factories.user_with_role(coop, role)
        factories.log_in(client, someone)
        assert client.get(PAGE).status_code == 404
        assert client.get(document).status_code == 404
        assert PAGE not in client.get("/c/cura/").content.decode()
    # A family payer's login in another cooperative sees nothing of this one.
    client.logout()
    other = factories.CooperativeFactory(slug="altra")
    elsewhere = factories.user_with_role(other, Role.CIRCLE)
    payer(other, name="Marco Rossi", kind="family", user=elsewhere)
    factories.log_in(client, elsewhere)
    assert client.get(PAGE).status_code == 404
    assert client.get(document).status_code == 404
    assert client.get(f"/c/altra/billing/mine/{family.pk}/pdf/").status_code == 404
    assert client.get("/c/altra/billing/mine/").context["statement"].balances == []
    assert not CareRecordRead.objects.filter(record="invoices").exists()


def test_a_family_reads_its_invoices_right_to_left_in_arabic(client, billing, rossi):
    _comune, family = issued_invoices(billing)
    Profile.objects.create(user=rossi, language="ar")
    factories.log_in(client, rossi)
    html = client.get(PAGE).content.decode()
    assert 'dir="rtl"' in html and f"<bdi>{family.reference}</bdi>" in html
    with translation.override("ar"):
        owed = money(Decimal("4.40"), billing["coop"].currency)
    assert owed in html
