"""Parents' fees: a fee schedule with its bands, a municipality's subsidy, each child's fee
terms (a guardian's family payer, made if missing), and the monthly fee run that bills the
families' shares and the subsidies as draft invoices, once per child and month."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import services as billing_services
from coopcare.billing.models import Invoice, InvoiceLine, LineKind, Payer
from coopcare.childcare import services
from coopcare.childcare.models import FeeCharge, FeeSchedule
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
