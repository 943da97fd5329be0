"""``{% carer_documents worker %}``: a carer's documents on their page (work/worker.html),
with those that have expired or expire soon, for the carer themself and the coordinators.

A tag rather than a line in the work app's view, so that the work pages need not know of
documents."""

from django import template
from django.utils import timezone

from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.documents import queries

register = template.Library()


@register.inclusion_tag("documents/_carer_documents.html", takes_context=True)
def carer_documents(context, carer):
    """The carer's documents in the page's cooperative: how many, and which expire."""
    request = context["request"]
    cooperative = request.cooperative
    may_see = Role.COORDINATOR in request.roles or carer.pk == request.user.pk
    # Workers who are not carers (a coordinator's own page) keep no carer's documents.
    is_carer = CooperativeRole.objects.filter(
        cooperative=cooperative, user=carer, role=Role.CARER
    ).exists()
    if not (may_see and is_carer):
        return {"hidden": True}
    documents = queries.carer_documents(cooperative, carer).filter(deleted_at__isnull=True)
    return {
        "cooperative": cooperative,
        "carer": carer,
        "count": documents.count(),
        "expiring": queries.expiring(cooperative, timezone.localdate(), carer=carer),
    }
