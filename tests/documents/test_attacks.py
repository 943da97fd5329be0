"""Documents under attack: names that disguise a file or break a header, content that would
run in a browser, versions and downloads asked for through another document, people a carer
no longer serves, and roles that may not see a person's papers."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care_services
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.documents import rules, services
from coopcare.documents.models import Document
from tests import factories
from tests.documents import files


def _download(client, coop, document, version=1):
    return client.get(f"/c/{coop.slug}/documents/{document.pk}/versions/{version}/")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("scan\u202egnp.exe.pdf", "scangnp.exe.pdf"),  # reads "scanfdp.exe.png" when shown
        ("con\u200bsent.pdf", "consent.pdf"),
        ("consent\r\nSet-Cookie: x=1.pdf", "consentSet-Cookie: x=1.pdf"),
        ("con\x00sent.pdf", "consent.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\anna\\consent.pdf", "consent.pdf"),
        ("Consenso firmato – è.pdf", "Consenso firmato – è.pdf"),
        ("موافقة.pdf", "موافقة.pdf"),
    ],
)
def test_the_kept_name_has_no_folders_controls_or_direction_overrides(given, kept):
    assert rules.kept_name(given) == kept


def test_an_upload_keeps_the_cleaned_name_and_stores_under_its_own(coop, person, coordinator):
    document = services.upload(
        coop,
        person=person,
        kind="consent_form",
        title="Consent",
        file=files.upload(name="scan\u202egnp.exe.pdf"),
        by=coordinator,
    )
    version = document.current
    assert version.original_name == "scangnp.exe.pdf"
    assert version.file.name.startswith(f"documents/{coop.pk}/") and ".." not in version.file.name
    assert default_storage.exists(version.file.name)


@pytest.mark.parametrize(
    "name", ['a"; filename="evil.html', "résumé\u202e.pdf", "consent\r\nX-Evil: 1.pdf"]
)
def test_a_download_names_the_file_in_one_safe_header(client, coop, person, coordinator, name):
    document = services.upload(
        coop,
        person=person,
        kind="consent_form",
        title="Consent",
        file=files.upload(name=name + ("" if name.endswith(".pdf") else ".pdf")),
        by=coordinator,
    )
    factories.log_in(client, coordinator)
    response = _download(client, coop, document)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "\r" not in disposition and "\n" not in disposition and "\u202e" not in disposition
    assert 'filename="evil.html"' not in disposition
    assert response.has_header("X-Evil") is False


def test_a_pdf_that_turns_into_html_is_served_as_a_pdf_attachment(
    client, coop, person, coordinator
):
    polyglot = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"
    document = services.upload(
        coop,
        person=person,
        kind="consent_form",
        title="Consent",
        file=files.upload(polyglot, "consent.pdf", "text/html"),
        by=coordinator,
    )
    factories.log_in(client, coordinator)
    response = _download(client, coop, document)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<!doctype html><script>alert(1)</script>",
        b"\xef\xbb\xbf<html><body>%PDF-1.4</body></html>",
        b"GIF89a<script>alert(1)</script>",
    ],
    ids=["svg", "html", "html-then-pdf", "gif"],
)
def test_content_a_browser_would_run_is_refused_whatever_its_name(
    coop, person, coordinator, content
):
    with pytest.raises(ValidationError) as refused:
        services.upload(
            coop,
            person=person,
            kind="consent_form",
            title="X",
            file=files.upload(content, "consent.pdf", "application/pdf"),
            by=coordinator,
        )
    assert "file_type_not_allowed" in {e.code for e in refused.value.error_list}
    assert not Document.objects.exists()


def test_a_version_is_reached_only_through_its_own_document(client, coop, person, coordinator):
    first = services.upload(
        coop, person=person, kind="consent_form", title="A", file=files.upload(), by=coordinator
    )
    services.replace(first, file=files.upload(files.PNG, "b.png", "image/png"), by=coordinator)
    second = services.upload(
        coop, person=person, kind="consent_form", title="B", file=files.upload(), by=coordinator
    )
    factories.log_in(client, coordinator)
    assert _download(client, coop, first, 2).status_code == 200
    assert _download(client, coop, second, 2).status_code == 404
    assert _download(client, coop, second, 0).status_code == 404


def test_another_cooperatives_document_is_404_under_ones_own(client, coop, coordinator):
    other = factories.CooperativeFactory(slug="altra")
    theirs = services.upload(
        other,
        person=factories.person_cared_for(other),
        kind="consent_form",
        title="Theirs",
        file=files.upload(),
        by=coordinator,
    )
    factories.log_in(client, coordinator)
    base = f"/c/{coop.slug}/documents/{theirs.pk}"
    for url in (f"{base}/", f"{base}/versions/1/"):
        assert client.get(url).status_code == 404, url
    for url in (f"{base}/replace/", f"{base}/delete/"):
        assert client.post(url, {"reason": "x", "file": files.upload()}).status_code == 404, url
    _token, raw = ApiToken.issue(coordinator, "test")
    api = f"/api/cooperatives/{coop.slug}/documents/{theirs.pk}"
    for url in (api, f"{api}/versions/1"):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not Document.objects.get(pk=theirs.pk).is_deleted
    assert theirs.versions.count() == 1


@pytest.fixture
def past_carer(coop, person):
    """A carer whose last visit with ``person`` was three days ago."""
    carer = factories.user_with_role(coop, Role.CARER, username="past")
    factories.visit(person, [carer], day=timezone.localdate() - timedelta(days=3))
    return carer


def test_a_carer_no_longer_serving_a_person_sees_none_of_their_documents(
    client, coop, person, past_carer, consent
):
    factories.log_in(client, past_carer)
    for url in (
        f"/c/{coop.slug}/documents/people/{person.pk}/",
        f"/c/{coop.slug}/documents/{consent.pk}/",
        f"/c/{coop.slug}/documents/{consent.pk}/versions/1/",
    ):
        assert client.get(url).status_code == 404, url
    _token, raw = ApiToken.issue(past_carer, "test")
    api = f"/api/cooperatives/{coop.slug}"
    for url in (
        f"{api}/people/{person.pk}/documents",
        f"{api}/documents/{consent.pk}",
        f"{api}/documents/{consent.pk}/versions/1",
    ):
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404, url
    assert not CareRecordRead.objects.filter(user=past_carer).exists()


def test_a_carer_serving_a_person_may_read_but_not_add_or_delete(
    client, coop, served, carer, consent
):
    factories.log_in(client, carer)
    listing = f"/c/{coop.slug}/documents/people/{served.pk}/"
    upload = {"kind": "consent_form", "title": "X", "file": files.upload()}
    assert client.post(listing, upload).status_code == 403
    replaced = client.post(f"/c/{coop.slug}/documents/{consent.pk}/replace/", upload)
    assert replaced.status_code == 403
    deleted = client.post(f"/c/{coop.slug}/documents/{consent.pk}/delete/", {"reason": "x"})
    assert deleted.status_code == 403
    assert Document.objects.count() == 1 and consent.versions.count() == 1


def test_a_circle_member_with_a_grant_sees_no_document(client, coop, person, consent):
    relative = factories.user_with_role(coop, Role.CIRCLE)
    care_services.add_to_circle(
        person,
        user=relative,
        full_name="Maria Zanetti",
        relationship="family",
        may_see_visits=True,
        may_see_notes=True,
        may_see_care_plan=True,
        granted_by="Giuseppe Zanetti",
        granted_on=date(2026, 1, 5),
    )
    factories.log_in(client, relative)
    for url in (
        f"/c/{coop.slug}/documents/people/{person.pk}/",
        f"/c/{coop.slug}/documents/{consent.pk}/",
        f"/c/{coop.slug}/documents/{consent.pk}/versions/1/",
    ):
        assert client.get(url).status_code in (403, 404), url


def test_a_member_reads_the_statutes_but_not_other_papers(
    client, coop, supporter_class, coordinator
):
    statutes = services.upload(
        coop, kind="statutes", title="Statutes", file=files.upload(), by=coordinator
    )
    other = services.upload(coop, kind="other", title="Bank", file=files.upload(), by=coordinator)
    member = factories.admitted_member(supporter_class, user=factories.UserFactory())
    factories.log_in(client, member.user)
    assert _download(client, coop, statutes).status_code == 200
    assert _download(client, coop, other).status_code == 404
    upload = {"kind": "statutes", "title": "Forged", "file": files.upload()}
    assert client.post(f"/c/{coop.slug}/documents/", upload).status_code == 403
    assert Document.objects.count() == 2


def test_anonymous_users_reach_no_document(client, coop, consent):
    for url in (
        f"/c/{coop.slug}/documents/",
        f"/c/{coop.slug}/documents/{consent.pk}/",
        f"/c/{coop.slug}/documents/{consent.pk}/versions/1/",
    ):
        assert client.get(url).status_code == 302, url
    response = client.get(f"/api/cooperatives/{coop.slug}/documents/{consent.pk}/versions/1")
    assert response.status_code == 401


def test_changes_take_post_only(client, coop, consent, coordinator):
    factories.log_in(client, coordinator)
    for url in (
        f"/c/{coop.slug}/documents/{consent.pk}/replace/",
        f"/c/{coop.slug}/documents/{consent.pk}/delete/",
    ):
        assert client.get(url, {"reason": "x"}).status_code == 405, url
    assert not Document.objects.get(pk=consent.pk).is_deleted


def test_every_read_of_a_persons_documents_is_logged_on_pages_and_api(
    client, coop, served, carer, consent
):
    factories.log_in(client, carer)
    client.get(f"/c/{coop.slug}/documents/people/{served.pk}/")
    client.get(f"/c/{coop.slug}/documents/{consent.pk}/")
    _download(client, coop, consent)
    _token, raw = ApiToken.issue(carer, "test")
    api = f"/api/cooperatives/{coop.slug}"
    for url in (
        f"{api}/people/{served.pk}/documents",
        f"{api}/documents/{consent.pk}",
        f"{api}/documents/{consent.pk}/versions/1",
    ):
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200, url
    reads = list(
        CareRecordRead.objects.filter(user=carer, person=served).values_list("via", "record")
    )
    expected = ["documents", f"document {consent.pk}", f"document {consent.pk} version 1"]
    assert sorted(r for v, r in reads if v == "web") == sorted(expected)
    assert sorted(r for v, r in reads if v == "api") == sorted(expected)


@pytest.mark.parametrize("crafted", files.CRAFTED_ZIPS.values(), ids=files.CRAFTED_ZIPS.keys())
def test_a_crafted_archive_is_refused_not_a_server_error(
    client, coop, person, coordinator, crafted
):
    factories.log_in(client, coordinator)
    response = client.post(
        f"/c/{coop.slug}/documents/people/{person.pk}/",
        {"kind": "consent_form", "title": "X", "file": files.upload(crafted, "x.docx")},
    )
    assert response.status_code == 400
    assert b"Only PDF, JPEG, PNG, ODT and DOCX files are kept" in response.content
    assert not Document.objects.exists()
