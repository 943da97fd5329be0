"""Reading and writing ballots in the BLT format.

BLT is the plain-text format of Hill, Wichmann and Woodall's "Algorithm 123" (The Computer
Journal, 1987), used by the Electoral Reform Society, OpenSTV and Droop, and by Scottish
councils publishing their ballot data::

    4 2              four candidates, two seats
    -2               optional: candidate 2 withdrew (one or more negative numbers)
    3 1 3 4 0        three papers ranking candidate 1, then 3, then 4
    4 1 3 2 0
    1 0              a paper with no preference (blank)
    0                end of the ballots
    "Adam"           one quoted name per candidate, in candidate-number order
    "Basil"
    "Charlotte"
    "Donald"
    "Title"          the election's title

Also accepted, as OpenSTV and Droop accept them: blank lines; comments from ``#`` to the end of
a line; a ballot id in brackets before a paper, ``(17) 1 2 3 0`` (its weight must then be 1;
the id is not kept); ``-`` for a skipped ranking, after which the paper's later preferences are
not used, as a break in the numbering ends a paper's usable preferences; and up to two further
quoted lines after the title (Wichmann's source and comment), which are ignored.

Refused, with the line number: equal rankings (``1=2``), which neither the Scottish nor the
Meek rules can count; weights that are not whole numbers; a candidate ranked twice; candidate
numbers out of range; bracketed options (``[tie ...]``); and anything else out of place. This
reader needs one ballot per line, which the published files follow; it lets every error name
its line.
"""

import re
from collections.abc import Callable
from pathlib import Path

from coopcare.votecount.model import Ballot, Election

_QUOTED = re.compile(r'^"([^"]*)"\s*(?:#.*)?$')
_ID = re.compile(r"^\(([^()]*)\)\s*(.*)$")


class BltError(ValueError):
    """A BLT file that cannot be read; the message names the line."""


def parse_blt(text: str, source: str = "BLT") -> Election:
    """Read a BLT text into an ``Election`` (no groups or reserved seats: BLT has none)."""
    lines = [(n, raw) for n, raw in enumerate(text.splitlines(), start=1)]
    position = 0

    def fail(number: int, message: str) -> BltError:
        return BltError(f"{source}, line {number}: {message}")

    def next_line() -> tuple[int, str] | None:
        nonlocal position
        while position < len(lines):
            number, raw = lines[position]
            position += 1
            content = raw.strip()
            if content.startswith("\ufeff"):
                content = content[1:].strip()
            if content and not content.startswith("#"):
                return number, content
        return None

    def strip_comment(content: str) -> str:
        return content.split("#", 1)[0].strip()

    def integers(number: int, content: str, what: str) -> list[int]:
        try:
            return [int(token) for token in content.split()]
        except ValueError:
            raise fail(number, f"{what} must be whole numbers, found {content!r}") from None

    header = next_line()
    if header is None:
        raise BltError(f"{source}: the file is empty")
    number, content = header
    head = integers(number, strip_comment(content), "the first line")
    if len(head) != 2:
        raise fail(number, "the first line must give the number of candidates and of seats")
    n_candidates, seats = head
    if n_candidates < 1:
        raise fail(number, "there must be at least one candidate")
    if seats < 1:
        raise fail(number, "the number of seats must be at least 1")

    withdrawn_numbers: list[int] = []
    ballots: list[tuple[int, tuple[int, ...]]] = []
    names: list[str] = []
    line = next_line()
    if line is not None and strip_comment(line[1]).startswith("-"):
        number, content = line
        values = integers(number, strip_comment(content), "withdrawn candidates")
        for value in values:
            if value >= 0:
                raise fail(number, "withdrawn candidates are written as negative numbers")
            if -value > n_candidates:
                raise fail(number, f"there is no candidate {-value} to withdraw")
        withdrawn_numbers = [-v for v in values]
        line = next_line()

    while True:
        if line is None:
            raise BltError(f"{source}: the file ends before the 0 that closes the ballots")
        number, content = line
        content = strip_comment(content)
        if content == "0":
            break
        ballots.append(_ballot(number, content, n_candidates, fail))
        line = next_line()

    for i in range(n_candidates + 1):
        line = next_line()
        what = f"the name of candidate {i + 1}" if i < n_candidates else "the title"
        if line is None:
            raise BltError(f"{source}: the file ends where {what} should be")
        number, content = line
        match = _QUOTED.match(content)
        if match is None:
            if content.startswith("["):
                raise fail(number, "bracketed options such as [tie ...] are not supported")
            raise fail(number, f"{what} must be in double quotes, found {content!r}")
        names.append(match.group(1))
    title = names.pop()
    if len(set(names)) != len(names):
        raise BltError(f"{source}: two candidates have the same name")
    if any(not name.strip() for name in names):
        raise BltError(f"{source}: a candidate's name is empty")
    extra = 0
    while (line := next_line()) is not None:
        number, content = line
        if _QUOTED.match(content) is None or extra == 2:
            raise fail(number, f"unexpected text after the title: {content!r}")
        extra += 1

    return Election(
        candidates=tuple(names),
        seats=seats,
        ballots=tuple(
            Ballot(tuple(names[i - 1] for i in ranking), weight) for weight, ranking in ballots
        ),
        withdrawn=frozenset(names[i - 1] for i in withdrawn_numbers),
        title=title,
    )


def _ballot(
    number: int, content: str, n_candidates: int, fail: Callable[[int, str], BltError]
) -> tuple[int, tuple[int, ...]]:
    """One ballot line: its weight and the candidate numbers it ranks, in order."""
    has_id = False
    match = _ID.match(content)
    if match is not None:
        has_id = True
        content = match.group(2)
    tokens = content.split()
    if len(tokens) < 2 or tokens[-1] != "0":
        raise fail(number, "a ballot must be a weight, the preferences, then 0")
    weight_text, *marks, _ = tokens
    if not weight_text.isdigit():
        raise fail(number, f"the weight must be a whole number, found {weight_text!r}")
    weight = int(weight_text)
    if weight < 1:
        raise fail(number, "the weight of a ballot must be at least 1")
    if has_id and weight != 1:
        raise fail(number, "a ballot with an id must have weight 1")
    ranking: list[int] = []
    skipped = False
    for mark in marks:
        if "=" in mark:
            raise fail(
                number,
                f"equal rankings ({mark}) cannot be counted by the Scottish or Meek rules",
            )
        if mark == "-":
            skipped = True
            continue
        if not mark.isdigit():
            raise fail(number, f"a preference must be a candidate number, found {mark!r}")
        candidate = int(mark)
        if not 1 <= candidate <= n_candidates:
            raise fail(number, f"there is no candidate {candidate}")
        if candidate in ranking:
            raise fail(number, f"candidate {candidate} is ranked twice")
        if not skipped:
            ranking.append(candidate)
    return weight, tuple(ranking)


def read_blt(path: str | Path) -> Election:
    """Read a BLT file (UTF-8, with or without a byte-order mark)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BltError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise BltError(f"{path}: the file is not UTF-8 text") from None
    except OSError as error:
        raise BltError(f"{path}: {error.strerror or error}") from None
    return parse_blt(text, source=str(path))


def format_blt(election: Election) -> str:
    """The election as BLT text; ``parse_blt(format_blt(e))`` gives back ``e``'s candidates,
    seats, withdrawn candidates, ballots (in order) and title. Groups and reserved seats are
    not part of the format and are left out."""
    number = {name: i for i, name in enumerate(election.candidates, start=1)}
    for text in (*election.candidates, election.title):
        if '"' in text or "\n" in text or "\r" in text:
            raise BltError(f"a name or title cannot contain quotes or line breaks: {text!r}")
    lines = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        lines.append(
            " ".join(f"-{number[c]}" for c in election.candidates if c in election.withdrawn)
        )
    for ballot in election.ballots:
        try:
            marks = [str(number[c]) for c in ballot.ranking]
        except KeyError as missing:
            raise BltError(
                f"a ballot ranks someone who does not stand: {missing.args[0]}"
            ) from None
        lines.append(" ".join([str(ballot.weight), *marks, "0"]))
    lines.append("0")
    lines.extend(f'"{name}"' for name in election.candidates)
    lines.append(f'"{election.title}"')
    return "\n".join(lines) + "\n"


def write_blt(election: Election, path: str | Path) -> None:
    """Write the election to ``path`` as a BLT file (UTF-8)."""
    Path(path).write_text(format_blt(election), encoding="utf-8")
