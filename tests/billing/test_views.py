"""Billing pages: a coordinator adds payers, tariffs and agreements and sets the budget
policy; the board reads; form errors save nothing."""

from datetime import date

from coopcare.billing.models import Agreement, BudgetPolicy, Payer, Tariff
from coopcare.cooperatives.models import Role
from tests import factories


def test_a_coordinator_adds_a_payer_and_a_tariff_and_records_an_agreement(client, billing):
    coop = billing["coop"]
    factories.log_in(client, billing["coordinator"])
    base = f"/c/{coop.slug}/billing"
    added = client.post(
        f"{base}/payers/",
        {"kind": "voucher", "name": "Bono", "language": "es", "payment_days": "30"},
    )
    assert added.status_code == 302
    bad = client.post(f"{base}/payers/", {"kind": "family", "name": "Y", "language": "en"})
    assert bad.status_code == 400
    assert Payer.objects.filter(cooperative=coop).count() == 3
    edited = client.post(
        f"{base}/payers/{billing['family'].pk}/",
        {"kind": "family", "name": "Marco e Lucia Rossi", "language": "it", "payment_days": "15"},
    )
    assert edited.status_code == 302
    assert Payer.objects.get(pk=billing["family"].pk).name == "Marco e Lucia Rossi"
    tariff = client.post(
        f"{base}/tariffs/",
        {
            "tariff-name": "Domestic help",
            "tariff-service_type": "domestic_help",
            "tariff-unit": "hour",
            "tariff-vat_rate": "5",
            "tariff-vat_note": "Tabella A, parte II-bis, n. 1, DPR 633/1972",
            "prices-valid_from": "2026-01-01",
            "prices-weekday_rate": "19",
            "prices-sunday_rate": "23",
            "prices-night_rate": "21",
            "prices-holiday_rate": "25",
            "prices-night_starts": "22:00",
            "prices-night_ends": "06:00",
            "prices-double_handed_factor": "2",
            "prices-minimum_minutes": "30",
            "prices-rounding_minutes": "15",
            "prices-rounding": "up",
            "prices-travel_rate": "0",
        },
    )
    assert tariff.status_code == 302, tariff.content.decode()[-3000:]
    assert Tariff.objects.get(name="Domestic help").versions.count() == 1
    person = billing["person"]
    agreement = {
        "payer": billing["comune"].pk,
        "valid_from": "2026-11-01",
        "tariffs": [billing["tariff"].pk],
        "late_cancellation_hours": "24",
        "late_cancellation_percent": "50",
        "co_payer": billing["family"].pk,
        "co_payment_percent": "20",
        "budgets": "personal_care; month; 20",
    }
    wrong = client.post(f"{base}/people/{person.pk}/", agreement | {"budgets": "cleaning; 3"})
    assert wrong.status_code == 400
    assert client.post(f"{base}/people/{person.pk}/", agreement).status_code == 302
    recorded = Agreement.objects.get(person=person)
    assert recorded.budgets.get().hours == 20
    page = client.get(f"{base}/people/{person.pk}/")
    assert "Comune di Bologna" in page.content.decode()
    budgets = client.get(f"{base}/budgets/?first_day=2026-11-01&last_day=nonsense")
    assert budgets.status_code == 200
    assert budgets.context["first_day"] == date(2026, 11, 1)
    assert client.post(f"{base}/budgets/", {"beyond": "refuse"}).status_code == 302
    assert BudgetPolicy.objects.get(cooperative=coop).beyond == "refuse"


def test_the_board_reads_billing_but_changes_nothing_and_carers_see_none(client, billing):
    coop = billing["coop"]
    base = f"/c/{coop.slug}/billing"
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    assert client.get(f"{base}/tariffs/").status_code == 200
    assert client.post(f"{base}/payers/", {"kind": "other", "name": "Z"}).status_code == 403
    assert client.get(f"{base}/payers/{billing['comune'].pk}/").status_code == 403
    client.logout()
    factories.log_in(client, factories.user_with_role(coop, Role.CARER))
    assert client.get(f"{base}/budgets/").status_code == 403
    assert Payer.objects.filter(cooperative=coop).count() == 2
