"""Read-side queries of governance, always scoped to one cooperative."""

from django.db.models import Q

from coopcare.cooperatives.models import Cooperative
from coopcare.governance.models import (
    RANKED_METHODS,
    Assembly,
    AssemblyStatus,
    Ballot,
    Election,
    Motion,
    QuestionStatus,
    VoterRoll,
)
from coopcare.governance.services import Question, live_proxies, not_entitled_because
from coopcare.members.models import Member


def member_of(user, cooperative: Cooperative) -> Member | None:
    """The user's entry on the cooperative's register, if any."""
    return (
        Member.objects.filter(cooperative=cooperative, user=user)
        .select_related("stakeholder_class", "user")
        .first()
    )


def questions(cooperative: Cooperative, *statuses: str) -> list[Question]:
    """Motions and elections of the cooperative in ``statuses``, newest first."""
    found = [
        *Motion.objects.filter(cooperative=cooperative, status__in=statuses).select_related(
            "assembly"
        ),
        *Election.objects.filter(cooperative=cooperative, status__in=statuses).select_related(
            "assembly"
        ),
    ]
    return sorted(found, key=lambda q: (q.opens_at is None, q.opens_at), reverse=True)


def has_voted(question: Question, member: Member) -> bool:
    field = "motion" if isinstance(question, Motion) else "election"
    return VoterRoll.objects.filter(**{field: question, "member": member}).exists()


def ballots_for(acting: Member | None, question: Question) -> list[Member]:
    """The members ``acting`` may still cast a ballot for: themselves and, at an assembly,
    those whose live proxy they hold; each entitled to vote and not yet on the roll."""
    if acting is None or question.status != QuestionStatus.OPEN:
        return []
    members = [acting]
    if question.assembly_id:
        members += [p.giver for p in live_proxies(question.assembly).filter(holder=acting)]
    return [
        m for m in members if not has_voted(question, m) and not not_entitled_because(question, m)
    ]


def assemblies(cooperative: Cooperative):
    return Assembly.objects.filter(cooperative=cooperative)


def upcoming_assemblies(cooperative: Cooperative):
    return assemblies(cooperative).exclude(status=AssemblyStatus.CLOSED).order_by("starts_at")


def ballot_by_receipt(cooperative: Cooperative, code: str) -> Ballot | None:
    """The ballot a voter's receipt names, in this cooperative's questions only."""
    return (
        Ballot.objects.filter(receipt=code.strip().upper())
        .filter(Q(motion__cooperative=cooperative) | Q(election__cooperative=cooperative))
        .select_related("motion", "election", "stakeholder_class")
        .first()
    )


def ballot_rows(question: Question) -> list[tuple[str, str, str]]:
    """The published list of a closed question: receipt, class and the ballot in words."""
    names = _candidate_names(question)
    return [
        (b.receipt, b.stakeholder_class.name, describe(b, names))
        for b in question.ballots.select_related("stakeholder_class")
    ]


def _candidate_names(question: Question) -> dict[int, str]:
    if isinstance(question, Motion):
        return {}
    return {c.pk: c.member.full_name for c in question.candidates.select_related("member")}


def describe(ballot: Ballot, names: dict[int, str] | None = None) -> str:
    """A ballot as people read it: "for", or the candidates named in order."""
    if ballot.choice:
        return ballot.get_choice_display()
    if names is None:
        names = _candidate_names(ballot.election)
    named = [names.get(cid, "?") for cid in ballot.ranking]
    if ballot.election.method in RANKED_METHODS:
        # Numbered ranks read the same in left-to-right and right-to-left languages.
        return " · ".join(f"{rank}. {name}" for rank, name in enumerate(named, start=1))
    return ", ".join(named)
