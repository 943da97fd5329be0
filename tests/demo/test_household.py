"""The demo's Madrid cooperative: households employing a carer, with months of payslips."""

import random
from datetime import date
from decimal import Decimal

import pytest

from coopcare.cooperatives.models import Cooperative, Federation
from coopcare.demo import household as demo_household
from coopcare.demo import seed as demo
from coopcare.household import rules
from coopcare.household.models import Employer, HouseholdContract, HouseholdPayslip


@pytest.mark.django_db
def test_madrid_households_have_months_of_payslips():
    federation = Federation.objects.create(name="Rete", slug="rete")
    seeder = demo.Seeder(1, date(2026, 11, 22))
    rng = random.Random("x")  # noqa: S311 - test data, not a secret
    counts = demo_household.HouseholdSeeder(rng, seeder, federation).run()
    coop = Cooperative.objects.get(slug=demo_household.SLUG)
    assert coop.country == "ES" and coop.runs_household_employment
    assert counts == {"carers": 4, "people_cared_for": 4, "households": 4, "household_payslips": 12}
    # Antonio's carer's contract ended at the new year, and stays permanent.
    ended = HouseholdContract.objects.get(cooperative=coop, ended_on__isnull=False)
    assert (ended.employer.name, ended.last_day, ended.fixed_term) == (
        "Antonio López Sanz",
        date(2025, 12, 31),
        False,
    )
    for employer in Employer.objects.filter(cooperative=coop):
        assert rules.employer_problems(employer.__dict__) == []
    slips = HouseholdPayslip.objects.filter(contract__cooperative=coop)
    assert slips.count() == 12 and all(s.hours > 0 and s.employer_total > 0 for s in slips)
    # The large family's contract from before April 2024 has the 45 % bonus.
    family = slips.filter(contract__employer__large_family=True)
    assert family.exists()
    assert all(s.lines[1]["key"] == "large_family_bonus" for s in family)
    # Extras paid whole: nothing in October and November, a sixth of the half-year in December.
    whole = slips.filter(contract__extras_prorated=False).order_by("month")
    assert [s.extras > 0 for s in whole] == [False, False, True]
    assert whole.last().extras == (sum(s.salary for s in whole) / 6).quantize(Decimal("0.01"))
