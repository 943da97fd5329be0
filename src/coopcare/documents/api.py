"""API: documents kept on people cared for, carers and the cooperative: list, upload, new
versions, download, delete, and carers' documents that expire.

Uploads are ``multipart/form-data``: the file in ``file``, the other fields beside it. The
same rules as on the pages decide who sees what; downloads of a person's documents, and the
lists of them, are logged as reads of the person's care record.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from coopcare.accounts.ratelimit import refuse_upload_flood
from coopcare.bounds import Day, Id, PositiveCount
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role
from coopcare.documents import access, queries, rules, services
from coopcare.documents.models import Document, Kind, Owner

router = Router(tags=["documents"])
CARE_ROLES = (Role.COORDINATOR, Role.CARER)


class VersionOut(Schema):
    number: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    expires_on: date | None
    uploaded_by_id: int
    uploaded_at: datetime
    available: bool = Field(description="False once the document is deleted: its file is gone.")

    @staticmethod
    def resolve_available(version) -> bool:
        return bool(version.file)


class DocumentOut(Schema):
    id: int
    owner: str = Field(description="person, carer or cooperative.")
    person_id: int | None
    carer_id: int | None
    kind: str
    title: str
    expiry: str = Field(
        description="expired, expiring (within 60 days), valid, or empty if it does not expire."
    )
    deleted_at: datetime | None
    deletion_reason: str
    versions: list[VersionOut] = Field(description="Newest first.")

    @staticmethod
    def resolve_expiry(document) -> str:
        current = document.current
        return rules.expiry_status(current.expires_on if current else None, timezone.localdate())

    @staticmethod
    def resolve_versions(document) -> list:
        return list(document.versions.all())


class UploadIn(Schema):
    kind: Kind
    title: str = Field(min_length=1, max_length=200)
    expires_on: Day | None = Field(
        default=None, description="Certificates and background checks (which need one) only."
    )


class ReplaceIn(Schema):
    expires_on: Day | None = None


class DeleteIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


# The download's answer: the file itself, of one of the types coopcare keeps.
FILE_ANSWER = {
    "responses": {
        200: {
            "description": "The file, as an attachment.",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in rules.FILE_TYPES
            },
        }
    }
}


def _documents(documents) -> list[Document]:
    return list(documents.prefetch_related("versions"))


def _upload(request, cooperative, roles, details: UploadIn, file, *, person=None, carer=None):
    owner = Owner.PERSON if person else Owner.CARER if carer else Owner.COOPERATIVE
    if not access.may_add(request.auth, roles, owner=owner, carer=carer, kind=details.kind):
        raise PermissionDenied
    refuse_upload_flood(request.auth)
    document = services.upload(
        cooperative, person=person, carer=carer, file=file, by=request.auth, **details.dict()
    )
    return Status(201, document)


@router.get(
    "/{coop}/documents",
    response=list[DocumentOut],
    summary="The cooperative's documents (statutes, minutes...) the user's roles may read",
)
def list_cooperative_documents(request, coop: str):
    cooperative, roles = resolve_cooperative(request.auth, coop)
    kinds = access.readable_cooperative_kinds(roles)
    if not kinds:
        raise PermissionDenied
    return _documents(queries.cooperative_documents(cooperative, kinds))


@router.post(
    "/{coop}/documents",
    response={201: DocumentOut},
    summary="Upload a document of the cooperative (coordinators and the board)",
)
def upload_cooperative_document(
    request, coop: str, file: File[UploadedFile], details: Form[UploadIn]
):
    cooperative, roles = resolve_cooperative(request.auth, coop)
    return _upload(request, cooperative, roles, details, file)


@router.get(
    "/{coop}/documents/expiring",
    response=list[DocumentOut],
    summary="Carers' certificates and background checks expired or expiring within 60 days",
)
def list_expiring(request, coop: str):
    cooperative, _roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    rows = queries.expiring(cooperative, timezone.localdate())
    documents = [document for document, _status in rows]
    prefetch_related_objects(documents, "versions")
    return documents


@router.get(
    "/{coop}/people/{person_id}/documents",
    response=list[DocumentOut],
    summary="The documents kept on a person cared for (logged as a read of their record)",
)
def list_person_documents(request, coop: str, person_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop, CARE_ROLES)
    person = access.visible_person(request.auth, cooperative, roles, person_id)
    access.log_list(request.auth, person, via="api")
    return _documents(queries.person_documents(cooperative, person))


@router.post(
    "/{coop}/people/{person_id}/documents",
    response={201: DocumentOut},
    summary="Upload a document kept on a person cared for (coordinators)",
)
def upload_person_document(
    request, coop: str, person_id: Id, file: File[UploadedFile], details: Form[UploadIn]
):
    cooperative, roles = resolve_cooperative(request.auth, coop, CARE_ROLES)
    person = access.visible_person(request.auth, cooperative, roles, person_id)
    return _upload(request, cooperative, roles, details, file, person=person)


@router.get(
    "/{coop}/carers/{user_id}/documents",
    response=list[DocumentOut],
    summary="A carer's documents (the carer themself and coordinators)",
)
def list_carer_documents(request, coop: str, user_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop, CARE_ROLES)
    carer = access.visible_carer(request.auth, cooperative, roles, user_id)
    return _documents(queries.carer_documents(cooperative, carer))


@router.post(
    "/{coop}/carers/{user_id}/documents",
    response={201: DocumentOut},
    summary="Upload a carer's document (the carer themself and coordinators)",
)
def upload_carer_document(
    request, coop: str, user_id: Id, file: File[UploadedFile], details: Form[UploadIn]
):
    cooperative, roles = resolve_cooperative(request.auth, coop, CARE_ROLES)
    carer = access.visible_carer(request.auth, cooperative, roles, user_id)
    return _upload(request, cooperative, roles, details, file, carer=carer)


@router.get(
    "/{coop}/documents/{document_id}", response=DocumentOut, summary="One document, its versions"
)
def get_document(request, coop: str, document_id: Id):
    cooperative, roles = resolve_cooperative(request.auth, coop)
    document = access.visible_document(request.auth, cooperative, roles, document_id)
    access.log_document(request.auth, document, via="api")
    return document


@router.post(
    "/{coop}/documents/{document_id}/versions",
    response={201: DocumentOut},
    summary="Upload a new version of a document (the older versions are kept)",
)
def replace_document(
    request, coop: str, document_id: Id, file: File[UploadedFile], details: Form[ReplaceIn]
):
    cooperative, roles = resolve_cooperative(request.auth, coop)
    document = access.visible_document(request.auth, cooperative, roles, document_id)
    if not access.may_replace(request.auth, roles, document):
        raise PermissionDenied
    refuse_upload_flood(request.auth)
    services.replace(document, file=file, by=request.auth, expires_on=details.expires_on)
    document.refresh_from_db()
    return Status(201, document)


@router.get(
    "/{coop}/documents/{document_id}/versions/{version}",
    summary="Download one version's file (logged when the document is on a person)",
    openapi_extra=FILE_ANSWER,
)
def download_version(request, coop: str, document_id: Id, version: PositiveCount):
    cooperative, roles = resolve_cooperative(request.auth, coop)
    document = access.visible_document(request.auth, cooperative, roles, document_id)
    return access.download(request.auth, document, version, via="api")


@router.post(
    "/{coop}/documents/{document_id}/delete",
    response=DocumentOut,
    summary="Delete a document's files, with the reason (coordinators); its record stays",
)
def delete_document(request, coop: str, document_id: Id, payload: DeleteIn):
    cooperative, roles = resolve_cooperative(request.auth, coop, (Role.COORDINATOR,))
    document = access.visible_document(request.auth, cooperative, roles, document_id)
    return services.delete(document, reason=payload.reason, by=request.auth)
