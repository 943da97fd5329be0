"""Billing's actions: payers, tariffs and their versions, agreements as versions, the budget
policy; a broken rule writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import invoicing, queries, services
from coopcare.billing.models import (
    Agreement,
    CoPaymentBand,
    HoursBudget,
    InvoicingDetails,
    Payer,
    TariffVersion,
)
from coopcare.cooperatives.models import Role
from tests import factories
from tests.billing.conftest import PRICES, payer, tariff


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list if e.code}


def test_a_public_payer_has_a_six_character_office_code(billing):
    with pytest.raises(ValidationError) as refused:
        payer(billing["coop"], name="ASL Bologna", kind="health_authority", office_code="UF12")
    assert codes(refused.value) == {"office_code_invalid"}
    with pytest.raises(ValidationError) as refused:
        payer(billing["coop"], name="Famiglia Bianchi", kind="family", office_code="UF1234")
    assert codes(refused.value) == {"office_code_not_public"}
    asl = payer(billing["coop"], name="ASL Bologna", kind="health_authority", office_code="ab12c3")
    assert asl.office_code == "AB12C3"
    assert Payer.objects.filter(cooperative=billing["coop"]).count() == 3


def test_a_payers_tax_numbers_are_checked_and_kept_as_invoices_write_them(billing):
    with pytest.raises(ValidationError) as refused:
        payer(billing["coop"], name="ASL Bologna", vat_number="01232710375")
    assert codes(refused.value) == {"vat_number_invalid"}
    with pytest.raises(ValidationError) as refused:
        services.change_payer(billing["family"], {"fiscal_code": "RSSMRA85T10A562T"})
    assert codes(refused.value) == {"fiscal_code_invalid"}
    assert Payer.objects.get(pk=billing["family"].pk).fiscal_code != "RSSMRA85T10A562T"
    asl = payer(billing["coop"], name="ASL Bologna", vat_number="IT 0123271 0374")
    assert asl.vat_number == "01232710374"
    services.change_payer(billing["family"], {"fiscal_code": "rssmra85t10a562s "})
    assert Payer.objects.get(pk=billing["family"].pk).fiscal_code == "RSSMRA85T10A562S"


def test_the_cooperatives_invoicing_details_need_a_valid_vat_number_and_iban(billing):
    coop = billing["coop"]
    before = InvoicingDetails.objects.get(cooperative=coop).vat_number
    with pytest.raises(ValidationError) as refused:
        invoicing.set_invoicing_details(coop, {"vat_number": "07654320379", "iban": "IT00X"})
    assert codes(refused.value) == {"vat_number_invalid", "iban_invalid"}
    assert InvoicingDetails.objects.get(cooperative=coop).vat_number == before
    details = invoicing.set_invoicing_details(coop, {"iban": "it60 x054 2811 1010 0000 0123 456"})
    assert details.iban == "IT60X0542811101000000123456"


def test_a_family_payer_is_linked_to_a_login_of_the_cooperative_only(billing):
    relative = factories.user_with_role(billing["coop"], Role.CIRCLE)
    stranger = factories.UserFactory()
    services.change_payer(billing["family"], {"user": relative})
    assert Payer.objects.get(pk=billing["family"].pk).user == relative
    with pytest.raises(ValidationError) as refused:
        services.change_payer(billing["family"], {"user": stranger})
    assert codes(refused.value) == {"payer_login_elsewhere"}
    with pytest.raises(ValidationError) as refused:
        services.change_payer(billing["comune"], {"user": relative})
    assert codes(refused.value) == {"payer_login_not_family"}
    assert Payer.objects.get(pk=billing["comune"].pk).user is None


def test_two_payers_may_not_share_a_name(billing):
    with pytest.raises(ValidationError) as refused:
        payer(billing["coop"], name="Comune di Bologna")
    assert codes(refused.value) == {"payer_name_taken"}


def test_new_prices_are_a_new_version_and_the_old_ones_stay(billing):
    care, by = billing["tariff"], billing["coordinator"]
    services.adopt_tariff_version(
        care, PRICES | {"valid_from": date(2027, 1, 1), "weekday_rate": Decimal("23.10")}, by
    )
    assert care.version_on(date(2026, 12, 31)).weekday_rate == Decimal("22.00")
    assert care.version_on(date(2027, 1, 1)).weekday_rate == Decimal("23.10")
    with pytest.raises(ValidationError) as refused:
        services.adopt_tariff_version(care, PRICES | {"valid_from": date(2026, 6, 1)}, by)
    assert codes(refused.value) == {"tariff_version_not_after_latest"}
    assert TariffVersion.objects.filter(tariff=care).count() == 2


def _agree(billing, **fields):
    return services.agree(
        billing["person"],
        billing["comune"],
        {"valid_from": date(2026, 11, 1)} | fields.pop("fields", {}),
        tariffs=[billing["tariff"]],
        by=billing["coordinator"],
        **fields,
    )


def test_an_agreement_is_versioned_by_date_and_the_one_in_force_is_the_latest(billing):
    first = _agree(
        billing,
        co_payer=billing["family"],
        bands=[(Decimal(10000), Decimal(0)), (None, Decimal(20))],
        budgets=[("personal_care", "month", Decimal(20))],
        fields={"income": Decimal(14000)},
    )
    second = _agree(
        billing,
        co_payer=billing["family"],
        fields={"valid_from": date(2027, 1, 1), "co_payment_percent": Decimal(20)},
        budgets=[("personal_care", "week", Decimal(6))],
    )
    assert (first.version, second.version) == (1, 2)
    versions = list(queries.agreements(billing["coop"], billing["person"].pk))
    assert queries.in_force(versions, date(2026, 12, 31)) == [first]
    assert queries.in_force(versions, date(2027, 1, 1)) == [second]
    assert queries.in_force(versions, date(2026, 10, 31)) == []
    assert [(b.income_up_to, b.percent) for b in first.bands.all()] == [
        (Decimal(10000), Decimal(0)),
        (None, Decimal(20)),
    ]


def test_an_agreement_that_breaks_its_rules_writes_nothing(billing):
    other = tariff(
        billing["coop"], billing["coordinator"], name="Domestic", service_type="personal_care"
    )
    with pytest.raises(ValidationError) as refused:
        services.agree(
            billing["person"],
            billing["comune"],
            {"valid_from": date(2026, 11, 1), "valid_until": date(2026, 10, 1)},
            tariffs=[billing["tariff"], other],
            co_payer=billing["comune"],
            budgets=[("night_care", "week", Decimal(2))],
            by=billing["coordinator"],
        )
    assert codes(refused.value) == {
        "agreement_ends_before_start",
        "two_tariffs_one_service",
        "co_payer_invalid",
        "co_payment_unclear",
        "budget_for_uncovered_service",
    }
    assert not Agreement.objects.exists()
    assert not HoursBudget.objects.exists() and not CoPaymentBand.objects.exists()


def test_a_new_version_starts_after_the_current_one_with_prices_on_its_first_day(billing):
    _agree(billing)
    with pytest.raises(ValidationError) as refused:
        _agree(billing, fields={"valid_from": date(2025, 10, 1)})
    assert codes(refused.value) == {"agreement_before_current_version", "tariff_without_prices"}
    with pytest.raises(ValidationError) as refused:
        _agree(billing, fields={"valid_from": date(2026, 12, 1), "co_payment_percent": Decimal(5)})
    assert codes(refused.value) == {"co_payer_missing"}
    assert Agreement.objects.count() == 1


def test_the_budget_policy_warns_unless_the_cooperative_refuses(billing):
    assert queries.budget_policy(billing["coop"]) == "warn"
    services.set_budget_policy(billing["coop"], "refuse")
    assert queries.budget_policy(billing["coop"]) == "refuse"
