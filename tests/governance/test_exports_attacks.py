"""The published ballots CSV runs no formula hidden in a stakeholder class's name."""

from datetime import timedelta

from django.utils import timezone

from coopcare.governance import queries
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.voting import cast_vote, close_vote, open_vote


def test_a_class_name_cannot_run_as_a_formula(coop, classes, members):
    classes["Workers"].name = "=cmd|' /C calc'!A0"
    classes["Workers"].save()
    now = timezone.now()
    motion = open_vote(
        propose_motion(
            coop,
            title="Budget",
            text="X",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
        )
    )
    for member in members["Workers"]:
        cast_vote(motion, member, choice="for")
    rows = queries.ballots_csv(close_vote(motion)).splitlines()[1:]
    assert rows and all(row.endswith(",for,'=cmd|' /C calc'!A0") for row in rows)
