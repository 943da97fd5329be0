"""A carer's photo of themselves: kept re-encoded without its metadata, shown to the people
they serve and their circles only while the carer agrees, served only through a view that
checks who asks, deleted with its file."""

import io
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care_services
from coopcare.cooperatives.models import Role
from coopcare.work import rules
from coopcare.work.models import CarerPhoto
from coopcare.work.services import photos
from tests import factories
from tests.documents import files
from tests.work.images import picture


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Giulia", last_name="Bianchi")


def kept(photo: CarerPhoto) -> Image.Image:
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


# -- the rule ---------------------------------------------------------------------------------


def test_the_rule_takes_a_phone_photo_and_refuses_what_is_not_one():
    """Source: coopcare's own rules and GDPR art. 5(1)(c): "adequate, relevant and limited to
    what is necessary". Worked example: a 3 MB JPEG of 4000 x 3000 pixels from a phone is
    kept; a PDF, a 9 MB photo and a 10000 x 6000 one (60 million pixels) are not."""
    phone = {"size": 3 * 1024 * 1024, "image_format": "JPEG", "width": 4000, "height": 3000}
    assert rules.photo_problems(**phone) == []
    codes = [
        problem.code
        for fields in (
            phone | {"image_format": None},
            phone | {"size": 9 * 1024 * 1024},
            phone | {"width": 10000, "height": 6000},
            phone | {"size": 0},
        )
        for problem in rules.photo_problems(**fields)
    ]
    assert codes == [
        "photo_not_an_image",
        "photo_too_large",
        "photo_too_many_pixels",
        "photo_not_an_image",
    ]


# -- the service ------------------------------------------------------------------------------


def test_a_photo_is_kept_small_as_a_jpeg_without_what_the_camera_wrote(coop, carer):
    photo = photos.set_photo(coop, carer, picture())
    image = kept(photo)
    assert image.format == "JPEG"
    assert max(image.size) == rules.PHOTO_SIDE
    assert dict(image.getexif()) == {}
    assert b"PhoneMaker" not in photo.image.open("rb").read()
    assert not photo.shown


def test_a_png_is_kept_too_as_a_jpeg(coop, carer):
    photo = photos.set_photo(coop, carer, picture(image_format="PNG", name="me.png", exif=False))
    assert kept(photo).format == "JPEG"


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("me.jpg", files.PDF), "photo_not_an_image"),
        (SimpleUploadedFile("me.jpg", files.JPEG), "photo_not_an_image"),
        (SimpleUploadedFile("me.jpg", b""), "photo_not_an_image"),
        (SimpleUploadedFile("me.jpg", b"\xff" * (rules.PHOTO_MAX_BYTES + 1)), "photo_too_large"),
    ],
)
def test_what_is_not_a_photo_is_refused_and_nothing_kept(coop, carer, upload, code):
    with pytest.raises(ValidationError) as refused:
        photos.set_photo(coop, carer, upload)
    assert [e.code for e in refused.value.error_list] == [code]
    assert not CarerPhoto.objects.exists()


def test_a_photo_of_too_many_pixels_is_refused(coop, carer, monkeypatch):
    monkeypatch.setattr(rules, "PHOTO_MAX_PIXELS", 1000 * 800)
    with pytest.raises(ValidationError) as refused:
        photos.set_photo(coop, carer, picture())
    assert refused.value.error_list[0].code == "photo_too_many_pixels"


def test_only_someone_working_for_the_cooperative_keeps_a_photo_there(coop, carer):
    other = factories.CooperativeFactory()
    with pytest.raises(ValidationError) as refused:
        photos.set_photo(other, carer, picture())
    assert refused.value.code == "not_a_worker"


def test_agreement_is_recorded_with_its_moment_and_withdrawn_at_once(coop, carer):
    photos.set_photo(coop, carer, picture())
    agreed = timezone.now() - timedelta(days=3)
    photo = photos.show_photo(coop, carer, True, now=agreed)
    assert photo.shown_since == agreed
    # Agreeing again keeps the first moment.
    assert photos.show_photo(coop, carer, True).shown_since == agreed
    photo = photos.show_photo(coop, carer, False)
    assert photo.shown_since is None
    assert photo.withdrawn_at is not None


def test_a_new_photo_replaces_the_old_file_and_keeps_the_agreement(
    coop, carer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = photos.set_photo(coop, carer, picture())
    old_name = first.image.name
    photos.show_photo(coop, carer, True)
    with django_capture_on_commit_callbacks(execute=True):
        second = photos.set_photo(coop, carer, picture(size=(300, 300)))
    assert second.pk == first.pk and second.shown
    assert not default_storage.exists(old_name)
    assert default_storage.exists(second.image.name)


def test_deleting_the_photo_deletes_its_file(coop, carer, django_capture_on_commit_callbacks):
    photo = photos.set_photo(coop, carer, picture())
    photos.show_photo(coop, carer, True)
    with django_capture_on_commit_callbacks(execute=True):
        photos.delete_photo(coop, carer)
    assert not CarerPhoto.objects.exists()
    assert not default_storage.exists(photo.image.name)
    with pytest.raises(ValidationError) as refused:
        photos.show_photo(coop, carer, True)
    assert refused.value.code == "photo_missing"


# -- who sees it ------------------------------------------------------------------------------


@pytest.fixture
def serving(coop, carer):
    """Giulia is coming to Anna in three days; Anna's daughter is in her circle, and the
    son of Bruno, whom Giulia never visits, in his."""
    anna = factories.person_cared_for(coop, full_name="Anna Verdi")
    factories.care_plan(anna, valid_from=timezone.localdate() - timedelta(weeks=8))
    factories.visit(anna, carers=[carer], day=timezone.localdate() + timedelta(days=3))
    daughter = factories.user_with_role(coop, Role.CIRCLE, username="daughter")
    care_services.add_to_circle(
        anna,
        user=daughter,
        full_name="Daughter",
        relationship="family",
        may_see_visits=True,
        granted_by="Anna",
        granted_on=date(2026, 1, 1),
    )
    bruno = factories.person_cared_for(coop, full_name="Bruno Neri")
    son = factories.user_with_role(coop, Role.CIRCLE, username="son")
    care_services.add_to_circle(
        bruno,
        user=son,
        full_name="Son",
        relationship="family",
        may_see_visits=True,
        granted_by="Bruno",
        granted_on=date(2026, 1, 1),
    )
    photos.set_photo(coop, carer, picture())
    return {"daughter": daughter, "son": son, "anna": anna}


def photo_status(client, user, coop, carer) -> int:
    factories.log_in(client, user)
    return client.get(f"/c/{coop.slug}/work/carers/{carer.pk}/photo/").status_code


def test_the_circle_sees_the_photo_only_while_the_carer_agrees(client, coop, carer, serving):
    assert photo_status(client, serving["daughter"], coop, carer) == 404
    photos.show_photo(coop, carer, True)
    factories.log_in(client, serving["daughter"])
    response = client.get(f"/c/{coop.slug}/work/carers/{carer.pk}/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    photos.show_photo(coop, carer, False)
    assert photo_status(client, serving["daughter"], coop, carer) == 404


def test_nobody_else_sees_it(client, coop, carer, serving):
    photos.show_photo(coop, carer, True)
    assert photo_status(client, serving["son"], coop, carer) == 404
    other_carer = factories.user_with_role(coop, Role.CARER, username="other")
    assert photo_status(client, other_carer, coop, carer) == 404
    # A grant revoked is no grant.
    grant = serving["anna"].circle.get()
    care_services.revoke_from_circle(grant, timezone.localdate())
    assert photo_status(client, serving["daughter"], coop, carer) == 404


def test_the_carer_and_the_office_see_it_without_the_agreement(
    client, coop, carer, serving, coordinator
):
    assert photo_status(client, carer, coop, carer) == 200
    assert photo_status(client, coordinator, coop, carer) == 200
    elsewhere = factories.CooperativeFactory(slug="altrove")
    other_coordinator = factories.user_with_role(elsewhere, Role.COORDINATOR, username="oc")
    factories.log_in(client, other_coordinator)
    assert client.get(f"/c/altrove/work/carers/{carer.pk}/photo/").status_code == 404


def test_the_circle_sees_a_carer_who_came_lately(client, coop, carer, serving):
    came = factories.visit(
        serving["anna"], carers=[carer], day=timezone.localdate() - timedelta(days=10)
    )
    factories.recorded_visit(came, carer)
    serving["anna"].visits.filter(starts_at__gt=timezone.now()).update(status="cancelled")
    photos.show_photo(coop, carer, True)
    assert photo_status(client, serving["daughter"], coop, carer) == 200


# -- the carer's page and the API -------------------------------------------------------------


def test_the_carer_gives_agrees_withdraws_and_deletes_on_their_page(client, coop, carer):
    factories.log_in(client, carer)
    page = f"/c/{coop.slug}/work/me/"
    assert client.post(page, {"form": "photo", "photo-file": picture()}).status_code == 302
    photo = CarerPhoto.objects.get()
    assert "My photo" in client.get(page).content.decode()
    client.post(page, {"form": "photo_shown"})
    photo.refresh_from_db()
    assert photo.shown_since is not None
    client.post(page, {"form": "photo_hidden"})
    photo.refresh_from_db()
    assert photo.shown_since is None
    client.post(page, {"form": "photo_delete"})
    assert not CarerPhoto.objects.exists()


def test_a_file_that_is_no_photo_gets_a_form_error_on_the_page(client, coop, carer):
    factories.log_in(client, carer)
    response = client.post(
        f"/c/{coop.slug}/work/me/",
        {"form": "photo", "photo-file": SimpleUploadedFile("me.jpg", files.PDF)},
    )
    assert response.status_code == 400
    assert "Only a JPEG, PNG or WebP photo" in response.content.decode()
    assert not CarerPhoto.objects.exists()


def test_the_api_keeps_shows_answers_and_deletes_the_photo(client, coop, carer, serving):
    _token, raw = ApiToken.issue(carer, "phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    mine = f"/api/cooperatives/{coop.slug}/work/me/photo"
    assert client.get(mine, **auth).json()["shown"] is False
    bad = client.post(mine, {"file": SimpleUploadedFile("me.jpg", files.PDF)}, **auth)
    assert bad.status_code == 400
    assert bad.json()["code"] == "photo_not_an_image"
    assert client.post(mine, {"file": picture()}, **auth).status_code == 201
    shown = client.put(f"{mine}/shown", {"shown": True}, content_type="application/json", **auth)
    assert shown.json()["shown"] is True
    _token, family = ApiToken.issue(serving["daughter"], "phone")
    face = f"/api/cooperatives/{coop.slug}/carers/{carer.pk}/photo"
    answer = client.get(face, HTTP_AUTHORIZATION=f"Bearer {family}")
    assert answer.status_code == 200
    assert Image.open(io.BytesIO(b"".join(answer.streaming_content))).format == "JPEG"
    assert client.delete(mine, **auth).status_code == 204
    assert client.get(face, HTTP_AUTHORIZATION=f"Bearer {family}").status_code == 404
    assert client.get(mine, **auth).status_code == 404
    missing = client.delete(mine, **auth)
    assert missing.status_code == 400
    assert missing.json()["code"] == "photo_missing"


def test_photos_count_against_the_upload_limit_on_the_page(client, coop, carer, settings):
    settings.UPLOAD_RATE_LIMIT = "1/h"
    cache.clear()
    factories.log_in(client, carer)
    page = f"/c/{coop.slug}/work/me/"
    assert client.post(page, {"form": "photo", "photo-file": picture()}).status_code == 302
    first = CarerPhoto.objects.get().image.name
    refused = client.post(page, {"form": "photo", "photo-file": picture(size=(300, 300))})
    assert refused.status_code == 429 and b"Too many files uploaded" in refused.content
    assert CarerPhoto.objects.get().image.name == first
    cache.clear()
