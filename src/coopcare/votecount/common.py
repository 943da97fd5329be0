"""What both counting methods share: checking the election, lots, ties and the stage sheet.

Votes are kept as integers in units of the smallest amount the rules count (10⁻⁵ of a vote for
Scottish STV, 10⁻⁹ for Meek STV), so every sum and comparison is exact.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcare.votecount.model import (
    LOT_PURPOSES,
    CountError,
    Election,
    LotDrawn,
    LotNeeded,
    Stage,
)
from coopcare.votecount.reserved import Reservations


@dataclass(frozen=True)
class Prepared:
    """An election checked and reduced to what the count needs: the candidates who stand (in
    ballot-paper order) and, per distinct ranking, how many valid papers carry it."""

    candidates: tuple[str, ...]
    seats: int
    papers: tuple[tuple[int, tuple[str, ...]], ...]  # (weight, ranking without withdrawn)
    valid_votes: int
    reservations: Reservations
    title: str


def prepare(election: Election) -> Prepared:
    """Check the election and drop what does not count.

    A withdrawn candidate is skipped on every ballot (as if their name were not printed).
    A ballot left with no preference for a standing candidate is not a valid vote: it does not
    count towards the quota (Scottish Order rule 45(3) counts *valid* papers; NZ Schedule 1A
    clause 5 likewise uses valid voting documents).
    """
    names = list(election.candidates)
    if len(set(names)) != len(names):
        raise CountError("two candidates have the same name")
    if any(not n or not n.strip() for n in names):
        raise CountError("a candidate has no name")
    unknown_withdrawn = sorted(set(election.withdrawn) - set(names))
    if unknown_withdrawn:
        raise CountError(f"withdrawn candidates do not stand: {', '.join(unknown_withdrawn)}")
    standing = tuple(n for n in names if n not in election.withdrawn)
    if not isinstance(election.seats, int) or election.seats < 1:
        raise CountError("the number of seats must be at least 1")
    if election.seats > len(standing):
        raise CountError(
            f"{election.seats} seats are to be filled but only {len(standing)} candidates stand"
        )
    known = set(names)
    merged: dict[tuple[str, ...], int] = {}
    for ballot in election.ballots:
        if not isinstance(ballot.weight, int) or ballot.weight < 1:
            raise CountError("every ballot must have a whole, positive weight")
        if len(set(ballot.ranking)) != len(ballot.ranking):
            raise CountError(f"a ballot ranks a candidate twice: {' > '.join(ballot.ranking)}")
        strangers = [c for c in ballot.ranking if c not in known]
        if strangers:
            raise CountError(f"a ballot ranks someone who does not stand: {strangers[0]}")
        ranking = tuple(c for c in ballot.ranking if c not in election.withdrawn)
        if ranking:
            merged[ranking] = merged.get(ranking, 0) + ballot.weight
    reservations = Reservations(
        {c: g for c, g in election.groups.items() if c not in election.withdrawn},
        election.reserved,
    )
    unknown_grouped = sorted(set(election.groups) - known)
    if unknown_grouped:
        raise CountError(f"groups name candidates who do not stand: {', '.join(unknown_grouped)}")
    reservations.check(standing, election.seats)
    papers = tuple((w, r) for r, w in merged.items())
    return Prepared(
        candidates=standing,
        seats=election.seats,
        papers=papers,
        valid_votes=sum(w for w, _ in papers),
        reservations=reservations,
        title=election.title,
    )


class NeedLot(Exception):
    """Raised inside a count when the rules end in a lot not yet drawn (a signal that stops
    the count, not an error)."""

    def __init__(self, needed: LotNeeded):
        super().__init__(needed)
        self.needed = needed


class Lots:
    """The lots already drawn, handed out in the order the count asks for them.

    Each lot drawn is the name of the candidate it picked. When the count needs one more lot
    than was given, it raises ``NeedLot`` so the caller can stop, have the lot drawn and
    recount. A drawn name that is not among the tied candidates is an error: the lots belong
    to a different count.
    """

    def __init__(self, drawn: Sequence[str]):
        self.drawn = list(drawn)
        self.used: list[LotDrawn] = []

    def draw(self, purpose: str, among: Sequence[str], stage: int, rule: str) -> LotDrawn:
        if purpose not in LOT_PURPOSES:  # a programming error in a counting method
            raise ValueError(f"unknown purpose of a lot: {purpose!r}")
        number = len(self.used) + 1
        if number > len(self.drawn):
            raise NeedLot(LotNeeded(number, purpose, tuple(among), stage, rule))
        chosen = self.drawn[number - 1]
        if chosen not in among:
            raise CountError(
                f"lot {number} names {chosen}, but the tie at stage {stage} is among "
                f"{', '.join(among)}"
            )
        lot = LotDrawn(number, purpose, tuple(among), chosen, stage)
        self.used.append(lot)
        return lot

    def check_all_used(self) -> None:
        if len(self.drawn) > len(self.used):
            raise CountError(
                f"the count needed {len(self.used)} lot(s) but {len(self.drawn)} were given"
            )


def look_back(
    tied: Sequence[str],
    history: Sequence[Mapping[str, int]],
    highest: bool,
    most_recent_first: bool,
    stop_at_first_difference: bool = False,
) -> list[str]:
    """Narrow a tie by the votes the tied candidates had at earlier stages.

    ``history`` holds each earlier stage's votes, oldest first. Going back from the most recent
    stage (Scottish rules 49(2) and 51(2)(a)) or forward from the first (NZ clause 40, "ahead
    at first difference"), the first stage at which the tied candidates' votes differ keeps
    only those with the most (``highest``) or fewest votes there. Where that still leaves more
    than one, the Scottish rules are silent; the search goes on among those left, as the
    words "the most recent preceding stage at which they had unequal numbers" apply to them
    in turn. The NZ clause stops at the first difference (``stop_at_first_difference``).
    """
    tied = list(tied)
    stages = reversed(history) if most_recent_first else iter(history)
    for votes in stages:
        if len(tied) == 1:
            break
        values = {c: votes.get(c, 0) for c in tied}
        if len(set(values.values())) == 1:
            continue
        best = max(values.values()) if highest else min(values.values())
        tied = [c for c in tied if values[c] == best]
        if stop_at_first_difference:
            break
    return tied


def decimal(units: int, places: int) -> Decimal:
    """``units`` of 10^-places as an exact ``Decimal`` with exactly ``places`` places."""
    return Decimal(units).scaleb(-places)


def ordered(candidates: Sequence[str], among: set[str] | list[str]) -> list[str]:
    """``among`` in ballot-paper order (the order used when listing a tie)."""
    wanted = set(among)
    return [c for c in candidates if c in wanted]


def stage_sheet(
    *,
    number: int,
    action: str,
    subject: Sequence[str],
    description: str,
    candidates: Sequence[str],
    votes: Mapping[str, int],
    before: Mapping[str, int],
    non_transferable: int,
    non_transferable_total: int,
    lost: int,
    lost_total: int,
    quota: int,
    places: int,
    elected: Sequence[str] = (),
    excluded: Sequence[str] = (),
    keep_values: Mapping[str, int] | None = None,
    iterations: int = 0,
    lots: Sequence[LotDrawn] = (),
) -> Stage:
    """Build a ``Stage`` from integer units."""

    def dec(x: int) -> Decimal:
        return decimal(x, places)

    return Stage(
        number=number,
        action=action,
        subject=tuple(subject),
        description=description,
        votes={c: dec(votes.get(c, 0)) for c in candidates},
        transfers={c: dec(votes.get(c, 0) - before.get(c, 0)) for c in candidates},
        non_transferable=dec(non_transferable),
        non_transferable_total=dec(non_transferable_total),
        lost=dec(lost),
        lost_total=dec(lost_total),
        quota=dec(quota),
        elected=tuple(elected),
        excluded=tuple(excluded),
        keep_values=None if keep_values is None else {c: dec(keep_values[c]) for c in candidates},
        iterations=iterations,
        lots=tuple(lots),
    )


def names_list(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
