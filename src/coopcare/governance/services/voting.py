"""Voting on a question: opening it, casting votes (on the roll of voters and into the
ballot box), closing and counting it, and what a passed motion changes.

Votes lock the question's row so that simultaneous requests are checked one after the other,
and the database's unique constraint on the voter roll refuses a second vote whatever happens.

The one exception to one transaction per action is a secret ballot, written in two
transactions so that the voter and the ballot never share a transaction id (PostgreSQL's
``xmin``) or a commit: see ``cast_vote``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import overload

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare import localise
from coopcare.billing.models import Tariff, TariffVersion
from coopcare.billing.services import adopt_tariff_version
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.governance import rules
from coopcare.governance.models import (
    AssemblyStatus,
    Attendance,
    Choice,
    Decision,
    EffectKind,
    Election,
    Motion,
    QuestionStatus,
    VoterRoll,
)
from coopcare.governance.services._common import Question, _locked, _own, _question_filter, _refuse
from coopcare.governance.services.ballot_box import _drop_in_box, shuffle_out
from coopcare.governance.services.proxies import live_proxies
from coopcare.governance.services.questions import PAY_RULES, TARIFF_PRICES, effect_fields
from coopcare.governance.services.statutes import entitled_members, not_entitled_because
from coopcare.governance.services.tallies import election_tally, motion_tally
from coopcare.members.models import Member
from coopcare.notify import Notice, Topic, send, to_member, to_user
from coopcare.rostering.models import RosterPolicy
from coopcare.work.models import PayRules
from coopcare.work.services.pay import adopt_pay_rules


# A motion stays a motion, an election an election.
@overload
def open_vote(question: Motion, at: datetime | None = None) -> Motion: ...
@overload
def open_vote(question: Election, at: datetime | None = None) -> Election: ...
@overload
def open_vote(question: Question, at: datetime | None = None) -> Question: ...
@transaction.atomic
def open_vote(question: Question, at: datetime | None = None) -> Question:
    """Open voting: in session for an assembly's question, or from its window online."""
    question = _locked(question)
    at = at or timezone.now()
    if question.status != QuestionStatus.DRAFT:
        raise ValidationError(_("Voting has already been opened."), code="voting_already_opened")
    if question.assembly is not None:
        if question.assembly.status != AssemblyStatus.IN_SESSION:
            raise ValidationError(
                _("Votes in an assembly are opened while it is in session."),
                code="assembly_not_in_session",
            )
        question.opens_at = at
    if (
        isinstance(question, Motion)
        and question.amendments.exclude(status=QuestionStatus.CLOSED).exists()
    ):
        raise ValidationError(
            _("Vote on the amendments first; the motion is put to the vote after them."),
            code="amendments_pending",
        )
    question.status = QuestionStatus.OPEN
    question.save(update_fields=["status", "opens_at"])
    if question.assembly is None:
        # A vote in an assembly is opened in session, before the members present, called by
        # the assembly's notice; an online vote has only this to tell the members of it.
        _tell_opened(question, at)
    return question


def _tell_opened(question: Question, at: datetime) -> int:
    """Tell each member entitled to vote online on ``question`` that voting is open, with its
    window: by email at their address on the register, by push to their login."""
    kind = "motion" if isinstance(question, Motion) else "election"
    url = reverse(f"governance:{kind}", args=[question.cooperative.slug, question.pk])
    members = entitled_members(question.cooperative, None, question).select_related("user__profile")
    return send(
        Notice(
            to_member(member),
            gettext_lazy("Voting is open."),
            "governance/vote_opened.txt",
            {
                "question": question,
                "member": member,
                "opens_later": question.opens_at is not None and question.opens_at > at,
            },
            topic=Topic.VOTE,
            url=url,
            region=question.cooperative.country,
        )
        for member in members
    )


def accepting_problems(question: Question, at: datetime) -> list[ValidationError]:
    """Whether votes are taken at ``at``: opened, and inside its window when it has one."""
    if question.status == QuestionStatus.DRAFT:
        return [ValidationError(_("Voting on this has not opened yet."), code="voting_not_opened")]
    if question.status == QuestionStatus.CLOSED:
        return [ValidationError(_("Voting on this has closed."), code="voting_closed")]
    if question.opens_at and at < question.opens_at:
        return [
            ValidationError(
                _("Voting opens on %(when)s.") % {"when": localise.moment(question.opens_at)},
                code="voting_opens_later",
            )
        ]
    if question.closes_at and at >= question.closes_at:
        return [
            ValidationError(
                _("Voting closed on %(when)s.") % {"when": localise.moment(question.closes_at)},
                code="voting_closed",
            )
        ]
    return []


def _ballot_content(question: Question, choice: str, ranking: list[int]) -> tuple[str, list[int]]:
    if isinstance(question, Motion):
        if choice not in Choice.values:
            raise ValidationError(_("Vote for, against, or abstain."), code="choice_invalid")
        return choice, []
    ranking = [int(c) for c in ranking]
    ids = set(question.candidates.values_list("pk", flat=True))
    _refuse(rules.ballot_problems(question.method, ranking, ids))
    return "", ranking


@dataclass(frozen=True)
class Cast:
    """A vote recorded: the tracker to show the voter once, and whose vote it was."""

    tracker: str
    member: Member

    @property
    def receipt(self) -> str:
        """The tracker under its former name, for callers written before trackers."""
        return self.tracker


def _check_vote(question: Question, voter: Member, by: Member, at: datetime) -> None:
    problems = accepting_problems(question, at)
    if question.assembly is not None and not problems:
        assembly = question.assembly
        if not Attendance.objects.filter(assembly=assembly, member=by).exists():
            problems.append(
                ValidationError(
                    _("Votes in an assembly are cast by members present (in person or online)."),
                    code="voter_not_present",
                )
            )
        if by.pk != voter.pk and not live_proxies(assembly).filter(giver=voter, holder=by).exists():
            problems.append(
                ValidationError(
                    _("%(holder)s holds no proxy from %(giver)s for this assembly.")
                    % {"holder": by, "giver": voter},
                    code="no_proxy",
                )
            )
    elif by.pk != voter.pk and not problems:
        problems.append(
            ValidationError(
                _("Online votes are cast by each member; proxies are for assemblies."),
                code="proxy_in_online_vote",
            )
        )
    if not problems:
        problems = not_entitled_because(question, voter)
    _refuse(problems)


class BallotNotStored(ValidationError):
    """The voter is on the roll but their ballot could not be put in the box."""


def cast_vote(
    question: Question,
    voter: Member,
    *,
    by: Member | None = None,
    choice: str = "",
    ranking: Sequence[int] = (),
    at: datetime | None = None,
) -> Cast:
    """Record a vote of ``voter`` (cast by ``by``, a proxy holder, or the voter).

    The roll records that the member voted; the ballot, what was voted, with a fresh tracker
    the voter is shown once (it is returned, never stored with the voter). One vote per member
    and question, refused with a message the second time.

    An open (named) vote writes both in one transaction. A secret ballot writes them in two,
    so that they never share a commit or a transaction id: first the roll row (which also
    refuses a second vote), then the ballot in the box, in a transaction of its own. Roll
    first, because the other order could count a ballot twice: a ballot stored before a roll
    row that then failed would stay in the box while the member, not on the roll, votes again.
    A failure between the two (the process dies, the database refuses the second write, or
    voting closed in between) therefore loses the ballot, never doubles it: the member is on
    the roll, the ballot is not in the count, ``BallotNotStored`` tells the voter so at once,
    and the result reports every voter on the roll without a ballot (``ballots_missing``) so the
    count stays honest. Both writes are short and run one after the other, so the window is
    milliseconds. Called inside an outer transaction (tests, the demo), the two commit
    together and the separation protects nothing; pages and the API call it outside one.
    """
    at = at or timezone.now()
    by = by or voter
    _own(question.cooperative, voter, by)
    with transaction.atomic():
        question = _locked(question)
        _check_vote(question, voter, by, at)
        where = _question_filter(question)
        if VoterRoll.objects.filter(**where, member=voter).exists():
            raise ValidationError(
                _("%(name)s has already voted on this.") % {"name": voter}, code="already_voted"
            )
        choice, ranking = _ballot_content(question, choice, list(ranking))
        named = {} if question.secret else {"choice": choice, "ranking": ranking}
        try:
            with transaction.atomic():
                VoterRoll.objects.create(**where, member=voter, cast_by=by, cast_at=at, **named)
        except IntegrityError as exc:
            raise ValidationError(
                _("%(name)s has already voted on this.") % {"name": voter}, code="already_voted"
            ) from exc
        if not question.secret:
            tracker = _drop_in_box(question, voter.stakeholder_class, choice, ranking)
            return Cast(tracker, voter)
    return Cast(_box_alone(question, voter, choice, ranking), voter)


def _box_alone(question: Question, voter: Member, choice: str, ranking: list[int]) -> str:
    """The second transaction of a secret ballot: the ballot into the box, if voting is still
    open. Any failure is reported to the voter as a ballot not stored (see ``cast_vote``)."""
    try:
        with transaction.atomic():
            question = _locked(question)
            if question.status != QuestionStatus.OPEN:
                raise DatabaseError("voting closed between the roll and the box")
            return _drop_in_box(question, voter.stakeholder_class, choice, ranking)
    except DatabaseError:
        raise BallotNotStored(
            _(
                "%(name)s is on the roll of voters, but the ballot could not be put in the "
                "box and will not be counted. The result will report it as a lost ballot; "
                "please tell the board."
            )
            % {"name": voter},
            code="ballot_not_stored",
        ) from None


# A motion stays a motion, an election an election.
@overload
def close_vote(question: Motion, at: datetime | None = None) -> Motion: ...
@overload
def close_vote(question: Election, at: datetime | None = None) -> Election: ...
@overload
def close_vote(question: Question, at: datetime | None = None) -> Question: ...
@transaction.atomic
def close_vote(question: Question, at: datetime | None = None) -> Question:
    """Close voting and count. The box is emptied into the counted ballots first (shuffled),
    so the count and the published list hold every ballot and the box none. A passed motion's
    amendment rewrites the motion; a passed motion with an effect writes the policy version it
    carries, from its date."""
    question = _locked(question)
    if question.status != QuestionStatus.OPEN:
        raise ValidationError(_("Only an open vote can be closed."), code="vote_not_open")
    at = at or timezone.now()
    question.status, question.closed_at = QuestionStatus.CLOSED, at
    shuffle_out(question)
    if isinstance(question, Motion):
        question.result = motion_tally(question)
        question.passed = question.result["passed"]
        question.save(update_fields=["status", "closed_at", "result", "passed"])
        if question.passed:
            _apply(question, timezone.localdate(at))
    else:
        question.result = election_tally(question)
        question.save(update_fields=["status", "closed_at", "result"])
    return question


def _apply(motion: Motion, on: date) -> None:
    if motion.amends_id:
        main = Motion.objects.select_for_update().get(pk=motion.amends_id)
        if not main.original_text:
            main.original_text = main.text
        main.text = motion.text
        main.save(update_fields=["text", "original_text"])
    if motion.effect_kind == EffectKind.ROSTER_POLICY:
        effective_from = motion.effect_from or on
        policy = RosterPolicy.objects.create(
            cooperative=motion.cooperative,
            effective_from=effective_from,
            summary=_("Adopted by the motion “%(title)s”.") % {"title": motion.title},
            **{name: Decimal(value) for name, value in motion.effect.items()},
        )
        Decision.objects.create(motion=motion, effective_from=effective_from, roster_policy=policy)
    elif motion.effect_kind == EffectKind.TARIFF_VERSION:
        effective_from = motion.effect_from or on
        tariff = Tariff.objects.get(pk=motion.effect["tariff"])
        prices = effect_fields(TariffVersion, TARIFF_PRICES, motion.effect)
        _adopt_version(
            motion,
            effective_from,
            "tariff_version",
            lambda: adopt_tariff_version(tariff, prices | {"valid_from": effective_from}, None),
            tariff,
        )
    elif motion.effect_kind == EffectKind.PAY_RULES:
        effective_from = motion.effect_from or on
        rules = effect_fields(PayRules, PAY_RULES, motion.effect) | {
            "effective_from": effective_from,
            "summary": _("Adopted by the motion “%(title)s”.") % {"title": motion.title},
        }
        _adopt_version(
            motion,
            effective_from,
            "pay_rules",
            lambda: adopt_pay_rules(motion.cooperative, rules),
        )


def _adopt_version(
    motion: Motion,
    effective_from: date,
    field: str,
    adopt: Callable[[], Model],
    tariff: Tariff | None = None,
) -> None:
    """Write the version the motion carries (``adopt``), from ``effective_from``, and the
    decision that links it as ``field``. Closing the vote never fails for it: if the version
    cannot be written (the office recorded a tariff's prices from that day or later, or ran
    pay past it, while the vote was open, and what is billed or paid is never changed), the
    decision records why and the coordinators and the board are told, who record it
    themselves from a later day or put the question to the members again."""
    try:
        with transaction.atomic():  # a savepoint: only the version is undone
            version = adopt()
    except ValidationError as error:
        decision = Decision.objects.create(
            motion=motion, effective_from=effective_from, not_applied=" ".join(error.messages)
        )
        _tell_not_applied(decision, tariff)
        return
    Decision.objects.create(motion=motion, effective_from=effective_from, **{field: version})


def _tell_not_applied(decision: Decision, tariff: Tariff | None) -> None:
    cooperative = decision.motion.cooperative
    office = (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative,
            cooperative_roles__role__in=[Role.COORDINATOR, Role.BOARD],
            is_active=True,
        )
        .select_related("profile")
        .distinct()
    )
    send(
        Notice(
            to_user(user),
            gettext_lazy("A decision could not be applied: %(title)s"),
            "governance/not_applied.txt",
            {"decision": decision, "tariff": tariff, "cooperative": cooperative},
            {"title": decision.motion.title},
        )
        for user in office
    )


def close_due_votes(now: datetime | None = None, cooperative: Cooperative | None = None) -> int:
    """Close and count the online votes whose window has ended. Returns how many."""
    now = now or timezone.now()
    closed = 0
    scope = {"cooperative": cooperative} if cooperative else {}
    for model in (Motion, Election):
        for question in model.objects.filter(
            status=QuestionStatus.OPEN, closes_at__lte=now, **scope
        ):
            close_vote(question, now)
            closed += 1
    return closed
