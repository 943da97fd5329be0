"""Secret ballots: nobody holding the database, a backup or the logs can link a voter to a
ballot; each voter gets a tracker, shown once, that proves nothing to anyone else.

Source: DESIGN.md rules (secret ballots: who voted is recorded apart from what was voted;
nobody, admins included, can link the two, not even from row order or transaction ids; each
voter gets a tracker to check their ballot is in the published list, which proves nothing to
anyone else). Each test below tries one way to link a voter to a ballot and must fail.
"""

import itertools
import logging
from datetime import date

import pytest
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, models

from coopcare.governance import queries
from coopcare.governance.models import Ballot, CountedBallot, QuestionStatus, VoterRoll
from coopcare.governance.services import voting
from coopcare.governance.services.ballot_box import SHUFFLE_EVERY, purge_deleted_ballots
from coopcare.governance.services.questions import call_election, propose_motion
from coopcare.governance.services.voting import BallotNotStored, cast_vote, close_vote, open_vote
from coopcare.members.models import Member
from tests import factories
from tests.governance.conftest import online_window

# The only columns a ballot and a roll entry have in common: the question they belong to
# (shared by every voter of it) and, on open votes only, the named choice.
QUESTION = {"motion", "election"}
NAMED_ONLY = {"choice", "ranking"}
BALLOT_COLUMNS = {"id", "motion", "election", "stakeholder_class", "choice", "ranking", "tracker"}


def _columns(model) -> dict[str, models.Field]:
    return {f.name: f for f in model._meta.concrete_fields}


@pytest.mark.parametrize("model", [Ballot, CountedBallot])
def test_a_ballot_has_no_column_that_leads_to_a_member_a_user_or_a_time(model):
    fields = _columns(model)
    assert set(fields) == BALLOT_COLUMNS
    related = {name: f.related_model for name, f in fields.items() if f.is_relation}
    assert Member not in related.values()
    assert all(m._meta.app_label != "auth" for m in related.values())
    assert not [
        f for f in fields.values() if isinstance(f, (models.DateField, models.DateTimeField))
    ]
    # A random id, not a sequence number that follows the order of voting.
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].primary_key
    assert model._meta.ordering == ["tracker"]


def test_the_roll_and_the_ballots_share_only_the_question():
    roll = _columns(VoterRoll)
    for model in (Ballot, CountedBallot):
        ballot = _columns(model)
        assert set(roll) & set(ballot) - NAMED_ONLY - {"id"} == QUESTION
        # Both have an "id", of different kinds: a number on the roll, a random UUID on a ballot.
        assert type(roll["id"]) is not type(ballot["id"])
        assert not any(f.is_relation and f.related_model is model for f in roll.values())
    assert "tracker" not in roll


# -- a secret approval election whose 24 ballots are all different -------------------------------

VOTERS = 24


@pytest.fixture
def voters(classes, members):
    """24 voters: the 10 of the fixture and 14 more workers."""
    extra = [
        factories.admitted_member(
            classes["Workers"],
            full_name=f"Extra worker {i}",
            user=factories.UserFactory(),
            on=date(2025, 1, 10),
        )
        for i in range(VOTERS - 10)
    ]
    return [*itertools.chain.from_iterable(members.values()), *extra]


def _secret_election(coop, candidates):
    opens, closes = online_window()
    election = call_election(
        coop,
        title="Board",
        method="approval",
        seats=2,
        candidates=candidates,
        secret=True,
        opens_at=opens,
        closes_at=closes,
    )
    return open_vote(election)


def _cast_distinct_ballots(election, voters) -> dict[int, tuple[int, ...]]:
    """Each voter approves a different set of the 5 candidates; returns member id → ballot."""
    ids = sorted(election.candidates.values_list("pk", flat=True))
    subsets = [s for n in range(1, 6) for s in itertools.combinations(ids, n)]
    cast = {}
    for voter, subset in zip(voters, subsets, strict=False):
        cast_vote(election, voter, ranking=list(subset))
        cast[voter.pk] = tuple(subset)
    return cast


def _physical_order(model) -> list[str]:
    """Trackers in the order the rows lie in the table: SQLite's rowid (insertion order for
    a table with a rowid), PostgreSQL's ctid (the tuple's place in the heap)."""
    table = model._meta.db_table
    column = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tracker FROM {table} ORDER BY {column}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _matches(pairs) -> int:
    return sum(1 for expected, found in pairs if expected == found)


def test_row_order_ids_and_trackers_do_not_line_up_with_the_roll(coop, voters):
    """Pair the roll, in the order voters voted, with the ballots in each order the database
    gives them (row order, id, tracker): a random shuffle matches about one pair in 24, and
    12 or more only once in 10^8 draws. Before the ballots were shuffled, row order matched
    all 24 (68 of 68 on the demo's secret motion)."""
    election = _secret_election(coop, voters[:5])
    cast = _cast_distinct_ballots(election, voters)
    election = close_vote(election)
    assert CountedBallot.objects.filter(election=election).count() == VOTERS
    assert not Ballot.objects.exists()  # the box is empty once voting closes
    in_roll_order = [
        cast[m] for m in election.roll.order_by("pk").values_list("member_id", flat=True)
    ]
    by_tracker = {b.tracker: tuple(b.ranking) for b in CountedBallot.objects.all()}
    orders = {
        "row order": [by_tracker[t] for t in _physical_order(CountedBallot)],
        "id": [
            tuple(r) for r in CountedBallot.objects.order_by("id").values_list("ranking", flat=True)
        ],
        "tracker": [
            tuple(r)
            for r in CountedBallot.objects.order_by("tracker").values_list("ranking", flat=True)
        ],
    }
    for name, order in orders.items():
        assert _matches(zip(in_roll_order, order, strict=True)) < VOTERS // 2, name


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
def test_transaction_ids_do_not_pair_a_voter_with_a_ballot(coop, voters):
    """PostgreSQL stamps each row with the id of the transaction that wrote it (``xmin``).
    Written in the roll's transaction, a ballot shared its voter's xmin; now every counted
    ballot carries the xmin of the shuffle that last rewrote them all, which is no voter's."""
    election = _secret_election(coop, voters[:5])
    _cast_distinct_ballots(election, voters[:12])
    close_vote(election)

    def xmins(model):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {model._meta.db_table}")  # noqa: S608
            return [row[0] for row in cursor.fetchall()]

    roll, counted = xmins(VoterRoll), xmins(CountedBallot)
    assert len(roll) == len(counted) == 12
    assert len(set(counted)) == 1
    assert not set(counted) & set(roll)
    assert not xmins(Ballot)  # nothing left in the box


def test_the_box_holds_fewer_ballots_than_a_batch_and_nothing_after_the_close(coop, voters):
    """Ballots leave the box in shuffled batches (``SHUFFLE_EVERY``): a reader of the
    database during the vote finds at most the last few, never the whole order of voting."""
    election = _secret_election(coop, voters[:5])
    _cast_distinct_ballots(election, voters[:23])
    batch = SHUFFLE_EVERY
    assert batch >= 10
    assert Ballot.objects.filter(election=election).count() == 23 % batch
    assert CountedBallot.objects.filter(election=election).count() == 23 - 23 % batch
    close_vote(election)
    assert not Ballot.objects.exists()
    assert CountedBallot.objects.filter(election=election).count() == 23


def test_before_the_close_no_ballot_can_be_found_by_its_tracker(coop, members):
    opens, closes = online_window()
    motion = open_vote(
        propose_motion(coop, title="X", text="X", secret=True, opens_at=opens, closes_at=closes)
    )
    casts = [cast_vote(motion, m, choice="for") for m in members["Workers"]]
    assert queries.ballot_by_tracker(coop, casts[0].tracker) is None
    assert queries.ballot_rows(motion) == []
    close_vote(motion)
    found = queries.ballot_by_tracker(coop, casts[0].tracker.lower())
    assert found is not None and found.choice == "for"


def _secret_motion(coop):
    opens, closes = online_window()
    return open_vote(
        propose_motion(
            coop, title="Sunday visits", text="…", secret=True, opens_at=opens, closes_at=closes
        )
    )


def test_a_failure_between_roll_and_box_loses_the_ballot_openly_and_never_counts_twice(
    coop, members, monkeypatch
):
    """Roll first, then the box in its own transaction: when the second write fails, the
    member stays on the roll (a second vote is refused), the voter is told, and the result
    reports the ballot missing instead of hiding it."""
    motion = _secret_motion(coop)
    voter = members["Workers"][0]

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(voting, "_drop_in_box", broken)
    with pytest.raises(BallotNotStored, match="will not be counted"):
        cast_vote(motion, voter, choice="for")
    monkeypatch.undo()
    assert VoterRoll.objects.filter(member=voter).exists()
    assert not Ballot.objects.exists()
    with pytest.raises(Exception, match="already voted"):
        cast_vote(motion, voter, choice="for")
    cast_vote(motion, members["Workers"][1], choice="against")
    motion = close_vote(motion)
    assert motion.result["ballots_missing"] == 1
    assert motion.result["totals"] == {"for": 0, "against": 1, "abstain": 0, "entitled": 10}


def test_a_ballot_arriving_after_the_close_is_reported_not_counted(coop, members, monkeypatch):
    motion = _secret_motion(coop)
    real_box = voting._box_alone

    def board_closes_in_between(question, *args):
        # The voter's roll row is written; the board closes before the ballot reaches the box.
        close_vote(question)
        return real_box(question, *args)

    monkeypatch.setattr(voting, "_box_alone", board_closes_in_between)
    with pytest.raises(BallotNotStored):
        cast_vote(motion, members["Workers"][0], choice="for")
    motion.refresh_from_db()
    assert motion.status == QuestionStatus.CLOSED and motion.result["ballots_missing"] == 1
    assert not Ballot.objects.exists() and not CountedBallot.objects.exists()


def test_the_sql_that_writes_ballots_stays_out_of_the_logs(coop, members, settings, caplog):
    """With DEBUG on, Django logs every statement with its values: the roll's and the box's
    one after the other would pair them. The ballot statements are kept out of the log and
    of the connection's query list."""
    settings.DEBUG = True
    motion = _secret_motion(coop)
    connection.queries_log.clear()
    with caplog.at_level(logging.DEBUG, logger="django.db.backends"):
        cast = cast_vote(motion, members["Workers"][0], choice="against")
    assert "governance_voterroll" in caplog.text  # the roll is logged: it is public anyway
    assert cast.tracker not in caplog.text and "governance_ballot" not in caplog.text
    assert cast.tracker not in str(connection.queries)


def _vote_form(client, coop, motion, member, choice):
    return client.post(
        f"/c/{coop.slug}/motions/{motion.pk}/vote/",
        {f"v{member.pk}-voter": member.pk, f"v{member.pk}-choice": choice},
    )


def test_the_tracker_is_shown_once_and_stored_with_no_session(client, coop, members):
    """The tracker is in the response to the vote only: not in the session table (next to
    the user id), not in a message cookie, not on the page afterwards."""
    motion = _secret_motion(coop)
    voter = members["Supporters"][0]
    factories.log_in(client, voter.user)
    response = _vote_form(client, coop, motion, voter, "for")
    assert response.status_code == 200
    tracker = Ballot.objects.get().tracker
    page = response.content.decode()
    assert tracker in page and "shown only this once" in page
    assert "no-store" in response["Cache-Control"]
    for session in Session.objects.all():
        assert tracker not in str(session.get_decoded()) and tracker not in session.session_data
    assert all(tracker not in morsel.value for morsel in response.cookies.values())
    assert all(tracker not in morsel.value for morsel in client.cookies.values())
    later = client.get(f"/c/{coop.slug}/motions/{motion.pk}/").content.decode()
    assert tracker not in later
    # Before the close the page shows how many have voted, never a ballot.
    assert "1 member has voted so far" in later and "Published ballots" not in later


def test_any_member_can_look_up_any_tracker_after_the_close(client, coop, members):
    """A tracker proves nothing to anyone else: the published list is open to all members,
    so anyone can name any tracker as theirs."""
    motion = _secret_motion(coop)
    cast = cast_vote(motion, members["Workers"][0], choice="against")
    cast_vote(motion, members["Workers"][1], choice="for")
    close_vote(motion)
    factories.log_in(client, members["Supporters"][2].user)
    page = client.get(f"/c/{coop.slug}/votes/trackers/", {"code": cast.tracker}).content.decode()
    assert "against" in page and "not coercion-resistant" in page
    listing = client.get(f"/c/{coop.slug}/motions/{motion.pk}/").content.decode()
    assert cast.tracker in listing


def test_a_lone_voter_s_class_is_merged_in_the_result_and_the_published_list(client, coop, members):
    """Who voted is public to members; a class with one ballot would show how that member
    voted. It is merged with others (complementary suppression), in the result, on the page
    and in the file."""
    motion = _secret_motion(coop)
    for member in members["Workers"]:
        cast_vote(motion, member, choice="for")
    lone = members["Supporters"][0]
    cast_vote(motion, lone, choice="against")
    for member in members["People cared for"][:2]:
        cast_vote(motion, member, choice="for")
    motion = close_vote(motion)
    by_class = {c["name"]: c for c in motion.result["classes"]}
    assert by_class["Supporters"]["held_back"] and by_class["Supporters"]["against"] is None
    # Supporters (1 ballot) alone would be given away by the totals: the next smallest class
    # (people cared for, 2) is merged with them.
    assert by_class["People cared for"]["held_back"]
    assert not by_class["Workers"]["held_back"] and by_class["Workers"]["for"] == 4
    assert motion.result["held_back"] == {
        "classes": ["People cared for", "Supporters"],
        "for": 2,
        "against": 1,
        "abstain": 0,
    }
    factories.log_in(client, members["Workers"][0].user)
    csv = client.get(f"/c/{coop.slug}/motions/{motion.pk}/ballots.csv").content.decode()
    rows = csv.strip().splitlines()
    assert rows[0] == "tracker,choice,stakeholder_class" and len(rows) == 8
    assert not [r for r in rows if r.endswith(",against,Supporters")]
    assert sum("classes merged: People cared for, Supporters" in r for r in rows) == 3


@pytest.mark.django_db(transaction=True)
def test_deleted_ballots_are_purged_from_the_database_files(coop, members):
    """After a close, the rows deleted from the box are erased as far as the database allows
    (PostgreSQL: VACUUM FULL rewrites the ballot tables; SQLite: the WAL is emptied)."""
    motion = _secret_motion(coop)
    for member in members["Workers"]:
        cast_vote(motion, member, choice="for")
    close_vote(motion)
    assert purge_deleted_ballots()
    assert not Ballot.objects.exists() and CountedBallot.objects.count() == 4
