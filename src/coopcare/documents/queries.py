"""Reads of documents shared by the pages and the API, each scoped to one cooperative."""

from datetime import date

from django.db.models import QuerySet

from coopcare.cooperatives.models import Cooperative
from coopcare.documents import rules
from coopcare.documents.models import Document, Owner


def _listed(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("current", "deleted_by").order_by("kind", "title", "pk")


def person_documents(cooperative: Cooperative, person) -> QuerySet[Document]:
    """The documents kept on ``person``, deleted ones included (marked as such)."""
    return _listed(Document.objects.filter(cooperative=cooperative, person=person))


def carer_documents(cooperative: Cooperative, carer) -> QuerySet[Document]:
    """The documents kept on ``carer`` in ``cooperative``, deleted ones included."""
    return _listed(Document.objects.filter(cooperative=cooperative, carer=carer))


def cooperative_documents(cooperative: Cooperative, kinds: list[str]) -> QuerySet[Document]:
    """The cooperative's own documents of ``kinds`` (those the reader may see)."""
    return _listed(
        Document.objects.filter(cooperative=cooperative, owner=Owner.COOPERATIVE, kind__in=kinds)
    )


def expiring(cooperative: Cooperative, today: date, carer=None) -> list[tuple[Document, str]]:
    """Carers' documents, not deleted, whose current version has expired or expires within
    ``rules.EXPIRY_NOTICE``, soonest first, each with its status (``expired``, ``expiring``);
    of one carer only if ``carer`` is given."""
    documents = Document.objects.filter(
        cooperative=cooperative,
        owner=Owner.CARER,
        kind__in=rules.EXPIRING_KINDS,
        deleted_at__isnull=True,
        current__expires_on__lte=today + rules.EXPIRY_NOTICE,
    )
    if carer is not None:
        documents = documents.filter(carer=carer)
    documents = documents.select_related("current", "carer").order_by("current__expires_on", "pk")
    return [
        (d, rules.expiry_status(d.current.expires_on if d.current else None, today))
        for d in documents
    ]
