"""Notices of assemblies: the convocation sent to every member entitled to attend, by email in
their own language, or by post (a printed letter) to a member without an email address.

Each member's notice is recorded (``AssemblyNotice``), so that the cooperative can prove who
was called, when, how and with which agenda; a member is never sent the same notice twice.
When the agenda changes before the assembly, the board sends an amended notice to everyone.
Every notice keeps the statutes' days of notice (``rules.notice_problems``)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.governance import rules
from coopcare.governance.models import (
    Assembly,
    AssemblyNotice,
    AssemblyStatus,
    NoticeChannel,
    Statutes,
)
from coopcare.governance.services._common import _refuse
from coopcare.governance.services.statutes import entitled_members, statutes_of
from coopcare.members.models import Member
from coopcare.notify import Notice, Topic, send, to_member


def notice_days(statutes: Statutes, kind: str) -> int:
    """The days of notice the statutes require for an assembly of ``kind``."""
    return rules.notice_days_required(
        kind,
        ordinary=statutes.notice_days_ordinary,
        extraordinary=statutes.notice_days_extraordinary,
        board=statutes.notice_days_board,
    )


def agenda_text(assembly: Assembly) -> str:
    """The agenda as it is sent, one numbered item a line (kept on each notice as proof)."""
    return "\n".join(f"{item.position}. {item.title}" for item in assembly.agenda.all())


def check_notice(assembly: Assembly, sent_on: date) -> None:
    """Refuse a notice sent on ``sent_on`` that comes too late: after the assembly opened, or
    with fewer days before it than the statutes require."""
    if assembly.status != AssemblyStatus.CALLED:
        raise ValidationError(
            _("Notices are sent before the assembly opens."), code="notice_after_opening"
        )
    days = notice_days(statutes_of(assembly.cooperative), assembly.kind)
    # The day it meets where the cooperative is, not in UTC.
    _refuse(rules.notice_problems(sent_on, timezone.localtime(assembly.starts_at), days))


@transaction.atomic
def send_notice(
    assembly: Assembly, *, on: date | None = None, sent_by=None, site_url: str = ""
) -> list[AssemblyNotice]:
    """Send the notice of ``assembly`` to every member entitled to attend who has not had it:
    everyone the first time (calling the assembly does this), members admitted since then
    afterwards. Emails go once the transaction commits; members without an email address are
    recorded to be sent a letter.

    ``site_url`` (the address of coopcare, ``https://...``) makes the links in the emails
    whole. Refused when every entitled member already has the notice sent before
    (``notice_already_sent``) or when it comes too late (``check_notice``)."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    on = on or timezone.localdate()
    check_notice(assembly, on)
    amendment = assembly.notices.aggregate(latest=Max("amendment"))["latest"] or 0
    already = assembly.notices.filter(amendment=amendment).values_list("member_id", flat=True)
    members = entitled_members(assembly.cooperative, assembly).exclude(pk__in=already)
    if already.exists() and not members.exists():
        raise ValidationError(
            _("Every member entitled to attend has already been sent this notice."),
            code="notice_already_sent",
        )
    return _send(assembly, members, amendment, on, sent_by, site_url)


@transaction.atomic
def send_amended_notice(
    assembly: Assembly, *, on: date | None = None, sent_by=None, site_url: str = ""
) -> list[AssemblyNotice]:
    """Send an amended notice, with the agenda as it now stands, to every member entitled to
    attend. Refused before the first notice (``notice_not_sent``), when the agenda is the one
    last sent (``agenda_unchanged``), or when it comes too late (``check_notice``)."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    on = on or timezone.localdate()
    last = assembly.notices.order_by("-amendment").first()
    if last is None:
        raise ValidationError(
            _("The notice of this assembly has not been sent yet."), code="notice_not_sent"
        )
    if last.agenda == agenda_text(assembly):
        raise ValidationError(
            _("The agenda has not changed since the last notice."), code="agenda_unchanged"
        )
    check_notice(assembly, on)
    members = entitled_members(assembly.cooperative, assembly)
    return _send(assembly, members, last.amendment + 1, on, sent_by, site_url)


def _send(
    assembly: Assembly,
    members: QuerySet[Member],
    amendment: int,
    on: date,
    sent_by,
    site_url: str,
) -> list[AssemblyNotice]:
    agenda = agenda_text(assembly)
    notices = AssemblyNotice.objects.bulk_create(
        AssemblyNotice(
            assembly=assembly,
            member=member,
            amendment=amendment,
            sent_on=on,
            channel=NoticeChannel.EMAIL if member.email else NoticeChannel.POST,
            email=member.email,
            agenda=agenda,
            sent_by=sent_by,
        )
        for member in members.select_related("user__profile")
    )
    slug = assembly.cooperative.slug
    context = {
        "assembly": assembly,
        "cooperative": assembly.cooperative,
        "agenda": list(assembly.agenda.all()),
        "amended": amendment > 0,
        "assembly_url": site_url + reverse("governance:assembly", args=[slug, assembly.pk]),
        "proxy_form_url": site_url + reverse("governance:proxy_form", args=[slug, assembly.pk]),
    }
    subject = (
        gettext_lazy("Amended notice: %(title)s")
        if amendment
        else gettext_lazy("Notice: %(title)s")
    )
    send(
        Notice(
            to_member(notice.member),
            subject,
            "governance/notice.txt",
            context | {"member": notice.member},
            {"title": assembly.title},
            topic=Topic.VOTE,
            url=reverse("governance:assembly", args=[slug, assembly.pk]),
        )
        for notice in notices
        if notice.channel == NoticeChannel.EMAIL
    )
    return notices
