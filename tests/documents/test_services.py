"""Upload, replace and delete: what is stored, what is kept, what is refused."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from coopcare.cooperatives.models import Role
from coopcare.documents import services
from coopcare.documents.models import Document, DocumentVersion
from tests import factories
from tests.documents import files


def test_an_upload_is_stored_under_a_random_name_with_its_digest(coop, consent, media):
    version = consent.current
    assert consent.owner == "person" and version.number == 1
    assert version.original_name == "consent.pdf"
    assert version.content_type == "application/pdf"
    assert version.size == len(files.PDF)
    assert len(version.sha256) == 64
    assert version.file.name.startswith(f"documents/{coop.pk}/")
    assert version.file.name.endswith(".pdf") and "consent" not in version.file.name
    assert (media / version.file.name).read_bytes() == files.PDF


def test_a_replacement_adds_a_version_and_keeps_the_older(consent, coordinator):
    first = consent.current
    second = services.replace(
        consent, file=files.upload(files.odt(), "consent-signed.odt", ""), by=coordinator
    )
    consent.refresh_from_db()
    assert consent.current == second and second.number == 2
    assert second.content_type == "application/vnd.oasis.opendocument.text"
    assert list(consent.versions.values_list("number", flat=True)) == [2, 1]
    assert default_storage.exists(first.file.name) and default_storage.exists(second.file.name)


def test_a_deletion_removes_the_files_and_keeps_the_record(
    consent, coordinator, django_capture_on_commit_callbacks
):
    services.replace(consent, file=files.upload(files.PDF, "v2.pdf"), by=coordinator)
    names = list(consent.versions.values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        services.delete(consent, reason="Uploaded to the wrong person", by=coordinator)
    consent.refresh_from_db()
    assert consent.is_deleted and consent.deleted_by == coordinator
    assert consent.deletion_reason == "Uploaded to the wrong person"
    assert not any(default_storage.exists(name) for name in names)
    assert [v.original_name for v in consent.versions.all()] == ["v2.pdf", "consent.pdf"]
    assert not any(v.file for v in consent.versions.all())


def test_a_deletion_needs_a_reason_and_happens_once(consent, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.delete(consent, reason="  ", by=coordinator)
    assert refused.value.code == "deletion_reason_missing"
    services.delete(consent, reason="Duplicate", by=coordinator)
    with pytest.raises(ValidationError) as again:
        services.delete(consent, reason="Duplicate", by=coordinator)
    assert again.value.code == "document_deleted"
    with pytest.raises(ValidationError) as replaced:
        services.replace(consent, file=files.upload(), by=coordinator)
    assert replaced.value.code == "document_deleted"


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (files.upload(files.HTML, "consent.pdf", "application/pdf"), "file_type_not_allowed"),
        (files.upload(files.EXE, "consent.pdf"), "file_type_not_allowed"),
        (files.upload(files.plain_zip(), "consent.docx"), "file_type_not_allowed"),
        (files.upload(files.PNG, "consent.pdf"), "file_name_mismatch"),
        (files.upload(b"", "consent.pdf"), "file_empty"),
    ],
)
def test_files_of_other_types_are_refused_whatever_they_claim(
    coop, person, coordinator, upload, code
):
    with pytest.raises(ValidationError) as refused:
        services.upload(
            coop, person=person, kind="consent_form", title="X", file=upload, by=coordinator
        )
    assert _codes(refused.value) == {code}
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_a_file_over_the_limit_is_refused(coop, person, coordinator, settings):
    settings.DOCUMENT_MAX_BYTES = len(files.PDF) - 1
    with pytest.raises(ValidationError) as refused:
        services.upload(
            coop, person=person, kind="consent_form", title="X", file=files.upload(), by=coordinator
        )
    assert _codes(refused.value) == {"file_too_large"}
    assert not Document.objects.exists()


def test_owners_of_another_cooperative_are_refused(coop, coordinator):
    other = factories.CooperativeFactory()
    with pytest.raises(ValidationError) as refused:
        services.upload(
            coop,
            person=factories.person_cared_for(other),
            kind="consent_form",
            title="X",
            file=files.upload(),
            by=coordinator,
        )
    assert refused.value.code == "owner_of_another_cooperative"
    with pytest.raises(ValidationError) as not_carer:
        services.upload(
            coop,
            carer=factories.user_with_role(other, Role.CARER),
            kind="certificate",
            title="X",
            file=files.upload(),
            by=coordinator,
        )
    assert not_carer.value.code == "owner_not_a_carer"
    assert not Document.objects.exists()


def test_a_background_check_is_kept_with_its_expiry(coop, carer, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.upload(
            coop,
            carer=carer,
            kind="background_check",
            title="X",
            file=files.upload(),
            by=coordinator,
        )
    assert _codes(refused.value) == {"expiry_missing"}
    document = services.upload(
        coop,
        carer=carer,
        kind="background_check",
        title="Casellario",
        file=files.upload(),
        expires_on=date(2027, 6, 1),
        by=coordinator,
    )
    assert document.owner == "carer" and document.current.expires_on == date(2027, 6, 1)
