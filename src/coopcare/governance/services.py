"""Actions of governance: calling assemblies, proxies, attendance, voting, counting, minutes.

Each action checks its rules and writes everything it changes in one transaction; a broken
rule raises ``ValidationError`` and writes nothing. Votes lock the question's row so that
simultaneous requests are checked one after the other, and the database's unique constraint
on the voter roll refuses a second vote whatever happens.

The one exception is a secret ballot, written in two transactions so that the voter and the
ballot never share a transaction id (PostgreSQL's ``xmin``) or a commit: see ``cast_vote``.
"""

import logging
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative, Role
from coopcare.governance import rules
from coopcare.governance.models import (
    RANKED_METHODS,
    AgendaItem,
    Assembly,
    AssemblyKind,
    AssemblyStatus,
    Attendance,
    AttendanceMode,
    Ballot,
    Candidate,
    Choice,
    CountedBallot,
    Decision,
    EffectKind,
    Election,
    Lot,
    Motion,
    Proxy,
    QuestionStatus,
    SeatReservation,
    Statutes,
    VoteReminder,
    VoterRoll,
)
from coopcare.members import queries as member_queries
from coopcare.members.models import Member, MemberStatus, StakeholderClass
from coopcare.members.services import is_paid_up, share_balance
from coopcare.rostering.models import RosterPolicy
from coopcare.votecount.blt import format_blt

Question = Motion | Election


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


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
            capital__gt=0,
            paid_up__gte=F("capital"),
        )
    if question is not None:
        if question.pk and question.classes.exists():
            members = members.filter(stakeholder_class__in=question.classes.all())
        members = members.filter(admitted_on__lte=_cutoff(question, _opening_day(question)))
    elif assembly is not None:
        members = members.filter(admitted_on__lte=timezone.localdate(assembly.starts_at))
    return members


def not_entitled_because(question: Question, member: Member) -> list[str]:
    """Why ``member`` may not vote on ``question``, in words (empty: they may)."""
    if member.status != MemberStatus.ADMITTED:
        return [_("Only admitted members vote.")]
    assembly = question.assembly
    if assembly is not None and assembly.kind == AssemblyKind.BOARD:
        if not (
            member.user_id
            and member.user.cooperative_roles.filter(
                cooperative=question.cooperative, role=Role.BOARD
            ).exists()
        ):
            return [_("Only members of the board vote at a board meeting.")]
        return []
    problems = []
    classes = list(question.classes.all())
    if classes and member.stakeholder_class not in classes:
        problems.append(
            _("This vote is for: %(classes)s.") % {"classes": ", ".join(map(str, classes))}
        )
    cutoff = _cutoff(question, _opening_day(question))
    if member.admitted_on and member.admitted_on > cutoff:
        on = {"name": member, "on": date_format(member.admitted_on)}
        if question.min_days_member:
            problems.append(
                _(
                    "Members vote after %(days)s days of membership; "
                    "%(name)s was admitted on %(on)s."
                )
                % (on | {"days": question.min_days_member})
            )
        else:
            problems.append(_("%(name)s was admitted on %(on)s, after this vote opened.") % on)
    if statutes_of(question.cooperative).paid_up_to_vote and not is_paid_up(member):
        problems.append(
            _("Votes are for members whose shares are paid up; %(owed)s is still owed.")
            % {"owed": share_balance(member).unpaid}
        )
    return problems


def class_weights(cooperative: Cooperative) -> rules.ClassWeighting | None:
    """Each class's weight in votes and cap, with the statutes' band (10-50 % by default), or
    None when the cooperative does not weight classes."""
    classes = list(cooperative.stakeholder_classes.all())
    if not classes or any(c.vote_weight is None for c in classes):
        return None
    return rules.ClassWeighting(
        {c.name: c.vote_weight for c in classes},
        {c.name: c.vote_weight_cap for c in classes if c.vote_weight_cap is not None},
        cooperative.class_weight_min,
        cooperative.class_weight_max,
    )


# -- assemblies ------------------------------------------------------------------------------


def _notice_days(statutes: Statutes, kind: str) -> int:
    return {
        AssemblyKind.ORDINARY: statutes.notice_days_ordinary,
        AssemblyKind.EXTRAORDINARY: statutes.notice_days_extraordinary,
        AssemblyKind.BOARD: statutes.notice_days_board,
    }[kind]


def _quorum_percent(statutes: Statutes, assembly: Assembly | None) -> Decimal:
    if assembly is None:
        return statutes.quorum_online
    return {
        AssemblyKind.ORDINARY: statutes.quorum_ordinary,
        AssemblyKind.EXTRAORDINARY: statutes.quorum_extraordinary,
        AssemblyKind.BOARD: statutes.quorum_board,
    }[assembly.kind]


@transaction.atomic
def call_assembly(
    cooperative: Cooperative,
    *,
    kind: str,
    title: str,
    starts_at: datetime,
    called_on: date,
    place: str = "",
    online_link: str = "",
    agenda: list[str] = (),
    called_by=None,
) -> Assembly:
    """Call an assembly with its agenda, if the notice the statutes require is respected."""
    statutes = statutes_of(cooperative)
    _refuse(rules.notice_problems(called_on, starts_at, _notice_days(statutes, kind)))
    if not place and not online_link:
        _refuse([_("Say where the assembly meets, or give a link to join online.")])
    _refuse(rules.link_problems(online_link))
    assembly = Assembly.objects.create(
        cooperative=cooperative,
        kind=kind,
        title=title,
        starts_at=starts_at,
        called_on=called_on,
        place=place,
        online_link=online_link,
        called_by=called_by,
    )
    for position, item in enumerate((a for a in agenda if a.strip()), start=1):
        AgendaItem.objects.create(assembly=assembly, position=position, title=item.strip())
    return assembly


def add_agenda_item(assembly: Assembly, title: str, details: str = "") -> AgendaItem:
    if assembly.status == AssemblyStatus.CLOSED:
        _refuse([_("This assembly is closed.")])
    position = assembly.agenda.count() + 1
    return AgendaItem.objects.create(
        assembly=assembly, position=position, title=title, details=details
    )


@transaction.atomic
def open_session(assembly: Assembly, at: datetime | None = None) -> Assembly:
    """Open the session: attendance and votes in session can now be recorded."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status != AssemblyStatus.CALLED:
        _refuse([_("Only an assembly that has been called and not yet held can be opened.")])
    assembly.status, assembly.opened_at = AssemblyStatus.IN_SESSION, at or timezone.now()
    assembly.save(update_fields=["status", "opened_at"])
    return assembly


@transaction.atomic
def close_session(assembly: Assembly, at: datetime | None = None) -> Assembly:
    """Close the session; votes still open in it are counted first."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status != AssemblyStatus.IN_SESSION:
        _refuse([_("Only an assembly in session can be closed.")])
    at = at or timezone.now()
    for question in [*assembly.motions.all(), *assembly.elections.all()]:
        if question.status == QuestionStatus.OPEN:
            close_vote(question, at)
    assembly.status, assembly.closed_at = AssemblyStatus.CLOSED, at
    assembly.save(update_fields=["status", "closed_at"])
    if not assembly.minutes:
        assembly.minutes = draft_minutes(assembly)
        assembly.save(update_fields=["minutes"])
    return assembly


def _own(cooperative: Cooperative, *records) -> None:
    """Members, stakeholder classes and assemblies named in an action must be the cooperative's
    own (pages and the API look them up in it; this guards every other caller)."""
    for record in records:
        if record.cooperative_id != cooperative.pk:
            raise ValidationError(
                _("That %(what)s belongs to another cooperative.")
                % {"what": record._meta.verbose_name}
            )


@transaction.atomic
def record_attendance(
    assembly: Assembly, member: Member, mode: str, recorded_by=None, at: datetime | None = None
) -> Attendance:
    """Record a member present; a proxy they gave for this assembly lapses (they vote
    themselves). Online attendance needs the assembly's online meeting (``online_link``):
    without one, nobody can have been there online."""
    _own(assembly.cooperative, member)
    if mode == AttendanceMode.ONLINE and not assembly.online_link:
        raise ValidationError(_("This assembly has no online meeting."), code="no_online_meeting")
    if assembly.status != AssemblyStatus.IN_SESSION:
        _refuse([_("Attendance is recorded while the assembly is in session.")])
    if member.status != MemberStatus.ADMITTED:
        _refuse([_("Only admitted members attend as members.")])
    at = at or timezone.now()
    attendance, created = Attendance.objects.get_or_create(
        assembly=assembly,
        member=member,
        defaults={"mode": mode, "arrived_at": at, "recorded_by": recorded_by},
    )
    if not created:
        _refuse([_("%(name)s is already recorded as present.") % {"name": member}])
    Proxy.objects.filter(assembly=assembly, giver=member, lapsed_at__isnull=True).update(
        lapsed_at=at
    )
    return attendance


@transaction.atomic
def give_proxy(
    assembly: Assembly, giver: Member, holder: Member, at: datetime | None = None
) -> Proxy:
    """A member asks another member to vote for them at one assembly.

    Source: DESIGN.md rules (statutes cap the proxies one holder may carry: Cercles.Coop 5,
    often 1-2; ``Statutes.proxies_per_holder``). The holder's row is locked while counting,
    so two simultaneous proxies cannot both take the last place.
    """
    _own(assembly.cooperative, giver, holder)
    holder = Member.objects.select_for_update().get(pk=holder.pk)
    problems = []
    if assembly.kind == AssemblyKind.BOARD:
        problems.append(_("Board members vote in person; a board meeting takes no proxies."))
    if assembly.status == AssemblyStatus.CLOSED:
        problems.append(_("This assembly is closed."))
    if giver.pk == holder.pk:
        problems.append(_("A member cannot hold their own proxy."))
    if giver.status != MemberStatus.ADMITTED or holder.status != MemberStatus.ADMITTED:
        problems.append(_("Proxies pass only between admitted members."))
    if Attendance.objects.filter(assembly=assembly, member=giver).exists():
        problems.append(_("%(name)s is present and votes in person.") % {"name": giver})
    if Proxy.objects.filter(assembly=assembly, giver=holder, lapsed_at__isnull=True).exists():
        problems.append(
            _("%(name)s has given their own proxy and cannot hold others.") % {"name": holder}
        )
    if Proxy.objects.filter(assembly=assembly, giver=giver, lapsed_at__isnull=True).exists():
        problems.append(
            _("%(name)s has already given a proxy for this assembly; withdraw it first.")
            % {"name": giver}
        )
    cap = statutes_of(assembly.cooperative).proxies_per_holder
    held = Proxy.objects.filter(assembly=assembly, holder=holder, lapsed_at__isnull=True).count()
    if held >= cap:
        problems.append(
            _("%(name)s already holds %(held)s proxies, the most the statutes allow (%(cap)s).")
            % {"name": holder, "held": held, "cap": cap}
        )
    _refuse(problems)
    return Proxy.objects.create(
        assembly=assembly, giver=giver, holder=holder, given_at=at or timezone.now()
    )


@transaction.atomic
def withdraw_proxy(proxy: Proxy, at: datetime | None = None) -> Proxy:
    """The giver takes their proxy back, before the assembly opens.

    Once the session is open the holder may already have voted with it; a giver who comes
    after all is recorded present, which lapses the proxy (``record_attendance``)."""
    proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
    problems = []
    if proxy.lapsed_at is not None:
        problems.append(_("This proxy has already lapsed."))
    elif proxy.assembly.status != AssemblyStatus.CALLED:
        problems.append(_("A proxy can be withdrawn only before the assembly opens."))
    _refuse(problems)
    proxy.lapsed_at = at or timezone.now()
    proxy.save(update_fields=["lapsed_at"])
    return proxy


def live_proxies(assembly: Assembly) -> QuerySet[Proxy]:
    """Proxies that still count: not withdrawn, and the giver has not come."""
    return assembly.proxies.filter(lapsed_at__isnull=True).select_related("giver", "holder")


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


# -- motions and elections -------------------------------------------------------------------


def _check_effect(kind: str, effect: dict) -> dict:
    """The effect's content, checked: a roster policy needs each weight as a number ≥ 0."""
    if kind != EffectKind.ROSTER_POLICY:
        return {}
    problems, weights = [], {}
    for name in RosterPolicy.WEIGHTS:
        try:
            value = Decimal(str(effect.get(name, "")))
        except ArithmeticError:
            value = None
        if value is None or not value.is_finite() or value < 0:
            problems.append(
                _("The roster policy needs a weight of 0 or more for %(name)s.") % {"name": name}
            )
        else:
            weights[name] = str(value)
    _refuse(problems)
    return weights


def _question_fields(cooperative, assembly, opens_at, closes_at) -> None:
    if assembly is not None:
        _own(cooperative, assembly)
        if assembly.status == AssemblyStatus.CLOSED:
            _refuse([_("This assembly is closed.")])
        return
    if opens_at is None or closes_at is None:
        _refuse([_("An online vote needs the time voting opens and the time it closes.")])
    if closes_at <= opens_at:
        _refuse([_("Voting must close after it opens.")])


@transaction.atomic
def propose_motion(
    cooperative: Cooperative,
    *,
    title: str,
    text: str,
    assembly: Assembly | None = None,
    majority: str = "simple",
    base: str = "cast",
    secret: bool = False,
    classes: list[StakeholderClass] = (),
    min_days_member: int = 0,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    effect_kind: str = "",
    effect: dict | None = None,
    effect_from: date | None = None,
    amends: Motion | None = None,
    created_by=None,
) -> Motion:
    """Put a motion (or an amendment to one) on an assembly's agenda or to an online vote."""
    if amends is not None:
        if amends.status != QuestionStatus.DRAFT:
            _refuse([_("Amendments are made before the motion is put to the vote.")])
        assembly, opens_at, closes_at = amends.assembly, amends.opens_at, amends.closes_at
    _question_fields(cooperative, assembly, opens_at, closes_at)
    _own(cooperative, *classes)
    motion = Motion.objects.create(
        cooperative=cooperative,
        assembly=assembly,
        title=title,
        text=text,
        majority=majority,
        base=base,
        secret=secret,
        min_days_member=min_days_member,
        opens_at=opens_at,
        closes_at=closes_at,
        effect_kind=effect_kind,
        effect=_check_effect(effect_kind, effect or {}),
        effect_from=effect_from,
        amends=amends,
        position=(assembly.motions.count() + 1) if assembly else 0,
        created_by=created_by,
    )
    motion.classes.set(classes)
    return motion


@transaction.atomic
def call_election(
    cooperative: Cooperative,
    *,
    title: str,
    method: str,
    seats: int,
    candidates: list[Member],
    assembly: Assembly | None = None,
    secret: bool = True,
    reserved: dict[StakeholderClass, int] | None = None,
    classes: list[StakeholderClass] = (),
    min_days_member: int = 0,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    created_by=None,
) -> Election:
    """An election with its candidates (admitted members) and any seats reserved per class."""
    _question_fields(cooperative, assembly, opens_at, closes_at)
    reserved = {cls: n for cls, n in (reserved or {}).items() if n}
    _own(cooperative, *classes, *reserved)
    problems = []
    if seats < 1:
        problems.append(_("An election fills at least one seat."))
    if len(set(candidates)) < seats:
        problems.append(
            _("%(seats)s seats need at least as many candidates (now %(n)s).")
            % {"seats": seats, "n": len(set(candidates))}
        )
    for member in candidates:
        _own(cooperative, member)
        if member.status != MemberStatus.ADMITTED:
            problems.append(
                _("%(name)s is not an admitted member and cannot stand.") % {"name": member}
            )
    if method == "irv" and seats != 1:
        problems.append(
            _("Instant-runoff fills one seat; use the single transferable vote for more.")
        )
    standing = Counter(m.stakeholder_class.name for m in set(candidates))
    problems += rules.reservation_problems(
        seats, {c.name: n for c, n in reserved.items()}, standing
    )
    _refuse(problems)
    election = Election.objects.create(
        cooperative=cooperative,
        assembly=assembly,
        title=title,
        method=method,
        seats=seats,
        secret=secret,
        min_days_member=min_days_member,
        opens_at=opens_at,
        closes_at=closes_at,
        position=(assembly.elections.count() + 1) if assembly else 0,
        created_by=created_by,
    )
    election.classes.set(classes)
    for member in dict.fromkeys(candidates):
        Candidate.objects.create(election=election, member=member)
    for cls, n in reserved.items():
        SeatReservation.objects.create(election=election, stakeholder_class=cls, seats=n)
    return election


def _locked(question: Question) -> Question:
    return type(question).objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def open_vote(question: Question, at: datetime | None = None) -> Question:
    """Open voting: in session for an assembly's question, or from its window online."""
    question = _locked(question)
    at = at or timezone.now()
    if question.status != QuestionStatus.DRAFT:
        _refuse([_("Voting has already been opened.")])
    if question.assembly is not None:
        if question.assembly.status != AssemblyStatus.IN_SESSION:
            _refuse([_("Votes in an assembly are opened while it is in session.")])
        question.opens_at = at
    if (
        isinstance(question, Motion)
        and question.amendments.exclude(status=QuestionStatus.CLOSED).exists()
    ):
        _refuse([_("Vote on the amendments first; the motion is put to the vote after them.")])
    question.status = QuestionStatus.OPEN
    question.save(update_fields=["status", "opens_at"])
    return question


def accepting_problems(question: Question, at: datetime) -> list[str]:
    """Whether votes are taken at ``at``: opened, and inside its window when it has one."""
    if question.status == QuestionStatus.DRAFT:
        return [_("Voting on this has not opened yet.")]
    if question.status == QuestionStatus.CLOSED:
        return [_("Voting on this has closed.")]
    if question.opens_at and at < question.opens_at:
        return [
            _("Voting opens on %(when)s.")
            % {"when": date_format(timezone.localtime(question.opens_at), "DATETIME_FORMAT")}
        ]
    if question.closes_at and at >= question.closes_at:
        return [
            _("Voting closed on %(when)s.")
            % {"when": date_format(timezone.localtime(question.closes_at), "DATETIME_FORMAT")}
        ]
    return []


def new_tracker() -> str:
    """A tracker: a random code the voter is shown once, to find their ballot in the list
    published after the close. It is stored only on the ballot, never with the voter."""
    while True:
        code = secrets.token_hex(5).upper()
        code = f"{code[:5]}-{code[5:]}"
        if not (
            Ballot.objects.filter(tracker=code).exists()
            or CountedBallot.objects.filter(tracker=code).exists()
        ):
            return code


# Ballots leave the box in shuffled batches of at least this many: a reader of the database
# during a vote finds fewer ballots than this in the box (the last ones cast), never more.
SHUFFLE_EVERY = 10


def _ballot_content(question: Question, choice: str, ranking: list[int]) -> tuple[str, list[int]]:
    if isinstance(question, Motion):
        if choice not in Choice.values:
            _refuse([_("Vote for, against, or abstain.")])
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


class _QuietBallotSQL(logging.Filter):
    """Keeps the SQL that writes ballots out of the logs (``django.db.backends`` logs every
    statement with its values when ``DEBUG`` is on): in order next to the roll's statements,
    they would pair voters with ballots."""

    def filter(self, record: logging.LogRecord) -> bool:
        sql = str(getattr(record, "sql", "") or "")
        return not any(table in sql for table in _BALLOT_TABLES)


_BALLOT_TABLES = (Ballot._meta.db_table, CountedBallot._meta.db_table)
logging.getLogger("django.db.backends").addFilter(_QuietBallotSQL())


def _forget_ballot_queries() -> None:
    """Drop the ballot statements from the connection's in-memory query log (kept when
    ``DEBUG`` is on, and shown by debugging tools)."""
    log = connection.queries_log
    kept = [q for q in log if not any(t in q.get("sql", "") for t in _BALLOT_TABLES)]
    if len(kept) != len(log):
        log.clear()
        log.extend(kept)


def _question_filter(question: Question) -> dict:
    return {"motion" if isinstance(question, Motion) else "election": question}


def _drop_in_box(question: Question, stakeholder_class, choice: str, ranking: list[int]) -> str:
    """Put a ballot in the box; once the box holds ``SHUFFLE_EVERY`` ballots, shuffle them
    out. Runs inside the caller's transaction, with the question's row locked."""
    tracker = new_tracker()
    Ballot.objects.create(
        **_question_filter(question),
        stakeholder_class=stakeholder_class,
        choice=choice,
        ranking=ranking,
        tracker=tracker,
    )
    if Ballot.objects.filter(**_question_filter(question)).count() >= SHUFFLE_EVERY:
        shuffle_out(question)
    _forget_ballot_queries()
    return tracker


def shuffle_out(question: Question) -> int:
    """Empty the question's box into its counted ballots, mixing them all anew.

    Every counted ballot of the question is rewritten with the ballots from the box, in an
    order drawn by the operating system's random source (``secrets.SystemRandom``) and with new
    random ids, in this one transaction: afterwards neither row order (SQLite's rowid,
    PostgreSQL's ctid), nor ids, nor transaction ids (``xmin``: the same for all of them) tell
    one batch or one ballot from another. On SQLite ``secure_delete`` is switched on first, so
    the deleted rows are overwritten with zeros rather than left in free pages.

    What remains is said in docs/governance.md: PostgreSQL keeps the deleted rows as dead
    tuples until VACUUM, and both databases keep recent writes in their write-ahead logs.
    Returns how many ballots the question now has counted. The caller holds the question's
    row lock.
    """
    where = _question_filter(question)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    rows = [
        (b.stakeholder_class_id, b.choice, b.ranking, b.tracker)
        for model in (CountedBallot, Ballot)
        for b in model.objects.filter(**where)
    ]
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(**where).delete()
    CountedBallot.objects.filter(**where).delete()
    CountedBallot.objects.bulk_create(
        CountedBallot(
            id=uuid.uuid4(),
            **where,
            stakeholder_class_id=class_id,
            choice=choice,
            ranking=ranking,
            tracker=tracker,
        )
        for class_id, choice, ranking, tracker in rows
    )
    _forget_ballot_queries()
    return len(rows)


def _check_vote(question: Question, voter: Member, by: Member, at: datetime) -> None:
    problems = accepting_problems(question, at)
    if question.assembly is not None and not problems:
        assembly = question.assembly
        if not Attendance.objects.filter(assembly=assembly, member=by).exists():
            problems.append(
                _("Votes in an assembly are cast by members present (in person or online).")
            )
        if by.pk != voter.pk and not live_proxies(assembly).filter(giver=voter, holder=by).exists():
            problems.append(
                _("%(holder)s holds no proxy from %(giver)s for this assembly.")
                % {"holder": by, "giver": voter}
            )
    elif by.pk != voter.pk and not problems:
        problems.append(_("Online votes are cast by each member; proxies are for assemblies."))
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
    ranking: list[int] = (),
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
            _refuse([_("%(name)s has already voted on this.") % {"name": voter}])
        choice, ranking = _ballot_content(question, choice, list(ranking))
        named = {} if question.secret else {"choice": choice, "ranking": ranking}
        try:
            with transaction.atomic():
                VoterRoll.objects.create(**where, member=voter, cast_by=by, cast_at=at, **named)
        except IntegrityError:
            _refuse([_("%(name)s has already voted on this.") % {"name": voter}])
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
            % {"name": voter}
        ) from None


def _quorum_for(question: Question, entitled: QuerySet[Member]) -> rules.Quorum:
    statutes = statutes_of(question.cooperative)
    if question.assembly is not None:
        taking_part = _taking_part_in_session(question.assembly)
    else:
        taking_part = set(question.roll.values_list("member_id", flat=True))
    counts = _class_counts(entitled, taking_part)
    return rules.quorum(
        counts, _quorum_percent(statutes, question.assembly), statutes.quorum_per_class
    )


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


def held_back(question: Question) -> set[str]:
    """The classes whose ballots a secret question shows only merged with others (see
    ``rules.held_back_classes``); none on an open vote, whose roll names every choice."""
    if not question.secret:
        return set()
    ballots = Counter(question.ballots.values_list("stakeholder_class__name", flat=True))
    return rules.held_back_classes(ballots, statutes_of(question.cooperative).secret_class_minimum)


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
    quorum = _quorum_for(motion, entitled)
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
        complete = result.count["complete"]
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
    quorum = _quorum_for(election, entitled)
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
def close_vote(question: Question, at: datetime | None = None) -> Question:
    """Close voting and count. The box is emptied into the counted ballots first (shuffled),
    so the count and the published list hold every ballot and the box none. A passed motion's
    amendment rewrites the motion; a passed motion with an effect writes the policy version it
    carries, from its date."""
    question = _locked(question)
    if question.status != QuestionStatus.OPEN:
        _refuse([_("Only an open vote can be closed.")])
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
        _refuse([_("This count is not waiting for a lot.")])
    if chosen.election_id != election.pk or chosen.pk not in needed["among"]:
        _refuse([_("The lot chooses one of the candidates tied at this stage.")])
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


def purge_deleted_ballots() -> bool:
    """Erase what deleting ballots from the box leaves behind in the database files, as far
    as the database allows. Runs outside any transaction; returns False inside one.

    PostgreSQL keeps deleted rows as dead tuples (and, after a plain VACUUM, their bytes in
    the pages' free space): ``VACUUM FULL`` rewrites the two small ballot tables into new files.
    SQLite already overwrites deleted rows (``secure_delete``, see ``shuffle_out``); a
    ``wal_checkpoint(TRUNCATE)`` empties the write-ahead log, which still holds recent page
    images in the order they were written. Neither reaches copies outside the database
    (PostgreSQL's WAL archives, backups): see docs/governance.md.
    """
    if connection.in_atomic_block:
        return False
    tables = ", ".join(connection.ops.quote_name(t) for t in _BALLOT_TABLES)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM FULL {tables}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True


def send_reminders(now: datetime | None = None, within: timedelta = timedelta(hours=48)) -> int:
    """Email each member entitled to an online vote closing within ``within`` who has not yet
    voted, once per vote. Returns how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    for model, field in ((Motion, "motion"), (Election, "election")):
        due = model.objects.filter(
            status=QuestionStatus.OPEN,
            assembly__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + within,
        ).select_related("cooperative")
        for question in due:
            voted = question.roll.values_list("member_id", flat=True)
            reminded = VoteReminder.objects.filter(**{field: question}).values_list(
                "member_id", flat=True
            )
            members = (
                entitled_members(question.cooperative, None, question)
                .exclude(pk__in=voted)
                .exclude(pk__in=reminded)
                .exclude(email="")
            )
            for member in members:
                with transaction.atomic():
                    VoteReminder.objects.create(**{field: question}, member=member, sent_at=now)
                    send_mail(
                        _("Reminder: vote on “%(title)s”") % {"title": question.title},
                        render_to_string(
                            "governance/reminder.txt", {"question": question, "member": member}
                        ),
                        None,
                        [member.email],
                    )
                sent += 1
    return sent


# -- minutes ---------------------------------------------------------------------------------


def draft_minutes(assembly: Assembly) -> str:
    """Minutes drafted from the record: notice, attendance and quorum, each vote's result with
    the rule applied. The secretary edits them before publishing."""
    classes, quorum = assembly_attendance(assembly)
    return render_to_string(
        "governance/minutes.txt",
        {
            "assembly": assembly,
            "agenda": assembly.agenda.all(),
            "classes": classes,
            "present": assembly.attendance.count(),
            "online": assembly.attendance.filter(mode="online").count(),
            "proxies": live_proxies(assembly).count(),
            "quorum": quorum.explain(),
            "motions": assembly.motions.all(),
            "elections": assembly.elections.all(),
        },
    )


@transaction.atomic
def publish_minutes(assembly: Assembly, minutes: str, by=None, at: datetime | None = None):
    """Publish the minutes to the members; published minutes are not changed afterwards."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status != AssemblyStatus.CLOSED:
        _refuse([_("Minutes are published after the assembly has closed.")])
    if assembly.minutes_published_at:
        _refuse([_("These minutes are already published.")])
    if not minutes.strip():
        _refuse([_("The minutes are empty.")])
    assembly.minutes = minutes
    assembly.minutes_published_at, assembly.minutes_published_by = at or timezone.now(), by
    assembly.save(update_fields=["minutes", "minutes_published_at", "minutes_published_by"])
    return assembly
