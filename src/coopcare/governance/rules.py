"""Counting rules of assemblies and votes, as pure functions of plain values.

Each function returns what was decided and the rule applied in words, so that the result
page can show both. Shares are exact fractions; they are rounded only for display.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from coopcare import votecount

THRESHOLDS = {
    "simple": Fraction(1, 2),
    "two_thirds": Fraction(2, 3),
    "three_quarters": Fraction(3, 4),
}


def percent(share: Fraction) -> str:
    """A share as people read it: 2/3 → "66.7"."""
    return f"{float(share) * 100:.1f}"


# -- notice ----------------------------------------------------------------------------------


def notice_days_required(kind: str, *, ordinary: int, extraordinary: int, board: int) -> int:
    """The days of notice the statutes require for an assembly of ``kind`` (``AssemblyKind``).

    Source: the cooperative's statutes (``Statutes.notice_days_ordinary``,
    ``notice_days_extraordinary``, ``notice_days_board``).
    """
    return {"ordinary": ordinary, "extraordinary": extraordinary, "board": board}[kind]


def notice_problems(sent_on: date, starts_at: datetime, notice_days: int) -> list[ValidationError]:
    """The notice of an assembly (and any amended notice) must be sent at least
    ``notice_days`` full days before the assembly meets.

    Source: the cooperative's statutes (``Statutes.notice_days_*``); 15 days is the default,
    a term common in Italian and French cooperative statutes. The agenda is part of the
    notice, so an amended agenda needs the same notice.
    """
    earliest = sent_on + timedelta(days=notice_days)
    if starts_at.date() < earliest:
        return [
            ValidationError(
                _(
                    "The statutes require %(days)s days' notice: with the notice sent on "
                    "%(called)s, the assembly can meet on %(earliest)s at the earliest."
                )
                % {"days": notice_days, "called": sent_on, "earliest": earliest},
                code="notice_too_short",
            )
        ]
    return []


# -- links -----------------------------------------------------------------------------------

WEB_LINK = URLValidator(schemes=["http", "https"])


def link_problems(link: str) -> list[ValidationError]:
    """A link members are sent to must be a web address (http or https): anything else, such
    as ``javascript:``, would run in the browser of every member who clicks it (stored XSS)."""
    if not link:
        return []
    try:
        WEB_LINK(link)
    except ValidationError:
        return [
            ValidationError(
                _("Give a web address that starts with https:// (or http://)."),
                code="link_not_web_address",
            )
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


# -- class weights -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassWeighting:
    """How a cooperative weights its stakeholder classes (percent): each class's weight and,
    where it has one, its cap; and the band of the statutes every class must stay in.

    Source: French SCIC law, loi 47-1775 art. 19 octies (each college between 10 % and 50 % of
    the votes: ``Cooperative.class_weight_min``/``_max``); Equal Care Co-op's rules (investor
    members capped at 10 %: ``StakeholderClass.vote_weight_cap``). coopcare refuses weights
    outside these limits at set-up (``members.rules.class_weight_problems``).
    """

    weights: dict[str, Decimal]
    caps: dict[str, Decimal] = field(default_factory=dict)
    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(100)

    def band(self, name: str) -> tuple[Fraction, Fraction]:
        """The lowest and highest share of the vote (0-1) the class may hold."""
        high = Fraction(self.maximum)
        if name in self.caps:
            high = min(high, Fraction(self.caps[name]))
        low = min(Fraction(self.minimum), high)
        return low / 100, high / 100


@dataclass(frozen=True)
class EffectiveWeights:
    """The share of the vote (0-1, adding up to 1) each class taking part holds in one count,
    and whether those shares keep every class within its band."""

    shares: dict[str, Fraction]
    lawful: bool = True


def _clip(value: Fraction, low: Fraction, high: Fraction) -> Fraction:
    return max(low, min(high, value))


def effective_weights(weighting: ClassWeighting, present: Sequence[str]) -> EffectiveWeights:
    """Share out the weight of the classes that are absent from a count among those present,
    without taking any class out of its band.

    The statutes' weights of the classes present are scaled by one common factor, and each
    is clipped to its band (water-filling): the factor is the one that makes the clipped
    shares add up to the whole vote. A class that reaches its maximum (50 %, or its cap) stops
    there and the rest goes on to the others in proportion to their weights. The factor is
    found exactly: the sum of clipped shares is piecewise linear in it, so it is solved on the
    segment between the breakpoints (a class's share meeting one of its bounds) where the sum
    reaches the whole.

    When the bands cannot be kept with the classes present (their maxima add up to less than
    the whole vote, e.g. only workers at 50 % and investors capped at 10 % voted, or their
    minima to more), the result says so (``lawful`` is False) and uses the closest lawful
    shares: every class at the bound it could not pass, scaled together to make the whole
    vote, which keeps the proportions the statutes allow between the classes present.

    Worked example (weights 40/30/20/10, investors capped at 10 %, band 10-50 %): with only
    workers and people cared for voting, 40/70 would give workers 57 %; the band gives 50/50.
    With workers absent, 30/60, 20/60 and 10/60 would give investors 16.7 %; the cap keeps
    them at 10 %, people cared for reach their 50 % and supporters hold the remaining 40 %.
    """
    names = list(dict.fromkeys(present))
    if not names:
        return EffectiveWeights({})
    weights = {n: Fraction(weighting.weights[n]) / 100 for n in names}
    bands = {n: weighting.band(n) for n in names}
    lows = sum(low for low, _high in bands.values())
    highs = sum(high for _low, high in bands.values())
    if highs < 1 or lows > 1:
        bound = {n: bands[n][1] if highs < 1 else bands[n][0] for n in names}
        total = sum(bound.values())
        if total == 0:
            return EffectiveWeights({n: Fraction(1, len(names)) for n in names}, lawful=False)
        return EffectiveWeights({n: bound[n] / total for n in names}, lawful=False)

    def shares_at(factor: Fraction) -> dict[str, Fraction]:
        return {n: _clip(factor * weights[n], *bands[n]) for n in names}

    breakpoints = sorted(
        {bound / weights[n] for n in names if weights[n] > 0 for bound in bands[n]} | {Fraction(0)}
    )
    previous = breakpoints[0]
    for point in breakpoints:
        if sum(shares_at(point).values()) >= 1:
            break
        previous = point
    else:
        # Classes with no weight stay at their minimum; the others cannot take more than
        # their maxima, which add up to less than the whole: scale those maxima.
        at_top = shares_at(breakpoints[-1])
        total = sum(at_top.values())
        return EffectiveWeights({n: v / total for n, v in at_top.items()}, lawful=False)
    # Between ``previous`` and ``point`` the free classes grow linearly with the factor.
    middle = (previous + point) / 2
    free = [n for n in names if bands[n][0] < middle * weights[n] < bands[n][1]]
    fixed = sum(v for n, v in shares_at(middle).items() if n not in free)
    slope = sum(weights[n] for n in free)
    factor = (1 - fixed) / slope if slope else point
    shares = shares_at(factor)
    return EffectiveWeights(shares, lawful=sum(shares.values()) == 1)


def weights_explained(weighting: ClassWeighting, effective: EffectiveWeights) -> str:
    """The effective weights in words, for the result page and the minutes."""
    parts = ", ".join(f"{name} {percent(share)} %" for name, share in effective.shares.items())
    text = _("Weights in this count: %(parts)s.") % {"parts": parts}
    if not effective.lawful:
        text += " " + _(
            "The classes that took part cannot hold the whole vote within the statutes' "
            "limits (%(min)s-%(max)s %% a class, and each class's cap): each is counted at the "
            "limit it could not pass, scaled together to make the whole vote."
        ) % {
            "min": f"{weighting.minimum.normalize():f}",
            "max": f"{weighting.maximum.normalize():f}",
        }
    return text


# -- secrecy of small classes ------------------------------------------------------------------


def held_back_classes(ballots: dict[str, int], minimum: int) -> set[str]:
    """The classes whose votes a secret count shows only merged with others.

    A class with fewer than ``minimum`` ballots (at least 2: the statutes may ask more) would
    show how its lone voter voted, since the roll of who voted is public to members. Its
    ballots are merged into one group; when that group is itself smaller than ``minimum``, the
    smallest other classes join it (the complementary suppression of statistical tables),
    because the totals less the classes shown would give it away.

    Source: DESIGN.md (secret ballots: nobody can link a voter to a ballot); minimum cell sizes
    as in small-count suppression of published statistics.
    """
    minimum = max(2, minimum)
    voting = {name: n for name, n in ballots.items() if n > 0}
    held = {name for name, n in voting.items() if n < minimum}
    if not held:
        return set()
    others = sorted((n, name) for name, n in voting.items() if name not in held)
    while sum(voting[name] for name in held) < minimum and others:
        held.add(others.pop(0)[1])
    return held


# -- motions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MotionCount:
    """One class's votes on a motion; ``weight`` is its share of the vote in percent, or None
    when classes are not weighted, and ``cap`` the most it may hold (None: the band's)."""

    name: str
    weight: Decimal | None
    entitled: int
    votes_for: int = 0
    against: int = 0
    abstain: int = 0
    cap: Decimal | None = None

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
    weights_lawful: bool = True


def _base(count: MotionCount, base: str) -> int:
    return count.cast if base == "cast" else count.entitled


def _takes_part(count: MotionCount, base: str, abstaining_is_absent: bool) -> bool:
    if _base(count, base):
        return True
    return base == "cast" and count.abstain > 0 and not abstaining_is_absent


def motion_result(
    counts: Sequence[MotionCount],
    majority: str,
    base: str,
    *,
    band: tuple[Decimal, Decimal] = (Decimal(0), Decimal(100)),
    abstaining_is_absent: bool = True,
) -> MotionResult:
    """Whether a motion passed.

    Unweighted: one member, one vote (ICA 2nd principle): the votes for, over the votes cast
    (for + against; abstentions not counted) or over all members entitled to vote.

    Weighted by stakeholder class (French SCIC law, loi 47-1775 art. 19 octies: each college
    holds 10-50 % of the votes, ``band``; a class may have a lower cap, as Equal Care Co-op's
    investors at 10 %): each class's share for is taken within the class, then the classes are
    combined by their effective weights. A class with no votes cast (or no members entitled)
    cannot express a share: it is absent, and its weight is shared among the others within
    their bands (``effective_weights``). A class where every voter abstained is absent too,
    unless the statutes say it keeps its weight (``abstaining_is_absent`` False), with no
    votes for.

    A simple majority needs more than half; two thirds and three quarters need at least that.
    """
    threshold = THRESHOLDS[majority]
    weighted = bool(counts) and all(c.weight is not None for c in counts)
    taking_part = [c for c in counts if _takes_part(c, base, abstaining_is_absent)]
    class_shares = {
        c.name: Fraction(c.votes_for, _base(c, base)) if _base(c, base) else Fraction(0)
        for c in taking_part
    }
    lawful = True
    if weighted:
        weighting = ClassWeighting(
            {c.name: c.weight for c in counts if c.weight is not None},  # all, when weighted
            {c.name: c.cap for c in counts if c.cap is not None},
            *band,
        )
        found = effective_weights(weighting, [c.name for c in taking_part])
        effective, lawful = found.shares, found.lawful
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
            "the weight of a class with no votes is shared among the others in proportion to "
            "their weights, none going above its maximum or cap."
        )
        if effective:
            rule += " " + weights_explained(weighting, found)
    else:
        rule += " " + _("One member, one vote.")
    rule += " " + _("Result: %(share)s %% for, %(needed)s %% needed.") % {
        "share": percent(share),
        "needed": percent(threshold),
    }
    return MotionResult(passed, share, threshold, rule, class_shares, effective, lawful)


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
    tie: bool = False
    effective_weights: dict[str, Fraction] = field(default_factory=dict)
    weights_lawful: bool = True
    count: dict | None = None  # ranked counts: the stage-by-stage sheet (see ``count_ranked``)


def ballot_problems(
    method: str, ranking: Sequence[int], candidate_ids: set[int]
) -> list[ValidationError]:
    """What is wrong with a ballot for this method (empty: it can be cast)."""
    if not ranking:
        return [ValidationError(_("Choose at least one candidate."), code="ballot_empty")]
    if len(set(ranking)) != len(ranking):
        return [
            ValidationError(
                _("A candidate can appear only once on a ballot."), code="candidate_repeated"
            )
        ]
    if not set(ranking) <= candidate_ids:
        return [
            ValidationError(
                _("The ballot names someone who is not a candidate in this election."),
                code="not_a_candidate",
            )
        ]
    if method == "plurality" and len(ranking) != 1:
        return [
            ValidationError(
                _("In this election each ballot names one candidate."), code="one_candidate_only"
            )
        ]
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
    weighting: ClassWeighting | None,
    reserved: dict[str, int],
) -> ElectionResult:
    """Plurality or approval: the candidates with the most votes win.

    With class weights (SCIC, loi 47-1775 art. 19 octies) a candidate's score is the weighted
    sum over classes of the share of that class's ballots naming them; classes with no ballots
    have their weight shared among the others within each class's band and cap, as for motions
    (``effective_weights``). Seats reserved for a class are kept for its candidates (the
    statutes' reservation). Ties at the last seat are reported, and broken by the order in
    which candidates stood.
    """
    by_class: dict[str, int] = {}
    for ballot in ballots:
        by_class[ballot.class_name] = by_class.get(ballot.class_name, 0) + 1
    effective: dict[str, Fraction] = {}
    lawful = True
    if weighting:
        found = effective_weights(weighting, [c for c in by_class if c in weighting.weights])
        effective, lawful = found.shares, found.lawful
        factor = {c: share / by_class[c] for c, share in effective.items()}
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
    if weighting and effective:
        rule += " " + weights_explained(weighting, found)
    if reserved:
        rule += " " + _("Seats reserved by class are filled first by that class's candidates.")
    return ElectionResult(
        tuple(elected), scores, rule, tie=tie, effective_weights=effective, weights_lawful=lawful
    )


def _paper_names(candidates: Sequence[CandidateEntry]) -> dict[int, str]:
    """Each candidate's name as the count and the BLT file write it: unique (a number is added
    to a name two candidates share) and without the quotes BLT cannot hold."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for c in candidates:
        base = c.name.replace('"', "'").replace("\n", " ").replace("\r", " ").strip() or "?"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        taken.add(name)
        names[c.id] = name
    return names


def ranked_election(
    candidates: Sequence[CandidateEntry],
    ballots: Sequence[ElectionBallot],
    seats: int,
    reserved: dict[str, int],
    title: str = "",
) -> tuple[votecount.Election, dict[int, str]]:
    """The election as the ``votecount`` package counts it (and writes it as BLT), with the
    names it gives the candidates. Identical ballots are kept apart, in the order given."""
    names = _paper_names(candidates)
    election = votecount.Election(
        candidates=tuple(names[c.id] for c in candidates),
        seats=seats,
        ballots=tuple(
            votecount.Ballot(tuple(names[cid] for cid in b.ranking if cid in names))
            for b in ballots
        ),
        title=title.replace('"', "'").replace("\n", " "),
        groups={names[c.id]: c.class_name for c in candidates},
        reserved=dict(reserved),
    )
    return election, names


def _stage_sheet(stage: votecount.Stage, ids: dict[str, int]) -> dict:
    return {
        "number": stage.number,
        "action": stage.action,
        "description": stage.description,
        "quota": str(stage.quota),
        "votes": {str(ids[n]): str(v) for n, v in stage.votes.items()},
        "transfers": {str(ids[n]): str(v) for n, v in stage.transfers.items()},
        "non_transferable": str(stage.non_transferable),
        "non_transferable_total": str(stage.non_transferable_total),
        "lost": str(stage.lost),
        "elected": [ids[n] for n in stage.elected],
        "excluded": [ids[n] for n in stage.excluded],
        "lots": [ids[lot.chosen] for lot in stage.lots],
    }


def count_ranked(
    method: str,
    candidates: Sequence[CandidateEntry],
    ballots: Sequence[ElectionBallot],
    seats: int,
    reserved: dict[str, int],
    lots: Sequence[int] = (),
) -> ElectionResult:
    """A ranked election counted by the ``votecount`` package, by the method the statutes
    name: ``"scottish"``, Scottish STV (The Scottish Local Government Elections Order 2007,
    SSI 2007/42, Schedule 1 rules 45-52; with one seat it is instant-runoff under the same
    rules), or ``"meek"``, Meek STV (New Zealand Local Electoral Regulations 2001, Schedule 1A).

    Ranked ballots count one member, one vote (ICA 2nd principle): class weights do not apply
    to a transferable count. Seats reserved for a class are a constraint of the one count
    (``votecount.reserved``: candidates are excluded when electing them could no longer leave
    the reserved seats, and kept when they must be elected), so every ballot counts once.

    ``lots`` are the candidates chosen by the lots drawn so far, in the order the count asked
    for them. When the rules end in a lot not yet drawn, the result is incomplete: its
    ``count["lot"]["needed"]`` says among whom and for what, and ``elected`` holds only those
    elected before the count stopped. Scores are first preferences.
    """
    election, names = ranked_election(candidates, ballots, seats, reserved)
    ids = {name: cid for cid, name in names.items()}
    outcome = votecount.count(election, method, [names[cid] for cid in lots])
    first_choices = {c.id: Fraction(0) for c in candidates}
    for ballot in ballots:
        if ballot.ranking and ballot.ranking[0] in first_choices:
            first_choices[ballot.ranking[0]] += 1
    lot = None
    if outcome.lot_needed is not None or outcome.lots_used:
        lot = {
            "needed": outcome.lot_needed is not None,
            "drawn": [
                {
                    "number": x.number,
                    "purpose": x.purpose,
                    "chosen": ids[x.chosen],
                    "stage": x.stage,
                }
                for x in outcome.lots_used
            ],
        }
        if outcome.lot_needed is not None:
            needed = outcome.lot_needed
            lot |= {
                "number": needed.number,
                "purpose": needed.purpose,
                "among": [ids[n] for n in needed.among],
                "stage": needed.stage,
                "rule": needed.rule,
            }
    count = {
        "method": outcome.method,
        "method_name": outcome.method_name,
        "source": outcome.source,
        "quota": str(outcome.quota),
        "valid_votes": outcome.valid_votes,
        "complete": outcome.complete,
        "decided_by_lot": outcome.decided_by_lot,
        "candidates": [c.id for c in candidates],
        "stages": [_stage_sheet(stage, ids) for stage in outcome.stages],
        "lot": lot,
    }
    rule = _("Counted by %(method)s: %(source)s") % {
        "method": outcome.method_name,
        "source": outcome.source,
    }
    rule += " " + _("One member, one vote; scores shown are first preferences.")
    if reserved:
        rule += " " + _(
            "Seats reserved by class are filled within a single count: each ballot counts once."
        )
    if outcome.lot_needed is not None:
        rule += " " + _("The count stopped at a tie the rules leave to lot: the board draws it.")
    elif outcome.decided_by_lot:
        rule += " " + _("A lot drawn by the board decided a tie in this count.")
    elected = tuple(ids[n] for n in outcome.elected)
    return ElectionResult(elected, first_choices, rule, count=count)


def reservation_problems(
    seats: int, reserved: dict[str, int], standing: dict[str, int]
) -> list[ValidationError]:
    """Reserved seats fit in the election and each reserving class has enough candidates."""
    problems = []
    if sum(reserved.values()) > seats:
        problems.append(
            ValidationError(
                _("%(reserved)s seats are reserved but the election fills only %(seats)s.")
                % {"reserved": sum(reserved.values()), "seats": seats},
                code="too_many_reserved_seats",
            )
        )
    for cls, n in reserved.items():
        if standing.get(cls, 0) < n:
            problems.append(
                ValidationError(
                    _(
                        "%(n)s seats are reserved for %(cls)s but only %(have)s "
                        "of its members stand."
                    )
                    % {"n": n, "cls": cls, "have": standing.get(cls, 0)},
                    code="too_few_reserved_candidates",
                )
            )
    return problems
