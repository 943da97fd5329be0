"""Handover notes on the person's page, without care knowing of them:
``{% person_handover person %}`` lists the person's handover notes with who read each, and
gives coordinators the form to write one and the button to mark one no longer relevant. The
person's page already checks who may see the person; this logs the read of the notes."""

from django import template

from coopcare.cooperatives.models import Role
from coopcare.visits import forms, queries
from coopcare.visits.access import log_handover_reads

register = template.Library()


@register.inclusion_tag("visits/_person_handover.html", takes_context=True)
def person_handover(context, person):
    """The person's handover notes of the last ``queries.HANDOVER_HISTORY``."""
    request = context["request"]
    notes = list(queries.handover_of(person))
    if notes:
        log_handover_reads(request.user, [person])
    return {
        "cooperative": request.cooperative,
        "person": person,
        "notes": notes,
        "is_coordinator": Role.COORDINATOR in request.roles,
        # Its own ids, apart from the other forms of the page.
        "form": forms.HandoverForm(auto_id="handover-%s"),
        "csrf_token": context.get("csrf_token"),
    }
