"""Ranked elections counted by ``coopcare.votecount``: the statutes' method, reserved seats in
one count, lots drawn by the board, the stage-by-stage result and the BLT file."""

import pytest

from coopcare.cooperatives.models import Role
from coopcare.governance.models import Lot
from coopcare.governance.services.questions import call_election
from coopcare.governance.services.statutes import statutes_of
from coopcare.governance.services.voting import cast_vote, close_vote, open_vote
from coopcare.votecount.blt import parse_blt
from tests import factories
from tests.governance.conftest import online_window


@pytest.fixture
def board(coop, members):
    member = members["Workers"][0]
    factories.RoleFactory(user=member.user, cooperative=coop, role=Role.BOARD)
    return member


def _election(coop, candidates, seats=1, reserved=None, method="stv"):
    opens, closes = online_window()
    return open_vote(
        call_election(
            coop,
            title="Board",
            method=method,
            seats=seats,
            candidates=candidates,
            reserved=reserved or {},
            opens_at=opens,
            closes_at=closes,
        )
    )


def _ids(election):
    return {c.member_id: c.pk for c in election.candidates.all()}


def test_a_reserved_seat_through_the_services_counts_each_ballot_once(coop, classes, members):
    """SSI 2007/42 rules 45-52 with the reserved seat as a constraint of the one count: U1 and
    W2 reach the quota; the ballots that elected U1 are not counted again for W1."""
    u1 = members["People cared for"][0]
    w1, w2 = members["Workers"][:2]
    extra = [
        factories.admitted_member(classes["Supporters"], full_name=f"S{i}", on=u1.admitted_on)
        for i in range(14)
    ]
    election = _election(coop, [u1, w1, w2], seats=2, reserved={classes["People cared for"]: 1})
    ids = _ids(election)
    voters = [*members["Supporters"], *members["People cared for"], *extra]
    voters += members["Workers"]
    rankings = [[u1, w1]] * 10 + [[w1]] * 5 + [[w2]] * 9
    for voter, ranking in zip(voters, rankings, strict=False):
        cast_vote(election, voter, ranking=[ids[m.pk] for m in ranking])
    election = close_vote(election)
    assert election.result["elected"] == [u1.full_name, w2.full_name]
    assert election.result["count"]["method"] == "scottish"


def test_the_statutes_name_the_method_and_the_page_shows_the_stages(client, coop, members, board):
    statutes = statutes_of(coop)
    statutes.ranked_method = "meek"
    statutes.save()
    a, b, c = members["Workers"][1:4]
    election = _election(coop, [a, b, c], seats=2)
    ids = _ids(election)
    voters = [*members["Supporters"], *members["People cared for"], *members["Workers"]]
    for i, voter in enumerate(voters):
        ranking = [a, b, c] if i % 3 else [c, b]
        cast_vote(election, voter, ranking=[ids[m.pk] for m in ranking])
    election = close_vote(election)
    assert election.result["count"]["method"] == "meek"
    # Later changes to the statutes do not change how this election was counted.
    statutes.ranked_method = "scottish"
    statutes.save()
    factories.log_in(client, members["Supporters"][0].user)
    page = client.get(f"/c/{coop.slug}/elections/{election.pk}/").content.decode()
    assert "Meek STV" in page and "Local Electoral Regulations 2001" in page
    assert "The count, stage by stage" in page and "Non-transferable" in page
    assert "Quota" in page


def test_a_tie_waits_for_the_board_s_lot_then_the_count_finishes(client, coop, members, board):
    """Three candidates with one first preference each, one seat: the exclusion is left to
    lot (SSI 2007/42 Schedule 1 rule 51(2)(b)). The board records each lot drawn, with who
    and when, and the count runs again; the result says a lot decided it."""
    a, b, c = members["Supporters"]
    election = _election(coop, [a, b, c])
    ids = _ids(election)
    for voter, first in zip(members["People cared for"], [a, b, c], strict=True):
        cast_vote(election, voter, ranking=[ids[first.pk]])
    election = close_vote(election)
    assert not election.result["complete"] and election.result["elected"] == []
    url = f"/c/{coop.slug}/elections/{election.pk}/"
    factories.log_in(client, members["Workers"][3].user)  # a member, not the board
    page = client.get(url).content.decode()
    assert "The count needs a lot" in page and "Record the lot" not in page
    assert client.post(url + "lot/", {"chosen": ids[a.pk]}).status_code == 403
    factories.log_in(client, board.user)
    assert "Record the lot" in client.get(url).content.decode()
    response = client.post(url + "lot/", {"chosen": ids[a.pk]})
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.result["count"]["lot"]["among"] == [ids[b.pk], ids[c.pk]]
    refused = client.post(url + "lot/", {"chosen": ids[a.pk]})  # a is no longer tied
    assert refused.status_code == 400
    client.post(url + "lot/", {"chosen": ids[c.pk]})
    election.refresh_from_db()
    assert election.result["complete"] and election.result["elected"] == [b.full_name]
    assert "A lot drawn by the board decided" in election.result["rule"]
    lots = list(Lot.objects.filter(election=election))
    assert [lot.chosen_id for lot in lots] == [ids[a.pk], ids[c.pk]]
    assert all(lot.drawn_by == board.user and lot.drawn_at for lot in lots)
    assert lots[0].purpose == "exclude" and set(lots[0].among.all()) == set(
        election.candidates.all()
    )
    page = client.get(url).content.decode()
    assert "Lots drawn" in page and b.full_name in page


def test_members_download_the_ranked_ballots_as_blt_after_the_close(client, coop, members):
    a, b, c = members["Workers"][:3]
    election = _election(coop, [a, b, c], seats=2)
    ids = _ids(election)
    url = f"/c/{coop.slug}/elections/{election.pk}/ballots.blt"
    for voter in members["Supporters"]:
        cast_vote(election, voter, ranking=[ids[c.pk], ids[a.pk]])
    factories.log_in(client, members["People cared for"][0].user)
    assert client.get(url).status_code == 404  # not before the close
    close_vote(election)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    recount = parse_blt(response.content.decode())
    assert recount.candidates == (a.full_name, b.full_name, c.full_name)
    assert recount.seats == 2 and len(recount.ballots) == 3
    assert {ballot.ranking for ballot in recount.ballots} == {(c.full_name, a.full_name)}
    csv = client.get(f"/c/{coop.slug}/elections/{election.pk}/ballots.csv")
    assert csv.status_code == 404  # a ranked election is published as BLT


def test_governance_no_longer_uses_pyrankvote():
    from pathlib import Path

    import coopcare.governance as package

    sources = Path(package.__file__).parent.rglob("*.py")
    assert not [p for p in sources if "pyrankvote" in p.read_text(encoding="utf-8")]
