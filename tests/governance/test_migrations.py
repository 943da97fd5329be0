"""The migration to the ballot box: ballots of votes already closed become counted ballots
(shuffled, new ids, same trackers); ballots of open votes stay in the box."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("governance", "0001_initial")]
AFTER = [("governance", "0002_ballot_box_trackers_weights")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_closed_votes_ballots_move_to_the_counted_ballots():
    old = _migrate(BEFORE)
    Cooperative = old.get_model("cooperatives", "Cooperative")
    StakeholderClass = old.get_model("members", "StakeholderClass")
    Motion = old.get_model("governance", "Motion")
    Ballot = old.get_model("governance", "Ballot")
    coop = Cooperative.objects.create(name="Old", slug="old-coop")
    cls = StakeholderClass.objects.create(
        cooperative=coop, name="Workers", kind="worker", share_value=1
    )
    closed = Motion.objects.create(
        cooperative=coop, title="Closed", text="…", status="closed", closed_at=timezone.now()
    )
    still_open = Motion.objects.create(cooperative=coop, title="Open", text="…", status="open")
    old_ids = set()
    for i, motion in enumerate([closed, closed, closed, still_open]):
        ballot = Ballot.objects.create(
            id=uuid.uuid4(), motion=motion, stakeholder_class=cls, choice="for", receipt=f"R{i}"
        )
        old_ids.add(ballot.id)
    try:
        new = _migrate(AFTER)
        Box = new.get_model("governance", "Ballot")
        Counted = new.get_model("governance", "CountedBallot")
        assert list(Box.objects.values_list("tracker", flat=True)) == ["R3"]
        counted = Counted.objects.filter(motion_id=closed.pk)
        assert sorted(counted.values_list("tracker", flat=True)) == ["R0", "R1", "R2"]
        assert not set(counted.values_list("id", flat=True)) & old_ids
    finally:
        _migrate(executor_leaf())


def executor_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
