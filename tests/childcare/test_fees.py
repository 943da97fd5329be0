"""Parents' fees: a fee schedule with its bands, a municipality's subsidy, each child's fee
terms (a guardian's family payer, made if missing), and the monthly fee run that bills the
families' shares and the subsidies as draft invoices, once per child and month."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from coopcare.accounts.models import ApiToken
from coopcare.billing import invoicing
from coopcare.billing import services as billing_services
from coopcare.billing.models import Invoice, InvoiceLine, LineKind, Payer
from coopcare.childcare import services
from coopcare.childcare.models import FeeCharge, FeeSchedule
from tests import factories
from tests.childcare.conftest import Centre

D = Decimal
OCTOBER = date(2026, 10, 1)
BANDS = [(D(8000), D(120)), (D(15000), D(250)), (D(26000), D(380)), (None, D(520))]
EXEMPT = "Esente art. 10 c. 1 n. 20 DPR 633/1972"


@pytest.fixture
def fees(centre: Centre):
    """A schedule from September 2026 (part time 60 %, exempt, a month begun or ended by its
    days); the municipality's 100.00 a month for children of bands 1 and 2; Amira full time
    with an ISEE of 12,000 (band 2), Leo part time with none declared (the top band) who
    leaves on 20 October."""
    by = centre.coordinator
    services.add_fee_schedule(
        centre.coop, valid_from=date(2026, 9, 1), bands=BANDS, vat_note=EXEMPT, by=by
    )
    comune = billing_services.add_payer(
        centre.coop, {"kind": "public_body", "name": "Comune di Bologna"}
    )
    services.add_subsidy(
        centre.coop,
        name="Posti convenzionati",
        payer=comune,
        kind="fixed",
        amount=D(100),
        up_to_band=2,
        valid_from=date(2026, 9, 1),
        by=by,
    )
    services.set_fee_terms(
        centre.amira,
        guardian=centre.hana,
        income=D(12000),
        declared_on=date(2026, 8, 20),
        valid_from=date(2026, 9, 1),
        by=by,
    )
    centre.leo.leaves_on = date(2026, 10, 20)
    centre.leo.save()
    services.set_fee_terms(
        centre.leo, guardian=centre.leo_father, part_time=True, valid_from=date(2026, 9, 1), by=by
    )
    return comune


def test_a_fee_schedule_is_a_new_version_from_a_later_month(centre: Centre, fees):
    by = centre.coordinator
    with pytest.raises(ValidationError) as refused:
        services.add_fee_schedule(centre.coop, valid_from=date(2026, 9, 1), bands=BANDS, by=by)
    assert [e.code for e in refused.value.error_list] == ["fee_schedule_not_after_latest"]
    with pytest.raises(ValidationError) as refused:
        services.add_fee_schedule(
            centre.coop,
            valid_from=date(2027, 1, 15),
            bands=[(D(8000), D(1)), (D(8000), D(2))],
            by=by,
        )
    assert sorted(e.code for e in refused.value.error_list) == [
        "fee_bands_gap",
        "fee_bands_overlap",
        "fee_schedule_not_month_start",
    ]
    assert FeeSchedule.objects.filter(cooperative=centre.coop).count() == 1


def test_fee_terms_make_the_guardians_family_payer_once(centre: Centre, fees):
    payer = Payer.objects.get(cooperative=centre.coop, name="Hana Patel")
    assert payer.kind == "family" and payer.user == centre.hana_user
    # Hana's second child pays through the same payer.
    sister = services.enrol(
        centre.coop, full_name="Sara Patel", born_on=date(2024, 1, 1), enrolled_on=OCTOBER
    )
    services.add_guardian(sister, guardian=centre.hana, by=centre.coordinator)
    terms = services.set_fee_terms(
        sister, guardian=centre.hana, valid_from=OCTOBER, by=centre.coordinator
    )
    assert terms.payer == payer


def test_fee_terms_that_cannot_be_are_refused(centre: Centre, fees):
    with pytest.raises(ValidationError) as refused:
        services.set_fee_terms(
            centre.amira,
            guardian=centre.leo_father,
            income=D(5000),
            valid_from=OCTOBER,
            by=centre.coordinator,
        )
    assert sorted(e.code for e in refused.value.error_list) == [
        "declaration_incomplete",
        "not_the_childs_guardian",
    ]


def test_the_run_bills_families_and_the_municipality_once_a_month(centre: Centre, fees):
    """Amira, band 2, full time: 250.00, of which the municipality pays 100.00 and Hana
    150.00. Leo, no ISEE (band 4, 520.00), part time (312.00) and enrolled 20 of October's
    31 days: 312.00 × 20 / 31 = 201.29, no subsidy above band 2: his father pays it all."""
    preview = services.preview_fees(centre.coop, date(2026, 10, 17))
    assert [(r.child, r.band, r.fee, r.family_share) for r in preview.rows] == [
        (centre.amira, 2, D("250.00"), D("150.00")),
        (centre.leo, 4, D("201.29"), D("201.29")),
    ]
    assert not Invoice.objects.exists()
    charges = services.run_fees(centre.coop, OCTOBER, by=centre.coordinator)
    amira, leo = charges
    assert (amira.subsidised, amira.family_share, amira.days_enrolled) == (
        D("100.00"),
        D("150.00"),
        31,
    )
    assert (leo.band, leo.income_declared, leo.days_enrolled) == (4, False, 20)
    assert amira.line.description == "Fee for October 2026, Amira Patel, full time, band 2"
    assert amira.line.invoice.payer.name == "Hana Patel"
    [subsidy] = amira.subsidies.all()
    assert subsidy.line.invoice.payer == fees and subsidy.line.amount == D("100.00")
    assert set(InvoiceLine.objects.values_list("kind", flat=True)) == {LineKind.FEE}
    assert Invoice.objects.filter(status="draft").count() == 3
    with pytest.raises(ValidationError) as refused:
        services.run_fees(centre.coop, OCTOBER, by=centre.coordinator)
    assert refused.value.code == "fees_already_billed"
    # A child enrolled later in the month is billed by a second run, alone.
    late = services.enrol(
        centre.coop, full_name="Ada Rossi", born_on=date(2025, 1, 1), enrolled_on=date(2026, 10, 27)
    )
    mother = services.add_guardian(late, full_name="Eva Rossi", by=centre.coordinator)
    services.set_fee_terms(
        late,
        guardian=mother,
        income=D(5000),
        declared_on=OCTOBER,
        valid_from=date(2026, 10, 27),
        by=centre.coordinator,
    )
    [ada] = services.run_fees(centre.coop, OCTOBER, by=centre.coordinator)
    # Band 1, 120.00 × 5 / 31 = 19.35, all of it subsidised (the 100.00 capped to the fee).
    assert (ada.child, ada.fee, ada.subsidised, ada.family_share, ada.line) == (
        late,
        D("19.35"),
        D("19.35"),
        D("0.00"),
        None,
    )
    with pytest.raises(ValidationError) as refused:
        services.add_fee_schedule(
            centre.coop, valid_from=OCTOBER, bands=BANDS, by=centre.coordinator
        )
    # A month billed keeps the schedule it was billed by.
    assert [e.code for e in refused.value.error_list] == ["month_already_billed"]


def test_children_without_fee_terms_refuse_the_run_naming_each(centre: Centre, fees):
    for name in ("Ben Carter", "Zoe Adams"):
        services.enrol(
            centre.coop, full_name=name, born_on=date(2025, 2, 1), enrolled_on=date(2026, 10, 5)
        )
    with pytest.raises(ValidationError) as refused:
        services.run_fees(centre.coop, OCTOBER, by=centre.coordinator)
    problems = refused.value.error_list
    assert [p.code for p in problems] == ["no_fee_terms", "no_fee_terms"]
    assert ["Ben Carter" in p.message for p in problems] == [True, False]
    assert "Zoe Adams" in problems[1].message
    assert not FeeCharge.objects.exists() and not Invoice.objects.exists()


def test_a_month_before_any_schedule_is_refused(centre: Centre, fees):
    with pytest.raises(ValidationError) as refused:
        services.run_fees(centre.coop, date(2026, 8, 1), by=centre.coordinator)
    assert "no_fee_schedule" in [e.code for e in refused.value.error_list]


def _issue_all(by) -> None:
    for draft in Invoice.objects.filter(status="draft"):
        invoicing.issue(draft, by=by, today=date(2026, 11, 2))


def _credit(line: InvoiceLine, by, *, bill_again: bool) -> None:
    invoicing.credit(
        line.invoice,
        by=by,
        reason="ISEE corrected",
        lines=[line],
        bill_again=bill_again,
        today=date(2026, 11, 10),
    )


def test_a_fee_credited_to_bill_again_with_its_subsidy_is_billed_again_on_the_new_terms(
    centre: Centre, fees
):
    """Amira's October was billed at band 2 (250.00: 100.00 the municipality's, 150.00
    Hana's). Her household's ISEE is corrected to 20,000 (band 3, 380.00, above the subsidy's
    bands): once both lines are credited to be billed again, the next run bills Hana 380.00
    and the municipality nothing; Leo stays billed."""
    by = centre.coordinator
    amira, _leo = services.run_fees(centre.coop, OCTOBER, by=by)
    _issue_all(by)
    services.set_fee_terms(
        centre.amira,
        guardian=centre.hana,
        income=D(20000),
        declared_on=date(2026, 11, 5),
        valid_from=date(2026, 10, 2),
        by=by,
    )
    amira.refresh_from_db()
    _credit(amira.line, by, bill_again=True)
    # The municipality's line still stands: billing the month again would bill it twice.
    with pytest.raises(ValidationError) as refused:
        services.run_fees(centre.coop, OCTOBER, by=by)
    [problem] = refused.value.error_list
    assert problem.code == "fee_line_not_credited" and "Comune di Bologna" in problem.message
    assert problem.params == {"child": centre.amira.pk}
    _credit(amira.subsidies.get().line, by, bill_again=True)
    preview = services.preview_fees(centre.coop, OCTOBER)
    [row] = preview.rows
    assert (row.child, row.replaces, row.band, row.fee, row.family_share) == (
        centre.amira,
        amira,
        3,
        D("380.00"),
        D("380.00"),
    )
    assert preview.already_billed == [centre.leo]
    [again] = services.run_fees(centre.coop, OCTOBER, by=by)
    assert (again.band, again.family_share, again.line.amount) == (3, D("380.00"), D("380.00"))
    assert not again.subsidies.exists()
    amira.refresh_from_db()
    assert amira.credited_by.credits == amira.line and amira.credited_by.bill_again
    assert FeeCharge.objects.filter(child=centre.amira, credited_by__isnull=True).get() == again
    with pytest.raises(ValidationError) as refused:
        services.run_fees(centre.coop, OCTOBER, by=by)
    assert refused.value.code == "fees_already_billed"


def test_a_fee_credited_without_billing_again_keeps_the_month_billed(centre: Centre, fees):
    by = centre.coordinator
    amira, _leo = services.run_fees(centre.coop, OCTOBER, by=by)
    _issue_all(by)
    _credit(amira.line, by, bill_again=False)
    _credit(amira.subsidies.get().line, by, bill_again=True)
    preview = services.preview_fees(centre.coop, OCTOBER)
    assert (preview.rows, preview.problems) == ([], [])
    assert preview.already_billed == [centre.amira, centre.leo]


def test_the_database_holds_one_standing_charge_a_child_and_month(centre: Centre, fees):
    amira, _leo = services.run_fees(centre.coop, OCTOBER, by=centre.coordinator)
    copy = FeeCharge.objects.get(pk=amira.pk)
    copy.pk, copy.line = None, None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_deleting_a_fee_draft_deletes_the_public_bodys_lines_of_the_same_children(
    centre: Centre, fees
):
    """Hana's draft bills Amira's 150.00; the municipality's bills her 100.00 subsidy. Deleting
    Hana's deletes both lines and Amira's charge; the municipality's draft, left empty, goes
    too. Leo's father's draft and charge stay."""
    by = centre.coordinator
    amira, leo = services.run_fees(centre.coop, OCTOBER, by=by)
    invoicing.delete_draft(amira.line.invoice)
    assert list(FeeCharge.objects.all()) == [leo]
    assert not Invoice.objects.filter(payer=fees).exists()
    assert list(Invoice.objects.all()) == [leo.line.invoice]
    [row] = services.preview_fees(centre.coop, OCTOBER).rows
    assert row.child == centre.amira and row.replaces is None


def test_a_fee_draft_is_not_deleted_while_its_sibling_line_is_issued(centre: Centre, fees):
    by = centre.coordinator
    amira, _leo = services.run_fees(centre.coop, OCTOBER, by=by)
    invoicing.issue(amira.line.invoice, by=by, today=date(2026, 11, 2))
    municipality = amira.subsidies.get().line.invoice
    with pytest.raises(ValidationError) as refused:
        invoicing.delete_draft(municipality)
    assert [e.code for e in refused.value.error_list] == ["fee_line_issued"]
    assert FeeCharge.objects.filter(pk=amira.pk).exists()
    assert municipality.lines.count() == 1


def test_the_fees_page_and_the_api_show_the_children_billed_again(client, centre: Centre, fees):
    by = centre.coordinator
    amira, _leo = services.run_fees(centre.coop, OCTOBER, by=by)
    _issue_all(by)
    _credit(amira.line, by, bill_again=True)
    factories.log_in(client, by)
    page = reverse("childcare:fees", args=[centre.coop.slug])
    waiting = client.get(page, {"month": "2026-10-01"}).content.decode()
    assert "credit it too, to be billed again" in waiting
    api = f"/api/cooperatives/{centre.coop.slug}/childcare"
    _token, raw = ApiToken.issue(by, "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    refused = client.post(
        api + "/fee-runs", {"month": "2026-10-01"}, content_type="application/json", **auth
    )
    assert refused.status_code == 400 and refused.json()["code"] == "fee_line_not_credited"
    _credit(amira.subsidies.get().line, by, bill_again=True)
    shown = client.get(page, {"month": "2026-10-01"}).content.decode()
    assert "billed again" in shown and "Bill this month" in shown
    [row] = client.get(api + "/fee-preview", {"month": "2026-10-01"}, **auth).json()["rows"]
    assert (row["child_id"], row["billed_again"]) == (centre.amira.pk, True)
    ran = client.post(reverse("childcare:run_fees", args=[centre.coop.slug]), {"month": OCTOBER})
    assert ran.status_code == 302
    billed = client.get(page, {"month": "2026-10-01"}).content.decode()
    assert billed.count("credited, billed again") == 1
