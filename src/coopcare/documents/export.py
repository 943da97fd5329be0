"""Documents' section of a person's data export (``care.export``): each document kept on the
person, deleted ones included, with every version's file described (name, type, size,
SHA-256), and the files themselves for the download."""

from collections.abc import Iterator
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from coopcare.care.export import BundledFile, name, plain
from coopcare.documents.models import Document, DocumentVersion, Owner


def _kept_on(person):
    return Document.objects.filter(
        cooperative=person.cooperative_id, owner=Owner.PERSON, person=person
    )


def file_path(version: DocumentVersion) -> str:
    """Where a version's file is in the download: the name it was uploaded with (already
    rid of folders and control characters), under the document and version it belongs to."""
    uploaded = PurePosixPath(version.original_name).name or "file"
    return f"documents/{version.document_id}/v{version.number}/{uploaded}"


def person_documents(person) -> dict[str, Any]:
    """The documents kept on the person, each with its versions."""
    cooperative = person.cooperative
    documents = _kept_on(person).select_related("deleted_by", "current")
    versions = DocumentVersion.objects.filter(document__in=documents).select_related("uploaded_by")
    by_document: dict[int, list[DocumentVersion]] = {}
    for version in versions:
        by_document.setdefault(version.document_id, []).append(version)
    return {
        "documents": [
            {
                "document": d.pk,
                "kind": d.kind,
                "title": d.title,
                "current_version": d.current.number if d.current else None,
                "deleted_at": plain(d.deleted_at, cooperative),
                "deleted_by": name(d.deleted_by),
                "deletion_reason": d.deletion_reason,
                "versions": [
                    {
                        "version": v.number,
                        "file_name": v.original_name,
                        "type": v.content_type,
                        "size": v.size,
                        "sha256": v.sha256,
                        "expires_on": plain(v.expires_on, cooperative),
                        "uploaded_by": name(v.uploaded_by),
                        "uploaded_at": plain(v.uploaded_at, cooperative),
                        # A deleted document's files are gone: only its description stays.
                        "file": file_path(v) if v.file else None,
                    }
                    for v in by_document.get(d.pk, [])
                ],
            }
            for d in documents
        ]
    }


def person_document_files(person) -> Iterator[BundledFile]:
    """Every file still kept of the person's documents, for the download."""
    for version in DocumentVersion.objects.filter(document__in=_kept_on(person)).exclude(file=""):
        yield BundledFile(file_path(version), partial(version.file.open, "rb"))
