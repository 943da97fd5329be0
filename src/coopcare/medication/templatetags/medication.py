"""Medication on the pages of visits, without visits knowing of medication:

- ``{% visit_doses visit %}`` on a carer's visit card: the doses due, how many are still to
  record before check-out, with the link to record them;
- ``{% doses_not_taken %}`` on the coordinators' follow-up page: the doses refused, not
  available or not given, over the page's window (each person shown is a logged read).
"""

from django import template
from django.utils import timezone

from coopcare.care.access import log_reads
from coopcare.medication import queries
from coopcare.visits.queries import FOLLOW_UP_WINDOW

register = template.Library()


@register.inclusion_tag("medication/_visit_doses.html", takes_context=True)
def visit_doses(context, visit):
    """How many doses are due at ``visit`` and how many are still to record. The card's page
    already logs the read of the person's records."""
    request = context["request"]
    # One look-up for every card of the page, made at the first card.
    if not hasattr(request, "_medication_at"):
        cards = context.get("cards") or [{"visit": visit}]
        request._medication_at = queries.medication_at(card["visit"] for card in cards)
    due, as_needed = (
        request._medication_at.get(visit.pk) or queries.medication_at([visit])[visit.pk]
    )
    if not due and not as_needed:
        return {"hidden": True}
    return {
        "cooperative": request.cooperative,
        "visit": visit,
        "due": len(due),
        "unrecorded": sum(1 for d in due if d.record is None),
        "as_needed": bool(as_needed),
    }


@register.inclusion_tag("medication/_not_taken.html", takes_context=True)
def doses_not_taken(context):
    """The doses not taken in the follow-up page's window, for the coordinators."""
    request = context["request"]
    since = timezone.now() - FOLLOW_UP_WINDOW
    doses = list(queries.not_taken(request.cooperative, since)[:100])
    # Which medicines someone refused is a read of their care record, logged as any other.
    people = {dose.person_id: dose.person for dose in doses}
    log_reads(request.user, people.values(), "doses not taken")
    return {"cooperative": request.cooperative, "doses": doses}
