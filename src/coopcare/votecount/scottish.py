"""Scottish STV: the count of the Scottish Local Government Elections Order 2007.

Source: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1,
rules 45 to 52 ("Counting of votes"), https://www.legislation.gov.uk/ssi/2007/42/schedule/1.
In short:

* rule 45: each valid paper counts one vote for its first preference;
* rule 46: quota = (valid papers ÷ (vacancies + 1)), ignoring decimals, plus one (Droop);
* rule 47: a candidate whose votes equal or exceed the quota is deemed elected;
* rule 48: a surplus is transferred by the *weighted inclusive Gregory* method: every paper the
  candidate holds passes to its next available preference for a continuing candidate, with
  the transfer value (surplus × the paper's value when received) ÷ (the candidate's total
  votes), "calculated to five decimal places (any remainder being ignored)"; papers with no
  next preference are set aside as non-transferable;
* rule 49: the largest surplus goes first; equal surpluses go in the order of the candidates'
  votes at the most recent preceding stage at which they differed, else by lot;
* rules 50 and 51: with no surplus to transfer, the candidate with fewest votes is excluded and
  all their papers pass on at the value they carry; a tie for fewest is broken by the most
  recent preceding stage at which the tied candidates differed, else by lot;
* rule 52: when the continuing candidates are as many as the vacancies left, they are all
  deemed elected and no further transfer is made.

With one seat the quota is a majority of the valid votes (``v // 2 + 1`` is the smallest whole
number above half of ``v``), so the count is instant-runoff voting under the same rules.

Values are kept as whole numbers of 10⁻⁵ votes: rule 48's transfer value, cut to five places,
is exactly ``surplus_units × value_units // total_units`` in those units, and every paper is
credited with it, so the figures match a count by hand to the last digit. What the cutting
loses is reported per stage as ``lost``.

Points the Order leaves open, and how they are read here:

* several candidates may hold surpluses at once; the largest untransferred surplus is taken
  first, whichever stage it arose at (rule 49(1) speaks only of the highest surplus);
* when several candidates reach the quota at the same stage they are listed in order of votes;
  the order only decides anything when seats are reserved (see ``reserved``), and then a tie is
  broken as rule 49(2)–(3) breaks a tie of surpluses;
* where a look back at earlier stages still leaves some of a larger tie equal, the look back
  goes on among those left (see ``common.look_back``).
"""

from collections.abc import Collection, Sequence

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
    SCOTTISH,
    SURPLUS,
    Election,
    LotDrawn,
    Result,
)

PLACES = 5
ONE: int = 10**PLACES  # one vote, in units of 10^-5
NAME = "Scottish STV"
SOURCE = (
    "The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1, "
    "rules 45–52: Droop quota; surpluses transferred by the weighted inclusive Gregory method "
    "at transfer values calculated to five decimal places (any remainder being ignored); "
    "the candidate with fewest votes excluded; ties broken by earlier stages, then by lot."
)

# A parcel of identical papers sitting with a candidate: (papers, ranking, position of the
# candidate in the ranking, value of each paper in units).
Parcel = tuple[int, tuple[str, ...], int, int]


def count_scottish(election: Election, lots: Sequence[str] = ()) -> Result:
    """Count ``election`` by the Scottish rules (see the module docstring).

    ``lots`` are the lots already drawn, in the order the count needed them, each the name of
    the candidate the lot picked. When the rules end in a lot not yet drawn, the count stops
    and the result's ``lot_needed`` says among whom, for what and at which stage.
    """
    return _ScottishCount(prepare(election), Lots(lots)).run()


class _ScottishCount(Count):
    method = SCOTTISH
    method_name = NAME
    source = SOURCE
    places = PLACES
    # Rules 49(2)–(3) and 51(2): a tie is broken by the most recent preceding stage at which
    # the tied candidates had unequal votes, else by lot; the order of candidates reaching the
    # quota together, where it matters, is decided as rule 49 decides the order of surpluses.
    ties = {
        SURPLUS: TieBreak(
            "rule 49(3)",
            by_votes=(
                " Its surplus equals that of {others}; it goes first as its candidate had "
                "more votes at the most recent stage at which they differed (rule 49(2))."
            ),
            by_lot=" Equal surpluses at every stage; the lot chose it to go first (rule 49(3)).",
        ),
        EXCLUDE: TieBreak(
            "rule 51(2)(b)",
            by_votes=(
                " Tied with {others}; excluded as they had fewer votes at the most recent "
                "stage at which they differed (rule 51(2)(a))."
            ),
            by_lot=" Equal at every stage; excluded by lot (rule 51(2)(b)).",
        ),
        ELECT: TieBreak(
            "rule 49(3), by analogy",
            by_votes="",
            by_lot="{chosen} is taken first among {among} by lot.",
        ),
    }
    # Rule 47; with reserved seats, a candidate who reaches the quota when the seats left are
    # all owed to groups is deemed excluded instead (``reserved``).
    elected_note = "elected with the quota (rule 47)."
    barred_note = (
        "reached the quota but cannot be elected: the seats left are reserved; "
        "deemed excluded at the next stage."
    )

    def __init__(self, prepared: Prepared, lots: Lots):
        super().__init__(prepared, lots)
        self.quota = prepared.valid_votes // (prepared.seats + 1) + 1  # rule 46
        self.quota_units = self.quota * ONE
        self.parcels: dict[str, list[Parcel]] = {c: [] for c in prepared.candidates}
        self.continuing: list[str] = list(prepared.candidates)
        self.pending: list[str] = []  # elected, surplus not yet transferred
        self.history: list[dict[str, int]] = []  # votes at the end of each stage
        self.non_transferable_total = 0
        self.lost_total = 0
        self.done = False

    # -- the count -------------------------------------------------------------------------

    def _count(self) -> None:
        self._first_stage()
        while not self.done:
            self._next_stage()

    def _first_stage(self) -> None:
        """Rule 45: every valid paper counts one vote for its first preference."""
        for weight, ranking in self.p.papers:
            first = ranking[0]
            self.parcels[first].append((weight, ranking, 0, ONE))
            self.votes[first] += weight * ONE
        self._close_stage(
            action="first count",
            subject=(),
            description=(
                f"First preferences counted: {self.p.valid_votes} valid votes, "
                f"quota {self.quota} (rules 45 and 46)."
            ),
            before={},
            non_transferable=0,
            lost=0,
            lots=[],
        )

    def _next_stage(self) -> None:
        number = len(self.stages) + 1
        before = dict(self.votes)
        doomed = self.p.reservations.doomed(self.elected, self.continuing, self.seats)
        if doomed:
            doomed = ordered(self.p.candidates, doomed)
            non_transferable = self._exclude(doomed)
            owed = self.p.reservations.owed(self.elected)
            self._close_stage(
                action="deemed excluded",
                subject=doomed,
                description=(
                    f"{names_list(doomed)} deemed excluded: the {self.seats - len(self.elected)} "
                    f"seat(s) left are reserved for {names_list(sorted(owed))} (reserved seats); "
                    "their papers pass on at the value they carry (rule 50(2)–(4))."
                ),
                before=before,
                non_transferable=non_transferable,
                lost=0,
                lots=[],
            )
            return
        if self.pending:
            self._transfer_surplus(number, before)
            return
        self._exclude_lowest(number, before)

    def _transfer_surplus(self, number: int, before: dict[str, int]) -> None:
        """Rules 48 and 49: transfer the largest surplus."""
        lots: list[LotDrawn] = []
        largest = max(self.votes[c] for c in self.pending)
        tied = [c for c in ordered(self.p.candidates, self.pending) if self.votes[c] == largest]
        candidate, why = self._break_tie(tied, SURPLUS, number, lots)
        total = self.votes[candidate]
        surplus = total - self.quota_units
        moved = 0  # what all the papers carry at their transfer values, passed on or not
        non_transferable = 0
        for weight, ranking, position, value in self.parcels[candidate]:
            # Rule 48(3): A ÷ B with A = surplus × value of the paper when received and
            # B = the candidate's total votes, to five places, any remainder ignored.
            transfer_value = surplus * value // total
            moved += weight * transfer_value
            non_transferable += self._pass_on(weight, ranking, position, transfer_value, ())
        self.parcels[candidate] = []
        self.votes[candidate] = self.quota_units
        self.pending.remove(candidate)
        self._close_stage(
            action="surplus",
            subject=(candidate,),
            description=(
                f"Surplus of {candidate} ({self._fmt(surplus)}) transferred: each of their "
                f"papers passes on at surplus × its value ÷ {self._fmt(total)}, cut to five "
                f"decimal places (rule 48).{why}"
            ),
            before=before,
            non_transferable=non_transferable,
            lost=surplus - moved,
            lots=lots,
        )

    def _exclude_lowest(self, number: int, before: dict[str, int]) -> None:
        """Rules 50 and 51: exclude the continuing candidate with fewest votes."""
        lots: list[LotDrawn] = []
        lowest, tied, note = self._fewest(self.continuing)
        candidate, why = self._break_tie(tied, EXCLUDE, number, lots)
        non_transferable = self._exclude([candidate])
        self._close_stage(
            action="exclusion",
            subject=(candidate,),
            description=(
                f"{candidate} excluded with the fewest votes ({self._fmt(lowest)}); their papers "
                f"pass on at the value they carry (rule 50).{why}{note}"
            ),
            before=before,
            non_transferable=non_transferable,
            lost=0,
            lots=lots,
        )

    def _exclude(self, candidates: list[str]) -> int:
        """Rule 50(2)–(4): move every paper of ``candidates`` to its next continuing preference
        at the value it carries; return the value of the papers with none."""
        going = set(candidates)
        for c in candidates:
            self.continuing.remove(c)
            self.excluded.append(c)
        non_transferable = 0
        for c in candidates:
            for weight, ranking, position, value in self.parcels[c]:
                non_transferable += self._pass_on(weight, ranking, position, value, going)
            self.parcels[c] = []
            self.votes[c] = 0
        return non_transferable

    def _pass_on(
        self,
        weight: int,
        ranking: tuple[str, ...],
        position: int,
        value: int,
        excluding: Collection[str],
    ) -> int:
        """Pass ``weight`` papers, each worth ``value``, to their next available preference
        for a continuing candidate after ``position`` (rules 48 and 50); return what they
        are worth if they have none (non-transferable), else 0."""
        for where in range(position + 1, len(ranking)):
            c = ranking[where]
            if c in self.continuing and c not in excluding:
                self.parcels[c].append((weight, ranking, where, value))
                self.votes[c] += weight * value
                return 0
        return weight * value

    # -- the end of every stage ----------------------------------------------------------------

    def _close_stage(
        self,
        *,
        action: str,
        subject: Sequence[str],
        description: str,
        before: dict[str, int],
        non_transferable: int,
        lost: int,
        lots: list[LotDrawn],
    ) -> None:
        """Record the stage, then elect whoever reached the quota (rule 47) and, when the
        continuing candidates are as many as the vacancies left, all of them (rule 52)."""
        number = len(self.stages) + 1
        self.non_transferable_total += non_transferable
        self.lost_total += lost
        self.history.append(dict(self.votes))
        elected_now: list[str] = []
        notes: list[str] = []
        stopped: NeedLot | None = None
        try:
            self._elect_reaching_quota(number, elected_now, notes, lots)
        except NeedLot as stop:
            stopped = stop
        if stopped is None and len(self.elected) < self.seats:
            doomed = self.p.reservations.doomed(self.elected, self.continuing, self.seats)
            left = [c for c in self.continuing if c not in doomed]
            if len(left) <= self.seats - len(self.elected):
                self.done = True
                left = self._elect_all(left, elected_now)
                notes.append(
                    f"{names_list(left)} deemed elected: the continuing candidates are as many "
                    "as the vacancies left (rule 52)."
                )
                if doomed:
                    notes.append(
                        f"{names_list(ordered(self.p.candidates, doomed))} cannot be elected "
                        "while the reserved seats are unfilled."
                    )
        if len(self.elected) >= self.seats:
            self.done = True
        text = " ".join([description, *notes])
        self.stages.append(
            stage_sheet(
                number=number,
                action=action,
                subject=subject,
                description=text,
                candidates=self.p.candidates,
                votes=self.votes,
                before=before,
                non_transferable=non_transferable,
                non_transferable_total=self.non_transferable_total,
                lost=lost,
                lost_total=self.lost_total,
                quota=self.quota_units,
                places=PLACES,
                elected=elected_now,
                excluded=list(subject) if action in ("exclusion", "deemed excluded") else (),
                lots=lots,
            )
        )
        if stopped is not None:
            raise stopped

    def _reaching_quota(self) -> list[str]:
        """Rule 47: the continuing candidates whose votes equal or exceed the quota."""
        return [c for c in self.continuing if self.votes[c] >= self.quota_units]

    def _elect(self, candidate: str, elected_now: list[str]) -> None:
        self.continuing.remove(candidate)
        self.elected.append(candidate)
        elected_now.append(candidate)
        if self.votes[candidate] > self.quota_units:
            self.pending.append(candidate)

    def _look_back(self, tied: list[str], highest: bool) -> list[str]:
        """Rules 49(2) and 51(2)(a): the most recent preceding stage at which they differed."""
        return look_back(tied, self.history, highest=highest, most_recent_first=True)

    def _result_quota(self) -> int:
        return self.quota_units  # rule 46: one quota for the whole count
