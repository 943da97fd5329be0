"""The checks on a document before it is kept: its size, its type, its kind and its expiry.

Pure functions of plain values: each returns the problems it finds, as ``ValidationError``s
with their codes, and the services refuse an upload with any.
"""

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coopcare.documents.models import Kind, Owner


@dataclass(frozen=True)
class FileType:
    """A type of file coopcare keeps: its media type and the name endings it goes by."""

    media_type: str
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", (".pdf",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("image/png", (".png",))
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
# Documents people sign, scan or write: no executable content, no archives, no HTML (which a
# browser would run if it were ever shown inline).
FILE_TYPES = {t.media_type: t for t in (PDF, JPEG, PNG, ODT, DOCX)}

# Enough of a file's beginning to tell its type (an ODF file names its type at byte 38).
HEAD_BYTES = 128
ZIP_MAGIC = b"PK\x03\x04"

KINDS_BY_OWNER = {
    Owner.PERSON: (Kind.SIGNED_CARE_PLAN, Kind.CONSENT_FORM, Kind.OTHER),
    Owner.CARER: (
        Kind.CERTIFICATE,
        Kind.BACKGROUND_CHECK,
        Kind.EMPLOYMENT_CONTRACT,
        Kind.OTHER,
    ),
    Owner.COOPERATIVE: (Kind.STATUTES, Kind.MINUTES, Kind.OTHER),
}
# The kinds that lapse: an expiry date may be given for them, and a background check needs one.
EXPIRING_KINDS = (Kind.CERTIFICATE, Kind.BACKGROUND_CHECK)
# A document expiring within this many days is listed as expiring soon, as qualifications are.
EXPIRY_NOTICE = timedelta(days=60)


def file_type(head: bytes, zip_names: Collection[str] = ()) -> FileType | None:
    """The type of a file from its first bytes (its magic number), or None if not allowed.

    ``zip_names`` are the entries of the file when it is a ZIP archive (an ODT or a DOCX).
    Sources: PDF 1.7 (ISO 32000-1) 7.5.2, a file begins ``%PDF-``; JPEG (ISO/IEC 10918-1)
    begins with the SOI marker FF D8 and another marker FF; PNG (ISO/IEC 15948) 5.2, its
    8-byte signature; OpenDocument 1.3 part 2, 3.3: the first entry of the package is
    ``mimetype``, stored uncompressed, holding the media type (so it sits at byte 38 of the
    file); Office Open XML (ISO/IEC 29500-2) 10.1.2: a package holds ``[Content_Types].xml``,
    and a WordprocessingML one its main part ``word/document.xml``.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(ZIP_MAGIC):
        if head[30:38] == b"mimetype" and head[38:].startswith(ODT.media_type.encode()):
            return ODT
        if {"[Content_Types].xml", "word/document.xml"} <= set(zip_names):
            return DOCX
    return None


def kept_name(name: str) -> str:
    """The name a file is kept and downloaded under: ``name`` without folders, control
    characters or invisible formatting characters, at most 255 characters ending as it did.

    Source: coopcare's own rules. A right-to-left override (U+202E) makes
    ``scan\u202egnp.exe.pdf`` read as ``scanfdp.exe.png``, so a name could pass for another
    type on the pages and in the browser's save dialog; a line break or a NUL has no place in
    a name or a header."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    return name.strip()[-255:]


def upload_problems(
    *, name: str, size: int, found: FileType | None, limit: int
) -> list[ValidationError]:
    """What is wrong with an uploaded file named ``name`` of ``size`` bytes whose content is
    of type ``found`` (see :func:`file_type`), with uploads limited to ``limit`` bytes.

    Source: coopcare's own rules. Only the content decides the type: a name or a declared
    type can say anything, so a file whose content is not one of ``FILE_TYPES`` is refused,
    and so is one whose name says another type than its content (a PNG named .pdf would open
    in the wrong program, or not at all). The limit is the ``DOCUMENT_MAX_BYTES`` setting.
    """
    problems = []
    if size == 0:
        problems.append(ValidationError(_("The file is empty."), code="file_empty"))
    elif size > limit:
        problems.append(
            ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                code="file_too_large",
            )
        )
    if size and found is None:
        problems.append(
            ValidationError(
                _("Only PDF, JPEG, PNG, ODT and DOCX files are kept; this file is none of them."),
                code="file_type_not_allowed",
            )
        )
    elif found is not None and not name.lower().endswith(found.extensions):
        problems.append(
            ValidationError(
                _("The file's name does not end in %(extension)s, but its content is of that type.")
                % {"extension": found.extensions[0]},
                code="file_name_mismatch",
            )
        )
    return problems


def document_problems(*, owner: str, kind: str, expires_on: date | None) -> list[ValidationError]:
    """What is wrong with a document of ``kind`` kept on ``owner``, expiring on ``expires_on``.

    Sources: each owner keeps its own kinds (``KINDS_BY_OWNER``); only certificates and
    background checks lapse. A background check is valid for a time only (in Italy a criminal
    record certificate for six months, DPR 445/2000 art. 41), so it is kept with its expiry,
    which the carer's page and the coordinators' list then watch.
    """
    problems = []
    if kind not in KINDS_BY_OWNER[Owner(owner)]:
        problems.append(
            ValidationError(
                _("Documents of this kind (%(kind)s) are not kept on a %(owner)s.")
                % {"kind": Kind(kind).label, "owner": Owner(owner).label},
                code="kind_not_for_owner",
            )
        )
    if expires_on is not None and kind not in EXPIRING_KINDS:
        problems.append(
            ValidationError(
                _("Only certificates and background checks have an expiry date."),
                code="expiry_not_applicable",
            )
        )
    if expires_on is None and kind == Kind.BACKGROUND_CHECK:
        problems.append(
            ValidationError(
                _("A background check needs the date it expires."), code="expiry_missing"
            )
        )
    return problems


def expiry_status(expires_on: date | None, today: date) -> str:
    """``expired``, ``expiring`` (within ``EXPIRY_NOTICE``), ``valid``, or ``""`` for a
    document that does not expire.

    A document is valid up to the day before ``expires_on``: on that day it has expired, as a
    qualification has (``work.models.QualificationQuerySet.valid_on``)."""
    if expires_on is None:
        return ""
    if expires_on <= today:
        return "expired"
    if expires_on <= today + EXPIRY_NOTICE:
        return "expiring"
    return "valid"
