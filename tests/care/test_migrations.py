"""Assessments recorded as yes/no ticks become the scales' answers where that is unambiguous."""

import importlib
from datetime import date

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from coopcare.care.models import Assessment
from tests import factories

NAME = "0004_assessment_answers_as_scale_options"
migration = importlib.import_module(f"coopcare.care.migrations.{NAME}")


def historical_apps():
    """The models as the migration sees them: without today's guards (an assessment is kept
    as written, ``coopcare.kept``), which a data migration written before them goes past."""
    return MigrationLoader(connection).project_state(("care", NAME)).apps


def _older(person, assessor, scale, items, score):
    # As recorded before: bulk_create, since a saved assessment is never changed.
    return dict(
        person=person,
        on=date(2026, 1, 10),
        assessor=assessor,
        domain="physical",
        scale=scale,
        items=items,
        score=score,
    )


def test_yes_no_ticks_become_answers_where_unambiguous(coop):
    person, assessor = factories.person_cared_for(coop), factories.UserFactory()
    katz_items = ["bathing", "dressing", "toileting", "transferring", "continence", "feeding"]
    Assessment.objects.bulk_create(
        Assessment(**fields)
        for fields in [
            # The web form sent every Katz item, unticked as false: a complete assessment.
            _older(
                person,
                assessor,
                "katz_adl",
                dict.fromkeys(katz_items, False) | {"feeding": True},
                1,
            ),
            # The API took 0/1 and allowed items left out, then scored them as 0.
            _older(person, assessor, "katz_adl", {"bathing": 1, "dressing": 0}, 1),
            # A Lawton tick does not say which published option applied.
            _older(person, assessor, "lawton_iadl", {"telephone": True, "shopping": False}, 1),
            _older(person, assessor, "", {}, None) | {"notes": "Lives alone."},
        ]
    )
    migration.to_options(historical_apps(), None)
    complete, partial, lawton, notes = Assessment.objects.order_by("pk")
    assert complete.items == dict.fromkeys(katz_items, "dependent") | {"feeding": "independent"}
    assert complete.score == 1 and not complete.is_incomplete
    assert partial.items == {"bathing": "independent", "dressing": "dependent"}
    assert partial.score is None and partial.is_incomplete
    assert lawton.items == {"telephone": True, "shopping": False}  # kept as recorded
    assert lawton.score is None and lawton.is_incomplete
    assert (notes.items, notes.score) == ({}, None)


def test_going_back_restores_yes_no_ticks(coop):
    person, assessor = factories.person_cared_for(coop), factories.UserFactory()
    Assessment.objects.bulk_create(
        [
            Assessment(**_older(person, assessor, "katz_adl", {"bathing": "independent"}, None)),
            Assessment(
                **_older(
                    person,
                    assessor,
                    "lawton_iadl",
                    {"housekeeping": "needs_help_with_all", "shopping": "small_purchases"},
                    None,
                )
            ),
        ]
    )
    migration.to_ticks(historical_apps(), None)
    katz, lawton = Assessment.objects.order_by("pk")
    assert (katz.items, katz.score) == ({"bathing": True}, 1)
    assert (lawton.items, lawton.score) == ({"housekeeping": True, "shopping": False}, 1)
