"""The vocabulary of a count: an election in, a result out.

Everything here is a plain, immutable value. Vote totals are ``Decimal`` numbers holding the
exact fixed-point value the rules work in (five places for Scottish STV, nine for Meek STV):
the counts never use floats, so a recount on any machine gives the same figures, digit for
digit.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

SCOTTISH = "scottish"
MEEK = "meek"
METHODS = (SCOTTISH, MEEK)

# What a lot decides; the name drawn is always the candidate the lot picks *for* that purpose.
EXCLUDE = "exclude"  # the candidate drawn is excluded
SURPLUS = "surplus"  # the candidate drawn has their surplus transferred first
ELECT = "elect"  # the candidate drawn is elected before the others tied with them
LOT_PURPOSES = (EXCLUDE, SURPLUS, ELECT)


class CountError(ValueError):
    """The election cannot be counted as given (bad seats, unknown candidate, a lot that does
    not match the tie, ...). The message is one plain sentence."""


@dataclass(frozen=True)
class Ballot:
    """One ranked ballot paper (or ``weight`` identical ones): candidate names, most preferred
    first. An empty ranking is a blank paper; it is not a valid vote."""

    ranking: tuple[str, ...]
    weight: int = 1


@dataclass(frozen=True)
class Election:
    """What is counted: the candidates in ballot-paper order, the seats, and the ballots.

    ``withdrawn`` candidates are skipped wherever a ballot ranks them, as if they were not on
    the paper. ``groups`` puts candidates in groups (e.g. stakeholder classes) and ``reserved``
    gives the fewest seats a group must get; see ``coopcare.votecount.reserved``.
    """

    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    withdrawn: frozenset[str] = frozenset()
    title: str = ""
    groups: Mapping[str, str] = field(default_factory=dict)  # candidate -> group
    reserved: Mapping[str, int] = field(default_factory=dict)  # group -> fewest seats


@dataclass(frozen=True)
class LotDrawn:
    """A lot that was drawn and used: at ``stage``, among ``among`` (all equal on every rule
    before the lot), the lot picked ``chosen`` for ``purpose`` (see ``LOT_PURPOSES``)."""

    number: int  # 1 for the first lot of the count, 2 for the second, ...
    purpose: str
    among: tuple[str, ...]
    chosen: str
    stage: int


@dataclass(frozen=True)
class LotNeeded:
    """The rules end in a lot that has not been drawn yet: the count stops here. Draw one of
    ``among`` for ``purpose``, record it, and count again with it added to the lots."""

    number: int
    purpose: str
    among: tuple[str, ...]
    stage: int
    rule: str  # the rule that ends in the lot, e.g. "rule 51(2)(b)"


@dataclass(frozen=True)
class Stage:
    """One stage of the count, as a returning officer's result sheet shows it.

    ``votes`` are each candidate's votes at the end of the stage (elected candidates keep the
    quota once their surplus has gone; excluded candidates show 0). ``transfers`` are the votes
    each candidate gained (or, negative, lost) in this stage. ``non_transferable`` is the value
    of papers that had no further preference this stage; ``lost`` is the value that no paper
    carried because the rules cut transfer values to a fixed number of places.
    """

    number: int
    action: str  # "first count", "surplus", "exclusion", "deemed excluded", "iteration"
    subject: tuple[str, ...]  # whose surplus is transferred / who is excluded
    description: str
    votes: Mapping[str, Decimal]
    transfers: Mapping[str, Decimal]
    non_transferable: Decimal
    non_transferable_total: Decimal
    lost: Decimal
    lost_total: Decimal
    quota: Decimal
    elected: tuple[str, ...] = ()  # elected at the end of this stage, in order
    excluded: tuple[str, ...] = ()  # excluded in this stage (including deemed excluded)
    keep_values: Mapping[str, Decimal] | None = None  # Meek only
    iterations: int = 0  # Meek only: iterations since the previous stage
    lots: tuple[LotDrawn, ...] = ()  # lots that decided something in this stage


@dataclass(frozen=True)
class Result:
    """The outcome of a count, complete or stopped at a lot that is still to be drawn."""

    method: str
    method_name: str
    source: str  # the rules followed, with their citation
    title: str
    seats: int
    candidates: tuple[str, ...]
    valid_votes: int
    quota: Decimal  # the quota of the first stage (Meek recomputes it; see each stage)
    places: int  # decimal places the rules count in
    elected: tuple[str, ...]  # in order of election
    excluded: tuple[str, ...]  # in order of exclusion
    stages: tuple[Stage, ...]
    lots_used: tuple[LotDrawn, ...] = ()
    lot_needed: LotNeeded | None = None
    reserved: Mapping[str, int] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """True unless the count stopped because a lot has to be drawn."""
        return self.lot_needed is None

    @property
    def decided_by_lot(self) -> bool:
        """True when at least one lot decided something in this count."""
        return bool(self.lots_used)

    def as_json(self) -> dict[str, object]:
        """The result as plain JSON data.

        Numbers of votes are strings holding the exact decimal value in the places the rules
        count in (``"2164.00000"`` for Scottish STV, nine places for Meek STV): they are exact,
        never rounded for display, and never floats. ``lot`` is ``null`` when no lot was drawn
        or needed; otherwise it lists the lots drawn and, if the count stopped, what is needed.
        """
        lot = None
        if self.lot_needed is not None or self.lots_used:
            lot = {
                "needed": self.lot_needed is not None,
                "drawn": [_lot(x) for x in self.lots_used],
            }
            if self.lot_needed is not None:
                needed = self.lot_needed
                lot.update(
                    number=needed.number,
                    purpose=needed.purpose,
                    among=list(needed.among),
                    stage=needed.stage,
                    rule=needed.rule,
                )
        return {
            "title": self.title,
            "method": self.method,
            "method_name": self.method_name,
            "source": self.source,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "valid_votes": self.valid_votes,
            "quota": _text(self.quota),
            "complete": self.complete,
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "reserved": dict(self.reserved),
            "groups": dict(self.groups),
            "stages": [_stage(s) for s in self.stages],
            "lot": lot,
        }


def _lot(lot: LotDrawn) -> dict[str, object]:
    return {
        "number": lot.number,
        "purpose": lot.purpose,
        "among": list(lot.among),
        "chosen": lot.chosen,
        "stage": lot.stage,
    }


def _numbers(values: Mapping[str, Decimal]) -> dict[str, str]:
    return {name: _text(value) for name, value in values.items()}


def _text(value: Decimal) -> str:
    """A vote total as plain digits ("0.00000", never "0E-5")."""
    return format(value, "f")


def _stage(stage: Stage) -> dict[str, object]:
    data = {
        "number": stage.number,
        "action": stage.action,
        "subject": list(stage.subject),
        "description": stage.description,
        "quota": _text(stage.quota),
        "votes": _numbers(stage.votes),
        "transfers": _numbers(stage.transfers),
        "non_transferable": _text(stage.non_transferable),
        "non_transferable_total": _text(stage.non_transferable_total),
        "lost": _text(stage.lost),
        "lost_total": _text(stage.lost_total),
        "elected": list(stage.elected),
        "excluded": list(stage.excluded),
        "lots": [_lot(x) for x in stage.lots],
    }
    if stage.keep_values is not None:
        data["keep_values"] = _numbers(stage.keep_values)
        data["iterations"] = stage.iterations
    return data
