"""The checks of a mark and the incident it raises.

Categories: NPIAP, EPUAP and PPPIA, Prevention and Treatment of Pressure Ulcers/Injuries:
Clinical Practice Guideline, 3rd edition (2019): "Category/Stage 1: non-blanchable erythema of
intact skin ... Category/Stage 3: full-thickness skin loss ... Unstageable ... Deep tissue
pressure injury". Worked example: a category 2 ulcer is a medium incident, a category 3 one a
high incident, as is an unstageable one whose depth cannot be seen.
"""

from decimal import Decimal

import pytest

from coopcare.bodymap import rules


def problems(**fields):
    mark = {
        "side": "back",
        "x": 100,
        "y": 205,
        "region": "sacrum",
        "kind": "pressure_ulcer",
        "category": "2",
        "length": None,
        "width": None,
        "description": "Shallow open sore.",
    } | fields
    return [error.code for error in rules.mark_problems(**mark)]


def test_a_mark_on_the_sacrum_with_its_category_is_right():
    assert problems() == []


def test_a_point_off_the_outline_is_refused():
    assert problems(x=5, y=5) == ["mark_off_body"]


def test_a_region_the_side_does_not_show_is_refused():
    assert problems(side="front", x=100, y=110) == ["region_not_on_side"]


def test_a_pressure_ulcer_needs_its_category_and_nothing_else_has_one():
    assert problems(category="") == ["category_missing"]
    assert problems(kind="bruise") == ["category_not_applicable"]
    assert problems(kind="bruise", category="") == []


@pytest.mark.parametrize(
    ("length", "width", "codes"),
    [
        (Decimal("2.5"), Decimal("1.0"), []),
        (Decimal("2.5"), None, ["size_incomplete"]),
        (Decimal("0"), Decimal("1"), ["size_not_positive"]),
    ],
)
def test_a_size_is_both_length_and_width_above_zero(length, width, codes):
    assert problems(length=length, width=width) == codes


def test_a_mark_needs_a_description():
    assert problems(description="  ") == ["description_missing"]


@pytest.mark.parametrize(
    ("kind", "category", "incident"),
    [
        ("pressure_ulcer", "1", ("injury", "medium")),
        ("pressure_ulcer", "2", ("injury", "medium")),
        ("pressure_ulcer", "3", ("injury", "high")),
        ("pressure_ulcer", "4", ("injury", "high")),
        ("pressure_ulcer", "unstageable", ("injury", "high")),
        ("pressure_ulcer", "deep_tissue", ("injury", "high")),
        ("bruise", "", ("injury", "medium")),
        ("burn", "", ("injury", "high")),
        ("rash", "", ("health", "low")),
    ],
)
def test_the_incident_a_mark_raises(kind, category, incident):
    assert rules.incident_for(kind, category) == incident
