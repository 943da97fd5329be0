"""BLT files: reading (strictly, with line numbers) and writing (round trip)."""

import pytest

from coopcare.votecount import Ballot, Election
from coopcare.votecount.blt import BltError, format_blt, parse_blt, read_blt, write_blt

# The example of Hill, Wichmann and Woodall, "Algorithm 123", Computer Journal 30(3), 1987.
ALGORITHM_123 = """4 2
-2
3 1 3 4 0
4 1 3 2 0
2 4 1 3 0
1 2 0
2 2 4 3 1 0
1 3 4 2 0
0
"Adam"
"Basil"
"Charlotte"
"Donald"
"Title"
"""


def test_the_algorithm_123_example():
    election = parse_blt(ALGORITHM_123)
    assert election.candidates == ("Adam", "Basil", "Charlotte", "Donald")
    assert election.seats == 2
    assert election.withdrawn == frozenset({"Basil"})
    assert election.title == "Title"
    assert election.ballots[0] == Ballot(("Adam", "Charlotte", "Donald"), 3)
    assert election.ballots[3] == Ballot(("Basil",), 1)
    assert sum(b.weight for b in election.ballots) == 13


def test_comments_ids_blank_lines_skips_and_extra_quoted_lines():
    text = """# an election
3 1   # three candidates, one seat

(a1) 1 1 2 0
(a2) 1 2 - 3 0   # a skipped ranking ends the usable preferences
2 0
0
"Ann"
"Bob # not a comment"
"Cy"
"Board 2026"
"source: the returning officer"
"comment: counted twice"
"""
    election = parse_blt(text)
    assert election.candidates == ("Ann", "Bob # not a comment", "Cy")
    assert election.ballots == (
        Ballot(("Ann", "Bob # not a comment"), 1),
        Ballot(("Bob # not a comment",), 1),
        Ballot((), 2),
    )
    assert election.title == "Board 2026"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("3\n", "line 1: the first line must give the number of candidates and of seats"),
        ("3 0\n", "line 1: the number of seats must be at least 1"),
        ("x 2\n", "line 1: the first line must be whole numbers"),
        ("2 1\n-3\n0\n", "line 2: there is no candidate 3 to withdraw"),
        ("2 1\n1 1=2 0\n0\n", "line 2: equal rankings (1=2) cannot be counted"),
        ("2 1\n1 1 1 0\n0\n", "line 2: candidate 1 is ranked twice"),
        ("2 1\n1 3 0\n0\n", "line 2: there is no candidate 3"),
        ("2 1\n1 1 2\n0\n", "line 2: a ballot must be a weight, the preferences, then 0"),
        ("2 1\n1.5 1 0\n0\n", "line 2: the weight must be a whole number"),
        ("2 1\n(x) 2 1 0\n0\n", "line 2: a ballot with an id must have weight 1"),
        ("2 1\n1 1 a 0\n0\n", "line 2: a preference must be a candidate number"),
        ("2 1\n1 1 0\n", "the file ends before the 0 that closes the ballots"),
        ('2 1\n1 1 0\n0\n"A"\n', "the file ends where the name of candidate 2 should be"),
        ('2 1\n1 1 0\n0\n"A"\nB\n"T"\n', "line 5: the name of candidate 2 must be in double"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n[tie 1 2]\n', "line 6: bracketed options"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n"T"\n', "two candidates have the same name"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n1 2 0\n', "line 7: unexpected text after the title"),
    ],
)
def test_malformed_files_are_refused_with_the_line(text, message):
    with pytest.raises(BltError) as error:
        parse_blt(text, source="ward.blt")
    assert message in str(error.value)
    assert str(error.value).startswith("ward.blt")


def test_writing_then_reading_gives_the_same_election(tmp_path):
    election = Election(
        candidates=("Ann Lee", "Bo", "Cy Ó Dálaigh"),
        seats=2,
        ballots=(
            Ballot(("Cy Ó Dálaigh", "Ann Lee"), 12),
            Ballot(("Bo",), 1),
            Ballot((), 3),
            Ballot(("Ann Lee", "Bo", "Cy Ó Dálaigh"), 1),
        ),
        withdrawn=frozenset({"Bo"}),
        title="Board election 2026",
    )
    assert parse_blt(format_blt(election)) == election
    path = tmp_path / "board.blt"
    write_blt(election, path)
    assert read_blt(path) == election
    assert path.read_text(encoding="utf-8").splitlines()[:3] == ["3 2", "-2", "12 3 1 0"]


def test_the_algorithm_123_example_round_trips_byte_for_byte():
    assert format_blt(parse_blt(ALGORITHM_123)) == ALGORITHM_123


def test_names_that_cannot_be_written_are_refused():
    with pytest.raises(BltError, match="cannot contain quotes"):
        format_blt(Election(('Say "hi"',), 1, ()))


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(BltError, match="no such file"):
        read_blt(tmp_path / "absent.blt")
    latin = tmp_path / "latin.blt"
    latin.write_bytes('1 1\n1 1 0\n0\n"Zoë"\n"T"\n'.encode("latin-1"))
    with pytest.raises(BltError, match="not UTF-8"):
        read_blt(latin)
