"""The rules of parents' fees: the band of a declared income, the month's fee (part time,
a month begun or ended) and the subsidies, never more than the fee. Worked examples on a
schedule like an Italian municipality's for its nidi, by ISEE (DPCM 159/2013)."""

from decimal import Decimal

from coopcare.childcare import rules

D = Decimal
# "ISEE up to 8,000: 120; up to 15,000: 250; up to 26,000: 380; above: 520 a month."
CEILINGS = [D(8000), D(15000), D(26000), None]


def test_bands_that_cover_every_income_once_pass():
    assert rules.check_fee_bands(CEILINGS, [D(120), D(250), D(380), D(520)]) == []


def test_bands_that_overlap_or_leave_a_gap_are_refused():
    """Two bands "up to 15,000" overlap; without a band above 26,000 an ISEE of 30,000 falls
    in no band."""
    overlap = rules.check_fee_bands([D(15000), D(15000), None], [D(1), D(2), D(3)])
    assert [p.code for p in overlap] == ["fee_bands_overlap"]
    gap = rules.check_fee_bands([D(8000), D(26000)], [D(1), D(2)])
    assert [p.code for p in gap] == ["fee_bands_gap"]
    assert [p.code for p in rules.check_fee_bands([], [])] == ["fee_bands_gap"]
    below = rules.check_fee_bands([D(-1), None], [D(1), D(2)])
    assert [p.code for p in below] == ["fee_band_below_zero"]


def test_an_income_falls_in_the_first_band_whose_ceiling_reaches_it():
    """An ISEE of 15,000.00 is "up to 15,000": band 2; 15,000.01 is band 3; 40,000 the top."""
    assert rules.fee_band(CEILINGS, D("15000.00")) == 2
    assert rules.fee_band(CEILINGS, D("15000.01")) == 3
    assert rules.fee_band(CEILINGS, D(0)) == 1
    assert rules.fee_band(CEILINGS, D(40000)) == 4
    # Bands given in any order are read from the lowest ceiling.
    assert rules.fee_band([None, D(15000), D(8000), D(26000)], D(9000)) == 2


def test_an_income_not_declared_pays_the_highest_band():
    """The cooperative's rule, as municipal schedules have it: no ISEE, the top fee."""
    assert rules.fee_band(CEILINGS, None) == 4


def test_the_months_fee_part_time_and_by_days_enrolled():
    """Band 2, 250.00 full time; part time at 60 %: 150.00. A child starting on 20 October
    (12 of its 31 days): 250.00 × 12 / 31 = 96.774… → 96.77; part time 150.00 × 12 / 31 =
    58.064… → 58.06. A schedule that bills the whole month: 250.00."""
    full = dict(part_time=False, part_time_percent=D(60), days_in_month=31)
    assert rules.monthly_fee(D(250), days_enrolled=31, pro_rata=True, **full) == D("250.00")
    assert rules.monthly_fee(D(250), days_enrolled=12, pro_rata=True, **full) == D("96.77")
    assert rules.monthly_fee(D(250), days_enrolled=12, pro_rata=False, **full) == D("250.00")
    part = full | {"part_time": True}
    assert rules.monthly_fee(D(250), days_enrolled=31, pro_rata=True, **part) == D("150.00")
    assert rules.monthly_fee(D(250), days_enrolled=12, pro_rata=True, **part) == D("58.06")


def test_subsidies_pay_towards_the_fee_never_beyond_it():
    """A municipality's 100.00 a month and a 50 % scheme on a fee of 150.00: 100.00 then
    75.00 capped to the 50.00 left; the family pays nothing, never less."""
    fixed = rules.SubsidyTerms(percent=False, amount=D(100))
    half = rules.SubsidyTerms(percent=True, amount=D(50))
    assert rules.subsidies_of(D("150.00"), [fixed, half]) == [D("100.00"), D("50.00")]
    assert rules.subsidies_of(D("250.00"), [fixed, half]) == [D("100.00"), D("125.00")]
    assert rules.subsidies_of(D("58.06"), [half]) == [D("29.03")]
    assert rules.subsidies_of(D("80.00"), [fixed]) == [D("80.00")]


def test_a_month_is_billed_again_only_when_every_line_is_credited_to_be():
    """DPR 633/1972 art. 26: an issued invoice is corrected by a credit note, never edited;
    a subsidy is billed once per child and month. Amira's October billed Hana 150.00 and the
    municipality 100.00: Hana's line alone credited "bill again" leaves the municipality's
    standing, so the run waits for it (billing it again would bill it twice); both so
    credited, the month is billed again; a credit note without "bill again" keeps it billed."""
    again, kept, standing = rules.LineCredit.AGAIN, rules.LineCredit.KEPT, rules.LineCredit.STANDING
    assert rules.rebilling([standing, standing]) == rules.Rebilling.STAYS_BILLED
    assert rules.rebilling([kept, standing]) == rules.Rebilling.STAYS_BILLED
    assert rules.rebilling([again, standing]) == rules.Rebilling.CREDIT_THE_REST
    assert rules.rebilling([standing, again]) == rules.Rebilling.CREDIT_THE_REST
    assert rules.rebilling([again, kept]) == rules.Rebilling.STAYS_BILLED
    assert rules.rebilling([again, again]) == rules.Rebilling.BILL_AGAIN
    # A child whose subsidy pays the whole fee has the public body's line alone.
    assert rules.rebilling([again]) == rules.Rebilling.BILL_AGAIN
