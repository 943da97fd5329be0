"""Actions on documents: upload, replace (a new version), delete. One transaction each.

Files go through Django's storage API (the ``default`` storage of ``STORAGES``): files under
``MEDIA_ROOT`` unless the settings name another backend, such as an S3-compatible store.
"""

import hashlib
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative, CooperativeRole, Role
from coopcare.documents import rules
from coopcare.documents.models import Document, DocumentVersion, Owner
from coopcare.privacy.restriction import refuse_new_processing


def _inspect(file: UploadedFile) -> tuple[rules.FileType | None, str]:
    """The type the file's content shows, and its SHA-256 digest."""
    file.seek(0)
    head = file.read(rules.HEAD_BYTES)
    names: list[str] = []
    if head.startswith(rules.ZIP_MAGIC):
        file.seek(0)
        try:
            names = zipfile.ZipFile(file).namelist()
        # A damaged or crafted archive (a version or a name zipfile cannot read) is of no type
        # coopcare keeps, not a server error.
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
            names = []
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return rules.file_type(head, names), digest.hexdigest()


def _checked(file: UploadedFile, owner: str, kind: str, expires_on) -> tuple[rules.FileType, str]:
    """The file's type and digest, once every rule on it and on the document holds."""
    found, digest = _inspect(file)
    problems = rules.document_problems(owner=owner, kind=kind, expires_on=expires_on)
    problems += rules.upload_problems(
        name=rules.kept_name(file.name or ""),
        size=file.size or 0,
        found=found,
        limit=settings.DOCUMENT_MAX_BYTES,
    )
    # A file of no known type is always among the problems (as unknown, or as empty).
    if problems or found is None:
        raise ValidationError(problems)
    return found, digest


def _add_version(document: Document, file: UploadedFile, found, digest, expires_on, by):
    number = (document.versions.order_by("-number").values_list("number", flat=True).first()) or 0
    version = DocumentVersion(
        document=document,
        number=number + 1,
        original_name=rules.kept_name(file.name or ""),
        content_type=found.media_type,
        size=file.size or 0,
        sha256=digest,
        expires_on=expires_on,
        uploaded_by=by,
    )
    # Written to the storage before the row: if the transaction then fails, a file is left
    # without a row (harmless), never a row without its file.
    version.file.save(f"upload{found.extensions[0]}", file, save=False)
    version.save()
    document.current = version
    document.save(update_fields=["current"])
    return version


@transaction.atomic
def upload(
    cooperative: Cooperative,
    *,
    kind: str,
    title: str,
    file: UploadedFile,
    by,
    person: PersonCaredFor | None = None,
    carer=None,
    expires_on=None,
) -> Document:
    """Keep a new document on ``person``, on ``carer``, or (neither given) on the cooperative."""
    owner = Owner.PERSON if person else Owner.CARER if carer else Owner.COOPERATIVE
    if person is not None and person.cooperative_id != cooperative.pk:
        raise ValidationError(
            _("This person is cared for by another cooperative."),
            code="owner_of_another_cooperative",
        )
    if (
        carer is not None
        and not CooperativeRole.objects.filter(
            cooperative=cooperative, user=carer, role=Role.CARER
        ).exists()
    ):
        raise ValidationError(
            _("This person is not a carer of the cooperative."), code="owner_not_a_carer"
        )
    if person is not None:
        refuse_new_processing(person)
    found, digest = _checked(file, owner, kind, expires_on)
    document = Document.objects.create(
        cooperative=cooperative,
        owner=owner,
        person=person,
        carer=carer,
        kind=kind,
        title=title,
    )
    _add_version(document, file, found, digest, expires_on, by)
    return document


@transaction.atomic
def replace(document: Document, *, file: UploadedFile, by, expires_on=None) -> DocumentVersion:
    """Add a new version of ``document``; the older versions are kept."""
    # Locked, so that two replacements at once do not both take the next number.
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_deleted:
        raise ValidationError(_("This document was deleted."), code="document_deleted")
    found, digest = _checked(file, document.owner, document.kind, expires_on)
    return _add_version(document, file, found, digest, expires_on, by)


@transaction.atomic
def delete(document: Document, *, reason: str, by) -> Document:
    """Delete the files of every version of ``document``, keeping the record that it existed:
    its title, kind and versions (names, sizes, digests, who uploaded them), who deleted it,
    when and why."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_deleted:
        raise ValidationError(_("This document was already deleted."), code="document_deleted")
    if not reason.strip():
        raise ValidationError(_("Say why the document is deleted."), code="deletion_reason_missing")
    names = [name for name in document.versions.values_list("file", flat=True) if name]
    document.versions.update(file="")
    document.deleted_at = timezone.now()
    document.deleted_by = by
    document.deletion_reason = reason.strip()
    document.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])

    def remove_files():
        for name in names:
            default_storage.delete(name)

    # Only once the deletion is recorded: a deletion rolled back keeps its files.
    transaction.on_commit(remove_files)
    return document
