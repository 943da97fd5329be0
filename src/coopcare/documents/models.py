"""Documents kept on a person cared for, a carer or the cooperative itself, with every version.

A document belongs to one owner, named by explicit foreign keys (``person`` or ``carer``, or
neither for the cooperative's own papers) that a check constraint keeps consistent with
``owner``. Each upload is a :class:`DocumentVersion`; replacing a document adds a version and
keeps the older ones. Deleting a document removes its files but keeps the record that it
existed, who deleted it and why.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative


class Owner(models.TextChoices):
    PERSON = "person", _("person cared for")
    CARER = "carer", _("carer")
    COOPERATIVE = "cooperative", _("cooperative")


class Kind(models.TextChoices):
    SIGNED_CARE_PLAN = "signed_care_plan", _("signed care plan")
    CONSENT_FORM = "consent_form", _("consent form")
    CERTIFICATE = "certificate", _("certificate")
    BACKGROUND_CHECK = "background_check", _("background check")
    EMPLOYMENT_CONTRACT = "employment_contract", _("employment contract")
    STATUTES = "statutes", _("statutes")
    MINUTES = "minutes", _("minutes")
    OTHER = "other", _("other")


class Document(models.Model):
    """One document of one owner; its content is its versions, the newest being ``current``."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    owner = models.CharField(_("kept on"), max_length=12, choices=Owner.choices)
    person = models.ForeignKey(
        PersonCaredFor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("person cared for"),
    )
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("carer"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    current = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    deletion_reason = models.TextField(_("why it was deleted"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner=Owner.PERSON, person__isnull=False, carer__isnull=True)
                    | Q(owner=Owner.CARER, person__isnull=True, carer__isnull=False)
                    | Q(owner=Owner.COOPERATIVE, person__isnull=True, carer__isnull=True)
                ),
                name="document_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | ~Q(deletion_reason=""),
                name="document_deleted_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_deleted(self) -> bool:
        """Whether a coordinator deleted the document (its record stays, its files do not)."""
        return self.deleted_at is not None


def version_path(version: "DocumentVersion", filename: str) -> str:
    """Where a version's file is stored: a random name under the cooperative's folder.

    ``filename`` is the service's, with the extension of the type found in the content; the
    name people gave the file is kept in ``original_name`` only, so that nothing they typed
    reaches the storage's paths."""
    extension = PurePosixPath(filename).suffix
    return f"documents/{version.document.cooperative_id}/{uuid.uuid4().hex}{extension}"


class DocumentVersion(models.Model):
    """One uploaded file of a document. Versions are never changed; a new one is added."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
