"""Secret ballots: who voted and what was voted share no key that could join them.

Source: DESIGN.md rules (secret ballots: who voted is recorded apart from what was voted;
nobody, admins included, can link the two; each voter gets a receipt).
"""

from django.db import models

from coopcare.governance import services
from coopcare.governance.models import Ballot, VoterRoll
from coopcare.members.models import Member
from tests.governance.conftest import online_window

# The only columns a ballot and a roll entry have in common: the question they belong to
# (shared by every voter of it) and, on open votes only, the named choice.
QUESTION = {"motion", "election"}
NAMED_ONLY = {"choice", "ranking"}


def _columns(model) -> dict[str, models.Field]:
    return {f.name: f for f in model._meta.concrete_fields}


def test_a_ballot_has_no_column_that_leads_to_a_member_a_user_or_a_time():
    fields = _columns(Ballot)
    assert set(fields) == {
        "id",
        "motion",
        "election",
        "stakeholder_class",
        "choice",
        "ranking",
        "receipt",
    }
    related = {name: f.related_model for name, f in fields.items() if f.is_relation}
    assert Member not in related.values()
    assert all(model._meta.app_label != "auth" for model in related.values())
    assert not [
        f for f in fields.values() if isinstance(f, (models.DateField, models.DateTimeField))
    ]
    # A random id, not a sequence number that follows the order of voting.
    assert isinstance(fields["id"], models.UUIDField)
    assert Ballot._meta.ordering == ["receipt"]


def test_the_roll_and_the_ballots_share_only_the_question():
    roll, ballot = _columns(VoterRoll), _columns(Ballot)
    shared = set(roll) & set(ballot)
    assert shared - NAMED_ONLY - {"id"} == QUESTION
    # Both have an "id", of different kinds: a number on the roll, a random UUID on a ballot.
    assert type(roll["id"]) is not type(ballot["id"])
    assert not any(f.is_relation and f.related_model is Ballot for f in roll.values())
    assert "receipt" not in roll


def test_on_a_secret_ballot_the_only_join_pairs_every_voter_with_every_ballot(coop, members):
    opens, closes = online_window()
    motion = services.propose_motion(
        coop, title="X", text="X", secret=True, opens_at=opens, closes_at=closes
    )
    services.open_vote(motion)
    voters = members["Workers"][:3]
    for voter, choice in zip(voters, ["for", "against", "abstain"], strict=True):
        services.cast_vote(motion, voter, choice=choice)
    # Join on every column the two tables share: each voter matches all three ballots, or none.
    for entry in VoterRoll.objects.filter(motion=motion):
        same_question = Ballot.objects.filter(motion=entry.motion_id)
        assert same_question.count() == 3
        assert not same_question.filter(choice=entry.choice).exists()  # the roll names no choice
