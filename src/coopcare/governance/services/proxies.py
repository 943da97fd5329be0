"""Proxies: a member gives another member their vote at one assembly, or takes it back;
and the proxies that still count."""

from datetime import datetime

from django.core.exceptions import ValidationError
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
        problems.append(
            ValidationError(
                _("Board members vote in person; a board meeting takes no proxies."),
                code="board_takes_no_proxies",
            )
        )
    if assembly.status == AssemblyStatus.CLOSED:
        problems.append(ValidationError(_("This assembly is closed."), code="assembly_closed"))
    if giver.pk == holder.pk:
        problems.append(
            ValidationError(_("A member cannot hold their own proxy."), code="own_proxy")
        )
    if giver.status != MemberStatus.ADMITTED or holder.status != MemberStatus.ADMITTED:
        problems.append(
            ValidationError(_("Proxies pass only between admitted members."), code="not_admitted")
        )
    if Attendance.objects.filter(assembly=assembly, member=giver).exists():
        problems.append(
            ValidationError(
                _("%(name)s is present and votes in person.") % {"name": giver},
                code="giver_present",
            )
        )
    if Proxy.objects.filter(assembly=assembly, giver=holder, lapsed_at__isnull=True).exists():
        problems.append(
            ValidationError(
                _("%(name)s has given their own proxy and cannot hold others.") % {"name": holder},
                code="holder_gave_proxy",
            )
        )
    if Proxy.objects.filter(assembly=assembly, giver=giver, lapsed_at__isnull=True).exists():
        problems.append(
            ValidationError(
                _("%(name)s has already given a proxy for this assembly; withdraw it first.")
                % {"name": giver},
                code="proxy_already_given",
            )
        )
    cap = statutes_of(assembly.cooperative).proxies_per_holder
    held = Proxy.objects.filter(assembly=assembly, holder=holder, lapsed_at__isnull=True).count()
    if held >= cap:
        problems.append(
            ValidationError(
                _("%(name)s already holds %(held)s proxies, the most the statutes allow (%(cap)s).")
                % {"name": holder, "held": held, "cap": cap},
                code="too_many_proxies",
            )
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
        problems.append(ValidationError(_("This proxy has already lapsed."), code="proxy_lapsed"))
    elif proxy.assembly.status != AssemblyStatus.CALLED:
        problems.append(
            ValidationError(
                _("A proxy can be withdrawn only before the assembly opens."),
                code="assembly_already_opened",
            )
        )
    _refuse(problems)
    proxy.lapsed_at = at or timezone.now()
    proxy.save(update_fields=["lapsed_at"])
    return proxy


def live_proxies(assembly: Assembly) -> QuerySet[Proxy]:
    """Proxies that still count: not withdrawn, and the giver has not come."""
    return assembly.proxies.filter(lapsed_at__isnull=True).select_related("giver", "holder")
