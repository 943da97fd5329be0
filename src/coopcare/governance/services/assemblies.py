"""Assemblies: calling one with its agenda (its notice sent as the statutes require),
opening and closing the session, and recording the members who attend."""

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.governance import rules
from coopcare.governance.models import (
    AgendaItem,
    Assembly,
    AssemblyStatus,
    Attendance,
    AttendanceMode,
    Proxy,
    QuestionStatus,
)
from coopcare.governance.services._common import Question, _own, _refuse
from coopcare.governance.services.minutes import draft_minutes
from coopcare.governance.services.notices import send_notice
from coopcare.governance.services.voting import close_vote
from coopcare.members.models import Member, MemberStatus


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
    agenda: Sequence[str] = (),
    called_by=None,
    site_url: str = "",
) -> Assembly:
    """Call an assembly with its agenda and send its notice (``notices.send_notice``) to every
    member entitled to attend, if the notice the statutes require is respected."""
    if not place and not online_link:
        raise ValidationError(
            _("Say where the assembly meets, or give a link to join online."),
            code="assembly_place_missing",
        )
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
    send_notice(assembly, on=called_on, sent_by=called_by, site_url=site_url)
    return assembly


def add_agenda_item(assembly: Assembly, title: str, details: str = "") -> AgendaItem:
    if assembly.status == AssemblyStatus.CLOSED:
        raise ValidationError(_("This assembly is closed."), code="assembly_closed")
    position = assembly.agenda.count() + 1
    return AgendaItem.objects.create(
        assembly=assembly, position=position, title=title, details=details
    )


@transaction.atomic
def open_session(assembly: Assembly, at: datetime | None = None) -> Assembly:
    """Open the session: attendance and votes in session can now be recorded."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status != AssemblyStatus.CALLED:
        raise ValidationError(
            _("Only an assembly that has been called and not yet held can be opened."),
            code="assembly_not_called",
        )
    assembly.status, assembly.opened_at = AssemblyStatus.IN_SESSION, at or timezone.now()
    assembly.save(update_fields=["status", "opened_at"])
    return assembly


@transaction.atomic
def close_session(assembly: Assembly, at: datetime | None = None) -> Assembly:
    """Close the session; votes still open in it are counted first."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status != AssemblyStatus.IN_SESSION:
        raise ValidationError(
            _("Only an assembly in session can be closed."), code="assembly_not_in_session"
        )
    at = at or timezone.now()
    questions: list[Question] = [*assembly.motions.all(), *assembly.elections.all()]
    for question in questions:
        if question.status == QuestionStatus.OPEN:
            close_vote(question, at)
    assembly.status, assembly.closed_at = AssemblyStatus.CLOSED, at
    assembly.save(update_fields=["status", "closed_at"])
    if not assembly.minutes:
        assembly.minutes = draft_minutes(assembly)
        assembly.save(update_fields=["minutes"])
    return assembly


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
        raise ValidationError(
            _("Attendance is recorded while the assembly is in session."),
            code="assembly_not_in_session",
        )
    if member.status != MemberStatus.ADMITTED:
        raise ValidationError(_("Only admitted members attend as members."), code="not_admitted")
    at = at or timezone.now()
    attendance, created = Attendance.objects.get_or_create(
        assembly=assembly,
        member=member,
        defaults={"mode": mode, "arrived_at": at, "recorded_by": recorded_by},
    )
    if not created:
        raise ValidationError(
            _("%(name)s is already recorded as present.") % {"name": member}, code="already_present"
        )
    Proxy.objects.filter(assembly=assembly, giver=member, lapsed_at__isnull=True).update(
        lapsed_at=at
    )
    return attendance
