"""The money indicators: revenue by service and by payer, hours budgets used and days sales
outstanding, worked out by hand on invoices issued, credited and paid through billing's
services; who reads them."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from coopcare.billing import invoicing, payments, services
from coopcare.impact.indicators import INDICATORS, Across, compute
from coopcare.impact.report import build
from coopcare.visits.services import generate_visits
from tests import factories
from tests.billing.conftest import MONDAY, PRICES, billing, done  # noqa: F401 - the fixture

NOVEMBER = date(2026, 11, 1), date(2026, 11, 30)
DECEMBER = date(2026, 12, 1), date(2026, 12, 31)
ISSUED = date(2026, 11, 30)


def _figures(cooperative, period):
    return {i.key: f for i, f in compute(cooperative, *period)}


def _billed_november(billing):  # noqa: F811
    """Anna's visits on Monday 2 and Tuesday 3 November 2026, each done and billed one hour at
    22.00 (the tariff's 60-minute minimum), 80 % to the municipality and 20 % to her family,
    under a budget of 1.5 hours of personal care a month. Both invoices are issued on 30
    November (the municipality's 35.20, the family's 8.80); the municipality pays 17.60 that
    day, and its Tuesday line is credited on 3 December."""
    coop, by, person = billing["coop"], billing["coordinator"], billing["person"]
    factories.care_plan(person, valid_from=MONDAY)
    services.agree(
        person,
        billing["comune"],
        {"valid_from": NOVEMBER[0], "co_payment_percent": Decimal(20)},
        tariffs=[billing["tariff"]],
        co_payer=billing["family"],
        budgets=[("personal_care", "month", Decimal("1.5"))],
        by=by,
    )
    generate_visits(person, MONDAY, MONDAY + timedelta(days=1))
    for visit in person.visits.order_by("starts_at"):
        done(billing, visit)
    run = invoicing.run_invoices(coop, MONDAY, MONDAY + timedelta(days=1), by=by)
    comune = invoicing.issue(run.invoices.get(payer=billing["comune"]), by=by, today=ISSUED)
    invoicing.issue(run.invoices.get(payer=billing["family"]), by=by, today=ISSUED)
    payments.record_payment(
        comune,
        {"received_on": ISSUED, "amount": Decimal("17.60"), "method": "bank_transfer"},
        by=by,
    )
    tuesday = comune.lines.order_by("day").last()
    invoicing.credit(
        comune, by=by, reason="Not authorised", lines=[tuesday], today=date(2026, 12, 3)
    )


def test_revenue_is_the_care_given_in_the_period_net_of_credit_notes(billing):  # noqa: F811
    """Revenue is recognised as the service is rendered (IFRS 15, OIC 34), and a credit note
    corrects an invoice (art. 26 DPR 633/1972): the 44.00 invoiced for the two November visits,
    less the 17.60 credited on 3 December, is November's revenue, 26.40; by payer, the
    municipality's 35.20 − 17.60 and the family's 8.80, the family never named."""
    _billed_november(billing)
    figures = _figures(billing["coop"], NOVEMBER)
    by_service = figures["revenue_by_service"]
    assert by_service.value == Decimal("26.40")
    assert by_service.parts == [("personal care", Decimal("26.40"))]
    by_payer = figures["revenue_by_payer"]
    assert by_payer.value == Decimal("26.40")
    assert by_payer.parts == [
        ("Comune di Bologna", Decimal("17.60")),
        ("families and people paying for their own care", Decimal("8.80")),
    ]
    # The credit note is dated December, but the care it corrects was given in November.
    assert _figures(billing["coop"], DECEMBER)["revenue_by_service"].value == Decimal("0.00")


def test_a_draft_is_not_revenue(billing):  # noqa: F811
    coop, by = billing["coop"], billing["coordinator"]
    factories.care_plan(billing["person"], valid_from=MONDAY)
    services.agree(
        billing["person"],
        billing["family"],
        {"valid_from": MONDAY},
        tariffs=[billing["tariff"]],
        by=by,
    )
    generate_visits(billing["person"], MONDAY, MONDAY)
    done(billing, billing["person"].visits.get())
    run = invoicing.run_invoices(coop, MONDAY, MONDAY, by=by)
    assert _figures(coop, NOVEMBER)["revenue_by_service"].value == Decimal("0.00")
    invoicing.issue(run.invoices.get(), by=by, today=ISSUED)
    assert _figures(coop, NOVEMBER)["revenue_by_service"].value == Decimal("22.00")


def test_revenue_leaves_vat_out_and_dso_counts_it(billing):  # noqa: F811
    """A social cooperative's home care at 5 % VAT (DPR 633/1972, Tabella A, parte II-bis,
    n. 1): 22.00 net is the revenue; the receivable is the 23.10 asked. Nothing paid on 30
    November: 23.10 owed × 30 days ÷ 23.10 invoiced = 30.0 days; half paid, 15.0."""
    coop, by, person = billing["coop"], billing["coordinator"], billing["person"]
    taxed = services.add_tariff(
        coop,
        {"name": "Care at 5 %", "service_type": "personal_care", "unit": "hour", "vat_rate": 5},
        PRICES,
        by=by,
    )
    factories.care_plan(person, valid_from=MONDAY)
    services.agree(person, billing["family"], {"valid_from": MONDAY}, tariffs=[taxed], by=by)
    generate_visits(person, MONDAY, MONDAY)
    done(billing, person.visits.get())
    run = invoicing.run_invoices(coop, MONDAY, MONDAY, by=by)
    invoice = invoicing.issue(run.invoices.get(), by=by, today=date(2026, 11, 10))
    figures = _figures(coop, NOVEMBER)
    assert figures["revenue_by_service"].value == Decimal("22.00")
    assert figures["dso"].value == Decimal("30.0")
    assert ("invoiced in the period", Decimal("23.10")) in figures["dso"].parts
    payments.record_payment(
        invoice, {"received_on": date(2026, 11, 20), "amount": Decimal("11.55")}, by=by
    )
    assert _figures(coop, NOVEMBER)["dso"].value == Decimal("15.0")


def test_days_sales_outstanding(billing):  # noqa: F811
    """The Credit Research Foundation's simple DSO: ending receivables × days in the period ÷
    credit sales of the period. On 30 November 35.20 + 8.80 − 17.60 paid = 26.40 is owed of
    the 44.00 invoiced in November's 30 days: 26.40 × 30 ÷ 44.00 = 18.0 days. In December only
    the credit note was issued (−17.60): nothing invoiced, so no DSO; 8.80 is still owed."""
    _billed_november(billing)
    november = _figures(billing["coop"], NOVEMBER)["dso"]
    assert november.value == Decimal("18.0")
    assert november.parts == [
        ("owed on the last day", Decimal("26.40")),
        ("invoiced in the period", Decimal("44.00")),
    ]
    assert november.ratio == (Decimal("26.40"), Decimal("44.00"))
    december = _figures(billing["coop"], DECEMBER)["dso"]
    assert december.value is None
    assert december.parts == [
        ("owed on the last day", Decimal("8.80")),
        ("invoiced in the period", Decimal("-17.60")),
    ]


def test_hours_budgets_used_and_people_over(billing):  # noqa: F811
    """1.5 hours of personal care authorised for November; two visits billed an hour each
    (40 minutes recorded, the tariff's minimum 60): 120 ÷ 90 minutes = 133.3 %, and Anna went
    over. December's month has nothing done: 0.0 %, nobody over. A month not over yet does
    not count: from 1 to 15 November there is no budget period to read."""
    _billed_november(billing)
    coop = billing["coop"]
    november = _figures(coop, NOVEMBER)
    used = november["budget_use"]
    assert used.value == Decimal("133.3") and used.base == 1
    assert used.parts == [("hours authorised", Decimal("1.5")), ("hours done", Decimal("2.0"))]
    over = november["people_over_budget"]
    assert over.value == 1 and over.parts == [("people with an hours budget", 1)]
    december = _figures(coop, DECEMBER)
    assert december["budget_use"].value == Decimal("0.0")
    assert december["people_over_budget"].value == 0
    half = _figures(coop, (date(2026, 11, 1), date(2026, 11, 15)))
    assert half["budget_use"].value is None and half["people_over_budget"].value == 0


def test_every_pooled_indicator_says_how_to_divide():
    for indicator in INDICATORS:
        assert (indicator.across == Across.POOLED) == (indicator.pool is not None)


def test_the_pages_show_them_to_coordinators_and_the_board(client, billing):  # noqa: F811
    _billed_november(billing)
    board = factories.user_with_role(billing["coop"], "board", username="bea")
    factories.log_in(client, board)
    period = {"starts_on": NOVEMBER[0], "ends_on": NOVEMBER[1]}
    html = client.get("/c/cura/impact/", period).content.decode()
    assert "Money in" in html and "26,40\xa0€" in html and "18 days" in html
    assert "Marco Rossi" not in html  # the family payer is never named
    lines = client.get("/c/cura/impact/indicators.csv", period).content.decode().splitlines()
    assert "revenue_by_service,,26.40,money,2026-11-01,2026-11-30" in lines
    assert "revenue_by_service,personal care,26.40,,2026-11-01,2026-11-30" in lines
    assert "dso,,18.0,days,2026-11-01,2026-11-30" in lines
    definitions = client.get("/c/cura/impact/definitions/").content.decode()
    assert "Credit Research Foundation" in definitions


@pytest.mark.parametrize(("role", "sees"), [("board", True), ("member", False)])
def test_the_social_report_has_money_only_for_who_sees_billing(client, coop, role, sees):
    """Members read the social report, but not billing: its money section is left out for
    them, on the page and in the tables alike."""
    factories.log_in(client, factories.user_with_role(coop, role, username="reader"))
    html = client.get("/c/cura/impact/report/2026/").content.decode()
    assert ("Money in" in html) == sees and ("Days sales outstanding" in html) == sees
    book = load_workbook(io.BytesIO(client.get("/c/cura/impact/report/2026/tables.xlsx").content))
    titles = [row[1] for row in book[book.sheetnames[0]].iter_rows(values_only=True)]
    assert ("Revenue, by service" in titles) == sees
    report = build(coop, 2026, date(2026, 12, 5), billing=sees)
    assert ("Money in" in [s.title for s in report.sections]) == sees
