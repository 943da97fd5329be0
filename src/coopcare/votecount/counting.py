"""The frame of a count, which both counting methods build on.

``Count`` runs a count and makes its result, breaks ties, elects the candidates who reach the
quota in order of votes and finds who may be excluded; a subclass for each method gives what
its rules say (see ``Count``). Votes are whole numbers of units, as in ``common``.
"""

from collections.abc import Mapping
from typing import NamedTuple

from coopcare.votecount.common import Lots, NeedLot, Prepared, decimal, names_list, ordered
from coopcare.votecount.model import (
    ELECT,
    EXCLUDE,
    CountError,
    LotDrawn,
    LotNeeded,
    Result,
    Stage,
)


class TieBreak(NamedTuple):
    """How a method breaks one kind of tie (see ``LOT_PURPOSES``) when the votes now are
    equal, and what the stage says of it. In the notes ``{chosen}`` stands for the one picked,
    ``{others}`` for the rest of the tie and ``{among}`` for those the lot was drawn among."""

    lot_rule: str  # the rule under which a lot decides when the earlier votes do not
    by_votes: str  # the note when the votes at an earlier stage decide
    by_lot: str  # the note when a lot decides


class Count:
    """One count of one election, by the method a subclass implements.

    The subclass names its method in ``method``, ``method_name``, ``source`` and ``places``
    (as ``Result`` reports them; votes are kept in units of 10^-``places``), says how it breaks
    each kind of tie (``ties``) and what a stage says of a candidate who reaches the quota
    (``elected_note``, ``barred_note``), and gives the count itself (``_count``), who reaches
    the quota (``_reaching_quota``), how a tie looks back at earlier votes (``_look_back``),
    how a candidate is elected (``_elect``) and the quota the result reports
    (``_result_quota``).
    """

    method: str
    method_name: str
    source: str
    places: int
    ties: Mapping[str, TieBreak]  # by the purpose of the lot that would break the tie
    elected_note: str  # said after the name of a candidate elected with the quota
    barred_note: str  # said after the name of one who reaches it but cannot take a seat

    def __init__(self, prepared: Prepared, lots: Lots):
        self.p = prepared
        self.lots = lots
        self.seats = prepared.seats
        self.votes: dict[str, int] = {c: 0 for c in prepared.candidates}
        self.elected: list[str] = []
        self.excluded: list[str] = []
        self.stages: list[Stage] = []

    def run(self) -> Result:
        try:
            self._count()
            self.lots.check_all_used()
            return self._result(None)
        except NeedLot as stop:
            return self._result(stop.needed)

    # -- what each method gives ------------------------------------------------------------

    def _count(self) -> None:
        """Count to the end, or until a lot not yet drawn is needed (``NeedLot``)."""
        raise NotImplementedError

    def _reaching_quota(self) -> list[str]:
        """The candidates still in the count whose votes reach the quota."""
        raise NotImplementedError

    def _look_back(self, tied: list[str], highest: bool) -> list[str]:
        """Narrow a tie by earlier votes, as the method's rules say (see ``look_back``)."""
        raise NotImplementedError

    def _elect(self, candidate: str, elected_now: list[str]) -> None:
        """Elect ``candidate`` (and add them to ``elected_now``)."""
        raise NotImplementedError

    def _result_quota(self) -> int:
        """The quota the result reports, in units."""
        raise NotImplementedError

    # -- what both methods do alike --------------------------------------------------------

    def _break_tie(
        self, tied: list[str], purpose: str, number: int, lots: list[LotDrawn]
    ) -> tuple[str, str]:
        """The one of ``tied`` the rules pick for ``purpose``, and what the stage says of it.

        With no tie there is nothing to say. Else the votes at earlier stages decide
        (``_look_back``: for an exclusion the fewest votes, else the most), else the next lot,
        drawn at stage ``number`` and added to ``lots``; see ``ties`` for the rule and notes.
        """
        if len(tied) == 1:
            return tied[0], ""
        tie = self.ties[purpose]
        narrowed = self._look_back(tied, highest=purpose != EXCLUDE)
        if len(narrowed) == 1:
            chosen, note = narrowed[0], tie.by_votes
        else:
            lot = self.lots.draw(purpose, narrowed, number, tie.lot_rule)
            lots.append(lot)
            chosen, note = lot.chosen, tie.by_lot
        others = names_list([c for c in tied if c != chosen])
        return chosen, note.format(chosen=chosen, others=others, among=names_list(narrowed))

    def _elect_reaching_quota(
        self, number: int, elected_now: list[str], notes: list[str], lots: list[LotDrawn]
    ) -> None:
        """Elect those who reach the quota (``_reaching_quota``) in order of votes, while seats
        are left. The order only decides anything when seats are reserved (``reserved``);
        then a tie is broken as ``ties[ELECT]`` says. With reserved seats, a candidate who
        reaches the quota when the seats left are all owed to groups is not elected."""
        reaching = self._reaching_quota()
        if not reaching:
            return
        matters = self.p.reservations.order_matters(self.elected, reaching, self.seats)
        while reaching and len(self.elected) < self.seats:
            top = max(self.votes[c] for c in reaching)
            tied = [c for c in ordered(self.p.candidates, reaching) if self.votes[c] == top]
            candidate = tied[0]
            if matters:
                candidate, note = self._break_tie(tied, ELECT, number, lots)
                if note:
                    notes.append(note)
            reaching.remove(candidate)
            if self.p.reservations.would_be_doomed(candidate, self.elected, self.seats):
                notes.append(f"{candidate} {self.barred_note}")
                continue
            self._elect(candidate, elected_now)
            notes.append(f"{candidate} {self.elected_note}")

    def _elect_all(self, candidates: list[str], elected_now: list[str]) -> list[str]:
        """Elect all of ``candidates``, most votes first (there are seats left for them all);
        return them in that order."""
        in_order = sorted(candidates, key=lambda c: -self.votes[c])
        for c in in_order:
            self._elect(c, elected_now)
        return in_order

    def _fewest(self, running: list[str]) -> tuple[int, list[str], str]:
        """Who may be excluded among ``running``, the candidates still in the count: all but
        those a group still needs for its reserved seats (``reserved``). Returns the fewest
        votes any of them has, those who have it (in ballot-paper order), and a note naming
        the ones kept for their group (empty if none)."""
        guarded = self.p.reservations.guarded(self.elected, running)
        eligible = [c for c in running if c not in guarded]
        if not eligible:  # pragma: no cover - the count ends first (Scottish rule 52, NZ clause 3)
            raise CountError("no candidate can be excluded; the reserved seats cannot be met")
        lowest = min(self.votes[c] for c in eligible)
        tied = [c for c in ordered(self.p.candidates, eligible) if self.votes[c] == lowest]
        note = ""
        if guarded:
            note = (
                f" {names_list(ordered(self.p.candidates, guarded))} cannot be excluded: "
                "their group still needs them for its reserved seats."
            )
        return lowest, tied, note

    def _fmt(self, units: int) -> str:
        """``units`` written out in full, e.g. "12.50000"."""
        return format(decimal(units, self.places), "f")

    def _result(self, needed: LotNeeded | None) -> Result:
        return Result(
            method=self.method,
            method_name=self.method_name,
            source=self.source,
            title=self.p.title,
            seats=self.seats,
            candidates=self.p.candidates,
            valid_votes=self.p.valid_votes,
            quota=decimal(self._result_quota(), self.places),
            places=self.places,
            elected=tuple(self.elected),
            excluded=tuple(self.excluded),
            stages=tuple(self.stages),
            lots_used=tuple(self.lots.used),
            lot_needed=needed,
            reserved=dict(self.p.reservations.minimum),
            groups=dict(self.p.reservations.group_of),
        )
