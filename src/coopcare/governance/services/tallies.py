"""Counting: the tally of a motion and of an election, the lot the board records when a
ranked count stops at a tie, and a ranked election's published ballots as a BLT file."""

from collections import Counter
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.governance import rules
from coopcare.governance.models import (
    RANKED_METHODS,
    Candidate,
    Choice,
    Election,
    Lot,
    Motion,
    QuestionStatus,
)
from coopcare.governance.queries import held_back, question_quorum
from coopcare.governance.services._common import Question, _locked
from coopcare.governance.services.statutes import class_weights, entitled_members, statutes_of
from coopcare.members.models import Member
from coopcare.votecount.blt import format_blt


def _motion_counts(motion: Motion, entitled: QuerySet[Member]) -> list[rules.MotionCount]:
    weighting = class_weights(motion.cooperative)
    by_class = Counter(entitled.values_list("stakeholder_class__name", flat=True))
    votes = Counter(motion.ballots.values_list("stakeholder_class__name", "choice"))
    names = sorted(set(by_class) | {name for name, _choice in votes})
    return [
        rules.MotionCount(
            name,
            weighting.weights.get(name) if weighting else None,
            by_class[name],
            votes[name, Choice.FOR],
            votes[name, Choice.AGAINST],
            votes[name, Choice.ABSTAIN],
            cap=weighting.caps.get(name) if weighting else None,
        )
        for name in names
    ]


def _missing_ballots(question: Question) -> int:
    """Voters on the roll whose ballot is not in the count (see ``cast_vote``)."""
    return max(0, question.roll.count() - question.ballots.count() - question.box.count())


def motion_tally(motion: Motion) -> dict:
    """Count a motion as it stands: per class and overall, quorum, the rule applied.

    On a secret ballot, classes with too few ballots to keep them secret are shown merged
    (``held_back``); the overall result counts every ballot."""
    statutes = statutes_of(motion.cooperative)
    weighting = class_weights(motion.cooperative)
    entitled = entitled_members(motion.cooperative, motion.assembly, motion)
    counts = _motion_counts(motion, entitled)
    band = (weighting.minimum, weighting.maximum) if weighting else (Decimal(0), Decimal(100))
    result = rules.motion_result(
        counts,
        motion.majority,
        motion.base,
        band=band,
        abstaining_is_absent=statutes.abstaining_class_is_absent,
    )
    quorum = question_quorum(motion, entitled)
    hidden = held_back(motion)

    def shown(c: rules.MotionCount, value):
        return None if c.name in hidden else value

    merged = [c for c in counts if c.name in hidden]
    return {
        "passed": result.passed and quorum.met,
        "quorum_met": quorum.met,
        "quorum": quorum.explain(),
        "rule": result.rule,
        "share_for": rules.percent(result.share_for),
        "weights_lawful": result.weights_lawful,
        "effective_weights": {
            name: rules.percent(share) for name, share in result.effective_weights.items()
        },
        "classes": [
            {
                "name": c.name,
                "weight": str(c.weight) if c.weight is not None else None,
                "effective_weight": rules.percent(result.effective_weights[c.name])
                if c.name in result.effective_weights
                else None,
                "entitled": c.entitled,
                "held_back": c.name in hidden,
                "for": shown(c, c.votes_for),
                "against": shown(c, c.against),
                "abstain": shown(c, c.abstain),
                "share_for": shown(c, rules.percent(result.class_shares[c.name]))
                if c.name in result.class_shares
                else None,
            }
            for c in counts
        ],
        "held_back": {
            "classes": [c.name for c in merged],
            "for": sum(c.votes_for for c in merged),
            "against": sum(c.against for c in merged),
            "abstain": sum(c.abstain for c in merged),
        }
        if merged
        else None,
        "totals": {
            "for": sum(c.votes_for for c in counts),
            "against": sum(c.against for c in counts),
            "abstain": sum(c.abstain for c in counts),
            "entitled": sum(c.entitled for c in counts),
        },
        "ballots_missing": _missing_ballots(motion),
    }


def _election_entries(election: Election):
    candidates = [
        rules.CandidateEntry(c.pk, c.member.full_name, c.member.stakeholder_class.name)
        for c in election.candidates.select_related("member__stakeholder_class")
    ]
    # In tracker order: random, never the order of casting.
    ballots = [
        rules.ElectionBallot(name, tuple(ranking))
        for name, ranking in election.ballots.order_by("tracker").values_list(
            "stakeholder_class__name", "ranking"
        )
    ]
    reserved = {
        r.stakeholder_class.name: r.seats
        for r in election.reservations.select_related("stakeholder_class")
    }
    return candidates, ballots, reserved


def ranked_method_of(election: Election) -> str:
    """The counting method of a ranked election: the one it was counted by at the close (a
    recount after a lot keeps it), else the one the statutes name now."""
    counted = (election.result or {}).get("count") or {}
    return counted.get("method") or statutes_of(election.cooperative).ranked_method


def election_tally(election: Election) -> dict:
    """Count an election: who is elected, the scores or stages, the rule applied.

    A ranked count that stops at a lot elects nobody yet (``complete`` False): the board
    records the lot (``record_lot``) and the count runs again with it."""
    candidates, ballots, reserved = _election_entries(election)
    complete = True
    if election.method in RANKED_METHODS:
        lots = list(election.lots.order_by("number").values_list("chosen_id", flat=True))
        result = rules.count_ranked(
            ranked_method_of(election), candidates, ballots, election.seats, reserved, lots
        )
        complete = result.count is not None and result.count["complete"]
    else:
        result = rules.count_marks(
            election.method,
            candidates,
            ballots,
            election.seats,
            class_weights(election.cooperative),
            reserved,
        )
    entitled = entitled_members(election.cooperative, election.assembly, election)
    quorum = question_quorum(election, entitled)
    names = {c.id: c.name for c in candidates}
    final = quorum.met and complete
    return {
        "elected": [names[cid] for cid in result.elected] if final else [],
        "elected_ids": list(result.elected) if final else [],
        "elected_so_far": [names[cid] for cid in result.elected] if not complete else [],
        "complete": complete,
        "count": result.count,
        "names": {str(cid): name for cid, name in names.items()},
        "valid": quorum.met,
        "quorum": quorum.explain(),
        "rule": result.rule,
        "scores": [
            {"candidate": names[cid], "score": f"{float(score):.3f}".rstrip("0").rstrip(".")}
            for cid, score in sorted(result.scores.items(), key=lambda item: -item[1])
        ],
        "tie": result.tie,
        "ballots": len(ballots),
        "weights_lawful": result.weights_lawful,
        "effective_weights": {
            name: rules.percent(share) for name, share in result.effective_weights.items()
        },
        "ballots_missing": _missing_ballots(election),
    }


@transaction.atomic
def record_lot(election: Election, chosen: Candidate, by, at: datetime | None = None) -> Election:
    """Record the lot the board drew, physically, for the tie the count stopped at, and count
    again with it. ``chosen`` is the candidate the lot picked among those tied, for what the
    count asked (to be excluded, to have their surplus transferred first, or to be elected
    first). Who recorded it and when are kept with it.

    Source: SSI 2007/42 Schedule 1 rules 49(3) and 51(2)(b) (and the Meek rules' equivalent):
    a tie the earlier stages do not break is decided by lot; the count software never draws it.
    """
    election = _locked(election)
    needed = ((election.result or {}).get("count") or {}).get("lot") or {}
    if election.status != QuestionStatus.CLOSED or not needed.get("needed"):
        raise ValidationError(_("This count is not waiting for a lot."), code="no_lot_needed")
    if chosen.election_id != election.pk or chosen.pk not in needed["among"]:
        raise ValidationError(
            _("The lot chooses one of the candidates tied at this stage."),
            code="lot_not_among_tied",
        )
    lot = Lot.objects.create(
        election=election,
        number=needed["number"],
        purpose=needed["purpose"],
        stage=needed["stage"],
        chosen=chosen,
        drawn_by=by,
        drawn_at=at or timezone.now(),
    )
    lot.among.set(needed["among"])
    election.result = election_tally(election)
    election.save(update_fields=["result"])
    return election


def ballots_blt(election: Election) -> str:
    """The published ballots of a closed ranked election as a BLT file (the format of Hill,
    Wichmann and Woodall's Algorithm 123, read by OpenSTV, Droop and ``coopcare stv``), in
    tracker order, for anyone to recount. Reserved seats are not part of the format."""
    candidates, ballots, reserved = _election_entries(election)
    counted, _names = rules.ranked_election(
        candidates, ballots, election.seats, reserved, title=election.title
    )
    return format_blt(counted)
