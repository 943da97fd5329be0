"""Who may see and change which documents, and the read log of documents on a person.

Documents follow the records they belong to:

- on a person cared for: whoever may see the person now (``care.access.people_visible_to``:
  coordinators, and a carer while they have visits with the person); each list and each
  download is logged in the care record read log;
- on a carer: the carer themself and the coordinators;
- on the cooperative: by kind, the roles in ``COOPERATIVE_READERS``.

Coordinators upload, replace and delete; the board also keeps the cooperative's papers, and a
carer their own documents (only coordinators delete), but for their background check, which
only a coordinator records (``COORDINATOR_KINDS``).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers, patch_cache_control

from coopcare.care import access as care_access
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.documents.models import Document, DocumentVersion, Kind, Owner
from coopcare.documents.rules import KINDS_BY_OWNER

COOPERATIVE_READERS = {
    Kind.STATUTES: {Role.MEMBER, Role.BOARD, Role.COORDINATOR, Role.CARER},
    Kind.MINUTES: {Role.MEMBER, Role.BOARD, Role.COORDINATOR},
    Kind.OTHER: {Role.BOARD, Role.COORDINATOR},
}
COOPERATIVE_KEEPERS = {Role.BOARD, Role.COORDINATOR}
# A background check (a criminal record certificate) is the cooperative's check of a carer,
# seen by a coordinator: a carer may not record one, nor replace the one a coordinator
# recorded. Their certificates and other papers they keep themselves.
COORDINATOR_KINDS = {Kind.BACKGROUND_CHECK}


def readable_cooperative_kinds(roles) -> list[str]:
    """The kinds of the cooperative's documents that ``roles`` may read."""
    return [kind for kind, readers in COOPERATIVE_READERS.items() if readers & set(roles)]


def visible_documents(user, cooperative: Cooperative, roles) -> QuerySet[Document]:
    """Every document of ``cooperative`` that ``user``, holding ``roles``, may see now."""
    people = care_access.people_visible_to(user, cooperative, roles)
    allowed = Q(owner=Owner.PERSON, person__in=people.values("pk"))
    allowed |= Q(owner=Owner.CARER) if Role.COORDINATOR in roles else Q(carer=user)
    allowed |= Q(owner=Owner.COOPERATIVE, kind__in=readable_cooperative_kinds(roles))
    return Document.objects.filter(cooperative=cooperative).filter(allowed)


def visible_document(user, cooperative: Cooperative, roles, document_id: int) -> Document:
    """The document, if ``user`` may see it; 404 otherwise (as if it did not exist)."""
    return get_object_or_404(
        visible_documents(user, cooperative, roles).select_related("person", "carer", "current"),
        pk=document_id,
    )


def visible_person(user, cooperative: Cooperative, roles, person_id: int) -> PersonCaredFor:
    """The person, if ``user`` may see them now; 404 otherwise."""
    return get_object_or_404(care_access.people_visible_to(user, cooperative, roles), pk=person_id)


def visible_carer(user, cooperative: Cooperative, roles, user_id: int):
    """The carer ``user_id``, to a coordinator or to the carer themself; 404 otherwise."""
    if Role.COORDINATOR not in roles and user.pk != user_id:
        raise Http404
    return get_object_or_404(
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative, cooperative_roles__role=Role.CARER
        )
        .distinct(),
        pk=user_id,
    )


def may_add(user, roles, *, owner: str, carer=None, kind: str | None = None) -> bool:
    """Whether ``user`` may upload a document (or a new version) kept on ``owner``: of
    ``kind``, or (None) of some kind."""
    if Role.COORDINATOR in roles:
        return True
    if kind in COORDINATOR_KINDS:
        return False
    if owner == Owner.COOPERATIVE:
        return bool(COOPERATIVE_KEEPERS & set(roles))
    return owner == Owner.CARER and carer is not None and carer.pk == user.pk


def addable_kinds(user, roles, *, owner: str, carer=None) -> list[str]:
    """The kinds of document ``user`` may upload on ``owner``, in the owner's order."""
    return [
        kind
        for kind in KINDS_BY_OWNER[Owner(owner)]
        if may_add(user, roles, owner=owner, carer=carer, kind=kind)
    ]


def may_replace(user, roles, document: Document) -> bool:
    """Whether ``user`` may add a version to ``document``."""
    return not document.is_deleted and may_add(
        user, roles, owner=document.owner, carer=document.carer, kind=document.kind
    )


def may_delete(roles, document: Document) -> bool:
    """Only coordinators delete, and only a document not deleted yet."""
    return Role.COORDINATOR in roles and not document.is_deleted


def log_list(user, person: PersonCaredFor, via: str = "web") -> None:
    """Record that ``user`` saw the list of the person's documents."""
    care_access.log_read(user, person, "documents", via=via)


def log_document(user, document: Document, via: str = "web", version: int | None = None) -> None:
    """Record that ``user`` opened a document on a person (or one version's file)."""
    if document.person is None:
        return
    record = f"document {document.pk}" + (f" version {version}" if version else "")
    care_access.log_read(user, document.person, record, via=via)


def download(user, document: Document, number: int, via: str = "web") -> FileResponse:
    """The file of version ``number``, as an attachment, logged when on a person; 404 for a
    deleted document (its files are gone)."""
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    if not version.file:
        raise Http404
    log_document(user, document, via=via, version=number)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    # Care records and personal papers: no copy in a shared cache or the browser's.
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
