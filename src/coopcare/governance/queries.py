"""Read-side queries of governance, always scoped to one cooperative."""

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coopcare.cooperatives.models import Cooperative
from coopcare.governance import rules
from coopcare.governance.models import (
    RANKED_METHODS,
    Assembly,
    AssemblyKind,
    AssemblyNotice,
    AssemblyStatus,
    CountedBallot,
    Election,
    Motion,
    NoticeChannel,
    Proxy,
    QuestionStatus,
    Statutes,
    VoterRoll,
)
from coopcare.governance.services._common import Question
from coopcare.governance.services.proxies import live_proxies
from coopcare.governance.services.statutes import (
    entitled_members,
    not_entitled_because,
    statutes_of,
)
from coopcare.members.models import Member
from coopcare.shared.cells import inert


def member_of(user, cooperative: Cooperative) -> Member | None:
    """The user's entry on the cooperative's register, if any."""
    return (
        Member.objects.filter(cooperative=cooperative, user=user)
        .select_related("stakeholder_class", "user")
        .first()
    )


def questions(cooperative: Cooperative, *statuses: str) -> list[Question]:
    """Motions and elections of the cooperative in ``statuses``, newest first."""
    found: list[Question] = [
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
    if question.assembly is not None:
        members += [p.giver for p in live_proxies(question.assembly).filter(holder=acting)]
    return [
        m for m in members if not has_voted(question, m) and not not_entitled_because(question, m)
    ]


def assemblies(cooperative: Cooperative):
    return Assembly.objects.filter(cooperative=cooperative)


def upcoming_assemblies(cooperative: Cooperative):
    return assemblies(cooperative).exclude(status=AssemblyStatus.CLOSED).order_by("starts_at")


def called_to(cooperative: Cooperative, member: Member | None) -> QuerySet[Assembly]:
    """The assemblies ``member`` was sent the notice of and that are not yet held, soonest
    first, with their agenda (the notice on the member's dashboard)."""
    if member is None:
        return Assembly.objects.none()
    return (
        assemblies(cooperative)
        .filter(notices__member=member)
        .exclude(status=AssemblyStatus.CLOSED)
        .distinct()
        .order_by("starts_at")
        .prefetch_related("agenda")
    )


def notices_sent(assembly: Assembly) -> QuerySet[AssemblyNotice]:
    """Every notice of ``assembly`` sent to a member, the latest first, with the member."""
    return assembly.notices.select_related("member").order_by("-amendment", "member__full_name")


def letters_to_post(assembly: Assembly) -> list[AssemblyNotice]:
    """The latest notice of each member to be reached by post (no email address): the letters
    the board prints and posts."""
    latest: dict[int, AssemblyNotice] = {}
    for notice in notices_sent(assembly).filter(channel=NoticeChannel.POST):
        latest.setdefault(notice.member_id, notice)
    return sorted(latest.values(), key=lambda n: n.member.full_name)


def _quorum_percent(statutes: Statutes, assembly: Assembly | None) -> Decimal:
    if assembly is None:
        return statutes.quorum_online
    quorum: dict[str, Decimal] = {
        AssemblyKind.ORDINARY: statutes.quorum_ordinary,
        AssemblyKind.EXTRAORDINARY: statutes.quorum_extraordinary,
        AssemblyKind.BOARD: statutes.quorum_board,
    }
    return quorum[assembly.kind]


def _taking_part_in_session(assembly: Assembly) -> set[int]:
    present = set(assembly.attendance.values_list("member_id", flat=True))
    represented = {p.giver_id for p in live_proxies(assembly) if p.holder_id in present}
    return present | represented


def _class_counts(entitled: QuerySet[Member], taking_part: set[int]) -> list[rules.ClassCount]:
    entitled_by_class: Counter = Counter()
    part_by_class: Counter = Counter()
    for member_id, class_name in entitled.values_list("pk", "stakeholder_class__name"):
        entitled_by_class[class_name] += 1
        part_by_class[class_name] += member_id in taking_part
    return [
        rules.ClassCount(name, entitled_by_class[name], part_by_class[name])
        for name in sorted(entitled_by_class)
    ]


def assembly_attendance(assembly: Assembly) -> tuple[list[rules.ClassCount], rules.Quorum]:
    """Members entitled and present or represented (by a present holder), per stakeholder
    class, and the live quorum they make."""
    statutes = statutes_of(assembly.cooperative)
    counts = _class_counts(
        entitled_members(assembly.cooperative, assembly), _taking_part_in_session(assembly)
    )
    quorum = rules.quorum(counts, _quorum_percent(statutes, assembly), statutes.quorum_per_class)
    return counts, quorum


def question_quorum(question: Question, entitled: QuerySet[Member]) -> rules.Quorum:
    """The quorum of a vote on ``question`` among the members ``entitled`` to it: at an
    assembly, the members present or represented take part; online, the members on the roll
    of voters."""
    statutes = statutes_of(question.cooperative)
    if question.assembly is not None:
        taking_part = _taking_part_in_session(question.assembly)
    else:
        taking_part = set(question.roll.values_list("member_id", flat=True))
    counts = _class_counts(entitled, taking_part)
    return rules.quorum(
        counts, _quorum_percent(statutes, question.assembly), statutes.quorum_per_class
    )


def ballot_by_tracker(cooperative: Cooperative, code: str) -> CountedBallot | None:
    """The published ballot a tracker names, in this cooperative's closed questions only.

    Any member may look up any tracker: the list is public to the members once voting closes,
    so finding a ballot by its tracker proves nothing about who cast it. Before the close
    nothing is found, since ballots are not shown until the count."""
    closed = QuestionStatus.CLOSED
    return (
        CountedBallot.objects.filter(tracker=code.strip().upper())
        .filter(
            Q(motion__cooperative=cooperative, motion__status=closed)
            | Q(election__cooperative=cooperative, election__status=closed)
        )
        .select_related("motion", "election", "stakeholder_class")
        .first()
    )


def held_back(question: Question) -> set[str]:
    """The classes whose ballots a secret question shows only merged with others (see
    ``rules.held_back_classes``); none on an open vote, whose roll names every choice."""
    if not question.secret:
        return set()
    ballots = Counter(question.ballots.values_list("stakeholder_class__name", flat=True))
    return rules.held_back_classes(ballots, statutes_of(question.cooperative).secret_class_minimum)


def class_label(hidden: set[str], name: str) -> str:
    """A ballot's class as published: merged with others when too few ballots share it."""
    if name in hidden:
        return _("classes merged: %(names)s") % {"names": ", ".join(sorted(hidden))}
    return name


def ballot_rows(question: Question) -> list[tuple[str, str, str]]:
    """The published list of a closed question: tracker, class and the ballot in words,
    in tracker order (never the order of casting)."""
    if question.status != QuestionStatus.CLOSED:
        return []
    names = _candidate_names(question)
    hidden = held_back(question)
    return [
        (b.tracker, class_label(hidden, b.stakeholder_class.name), describe(b, names))
        for b in question.ballots.select_related("stakeholder_class").order_by("tracker")
    ]


def ballots_csv(question: Question) -> str:
    """The published ballots of a closed motion or plurality/approval election as CSV, for
    anyone to recount: tracker, the choice (or the candidates named, by name, in the order the
    ballot gives them), and the class (merged as on the page)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["tracker", "choice" if isinstance(question, Motion) else "candidates", "stakeholder_class"]
    )
    names = _candidate_names(question)
    hidden = held_back(question)
    for b in question.ballots.select_related("stakeholder_class").order_by("tracker"):
        content = b.choice if b.choice else "; ".join(names.get(c, "?") for c in b.ranking)
        # Candidates' and classes' names are typed by people: they must not run as formulas.
        label = class_label(hidden, b.stakeholder_class.name)
        writer.writerow([b.tracker, inert(content), inert(label)])
    return out.getvalue()


def _candidate_names(question: Question) -> dict[int, str]:
    if isinstance(question, Motion):
        return {}
    return {c.pk: c.member.full_name for c in question.candidates.select_related("member")}


def describe(ballot: CountedBallot, names: dict[int, str] | None = None) -> str:
    """A ballot as people read it: "for", or the candidates named in order."""
    election = ballot.election
    if ballot.choice or election is None:  # a ballot on a motion
        return ballot.get_choice_display()
    if names is None:
        names = _candidate_names(election)
    named = [names.get(cid, "?") for cid in ballot.ranking]
    if election.method in RANKED_METHODS:
        # Numbered ranks read the same in left-to-right and right-to-left languages.
        return " · ".join(f"{rank}. {name}" for rank, name in enumerate(named, start=1))
    return ", ".join(named)


STAGE_ACTIONS = {
    "first count": _lazy("first count"),
    "surplus": _lazy("surplus"),
    "exclusion": _lazy("exclusion"),
    "deemed excluded": _lazy("deemed excluded"),
    "iteration": _lazy("iteration"),
}


def _signed(value: str) -> str:
    """A transfer as the sheet prints it: "+2.50000", "-6.00000", or nothing for none."""
    amount = Decimal(value)
    if not amount:
        return ""
    return f"+{value}" if amount > 0 else value


def count_sheet(election: Election) -> dict | None:
    """A ranked election's count as a result sheet: one column per stage (what happened, the
    quota), one row per candidate (votes at the end of the stage and the transfer it brought),
    then the non-transferable papers. None for other elections or before the count."""
    count = (election.result or {}).get("count")
    if not count:
        return None
    names = election.result.get("names", {})
    stages = count["stages"]
    rows = [
        {
            "name": names.get(str(cid), "?"),
            "cells": [
                {
                    "votes": stage["votes"].get(str(cid), ""),
                    # The first stage's "transfer" is the first preferences themselves.
                    "transfer": _signed(stage["transfers"].get(str(cid), "0"))
                    if stage["number"] > 1
                    else "",
                    "elected": cid in stage["elected"],
                    "excluded": cid in stage["excluded"],
                }
                for stage in stages
            ],
        }
        for cid in count["candidates"]
    ]
    lot = count.get("lot") or {}
    return {
        "method_name": count["method_name"],
        "source": count["source"],
        "quota": count["quota"],
        "valid_votes": count["valid_votes"],
        "complete": count["complete"],
        "decided_by_lot": count["decided_by_lot"],
        "stages": [
            stage | {"label": STAGE_ACTIONS.get(stage["action"], stage["action"])}
            for stage in stages
        ],
        "rows": rows,
        "non_transferable": [
            {"stage": stage["non_transferable"], "total": stage["non_transferable_total"]}
            for stage in stages
        ],
        "lot_needed": lot.get("needed", False),
        "lot_among": [names.get(str(cid), "?") for cid in lot.get("among", [])],
        "lot_purpose": lot.get("purpose", ""),
        "lot_stage": lot.get("stage"),
        "lot_rule": lot.get("rule", ""),
        "lots": election.lots.select_related("chosen__member", "drawn_by"),
    }


@dataclass(frozen=True)
class OpenVote:
    """A question open for votes as one member sees it: the ballots they may still cast (their
    own, and at an assembly those of the members whose proxy they hold), and whether their own
    vote is in."""

    question: Question
    ballots: list[Member]
    voted: bool


def votes_open_to(member: Member, now: datetime | None = None) -> list[OpenVote]:
    """The questions taking votes at ``now`` (opened, inside their window) that ``member`` may
    vote on or has voted on, newest first. Questions they are not entitled to are left out."""
    now = now or timezone.now()
    found = []
    for question in questions(member.cooperative, QuestionStatus.OPEN):
        # A window not open yet, or one that has ended but waits for the hourly close.
        if (question.opens_at and question.opens_at > now) or (
            question.closes_at and question.closes_at <= now
        ):
            continue
        ballots = ballots_for(member, question)
        voted = has_voted(question, member)
        if ballots or voted:
            found.append(OpenVote(question, ballots, voted))
    return found


@dataclass(frozen=True)
class CalledTo:
    """An assembly a member is called to, with its agenda, the proxy they gave for it (if any)
    and the members whose proxy they hold."""

    assembly: Assembly
    agenda: list[str]
    proxy_given: Proxy | None
    proxies_held: list[Member]


def called_with_proxies(member: Member) -> list[CalledTo]:
    """The assemblies ``member`` is called to and that are not yet held (``called_to``), each
    with the proxies that still count which they gave or hold."""
    found = []
    for assembly in called_to(member.cooperative, member):
        live = list(live_proxies(assembly).filter(Q(giver=member) | Q(holder=member)))
        found.append(
            CalledTo(
                assembly,
                [item.title for item in assembly.agenda.all()],
                next((p for p in live if p.giver_id == member.pk), None),
                [p.giver for p in live if p.holder_id == member.pk],
            )
        )
    return found
