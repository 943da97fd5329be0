"""The statutes and who may vote: the cooperative's governance statutes, the members
entitled to vote on a question or at an assembly (and, in words, why a member is not), and
the weight of each stakeholder class in a vote."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.governance import rules
from coopcare.governance.models import Assembly, AssemblyKind, Statutes
from coopcare.governance.services._common import Question
from coopcare.members import queries as member_queries
from coopcare.members.models import Member, MemberStatus
from coopcare.members.services import is_paid_up, share_balance


def statutes_of(cooperative: Cooperative) -> Statutes:
    """The cooperative's governance statutes (the defaults until the board changes them)."""
    statutes, _created = Statutes.objects.get_or_create(cooperative=cooperative)
    return statutes


# -- who may vote ----------------------------------------------------------------------------


def _cutoff(question: Question | None, on: date) -> date:
    days = question.min_days_member if question else 0
    return on - timedelta(days=days)


def _opening_day(question: Question) -> date:
    return timezone.localdate(question.opens_at) if question.opens_at else timezone.localdate()


def entitled_members(
    cooperative: Cooperative, assembly: Assembly | None, question: Question | None = None
) -> QuerySet[Member]:
    """The members entitled to vote on ``question`` (or, without one, at ``assembly``).

    Admitted members (ICA 2nd principle: democratic member control) whose shares are paid up
    when the statutes say so, of the classes the question is put to, members for at least the
    days the question requires; at a board meeting, the board's members.
    """
    members = member_queries.register(cooperative).filter(status=MemberStatus.ADMITTED)
    if assembly is not None and assembly.kind == AssemblyKind.BOARD:
        return members.filter(
            user__cooperative_roles__cooperative=cooperative,
            user__cooperative_roles__role=Role.BOARD,
        )
    if statutes_of(cooperative).paid_up_to_vote:
        members = members.filter(
            held_shares__gte=F("stakeholder_class__min_shares"),
            capital__gt=Decimal(0),
            paid_up__gte=F("capital"),
        )
    if question is not None:
        if question.pk and question.classes.exists():
            members = members.filter(stakeholder_class__in=question.classes.all())
        members = members.filter(admitted_on__lte=_cutoff(question, _opening_day(question)))
    elif assembly is not None:
        members = members.filter(admitted_on__lte=timezone.localdate(assembly.starts_at))
    return members


def not_entitled_because(question: Question, member: Member) -> list[ValidationError]:
    """Why ``member`` may not vote on ``question``, each with its code (empty: they may)."""
    if member.status != MemberStatus.ADMITTED:
        return [ValidationError(_("Only admitted members vote."), code="not_admitted")]
    assembly = question.assembly
    if assembly is not None and assembly.kind == AssemblyKind.BOARD:
        if not (
            member.user is not None
            and member.user.cooperative_roles.filter(
                cooperative=question.cooperative, role=Role.BOARD
            ).exists()
        ):
            return [
                ValidationError(
                    _("Only members of the board vote at a board meeting."), code="not_on_board"
                )
            ]
        return []
    problems = []
    classes = list(question.classes.all())
    if classes and member.stakeholder_class not in classes:
        problems.append(
            ValidationError(
                _("This vote is for: %(classes)s.") % {"classes": ", ".join(map(str, classes))},
                code="class_not_voting",
            )
        )
    cutoff = _cutoff(question, _opening_day(question))
    if member.admitted_on and member.admitted_on > cutoff:
        on = {"name": member, "on": localise.day(member.admitted_on)}
        if question.min_days_member:
            problems.append(
                ValidationError(
                    _(
                        "Members vote after %(days)s days of membership; "
                        "%(name)s was admitted on %(on)s."
                    )
                    % (on | {"days": question.min_days_member}),
                    code="member_too_recent",
                )
            )
        else:
            problems.append(
                ValidationError(
                    _("%(name)s was admitted on %(on)s, after this vote opened.") % on,
                    code="member_too_recent",
                )
            )
    if statutes_of(question.cooperative).paid_up_to_vote and not is_paid_up(member):
        problems.append(
            ValidationError(
                _("Votes are for members whose shares are paid up; %(owed)s is still owed.")
                % {"owed": share_balance(member).unpaid},
                code="not_paid_up",
            )
        )
    return problems


def class_weights(cooperative: Cooperative) -> rules.ClassWeighting | None:
    """Each class's weight in votes and cap, with the statutes' band (10-50 % by default), or
    None when the cooperative does not weight classes."""
    classes = list(cooperative.stakeholder_classes.all())
    weighted = [(c, c.vote_weight) for c in classes if c.vote_weight is not None]
    if not classes or len(weighted) != len(classes):
        return None
    return rules.ClassWeighting(
        {c.name: weight for c, weight in weighted},
        {c.name: c.vote_weight_cap for c in classes if c.vote_weight_cap is not None},
        cooperative.class_weight_min,
        cooperative.class_weight_max,
    )
