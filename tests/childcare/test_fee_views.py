"""The fees pages: the office sets a schedule and a subsidy, gives a child fee terms on the
child's page, previews a month and bills it, with links to the drafts; a guardian sees their
own child's fees; a worker of the centre sees no fees; a broken rule is a form error."""

from datetime import date

from django.urls import reverse

from coopcare.billing import services as billing_services
from coopcare.childcare.models import FeeCharge, FeeSchedule, FeeTerms, Subsidy
from tests import factories


def _url(centre, name, *args):
    return reverse(f"childcare:{name}", args=[centre.coop.slug, *args])


def test_the_office_sets_fees_and_bills_a_month(client, centre):
    factories.log_in(client, centre.coordinator)
    assert client.get(_url(centre, "fees")).status_code == 200
    schedule = {
        "valid_from": "2026-09-01",
        "bands": "15000 250\n- 520",
        "part_time_percent": "60",
        "vat_rate": "0",
        "vat_note": "Esente art. 10 n. 20 DPR 633/1972",
        "undeclared_pays_top_band": "on",
        "pro_rata": "calendar_days",
    }
    gap = client.post(_url(centre, "add_fee_schedule"), schedule | {"bands": "15000 250"})
    assert gap.status_code == 400 and "no ceiling" in gap.content.decode()
    assert client.post(_url(centre, "add_fee_schedule"), schedule).status_code == 302
    assert FeeSchedule.objects.get().bands.count() == 2
    comune = billing_services.add_payer(
        centre.coop, {"kind": "public_body", "name": "Comune di Bologna"}
    )
    subsidy = {
        "name": "Posti convenzionati",
        "payer": comune.pk,
        "kind": "fixed",
        "amount": "100",
        "valid_from": "2026-09-01",
    }
    assert client.post(_url(centre, "add_subsidy"), subsidy).status_code == 302
    assert Subsidy.objects.get().payer == comune
    for child, guardian in ((centre.amira, centre.hana), (centre.leo, centre.leo_father)):
        terms = {"guardian": guardian.pk, "valid_from": "2026-09-01", "income": ""}
        done = client.post(_url(centre, "set_fee_terms", child.pk), terms)
        assert done.status_code == 302, done.content
    assert FeeTerms.objects.count() == 2
    preview = client.get(_url(centre, "fees"), {"month": "2026-10-01"})
    assert [r.family_share for r in preview.context["preview"].rows] == [420, 420]
    ran = client.post(_url(centre, "run_fees"), {"month": "2026-10-01"})
    assert ran.status_code == 302
    page = client.get(ran["Location"])
    charges = list(page.context["charges"])
    assert len(charges) == 2 == FeeCharge.objects.count()
    assert reverse("billing:invoice", args=[centre.coop.slug, charges[0].line.invoice_id]) in (
        page.content.decode()
    )
    again = client.post(_url(centre, "run_fees"), {"month": "2026-10-01"}, follow=True)
    assert "billed already" in again.content.decode()
    # The guardian sees Amira's fees on her page; a worker sees none, nor the fees page.
    factories.log_in(client, centre.hana_user)
    own = client.get(_url(centre, "child", centre.amira.pk))
    assert own.context["fees"].charges[0].month == date(2026, 10, 1)
    factories.log_in(client, centre.worker)
    assert client.get(_url(centre, "child", centre.amira.pk)).context["fees"] is None
    assert client.get(_url(centre, "fees")).status_code == 403
