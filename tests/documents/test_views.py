"""The document pages: who sees which documents, uploads, versions, deletion, downloads and
their read log, and the expiring documents of carers."""

from datetime import timedelta

from django.utils import timezone

from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.documents import services
from coopcare.documents.models import Document
from tests import factories
from tests.documents import files


def test_a_coordinator_uploads_on_a_person_and_downloads(client, coop, person, coordinator):
    factories.log_in(client, coordinator)
    url = f"/c/{coop.slug}/documents/people/{person.pk}/"
    response = client.post(
        url, {"kind": "signed_care_plan", "title": "Care plan, signed", "file": files.upload()}
    )
    assert response.status_code == 302
    document = Document.objects.get(person=person)
    assert document.kind == "signed_care_plan" and document.current.uploaded_by == coordinator
    page = client.get(url)
    assert page.status_code == 200 and b"Care plan, signed" in page.content
    download = client.get(f"/c/{coop.slug}/documents/{document.pk}/versions/1/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]
    reads = set(CareRecordRead.objects.filter(person=person).values_list("record", flat=True))
    assert {"documents", f"document {document.pk} version 1"} <= reads


def test_a_refused_upload_shows_why_and_keeps_nothing(client, coop, person, coordinator):
    factories.log_in(client, coordinator)
    response = client.post(
        f"/c/{coop.slug}/documents/people/{person.pk}/",
        {"kind": "consent_form", "title": "X", "file": files.upload(files.HTML, "x.pdf")},
    )
    assert response.status_code == 400
    assert b"Only PDF, JPEG, PNG, ODT and DOCX files are kept" in response.content
    assert not Document.objects.exists()


def test_a_carer_sees_the_documents_of_people_they_serve_only(client, coop, served, carer, consent):
    factories.log_in(client, carer)
    assert client.get(f"/c/{coop.slug}/documents/people/{served.pk}/").status_code == 200
    assert client.get(f"/c/{coop.slug}/documents/{consent.pk}/versions/1/").status_code == 200
    assert CareRecordRead.objects.filter(
        user=carer, person=served, record=f"document {consent.pk} version 1"
    ).exists()
    # They cannot upload on the person: that is a coordinator's.
    response = client.post(
        f"/c/{coop.slug}/documents/people/{served.pk}/",
        {"kind": "consent_form", "title": "X", "file": files.upload()},
    )
    assert response.status_code == 403
    stranger = factories.person_cared_for(coop)
    other = services.upload(
        coop,
        person=stranger,
        kind="consent_form",
        title="Not theirs",
        file=files.upload(),
        by=consent.current.uploaded_by,
    )
    assert client.get(f"/c/{coop.slug}/documents/people/{stranger.pk}/").status_code == 404
    assert client.get(f"/c/{coop.slug}/documents/{other.pk}/").status_code == 404
    assert client.get(f"/c/{coop.slug}/documents/{other.pk}/versions/1/").status_code == 404
    assert not CareRecordRead.objects.filter(user=carer, person=stranger).exists()


def test_a_carer_who_no_longer_serves_the_person_cannot_download(
    client, coop, person, carer, consent
):
    factories.visit(person, [carer], day=timezone.localdate() - timedelta(days=3))
    factories.log_in(client, carer)
    assert client.get(f"/c/{coop.slug}/documents/{consent.pk}/versions/1/").status_code == 404


def test_carer_documents_are_the_carers_and_the_coordinators(
    client, coop, carer, coordinator, background_check
):
    url = f"/c/{coop.slug}/documents/carers/{carer.pk}/"
    colleague = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, colleague)
    assert client.get(url).status_code == 404
    assert client.get(f"/c/{coop.slug}/documents/{background_check.pk}/").status_code == 404
    factories.log_in(client, carer)
    assert b"Criminal record certificate" in client.get(url).content
    # A carer keeps their own certificates.
    response = client.post(
        url,
        {
            "kind": "certificate",
            "title": "First aid",
            "file": files.upload(files.JPEG, "first-aid.jpg", "image/jpeg"),
            "expires_on": "2028-01-01",
        },
    )
    assert response.status_code == 302
    assert Document.objects.get(title="First aid").carer == carer
    factories.log_in(client, coordinator)
    assert client.get(url).status_code == 200


def test_a_carer_neither_adds_nor_replaces_a_background_check(
    client, coop, carer, background_check
):
    factories.log_in(client, carer)
    url = f"/c/{coop.slug}/documents/carers/{carer.pk}/"
    page = client.get(url)
    assert b'value="certificate"' in page.content
    assert b'value="background_check"' not in page.content
    forged = client.post(
        url,
        {
            "kind": "background_check",
            "title": "Clean record",
            "file": files.upload(files.PNG, "clean.png", "image/png"),
            "expires_on": "2028-01-01",
        },
    )
    assert forged.status_code == 400
    assert not Document.objects.filter(title="Clean record").exists()
    document_url = f"/c/{coop.slug}/documents/{background_check.pk}/"
    assert b"Criminal record certificate" in client.get(document_url).content
    replaced = client.post(
        f"{document_url}replace/",
        {"file": files.upload(files.PNG, "clean.png", "image/png"), "expires_on": "2028-01-01"},
    )
    assert replaced.status_code == 403
    assert background_check.versions.count() == 1


def test_a_coordinator_records_a_carers_background_check(client, coop, carer, coordinator):
    factories.log_in(client, coordinator)
    response = client.post(
        f"/c/{coop.slug}/documents/carers/{carer.pk}/",
        {
            "kind": "background_check",
            "title": "Casellario giudiziale",
            "file": files.upload(files.PNG, "check.png", "image/png"),
            "expires_on": "2028-01-01",
        },
    )
    assert response.status_code == 302
    assert Document.objects.get(kind="background_check").carer == carer


def test_expiring_documents_on_the_carers_page_and_the_coordinators_list(
    client, coop, carer, coordinator, background_check
):
    factories.log_in(client, coordinator)
    page = client.get(f"/c/{coop.slug}/work/workers/{carer.pk}/")
    assert page.status_code == 200
    assert b"Criminal record certificate" in page.content and b"expires" in page.content
    listing = client.get(f"/c/{coop.slug}/documents/expiring/")
    assert b"Criminal record certificate" in listing.content
    factories.log_in(client, carer)
    assert b"Criminal record certificate" in client.get(f"/c/{coop.slug}/work/me/").content
    assert client.get(f"/c/{coop.slug}/documents/expiring/").status_code == 403


def test_a_new_version_and_a_deletion_from_the_document_page(
    client, coop, consent, coordinator, django_capture_on_commit_callbacks
):
    factories.log_in(client, coordinator)
    base = f"/c/{coop.slug}/documents/{consent.pk}"
    response = client.post(f"{base}/replace/", {"file": files.upload(files.PDF, "signed.pdf")})
    assert response.status_code == 302
    assert list(consent.versions.values_list("number", flat=True)) == [2, 1]
    assert client.get(f"{base}/replace/").status_code == 405
    assert client.post(f"{base}/delete/", {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}/delete/", {"reason": "Signed by the wrong person"})
    assert response.status_code == 302
    page = client.get(f"{base}/")
    assert b"Signed by the wrong person" in page.content
    assert client.get(f"{base}/versions/1/").status_code == 404


def test_only_coordinators_delete(client, coop, served, carer, consent):
    factories.log_in(client, carer)
    url = f"/c/{coop.slug}/documents/{consent.pk}/delete/"
    assert client.post(url, {"reason": "mine"}).status_code == 403
    consent.refresh_from_db()
    assert not consent.is_deleted


def test_cooperative_documents_by_role(client, coop, coordinator, carer, board_user):
    factories.log_in(client, board_user)
    url = f"/c/{coop.slug}/documents/"
    for kind, title in (("statutes", "Statutes 2026"), ("minutes", "Minutes of the AGM")):
        response = client.post(url, {"kind": kind, "title": title, "file": files.upload()})
        assert response.status_code == 302
    factories.log_in(client, carer)
    page = client.get(url)
    assert b"Statutes 2026" in page.content and b"Minutes of the AGM" not in page.content
    minutes = Document.objects.get(kind="minutes")
    assert client.get(f"/c/{coop.slug}/documents/{minutes.pk}/versions/1/").status_code == 404
    assert (
        client.post(url, {"kind": "statutes", "title": "X", "file": files.upload()}).status_code
        == 403
    )
    circle = factories.user_with_role(coop, Role.CIRCLE)
    factories.log_in(client, circle)
    assert client.get(url).status_code == 403


def test_the_documents_of_another_cooperative_are_404(client, coop, coordinator, consent):
    other = factories.CooperativeFactory()
    factories.log_in(client, factories.user_with_role(other, Role.COORDINATOR))
    assert client.get(f"/c/{other.slug}/documents/{consent.pk}/").status_code == 404
    assert client.get(f"/c/{other.slug}/documents/{consent.pk}/versions/1/").status_code == 404
    assert client.get(f"/c/{coop.slug}/documents/{consent.pk}/").status_code == 404
