"""The retention rules: each country's defaults and their sources, the fallback, the cutoff
day, and what a period the cooperative sets must say."""

from datetime import date

from coopcare.retention import rules
from coopcare.retention.rules import Kind


def test_every_country_has_a_sourced_default_for_every_kind():
    for country in ("IT", "ES", "FR", "GB"):
        for kind in Kind:
            default = rules.default_period(country, kind)
            assert default.years >= 1
            assert default.source


def test_spain_keeps_clinical_documentation_five_years_from_each_episode():
    # "Los centros sanitarios tienen la obligación de conservar la documentación clínica ...
    # como mínimo, cinco años contados desde la fecha del alta de cada proceso asistencial."
    # (Ley 41/2002, art. 17.1)
    default = rules.default_period("ES", Kind.CARE_RECORDS)
    assert default.years == 5
    assert "Ley 41/2002 art. 17.1" in default.source


def test_england_keeps_adult_social_care_records_eight_years_after_care():
    # Records Management Code of Practice 2023, Appendix II: adult social care records,
    # eight years after the end of care or death. Care ended on 1 March 2017: kept until
    # 1 March 2025, so on 22 November 2026 the record is past its period.
    default = rules.default_period("GB", Kind.CARE_RECORDS)
    assert default.years == 8
    assert rules.cutoff(date(2026, 11, 22), default.years) == date(2018, 11, 22)
    assert date(2017, 3, 1) < rules.cutoff(date(2026, 11, 22), default.years)


def test_uk_payroll_records_three_years():
    # HMRC: "You must keep records for 3 years from the end of the tax year they relate to."
    assert rules.default_period("GB", Kind.TIMESHEETS).years == 3


def test_uk_payslips_are_kept_past_the_end_of_their_tax_year_plus_three_years():
    # HMRC: "You must keep records for 3 years from the end of the tax year they relate to."
    # A pay period ending 31 March 2026 is in the tax year ending 5 April 2026: the law keeps
    # its payslip until 5 April 2029. Counted from the pay period's end, four years keep it
    # that day and after.
    default = rules.default_period("GB", Kind.PAYSLIPS)
    assert default.years == 4
    assert not date(2026, 3, 31) < rules.cutoff(date(2029, 4, 5), default.years)


def test_french_payslips_five_years():
    # Code du travail art. L. 3243-4: "L'employeur conserve un double des bulletins de paie
    # des salariés [...] pendant cinq ans."
    assert rules.default_period("FR", Kind.PAYSLIPS).years == 5


def test_a_country_not_researched_falls_back_to_italy_saying_so():
    default = rules.default_period("DE", Kind.CARE_RECORDS)
    assert default.years == rules.default_period("IT", Kind.CARE_RECORDS).years
    assert default.source.startswith("No defaults researched for DE")


def test_the_cutoff_runs_to_the_same_day_and_29_february_to_the_28th():
    # A period in years ends on the same day of the last year (Codice civile art. 2963).
    assert rules.cutoff(date(2026, 11, 22), 5) == date(2021, 11, 22)
    assert rules.cutoff(date(2024, 2, 29), 1) == date(2023, 2, 28)


def test_a_period_the_cooperative_sets_is_in_range_and_says_why():
    assert rules.period_problems(6, "DPO's advice, 2026") == []
    codes = {p.code for p in rules.period_problems(0, "  ")}
    assert codes == {"period_out_of_range", "period_reason_missing"}
    assert [p.code for p in rules.period_problems(101, "x")] == ["period_out_of_range"]


def test_a_childs_erasure_keeps_the_register_for_the_childcare_records_period():
    # GDPR art. 17(3)(b): erasure does not apply "to the extent that processing is necessary
    # for compliance with a legal obligation"; art. 17(1)(a): it applies once the data "are
    # no longer necessary". A child who left on 31 July 2026 at a centre keeping childcare
    # records three years: on 1 August 2026 the register is kept (until 31 July 2029), on
    # 1 August 2029 it may go too; on 31 July 2026 itself, or with no last day, the child
    # still attends.
    assert rules.child_erasure(date(2026, 7, 31), date(2026, 7, 31), 3) == "still_attending"
    assert rules.child_erasure(date(2026, 7, 1), None, 3) == "still_attending"
    assert rules.child_erasure(date(2026, 8, 1), date(2026, 7, 31), 3) == "register_kept"
    assert rules.child_erasure(date(2029, 7, 31), date(2026, 7, 31), 3) == "register_kept"
    assert rules.child_erasure(date(2029, 8, 1), date(2026, 7, 31), 3) == "all"
    assert rules.register_kept_until(date(2026, 7, 31), 3) == date(2029, 7, 31)
    assert rules.register_kept_until(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert "17(3)(b)" in (rules.child_erasure.__doc__ or "")
