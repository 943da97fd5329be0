"""Meek STV as New Zealand counts it.

Source: Local Electoral Regulations 2001 (SR 2001/145), Schedule 1A, "New Zealand method of
counting single transferable votes", https://www.legislation.govt.nz/regulation/public/2001/0145/
latest/DLM57125.html, which puts into regulation the algorithm of I. D. Hill, B. A. Wichmann
and D. R. Woodall, "Algorithm 123 — Single Transferable Vote by Meek's method", *The Computer
Journal* 30(3), 1987. In short:

* every candidate has a *keep value*: 1 while hopeful, 0 once excluded, and, once successful,
  the share of each vote reaching them that they keep (clauses 7–9: kv × quota ÷ votes);
* each ballot gives each candidate it reaches, in order, its remaining value × their keep
  value, and passes the rest on; what is left after the last preference is non-transferable
  (clause 10);
* the quota is recomputed every iteration from the votes that are not non-transferable:
  q = (v − vnt) ÷ (n + 1) + 0.000 000 001, truncated to nine places (clauses 5 and 11);
* hopeful candidates at or above the quota become successful (clauses 6 and 12);
* the lowest hopeful candidate is excluded when their votes plus the total surplus are less
  than any other hopeful candidate's votes, or when the total surplus is below 0.0001
  (clause 13); a tie for lowest is broken by the "ahead at first difference" method
  (clauses 19 and 40: the one not ahead at the earliest iteration at which they differed);
* counting ends when the seats are filled, or when the successful and hopeful candidates are
  as many as the seats, who are then all successful (clause 3).

Arithmetic: all values are whole numbers of 10⁻⁹ votes, as the schedule counts in nine decimal
places. Keep values are rounded up to nine places (clause 9), and so is each share a ballot
gives a candidate (clause 10). The share passed on is what remains of the ballot after that
share, so no ballot ever counts for more than one vote; this is how Hill computed clause 10
(the wording of the clause would also round the remainder up, which can make a ballot count
for more than one vote and more candidates than seats reach the quota).

Where this implementation departs from the schedule, and why:

* a tie that the AAFD method does not settle is decided by a lot drawn and recorded by the
  cooperative, passed in like every other lot, instead of the schedule's pseudo-random number
  generator (Part 5); a cooperative's statutes decide ties by lot, and a drawn lot can be
  witnessed where a generator's seed cannot;
* if an iteration changes no keep value and no vote (the rounding has reached a fixed point),
  the count is treated as converged and clause 13's exclusion applies, so the count always
  ends;
* a stage is recorded for the first count and for every iteration at which a candidate is
  elected or excluded; the iterations in between are counted, not listed.
"""

from collections.abc import Sequence

from coopcare.votecount.common import (
    Lots,
    NeedLot,
    Prepared,
    look_back,
    names_list,
    ordered,
    prepare,
    stage_sheet,
)
from coopcare.votecount.counting import Count, TieBreak
from coopcare.votecount.model import (
    ELECT,
    EXCLUDE,
    MEEK,
    CountError,
    Election,
    LotDrawn,
    Result,
)

PLACES = 9
ONE: int = 10**PLACES  # one vote (and a keep value of 1), in units of 10^-9
SURPLUS_LIMIT = 10**5  # 0.0001 in units (clause 13)
MAX_ITERATIONS = 1_000_000  # a safety net far above any real count
NAME = "Meek STV (New Zealand rules)"
SOURCE = (
    "Local Electoral Regulations 2001 (New Zealand, SR 2001/145), Schedule 1A: Meek's method "
    "(Hill, Wichmann and Woodall, Algorithm 123, Computer Journal 1987) with nine decimal "
    "places, keep values rounded up, the quota recomputed each iteration, and ties broken by "
    "the ahead-at-first-difference method, then by lot."
)


def count_meek(election: Election, lots: Sequence[str] = ()) -> Result:
    """Count ``election`` by Meek's method under the New Zealand rules (see the module
    docstring). ``lots`` are handled as in ``count_scottish``."""
    return _MeekCount(prepare(election), Lots(lots)).run()


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class _MeekCount(Count):
    method = MEEK
    method_name = NAME
    source = SOURCE
    places = PLACES
    # Clauses 19 and 40: a tie is broken by the "ahead at first difference" method, else (in
    # place of the schedule's pseudo-random numbers) by lot; the order of candidates reaching
    # the quota together, where it matters, is decided likewise.
    ties = {
        EXCLUDE: TieBreak(
            "clause 19, a lot in place of the PRN",
            by_votes=(
                " Tied with {others}; not ahead at the first iteration at which they differed "
                "(clauses 19 and 40)."
            ),
            by_lot=" Equal at every iteration; excluded by lot.",
        ),
        ELECT: TieBreak(
            "clause 19, by analogy",
            by_votes="",
            by_lot="{chosen} is taken first among {among} by lot.",
        ),
    }
    # Clauses 6 and 12; with reserved seats a candidate reaching the quota when the seats left
    # are all owed to groups is deemed excluded (``reserved``).
    elected_note = "elected: their votes reached the quota (clauses 6 and 12)."
    barred_note = "reached the quota but cannot be elected: the seats left are reserved."

    def __init__(self, prepared: Prepared, lots: Lots):
        super().__init__(prepared, lots)
        self.keep = {c: ONE for c in prepared.candidates}
        self.vnt = 0
        self.quota = prepared.valid_votes * ONE // (self.seats + 1) + 1  # clause 5, vnt = 0
        self.first_quota = self.quota
        self.hopeful: list[str] = list(prepared.candidates)
        self.history: list[dict[str, int]] = []  # votes at every iteration, for AAFD
        self.stage_votes: dict[str, int] = {}
        self.stage_vnt = 0
        self.iterations = 0

    def _count(self) -> None:
        first = True
        previous: tuple[dict[str, int], dict[str, int]] | None = None
        while True:
            self.iterations += 1
            if self.iterations > MAX_ITERATIONS:  # pragma: no cover - see the module docstring
                raise CountError("the Meek iteration did not converge")
            self._iterate(first)
            number = len(self.stages) + 1
            lots: list[LotDrawn] = []
            notes: list[str] = []
            elected_now: list[str] = []
            excluded_now: list[str] = []
            action = "first count" if first else "iteration"
            try:
                self._elect_reaching_quota(number, elected_now, notes, lots)
                doomed = self.p.reservations.doomed(self.elected, self.hopeful, self.seats)
                if doomed:
                    doomed = ordered(self.p.candidates, doomed)
                    owed = self.p.reservations.owed(self.elected)
                    for c in doomed:
                        self._exclude(c, excluded_now)
                    notes.append(
                        f"{names_list(doomed)} deemed excluded: the seats left are reserved for "
                        f"{names_list(sorted(owed))} (reserved seats)."
                    )
                    action = "deemed excluded"
                finished = self._finished(elected_now, notes)
                state = (dict(self.keep), dict(self.votes))
                if not finished and not doomed:
                    stalled = previous is not None and previous == state
                    if self._clause_13(number, stalled, excluded_now, notes, lots):
                        action = "exclusion"
                previous = state
            except NeedLot:
                self._record(action, first, elected_now, excluded_now, notes, lots)
                raise
            if first or elected_now or excluded_now or finished:
                if action == "iteration":
                    action = "elected"
                self._record(action, first, elected_now, excluded_now, notes, lots)
            if finished:
                return
            first = False

    def _iterate(self, first: bool) -> None:
        """One iteration: keep values (clauses 7–9), votes (clause 10), quota (clause 11)."""
        if not first:
            for c in self.elected:
                if self.votes[c] > 0:
                    # Clause 9: kv × q ÷ v, rounded up to nine places (never above 1).
                    self.keep[c] = min(ONE, _ceil_div(self.keep[c] * self.quota, self.votes[c]))
        votes = {c: 0 for c in self.p.candidates}
        vnt = 0
        for weight, ranking in self.p.papers:
            remaining = ONE
            for c in ranking:
                keep = self.keep[c]
                if keep == 0:
                    continue
                # Clause 10: the share is rounded up to nine places; the rest passes on.
                share = (
                    remaining if keep == ONE else min(remaining, _ceil_div(remaining * keep, ONE))
                )
                votes[c] += weight * share
                remaining -= share
                if remaining == 0:
                    break
            vnt += weight * remaining
        self.votes = votes
        self.vnt = vnt
        # Clauses 5 and 11: (v − vnt) ÷ (n + 1) truncated to nine places, plus 0.000000001.
        self.quota = (self.p.valid_votes * ONE - vnt) // (self.seats + 1) + 1
        self.history.append(dict(votes))

    def _reaching_quota(self) -> list[str]:
        """Clauses 6 and 12: the hopeful candidates whose votes reach the quota."""
        return [c for c in self.hopeful if self.votes[c] >= self.quota]

    def _finished(self, elected_now: list[str], notes: list[str]) -> bool:
        """Clause 3: the seats are filled, or the hopeful candidates just fill them."""
        if len(self.elected) >= self.seats:
            return True
        if len(self.elected) + len(self.hopeful) <= self.seats:
            rest = self._elect_all(self.hopeful, elected_now)
            notes.append(
                f"{names_list(rest)} elected: the successful and hopeful candidates are as many "
                "as the vacancies (clause 3)."
            )
            return True
        return False

    def _clause_13(
        self,
        number: int,
        stalled: bool,
        excluded_now: list[str],
        notes: list[str],
        lots: list[LotDrawn],
    ) -> bool:
        """Exclude the lowest hopeful if they cannot catch up, or once the surplus is tiny."""
        surplus = sum(max(0, self.votes[c] - self.quota) for c in self.elected)
        lowest, tied, guard_note = self._fewest(self.hopeful)
        others = [self.votes[c] for c in self.hopeful if c not in tied]
        behind = bool(others) and lowest + surplus < min(others)
        if not (surplus < SURPLUS_LIMIT or behind or stalled):
            return False
        why = (
            "the total surplus is below 0.0001"
            if surplus < SURPLUS_LIMIT
            else "their votes plus the total surplus are less than any other hopeful's"
            if behind
            else "further iterations change nothing"
        )
        candidate, tie_note = self._break_tie(tied, EXCLUDE, number, lots)
        self._exclude(candidate, excluded_now)
        notes.append(
            f"{candidate} excluded with the fewest votes ({self._fmt(lowest)}): {why} "
            f"(clause 13).{tie_note}{guard_note}"
        )
        return True

    def _elect(self, candidate: str, elected_now: list[str]) -> None:
        self.hopeful.remove(candidate)
        self.elected.append(candidate)
        elected_now.append(candidate)

    def _exclude(self, candidate: str, excluded_now: list[str]) -> None:
        self.hopeful.remove(candidate)
        self.excluded.append(candidate)
        self.keep[candidate] = 0
        excluded_now.append(candidate)

    def _record(
        self,
        action: str,
        first: bool,
        elected_now: list[str],
        excluded_now: list[str],
        notes: list[str],
        lots: list[LotDrawn],
    ) -> None:
        opening = (
            f"First preferences counted: {self.p.valid_votes} valid votes, quota "
            f"{self._fmt(self.quota)} (clauses 5 and 6)."
            if first
            else f"Iteration {self.iterations}: quota {self._fmt(self.quota)}."
        )
        self.stages.append(
            stage_sheet(
                number=len(self.stages) + 1,
                action=action,
                subject=excluded_now if excluded_now else elected_now,
                description=" ".join([opening, *notes]),
                candidates=self.p.candidates,
                votes=self.votes,
                before=self.stage_votes,
                non_transferable=self.vnt - self.stage_vnt,
                non_transferable_total=self.vnt,
                lost=0,
                lost_total=0,
                quota=self.quota,
                places=PLACES,
                elected=elected_now,
                excluded=excluded_now,
                keep_values=self.keep,
                iterations=self.iterations - sum(s.iterations for s in self.stages),
                lots=lots,
            )
        )
        self.stage_votes = dict(self.votes)
        self.stage_vnt = self.vnt

    def _look_back(self, tied: list[str], highest: bool) -> list[str]:
        """Clauses 19 and 40: ahead (or not) at the first iteration at which they differed."""
        return look_back(
            tied,
            self.history,
            highest=highest,
            most_recent_first=False,
            stop_at_first_difference=True,
        )

    def _result_quota(self) -> int:
        return self.first_quota  # clause 5; each stage shows the quota recomputed (clause 11)
