"""Proxies: a member gives another member their vote at one assembly, or takes it back;
and the proxies that still count."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.governance.models import Assembly, AssemblyKind, AssemblyStatus, Attendance, Proxy
from coopcare.governance.services._common import _own, _refuse
from coopcare.governance.services.statutes import statutes_of
from coopcare.members.models import Member, MemberStatus


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
