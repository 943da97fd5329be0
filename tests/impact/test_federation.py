"""The federation view: the cooperatives' figures put together, one against the median, and
small counts held back so no person can be singled out."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from coopcare.billing import invoicing, services
from coopcare.cooperatives.models import FederationAnalyst, Role
from coopcare.impact.federation import _pooled_row, figures, reporting_periods, rounded
from coopcare.impact.indicators import INDICATORS, Figure
from coopcare.members.models import StakeholderKind
from coopcare.visits.services import generate_visits
from tests import factories
from tests.billing.conftest import MONDAY, billing, done, payer, tariff  # noqa: F401
from tests.impact.test_money import ISSUED, NOVEMBER, _billed_november

START, END = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture
def federation(db):
    """Three cooperatives with 9, 6 and 2 worker members."""
    federation = factories.FederationFactory()
    for name, workers in (("Alba", 9), ("Borgo", 6), ("Colle", 2)):
        coop = factories.CooperativeFactory(federation=federation, name=name)
        cls = factories.StakeholderClassFactory(
            cooperative=coop, kind=StakeholderKind.WORKER, name="Workers"
        )
        for _ in range(workers):
            factories.admitted_member(cls)
    return federation


@pytest.fixture
def analyst(client, federation):
    user = factories.UserFactory()
    FederationAnalyst.objects.create(user=user, federation=federation)
    factories.log_in(client, user)
    return user


def _row(result, label):
    return next(r for r in result.rows if r.label == label)


def test_counts_under_five_are_held_back_with_the_next_smallest(federation):
    """Primary suppression of counts 1–4; secondary suppression of the next smallest, else
    Colle's 2 = total 17 − 9 − 6 (Eurostat, *Handbook on Statistical Disclosure Control*,
    ch. 4: cell suppression). What is shown is rounded to the nearest 5 (9 → 10, 17 → 15)."""
    result = figures(federation, START, END)
    members = _row(result, "Members")
    assert [c.name for c in result.cooperatives] == ["Alba", "Borgo", "Colle"]
    assert members.by_cooperative == [10, None, None]
    assert members.total == 15  # the federation's own total names no one
    assert _row(result, "Workers").by_cooperative == [10, None, None]


def test_counts_are_rounded_to_the_nearest_five():
    """HESA, *Rounding and suppression to anonymise statistics*: "all numbers are rounded to
    the nearest multiple of 5" — 0, 1, 2 → 0; 3 to 7 → 5; 8 → 10."""
    assert [rounded(n) for n in (0, 1, 2, 3, 7, 8, 12, 13, 17)] == [0, 0, 0, 5, 5, 10, 10, 15, 15]


def test_two_overlapping_periods_no_longer_tell_a_difference_of_one_person():
    """The attack: 7 people aged 65–79, then 6 over a period three days shorter, tells that
    one turned 80 in those days. Rounded, both read 5; and an analyst cannot ask for periods
    of their own making, only whole quarters and years that have ended."""
    assert rounded(7) == rounded(6) == 5
    keys = [p.key for p in reporting_periods(date(2026, 12, 5))]
    assert keys[:5] == ["2026-Q3", "2026-Q2", "2026-Q1", "2025", "2025-Q4"]
    assert "2026" not in keys and "2026-Q4" not in keys  # not ended yet
    q3 = reporting_periods(date(2026, 12, 5))[0]
    assert (q3.start, q3.end) == (date(2026, 7, 1), date(2026, 9, 30))
    # Quarters lie wholly inside their year: no two periods overlap in part.
    for a in reporting_periods(date(2026, 12, 5)):
        for b in reporting_periods(date(2026, 12, 5)):
            overlap = a.start <= b.end and b.start <= a.end
            nested = (a.start <= b.start and b.end <= a.end) or (
                b.start <= a.start and a.end <= b.end
            )
            assert not overlap or nested


def test_the_page_ignores_dates_of_the_analysts_own_choosing(client, analyst, federation):
    asked = {"starts_on": "2026-01-01", "ends_on": "2026-11-28"}
    page = client.get(f"/f/{federation.slug}/", asked)
    latest = reporting_periods(timezone.localdate())[0]
    assert (page.context["figures"].start, page.context["figures"].end) == (
        latest.start,
        latest.end,
    )
    year = client.get(f"/f/{federation.slug}/", {"period": "2025"})
    assert year.context["figures"].start == date(2025, 1, 1)
    unknown = client.get(f"/f/{federation.slug}/", {"period": "2026-01-01"})
    assert unknown.context["period"] == latest and unknown.context["form"].errors


def test_rates_over_fewer_than_five_people_are_not_shown(federation):
    result = figures(federation, START, END)
    # No assembly held: nobody entitled, so no participation rate anywhere.
    assert _row(result, "Participation in assemblies").by_cooperative == [None, None, None]


def test_the_median_is_of_the_cooperatives_shown():
    from coopcare.impact.federation import _median

    assert _median([9, None, 4]) == 6.5
    assert _median([None, None]) is None


def test_the_page_compares_a_cooperative_with_the_median(client, analyst, federation):
    page = client.get(f"/f/{federation.slug}/", {"compare": "missing"})
    assert page.status_code == 200
    assert page.context["compare"].name == "Alba"  # the first, when the one asked is unknown
    borgo = client.get(
        f"/f/{federation.slug}/", {"compare": page.context["figures"].cooperatives[1].slug}
    )
    html = borgo.content.decode()
    assert "Borgo against the federation" in html and "not shown" in html
    # The analyst holds no role in the cooperatives: no individual record is reachable.
    coop = borgo.context["compare"]
    for path in ("", "people/", "impact/", "members/", "impact/report/2026/"):
        assert client.get(f"/c/{coop.slug}/{path}").status_code == 404


def test_the_exports_hold_back_the_same_counts(client, analyst, federation):
    rows = client.get(f"/f/{federation.slug}/figures.csv").content.decode().splitlines()
    assert rows[0] == "Indicator,Federation,Median,Alba,Borgo,Colle"
    assert "Members,15,10.0,10,," in rows
    book = load_workbook(io.BytesIO(client.get(f"/f/{federation.slug}/figures.xlsx").content))
    sheet = book[book.sheetnames[0]]
    members = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Members")
    assert members[3:] == (10, None, None)
    assert client.get(f"/f/{federation.slug}/figures.exe").status_code == 404


def test_only_the_federations_analysts_see_it(client, coop, federation):
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    assert client.get(f"/f/{federation.slug}/").status_code == 404
    assert client.get(f"/f/{federation.slug}/figures.csv").status_code == 404


def _indicator(key):
    return next(i for i in INDICATORS if i.key == key)


def test_shares_of_hours_are_pooled_not_averaged():
    """The federation's share of hours used is that of all its budgets together: 900 of
    1500 hours, 60.0 %, where the median of 50.0 % and 100.0 % would be 75.0 % and weigh the
    small cooperative as much as the large one."""
    large = Figure(Decimal("50.0"), base=5, ratio=(Decimal(600), Decimal(1200)))
    small = Figure(Decimal("100.0"), base=6, ratio=(Decimal(300), Decimal(300)))
    row = _pooled_row(_indicator("budget_use"), [large, small], *NOVEMBER)
    assert row.total == Decimal("60.0") and row.median == Decimal("75.0")
    assert row.by_cooperative == [Decimal("50.0"), Decimal("100.0")]
    # Fewer than 5 people behind the whole share: held back, as a cooperative's own is.
    few = Figure(Decimal("50.0"), base=3, ratio=(Decimal(60), Decimal(120)))
    held = _pooled_row(_indicator("budget_use"), [few, Figure(None, base=0)], *NOVEMBER)
    assert (held.total, held.held_back, held.by_cooperative) == (None, True, [None, None])


def test_money_across_the_federation(billing):  # noqa: F811
    """Cura (26.40 owed of 44.00 invoiced in November: 18.0 days) and Zeta (a family invoiced
    22.00 on 30 November, unpaid: 30.0 days). Revenue adds up, 48.40; the days sales
    outstanding are pooled, (26.40 + 22.00) × 30 ÷ (44.00 + 22.00) = 22.0 days, not the
    median 24.0. No payer is named, and the one person over a budget is held back."""
    federation = factories.FederationFactory()
    cura = billing["coop"]
    cura.name, cura.federation = "Cura", federation
    cura.save()
    _billed_november(billing)
    zeta = factories.CooperativeFactory(name="Zeta", country="IT", federation=federation)
    by = factories.user_with_role(zeta, Role.COORDINATOR)
    person = factories.person_cared_for(zeta, full_name="Lucia Verdi")
    family = payer(zeta, name="Lucia Verdi", kind="family")
    factories.care_plan(person, valid_from=MONDAY)
    services.agree(person, family, {"valid_from": MONDAY}, tariffs=[tariff(zeta, by)], by=by)
    generate_visits(person, MONDAY, MONDAY)
    done({"coop": zeta, "coordinator": by}, person.visits.get())
    run = invoicing.run_invoices(zeta, MONDAY, MONDAY, by=by)
    invoicing.issue(run.invoices.get(), by=by, today=ISSUED)

    result = figures(federation, *NOVEMBER)
    assert [c.name for c in result.cooperatives] == ["Cura", "Zeta"]
    revenue = _row(result, "Revenue, by service")
    assert revenue.total == Decimal("48.40")
    assert revenue.by_cooperative == [Decimal("26.40"), Decimal("22.00")]
    assert _row(result, "personal care").total == Decimal("48.40")
    dso = _row(result, "Days sales outstanding")
    assert dso.total == Decimal("22.0") and dso.median == Decimal("24.0")
    assert dso.by_cooperative == [Decimal("18.0"), Decimal("30.0")]
    assert _row(result, "Revenue, by payer").total == Decimal("48.40")
    labels = [row.label for row in result.rows]
    assert not {"Comune di Bologna", "Marco Rossi", "Lucia Verdi"} & set(labels)
    over = _row(result, "People over an hours budget")
    assert over.by_cooperative == [None, 0] and over.total is None and over.held_back
    assert _row(result, "Hours budgets used").total is None  # one person's budget


def test_no_invoices_is_no_figure_not_a_held_back_one(federation):
    """Without invoices or budgets there is nothing to divide: the page shows a dash, where a
    share held back for too few people says "fewer than 5"."""
    result = figures(federation, START, END)
    for title in ("Days sales outstanding", "Hours budgets used"):
        row = _row(result, title)
        assert (row.total, row.held_back) == (None, False)
    assert _row(result, "Revenue, by service").total == 0
