"""Counting rules of assemblies and votes, as pure functions of plain values.

Each function returns what was decided and the rule applied in words, so that the result
page can show both. Shares are exact fractions; they are rounded only for display.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from pyrankvote import Ballot as RankedBallot
from pyrankvote import Candidate as RankedCandidate
from pyrankvote import instant_runoff_voting, single_transferable_vote

THRESHOLDS = {
    "simple": Fraction(1, 2),
    "two_thirds": Fraction(2, 3),
    "three_quarters": Fraction(3, 4),
}


def percent(share: Fraction) -> str:
    """A share as people read it: 2/3 → "66.7"."""
    return f"{float(share) * 100:.1f}"


# -- notice ----------------------------------------------------------------------------------


def notice_problems(called_on: date, starts_at: datetime, notice_days: int) -> list[str]:
    """An assembly must be called at least ``notice_days`` full days before it meets.

    Source: the cooperative's statutes (``Statutes.notice_days_*``); 15 days is the default,
    a term common in Italian and French cooperative statutes.
    """
    earliest = called_on + timedelta(days=notice_days)
    if starts_at.date() < earliest:
        return [
            _(
                "The statutes require %(days)s days' notice: an assembly called on %(called)s "
                "can meet on %(earliest)s at the earliest."
            )
            % {"days": notice_days, "called": called_on, "earliest": earliest}
        ]
    return []


# -- quorum ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassCount:
    """A stakeholder class in a count: its members entitled to vote and those taking part."""

    name: str
    entitled: int
    taking_part: int


@dataclass(frozen=True)
class Quorum:
    met: bool
    share: Fraction
    needed: Fraction
    per_class: bool
    classes_short: tuple[str, ...] = ()

    def explain(self) -> str:
        if self.per_class:
            rule = _("at least %(needed)s %% of the members entitled to vote, in every class")
        else:
            rule = _("at least %(needed)s %% of the members entitled to vote")
        text = _("Quorum: %(rule)s; %(share)s %% present or represented.") % {
            "rule": rule % {"needed": percent(self.needed)},
            "share": percent(self.share),
        }
        if self.classes_short:
            text += " " + _("Short in: %(classes)s.") % {"classes": ", ".join(self.classes_short)}
        return text


def quorum(classes: Sequence[ClassCount], needed_percent: Decimal, per_class: bool) -> Quorum:
    """Whether enough members take part (present, represented by proxy, or voting online).

    Source: the statutes set the quorum per kind of assembly (configurable in ``Statutes``);
    SCIC statutes that group members in colleges may require it in each college.
    """
    needed = Fraction(needed_percent) / 100
    entitled = sum(c.entitled for c in classes)
    taking_part = sum(c.taking_part for c in classes)
    share = Fraction(taking_part, entitled) if entitled else Fraction(0)
    short = tuple(
        c.name
        for c in classes
        if per_class and c.entitled and Fraction(c.taking_part, c.entitled) < needed
    )
    met = entitled > 0 and share >= needed and not short
    return Quorum(met, share, needed, per_class, short)


# -- motions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MotionCount:
    """One class's votes on a motion; ``weight`` is its share of the vote in percent, or None
    when classes are not weighted."""

    name: str
    weight: Decimal | None
    entitled: int
    votes_for: int = 0
    against: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        return self.votes_for + self.against


@dataclass(frozen=True)
class MotionResult:
    passed: bool
    share_for: Fraction
    threshold: Fraction
    rule: str
    class_shares: dict[str, Fraction] = field(default_factory=dict)
    effective_weights: dict[str, Fraction] = field(default_factory=dict)


def _base(count: MotionCount, base: str) -> int:
    return count.cast if base == "cast" else count.entitled


def motion_result(counts: Sequence[MotionCount], majority: str, base: str) -> MotionResult:
    """Whether a motion passed.

    Unweighted: one member, one vote (ICA 2nd principle): the votes for, over the votes cast
    (for + against; abstentions not counted) or over all members entitled to vote.

    Weighted by stakeholder class (French SCIC law, loi 47-1775 art. 19 octies: each college
    holds 10-50 % of the votes): each class's share for is taken within the class, then the
    classes are combined by their weights. A class with no votes cast (or no members entitled)
    cannot express a share; its weight is shared among the others in proportion to theirs, as
    SCIC statutes usually provide.

    A simple majority needs more than half; two thirds and three quarters need at least that.
    """
    threshold = THRESHOLDS[majority]
    weighted = bool(counts) and all(c.weight is not None for c in counts)
    class_shares = {c.name: Fraction(c.votes_for, _base(c, base)) for c in counts if _base(c, base)}
    if weighted:
        weights = {c.name: Fraction(c.weight) for c in counts if c.name in class_shares}
        total_weight = sum(weights.values())
        effective = {name: w / total_weight for name, w in weights.items()} if total_weight else {}
        share = sum((effective[name] * class_shares[name] for name in effective), Fraction(0))
    else:
        effective = {}
        denominator = sum(_base(c, base) for c in counts)
        share = (
            Fraction(sum(c.votes_for for c in counts), denominator) if denominator else Fraction(0)
        )
    passed = share > threshold if majority == "simple" else share >= threshold
    if not class_shares:
        passed = False
    labels = {
        ("simple", "cast"): _("more than half of the votes cast, abstentions not counted"),
        ("two_thirds", "cast"): _("at least two thirds of the votes cast, abstentions not counted"),
        ("three_quarters", "cast"): _(
            "at least three quarters of the votes cast, abstentions not counted"
        ),
        ("simple", "members"): _("more than half of all members entitled to vote"),
        ("two_thirds", "members"): _("at least two thirds of all members entitled to vote"),
        ("three_quarters", "members"): _("at least three quarters of all members entitled to vote"),
    }
    rule = _("Needed: %(label)s.") % {"label": labels[majority, base]}
    if weighted:
        rule += " " + _(
            "Each stakeholder class counts with its weight (SCIC, loi 47-1775 art. 19 octies); "
            "a class with no votes has its weight shared among the others."
        )
    else:
        rule += " " + _("One member, one vote.")
    rule += " " + _("Result: %(share)s %% for, %(needed)s %% needed.") % {
        "share": percent(share),
        "needed": percent(threshold),
    }
    return MotionResult(passed, share, threshold, rule, class_shares, effective)


# -- elections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateEntry:
    id: int
    name: str
    class_name: str


@dataclass(frozen=True)
class ElectionBallot:
    class_name: str
    ranking: tuple[int, ...]  # candidate ids: the one named, those approved, or in rank order


@dataclass(frozen=True)
class ElectionResult:
    elected: tuple[int, ...]
    scores: dict[int, Fraction]
    rule: str
    rounds: tuple[str, ...] = ()
    tie: bool = False


def ballot_problems(method: str, ranking: Sequence[int], candidate_ids: set[int]) -> list[str]:
    """What is wrong with a ballot for this method (empty: it can be cast)."""
    if not ranking:
        return [_("Choose at least one candidate.")]
    if len(set(ranking)) != len(ranking):
        return [_("A candidate can appear only once on a ballot.")]
    if not set(ranking) <= candidate_ids:
        return [_("The ballot names someone who is not a candidate in this election.")]
    if method == "plurality" and len(ranking) != 1:
        return [_("In this election each ballot names one candidate.")]
    return []


def _fill_seats(
    order: Sequence[int],
    candidates: dict[int, CandidateEntry],
    seats: int,
    reserved: dict[str, int],
) -> list[int]:
    """Take candidates in ``order`` until the seats are full, keeping the reserved seats for
    their class: a candidate is skipped when electing them would leave too few seats for the
    classes whose reservations are still unfilled."""
    elected: list[int] = []
    filled = dict.fromkeys(reserved, 0)
    for cid in order:
        if len(elected) == seats:
            break
        cls = candidates[cid].class_name
        still_reserved = sum(max(0, n - filled[c]) for c, n in reserved.items() if c != cls)
        own_open = reserved.get(cls, 0) - filled.get(cls, 0) > 0
        if own_open or seats - len(elected) > still_reserved:
            elected.append(cid)
            if cls in filled:
                filled[cls] += 1
    return elected


def count_marks(
    method: str,
    candidates: Sequence[CandidateEntry],
    ballots: Sequence[ElectionBallot],
    seats: int,
    weights: dict[str, Decimal] | None,
    reserved: dict[str, int],
) -> ElectionResult:
    """Plurality or approval: the candidates with the most votes win.

    With class weights (SCIC, loi 47-1775 art. 19 octies) a candidate's score is the weighted
    sum over classes of the share of that class's ballots naming them; classes with no ballots
    have their weight shared among the others. Seats reserved for a class are kept for its
    candidates (the statutes' reservation). Ties at the last seat are reported, and broken by
    the order in which candidates stood.
    """
    by_class: dict[str, int] = {}
    for ballot in ballots:
        by_class[ballot.class_name] = by_class.get(ballot.class_name, 0) + 1
    if weights:
        voting = {c: Fraction(weights[c]) for c in by_class if c in weights}
        total = sum(voting.values())
        factor = {c: (w / total) / by_class[c] for c, w in voting.items()} if total else {}
        unit = _("weighted share of the votes")
    else:
        factor = {c: Fraction(1) for c in by_class}
        unit = _("votes")
    scores = {c.id: Fraction(0) for c in candidates}
    for ballot in ballots:
        for cid in ballot.ranking:
            scores[cid] += factor.get(ballot.class_name, Fraction(0))
    stood = [c.id for c in candidates]
    order = sorted(stood, key=lambda cid: (-scores[cid], stood.index(cid)))
    by_id = {c.id: c for c in candidates}
    elected = _fill_seats(order, by_id, seats, reserved)
    last = scores[elected[-1]] if elected else None
    tie = last is not None and any(scores[cid] == last for cid in order if cid not in elected)
    rule = (
        _("Plurality: each ballot names one candidate; the most %(unit)s win.")
        if method == "plurality"
        else _("Approval: each ballot approves any number of candidates; the most %(unit)s win.")
    ) % {"unit": unit}
    if reserved:
        rule += " " + _("Seats reserved by class are filled first by that class's candidates.")
    return ElectionResult(tuple(elected), scores, rule, tie=tie)


def count_ranked(
    method: str,
    candidates: Sequence[CandidateEntry],
    ballots: Sequence[ElectionBallot],
    seats: int,
    reserved: dict[str, int],
) -> ElectionResult:
    """Instant-runoff (one seat) or single transferable vote (several), counted by pyrankvote:
    Droop-style quota votes / (seats + 1), surplus transferred at fractional value, the
    weakest candidate excluded when no one reaches the quota.

    Ranked ballots count one member, one vote (ICA 2nd principle): class weights do not apply
    to a transferable count. Seats reserved for a class are counted first among that class's
    candidates, then the remaining seats among everyone not yet elected.
    """
    by_id = {c.id: c for c in candidates}
    elected: list[int] = []
    rounds: list[str] = []
    groups = [
        (cls, n, {c.id for c in candidates if c.class_name == cls}) for cls, n in reserved.items()
    ]
    open_seats = seats - sum(reserved.values())
    groups.append(("", open_seats, set(by_id)))
    for cls, n, allowed in groups:
        pool = [cid for cid in by_id if cid in allowed and cid not in elected]
        if n <= 0 or not pool:
            continue
        people = {cid: RankedCandidate(str(cid)) for cid in pool}
        ranked = [
            RankedBallot(ranked_candidates=[people[cid] for cid in b.ranking if cid in people])
            for b in ballots
        ]
        if method == "irv" and n == 1:
            outcome = instant_runoff_voting(list(people.values()), ranked)
        else:
            outcome = single_transferable_vote(list(people.values()), ranked, number_of_seats=n)
        winners = [int(c.name) for c in outcome.get_winners()]
        elected.extend(winners)
        label = by_id[pool[0]].class_name if cls else _("open seats")
        for number, round_ in enumerate(outcome.rounds, start=1):
            parts = ", ".join(
                f"{by_id[int(r.candidate.name)].name} {r.number_of_votes:.2f}"
                for r in round_.candidate_results
            )
            rounds.append(f"{label} · {number}: {parts}")
    first_choices = {c.id: Fraction(0) for c in candidates}
    for ballot in ballots:
        if ballot.ranking:
            first_choices[ballot.ranking[0]] += 1
    rule = (
        _(
            "Instant-runoff: the candidate with fewest votes is excluded and their ballots pass to "
            "the next choice until one has a majority."
        )
        if method == "irv"
        else _(
            "Single transferable vote: quota of valid ballots / (seats + 1); surpluses and "
            "excluded candidates' ballots pass to the next choice."
        )
    )
    rule += " " + _("One member, one vote; scores shown are first choices.")
    if reserved:
        rule += " " + _(
            "Seats reserved by class are counted first, among that class's candidates only."
        )
    return ElectionResult(tuple(elected), first_choices, rule, tuple(rounds))


def reservation_problems(
    seats: int, reserved: dict[str, int], standing: dict[str, int]
) -> list[str]:
    """Reserved seats fit in the election and each reserving class has enough candidates."""
    problems = []
    if sum(reserved.values()) > seats:
        problems.append(
            _("%(reserved)s seats are reserved but the election fills only %(seats)s.")
            % {"reserved": sum(reserved.values()), "seats": seats}
        )
    for cls, n in reserved.items():
        if standing.get(cls, 0) < n:
            problems.append(
                _("%(n)s seats are reserved for %(cls)s but only %(have)s of its members stand.")
                % {"n": n, "cls": cls, "have": standing.get(cls, 0)}
            )
    return problems
