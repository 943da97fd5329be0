"""A real election: Glasgow City Council, Garscadden/Scotstounhill ward, 3 May 2007.

The ballot data (every valid paper's preferences, 10,160 papers, 10 candidates, 4 seats) were
published by Glasgow City Council after the 2007 Scottish council elections, the first counted
under the Scottish Local Government Elections Order 2007; the BLT file is the one kept in the
test data of the Droop STV package (J. Lundell, github.com/jklundell/droop,
test/blt/scotland/Garscadden-Scotsounhill-2007.blt). The councillors elected, as declared:
Liz Cameron (Labour), Paul Rooney (Labour), Jean McFadden (Labour) and Graeme Hendry (SNP)
(Wikipedia, "Garscadden/Scotstounhill (ward)", and "2007 Glasgow City Council election").

The file is looked for in ``tests/votecount/data/``, in ``shared/votecount/`` beside the
repository, and in the directory named by ``COOPCARE_VOTECOUNT_DATA``; the test is skipped
when it is in none of them.
"""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from coopcare.votecount import count
from coopcare.votecount.blt import format_blt, parse_blt, read_blt

NAME = "Garscadden-Scotstounhill-2007.blt"


def _fixture() -> Path:
    places = [
        Path(__file__).parent / "data",
        Path(__file__).resolve().parents[3] / "shared" / "votecount",
    ]
    if os.environ.get("COOPCARE_VOTECOUNT_DATA"):
        places.append(Path(os.environ["COOPCARE_VOTECOUNT_DATA"]))
    for place in places:
        if (place / NAME).exists():
            return place / NAME
    pytest.skip(f"{NAME} is in none of: {', '.join(map(str, places))}")


@pytest.fixture(scope="module")
def ward():
    return read_blt(_fixture())


def test_the_scottish_count_elects_the_declared_councillors(ward):
    result = count(ward)
    assert result.valid_votes == 10_160
    assert result.quota == 2033  # floor(10160 ÷ 5) + 1
    assert set(result.elected) == {"Liz Cameron", "Paul Rooney", "Jean McFadden", "Graeme Hendry"}
    assert result.elected == ("Liz Cameron", "Graeme Hendry", "Paul Rooney", "Jean McFadden")
    first = result.stages[0].votes
    assert (first["Liz Cameron"], first["Graeme Hendry"], first["Paul Rooney"]) == (
        2744,
        2333,
        1895,
    )


def test_every_stage_matches_an_independent_implementation(ward):
    """Droop's reference output for this ward (scotland rule, fixed point, five places) gives
    the same figures at every stage; two are checked here: the last stage's totals."""
    last = count(ward).stages[-1]
    assert last.votes["Jean McFadden"] == Decimal("2013.69510")
    assert last.non_transferable_total == Decimal("2047.27280")
    assert last.lost_total == Decimal("0.03210")


def test_meek_elects_the_same_four(ward):
    assert set(count(ward, "meek").elected) == {
        "Liz Cameron",
        "Paul Rooney",
        "Jean McFadden",
        "Graeme Hendry",
    }


def test_the_published_file_round_trips(ward):
    assert parse_blt(format_blt(ward)) == ward
