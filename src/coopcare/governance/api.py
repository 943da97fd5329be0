"""API: assemblies, proxies, motions, elections, votes and trackers of one cooperative."""

from datetime import date, datetime
from typing import Annotated, overload

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Count, Day, Id, Moment, PositiveCount
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.governance import queries, rules
from coopcare.governance.models import (
    Assembly,
    AssemblyKind,
    AssemblyNotice,
    AttendanceMode,
    Election,
    ElectionMethod,
    Majority,
    MajorityBase,
    Motion,
)
from coopcare.governance.services import assemblies, notices, proxies, questions, voting
from coopcare.members.models import Member, StakeholderClass

router = Router(tags=["governance"])
READERS = (Role.MEMBER, Role.BOARD)
BOARD = (Role.BOARD,)


class ClassQuorumOut(Schema):
    name: str
    entitled: int
    taking_part: int


class QuorumOut(Schema):
    met: bool
    share_percent: str
    needed_percent: str
    explanation: str
    classes: list[ClassQuorumOut]


class AssemblyOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: datetime
    place: str
    online_link: str
    called_on: date
    status: str
    minutes: str = Field(description="The minutes, once published.")


class AssemblyDetailOut(AssemblyOut):
    agenda: list[str]
    quorum: QuorumOut


class AssemblyIn(Schema):
    kind: AssemblyKind
    title: str = Field(min_length=1, max_length=200)
    starts_at: Moment
    place: str = Field(default="", max_length=200)
    online_link: str = Field(
        default="", max_length=200, description="A web address (https:// or http://)."
    )
    agenda: list[Annotated[str, Field(max_length=200)]] = []


class CalledToOut(AssemblyOut):
    agenda: list[str]


class NoticeIn(Schema):
    amended: bool = Field(
        default=False,
        description=(
            "False: send the notice to the members entitled to attend who have not had it. "
            "True: send an amended notice, with the changed agenda, to all of them."
        ),
    )


class NoticeOut(Schema):
    member_id: int
    member_name: str
    amendment: int = Field(description="0 for the first notice, then 1, 2... for amended ones.")
    sent_on: date
    channel: str = Field(description="email, or post for a member without an email address.")


class AttendanceIn(Schema):
    member_id: Id
    mode: AttendanceMode = AttendanceMode.IN_PERSON


class ProxyIn(Schema):
    holder_member_id: Id


class ProxyOut(Schema):
    id: int
    giver_id: int
    holder_id: int


class MotionOut(Schema):
    id: int
    title: str
    text: str
    assembly_id: int | None
    amends_id: int | None
    status: str
    secret: bool
    majority: str
    base: str
    opens_at: datetime | None
    closes_at: datetime | None
    effect_kind: str
    effect_from: date | None
    passed: bool | None
    result: dict


class MotionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1)
    assembly_id: Id | None = None
    amends_id: Id | None = None
    majority: Majority = Majority.SIMPLE
    base: MajorityBase = MajorityBase.CAST
    secret: bool = False
    class_ids: list[Id] = []
    min_days_member: Count = 0
    opens_at: Moment | None = None
    closes_at: Moment | None = None
    effect_kind: str = ""
    effect: dict = {}
    effect_from: Day | None = None


class CandidateOut(Schema):
    id: int
    member_id: int
    name: str


class ElectionOut(Schema):
    id: int
    title: str
    method: str
    seats: int
    assembly_id: int | None
    status: str
    secret: bool
    opens_at: datetime | None
    closes_at: datetime | None
    candidates: list[CandidateOut]
    result: dict


class ElectionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    method: ElectionMethod
    seats: PositiveCount = 1
    candidate_member_ids: list[Id]
    assembly_id: Id | None = None
    secret: bool = True
    reserved_seats: dict[Id, PositiveCount] = Field(default={}, description="Class id → seats.")
    class_ids: list[Id] = []
    min_days_member: Count = 0
    opens_at: Moment | None = None
    closes_at: Moment | None = None


class VoteIn(Schema):
    choice: str = Field(default="", description="Motions: for, against or abstain.")
    ranking: list[Id] = Field(default=[], description="Elections: candidate ids, in order.")
    for_member_id: Id | None = Field(
        default=None, description="Vote with a proxy you hold for this member."
    )


class VoteOut(Schema):
    tracker: str = Field(
        description=(
            "Shown this once and stored nowhere with you: with it you can find your ballot in "
            "the list published after the close. Anyone may look up any tracker there, so it "
            "proves nothing to anyone else."
        )
    )
    member_id: int


class TrackerOut(Schema):
    tracker: str
    question: str
    stakeholder_class: str = Field(description="Merged with others when too few share it.")
    ballot: str


def _cooperative(request, coop: str, allowed=READERS):
    cooperative, _roles = resolve_cooperative(request.auth, coop, allowed)
    return cooperative


def _me(request, cooperative) -> Member:
    me = queries.member_of(request.auth, cooperative)
    if me is None:
        raise PermissionDenied
    return me


@overload
def _assembly(cooperative, assembly_id: int) -> Assembly: ...
@overload
def _assembly(cooperative, assembly_id: None) -> None: ...
@overload
def _assembly(cooperative, assembly_id: int | None) -> Assembly | None: ...
def _assembly(cooperative, assembly_id: int | None) -> Assembly | None:
    if assembly_id is None:
        return None
    return get_object_or_404(Assembly, pk=assembly_id, cooperative=cooperative)


def _classes(cooperative, ids: list[int]) -> list[StakeholderClass]:
    classes = list(StakeholderClass.objects.filter(cooperative=cooperative, pk__in=ids))
    if len(classes) != len(set(ids)):
        raise Http404(_("No such stakeholder class."))
    return classes


def _assembly_out(assembly: Assembly) -> dict:
    return {
        **{f: getattr(assembly, f) for f in AssemblyOut.model_fields if f != "minutes"},
        "minutes": assembly.minutes if assembly.minutes_published_at else "",
    }


def _election_out(election: Election) -> dict:
    fields = {f: getattr(election, f) for f in ElectionOut.model_fields if f != "candidates"}
    fields["candidates"] = [
        {"id": c.pk, "member_id": c.member_id, "name": c.member.full_name}
        for c in election.candidates.select_related("member")
    ]
    return fields


@router.get("/{coop}/assemblies", response=list[AssemblyOut], summary="Assemblies")
def list_assemblies(request, coop: str):
    return [_assembly_out(a) for a in queries.assemblies(_cooperative(request, coop))]


@router.post("/{coop}/assemblies", response={201: AssemblyOut}, summary="Call an assembly")
def call_assembly(request, coop: str, payload: AssemblyIn):
    cooperative = _cooperative(request, coop, BOARD)
    assembly = assemblies.call_assembly(
        cooperative,
        called_on=timezone.localdate(),
        called_by=request.auth,
        site_url=_site_url(request),
        **payload.dict(),
    )
    return Status(201, _assembly_out(assembly))


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _notice_out(notice: AssemblyNotice) -> dict:
    return {
        "member_id": notice.member_id,
        "member_name": notice.member.full_name,
        "amendment": notice.amendment,
        "sent_on": notice.sent_on,
        "channel": notice.channel,
    }


@router.get(
    "/{coop}/called-assemblies",
    response=list[CalledToOut],
    summary="The assemblies I am called to and that are not yet held, with their agenda",
)
def called_assemblies(request, coop: str):
    cooperative = _cooperative(request, coop)
    me = queries.member_of(request.auth, cooperative)
    return [
        {**_assembly_out(a), "agenda": [item.title for item in a.agenda.all()]}
        for a in queries.called_to(cooperative, me)
    ]


@router.get(
    "/{coop}/assemblies/{assembly_id}/notices",
    response=list[NoticeOut],
    summary="Who was sent the notice of an assembly, when and how",
)
def list_notices(request, coop: str, assembly_id: Id):
    assembly = _assembly(_cooperative(request, coop, BOARD), assembly_id)
    return [_notice_out(n) for n in queries.notices_sent(assembly)]


@router.post(
    "/{coop}/assemblies/{assembly_id}/notices",
    response={201: list[NoticeOut]},
    summary="Send the notice of an assembly, or an amended notice",
)
def send_notices(request, coop: str, assembly_id: Id, payload: NoticeIn):
    assembly = _assembly(_cooperative(request, coop, BOARD), assembly_id)
    send = notices.send_amended_notice if payload.amended else notices.send_notice
    sent = send(assembly, sent_by=request.auth, site_url=_site_url(request))
    return Status(201, [_notice_out(n) for n in sent])


@router.get(
    "/{coop}/assemblies/{assembly_id}",
    response=AssemblyDetailOut,
    summary="An assembly, its agenda and live quorum",
)
def get_assembly(request, coop: str, assembly_id: Id):
    assembly = _assembly(_cooperative(request, coop), assembly_id)
    classes, quorum = queries.assembly_attendance(assembly)
    return {
        **_assembly_out(assembly),
        "agenda": [item.title for item in assembly.agenda.all()],
        "quorum": {
            "met": quorum.met,
            "share_percent": rules.percent(quorum.share),
            "needed_percent": rules.percent(quorum.needed),
            "explanation": quorum.explain(),
            "classes": [c.__dict__ for c in classes],
        },
    }


@router.post(
    "/{coop}/assemblies/{assembly_id}/attendance",
    response={201: AttendanceIn},
    summary="Record a member present",
)
def record_attendance(request, coop: str, assembly_id: Id, payload: AttendanceIn):
    cooperative = _cooperative(request, coop, BOARD)
    assembly = _assembly(cooperative, assembly_id)
    member = get_object_or_404(Member, pk=payload.member_id, cooperative=cooperative)
    assemblies.record_attendance(assembly, member, payload.mode, recorded_by=request.auth)
    return Status(201, payload)


@router.post(
    "/{coop}/assemblies/{assembly_id}/proxies",
    response={201: ProxyOut},
    summary="Give my proxy to another member for this assembly",
)
def give_proxy(request, coop: str, assembly_id: Id, payload: ProxyIn):
    cooperative = _cooperative(request, coop)
    assembly = _assembly(cooperative, assembly_id)
    holder = get_object_or_404(Member, pk=payload.holder_member_id, cooperative=cooperative)
    return Status(201, proxies.give_proxy(assembly, _me(request, cooperative), holder))


@router.post(
    "/{coop}/assemblies/{assembly_id}/proxies/withdraw",
    response=ProxyOut,
    summary="Withdraw the proxy I gave for this assembly, before it opens",
)
def withdraw_proxy(request, coop: str, assembly_id: Id):
    cooperative = _cooperative(request, coop)
    assembly = _assembly(cooperative, assembly_id)
    proxy = get_object_or_404(proxies.live_proxies(assembly), giver=_me(request, cooperative))
    return proxies.withdraw_proxy(proxy)


@router.get("/{coop}/motions", response=list[MotionOut], summary="Motions, newest first")
def list_motions(request, coop: str):
    cooperative = _cooperative(request, coop)
    voting.close_due_votes(cooperative=cooperative)
    return Motion.objects.filter(cooperative=cooperative).order_by("-pk")


@router.post("/{coop}/motions", response={201: MotionOut}, summary="Propose a motion")
def propose_motion(request, coop: str, payload: MotionIn):
    cooperative = _cooperative(request, coop, BOARD)
    data = payload.dict()
    amends_id = data.pop("amends_id")
    data["amends"] = (
        get_object_or_404(Motion, pk=amends_id, cooperative=cooperative) if amends_id else None
    )
    data["assembly"] = _assembly(cooperative, data.pop("assembly_id"))
    data["classes"] = _classes(cooperative, data.pop("class_ids"))
    motion = questions.propose_motion(cooperative, created_by=request.auth, **data)
    return Status(201, motion)


def _motion(request, coop, motion_id, allowed=READERS) -> Motion:
    cooperative = _cooperative(request, coop, allowed)
    voting.close_due_votes(cooperative=cooperative)
    return get_object_or_404(Motion, pk=motion_id, cooperative=cooperative)


def _election(request, coop, election_id, allowed=READERS) -> Election:
    cooperative = _cooperative(request, coop, allowed)
    voting.close_due_votes(cooperative=cooperative)
    return get_object_or_404(Election, pk=election_id, cooperative=cooperative)


@router.get("/{coop}/motions/{motion_id}", response=MotionOut, summary="A motion and its result")
def get_motion(request, coop: str, motion_id: Id):
    return _motion(request, coop, motion_id)


@router.post("/{coop}/motions/{motion_id}/open", response=MotionOut, summary="Open voting")
def open_motion(request, coop: str, motion_id: Id):
    return voting.open_vote(_motion(request, coop, motion_id, BOARD))


@router.post(
    "/{coop}/motions/{motion_id}/close", response=MotionOut, summary="Close voting and count"
)
def close_motion(request, coop: str, motion_id: Id):
    return voting.close_vote(_motion(request, coop, motion_id, BOARD))


def _vote(request, question, payload: VoteIn):
    me = _me(request, question.cooperative)
    voter = me
    if payload.for_member_id is not None:
        voter = get_object_or_404(
            Member, pk=payload.for_member_id, cooperative=question.cooperative
        )
    cast = voting.cast_vote(question, voter, by=me, choice=payload.choice, ranking=payload.ranking)
    return Status(201, {"tracker": cast.tracker, "member_id": voter.pk})


@router.post(
    "/{coop}/motions/{motion_id}/votes",
    response={201: VoteOut},
    summary="Vote on a motion (note the tracker: it is shown once)",
)
def vote_motion(request, coop: str, motion_id: Id, payload: VoteIn):
    return _vote(request, _motion(request, coop, motion_id), payload)


@router.post("/{coop}/elections", response={201: ElectionOut}, summary="Call an election")
def call_election(request, coop: str, payload: ElectionIn):
    cooperative = _cooperative(request, coop, BOARD)
    data = payload.dict()
    ids = data.pop("candidate_member_ids")
    candidates = list(Member.objects.filter(cooperative=cooperative, pk__in=ids))
    if len(candidates) != len(set(ids)):
        raise Http404(_("No such member."))
    reserved = data.pop("reserved_seats")
    classes = {c.pk: c for c in _classes(cooperative, list(reserved))}
    election = questions.call_election(
        cooperative,
        candidates=candidates,
        reserved={classes[pk]: seats for pk, seats in reserved.items()},
        assembly=_assembly(cooperative, data.pop("assembly_id")),
        classes=_classes(cooperative, data.pop("class_ids")),
        created_by=request.auth,
        **data,
    )
    return Status(201, _election_out(election))


@router.get(
    "/{coop}/elections/{election_id}", response=ElectionOut, summary="An election and its result"
)
def get_election(request, coop: str, election_id: Id):
    return _election_out(_election(request, coop, election_id))


@router.post("/{coop}/elections/{election_id}/open", response=ElectionOut, summary="Open voting")
def open_election(request, coop: str, election_id: Id):
    return _election_out(voting.open_vote(_election(request, coop, election_id, BOARD)))


@router.post(
    "/{coop}/elections/{election_id}/close",
    response=ElectionOut,
    summary="Close voting and count",
)
def close_election(request, coop: str, election_id: Id):
    return _election_out(voting.close_vote(_election(request, coop, election_id, BOARD)))


@router.post(
    "/{coop}/elections/{election_id}/votes",
    response={201: VoteOut},
    summary="Vote in an election (note the tracker: it is shown once)",
)
def vote_election(request, coop: str, election_id: Id, payload: VoteIn):
    return _vote(request, _election(request, coop, election_id), payload)


@router.get(
    "/{coop}/trackers/{code}",
    response=TrackerOut,
    summary="Find a published ballot by its tracker (after the close)",
)
def check_tracker(request, coop: str, code: str):
    ballot = queries.ballot_by_tracker(_cooperative(request, coop), code)
    if ballot is None:
        raise Http404(_("No ballot of a closed vote of this cooperative has this tracker."))
    question = ballot.motion or ballot.election
    if question is None:  # every ballot is on a motion or an election
        raise Http404(_("No ballot of a closed vote of this cooperative has this tracker."))
    return {
        "tracker": ballot.tracker,
        "question": str(question),
        "stakeholder_class": queries.class_label(
            queries.held_back(question), ballot.stakeholder_class.name
        ),
        "ballot": queries.describe(ballot),
    }
