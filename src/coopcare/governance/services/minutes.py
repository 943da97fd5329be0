"""Minutes of an assembly: drafted from the record, edited by the secretary, published
to the members."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.governance.models import Assembly, AssemblyStatus
from coopcare.governance.queries import assembly_attendance
from coopcare.governance.services.proxies import live_proxies


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
        raise ValidationError(
            _("Minutes are published after the assembly has closed."), code="assembly_not_closed"
        )
    if assembly.minutes_published_at:
        raise ValidationError(
            _("These minutes are already published."), code="minutes_already_published"
        )
    if not minutes.strip():
        raise ValidationError(_("The minutes are empty."), code="minutes_empty")
    assembly.minutes = minutes
    assembly.minutes_published_at, assembly.minutes_published_by = at or timezone.now(), by
    assembly.save(update_fields=["minutes", "minutes_published_at", "minutes_published_by"])
    return assembly
