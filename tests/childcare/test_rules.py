"""The rules of a childcare centre, each with its source and a worked example."""

import itertools
from datetime import date

from coopcare.childcare import rules


def test_age_in_whole_months():
    """Worked example: a child born on 15 March 2024 is 23 months old on 14 March 2026 and
    24 months old, so two, on 15 March 2026."""
    assert rules.age_in_months(date(2024, 3, 15), date(2026, 3, 14)) == 23
    assert rules.age_in_months(date(2024, 3, 15), date(2026, 3, 15)) == 24


def test_england_ratios_follow_the_eyfs():
    """EYFS statutory framework (group and school-based providers, 2024), section 3: "For
    children aged under two: there must be at least one member of staff for every three
    children"; "For children aged two: there must be at least one member of staff for every
    five children"; for children aged three and over, one for every eight (thirteen with a
    level 6 qualified person working directly with them)."""
    england = rules.DEFAULT_RATIOS["GB"]
    assert rules.ratio_for(england, 11).children_per_adult == 3
    assert rules.ratio_for(england, 24).children_per_adult == 5
    assert rules.ratio_for(england, 40).children_per_adult == 8
    assert all("early years foundation stage" in r.source for r in england)
    assert rules.ratio_for(england, 80) is None


def test_every_default_cites_its_source_and_covers_birth_to_six():
    """Each country's bands run without a gap from birth to six years, each with a source;
    where the rule is set regionally or could not be pinned, the source says so."""
    for country, ratios in rules.DEFAULT_RATIOS.items():
        assert ratios[0].from_months == 0, country
        assert ratios[-1].to_months == rules.MAX_MONTHS, country
        for before, after in itertools.pairwise(ratios):
            assert before.to_months == after.from_months, country
        assert all(r.source for r in ratios), country
    assert all(rules.TO_CONFIRM in r.source for r in rules.DEFAULT_RATIOS["IT"])


def test_a_mixed_room_needs_what_each_age_group_needs_together():
    """EYFS ratios, worked example: 3 babies (1:3) and 5 two-year-olds (1:5) need 3/3 + 5/5 =
    2 adults; a fourth baby makes 2 1/3, so 3 adults, and 2 present are over the ratio."""
    england = rules.DEFAULT_RATIOS["GB"]
    room = [6, 10, 20, 26, 28, 30, 32, 34]
    assert rules.staff_needed(room, england, 2).needed == 2
    assert not rules.staff_needed(room, england, 2).over_ratio
    fuller = rules.staff_needed([*room, 8], england, 2)
    assert fuller.needed == 3 and fuller.over_ratio


def test_a_band_runs_forwards_within_six_years():
    assert rules.check_band(0, 24) == []
    assert rules.check_band(24, 24)[0].code == "age_band_invalid"
    assert rules.check_band(0, 100)[0].code == "age_band_invalid"


def test_a_day_is_signed_in_once_then_out_once():
    assert rules.check_sign_in(already_in=True)[0].code == "already_signed_in"
    assert rules.check_sign_out(signed_in=False, signed_out=False)[0].code == "not_signed_in"
    assert rules.check_sign_out(signed_in=True, signed_out=True)[0].code == "already_signed_out"
    assert rules.check_sign_out(signed_in=True, signed_out=False) == []
