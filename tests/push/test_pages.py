"""The notifications page, the service worker, and logging out."""

import re

import pytest
from django.test import override_settings

from coopcare.push.models import PushSubscription, PushTopics
from coopcare.push.worker import static_version
from tests import factories
from tests.push.conftest import subscribed


@pytest.fixture
def user(db):
    return factories.UserFactory()


def test_the_page_shows_the_topics_the_key_and_the_devices(client, user, push_key):
    subscribed(user, "phone", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1")
    factories.log_in(client, user)
    page = client.get("/accounts/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Safari on iPhone" in html
    assert 'data-public-key="B' in html
    checked = re.findall(r'value="(\w+)"[^>]*checked', html)
    assert sorted(checked) == ["cover", "message", "roster"]
    # The endpoint is not on the page: it lets anyone push to the device.
    assert "fcm.googleapis.com" not in html
    assert b"/accounts/notifications/" in client.get("/accounts/").content


def test_topics_are_saved_from_the_page(client, user, push_key):
    factories.log_in(client, user)
    response = client.post("/accounts/notifications/", {"topics": ["vote", "message"]})
    assert response.status_code == 302
    assert PushTopics.objects.get(user=user).topics == ["message", "vote"]
    response = client.post("/accounts/notifications/", {"topics": ["gossip"]})
    assert response.status_code == 200
    assert "gossip" in response.context["form"].errors["topics"][0]
    assert PushTopics.objects.get(user=user).topics == ["message", "vote"]


@override_settings(VAPID_PRIVATE_KEY="", VAPID_DEVELOPMENT_KEY_FILE="")
def test_the_page_says_when_push_is_not_set_up(client, user):
    factories.log_in(client, user)
    html = client.get("/accounts/notifications/").content.decode()
    assert "not set up on this installation" in html
    assert "data-public-key" not in html


def test_a_device_is_removed_from_the_page_by_its_owner_only(client, user, push_key):
    mine, theirs = subscribed(user, "mine"), subscribed(factories.UserFactory(), "theirs")
    factories.log_in(client, user)
    assert client.post(f"/accounts/notifications/devices/{theirs.pk}/remove/").status_code == 404
    assert client.get(f"/accounts/notifications/devices/{mine.pk}/remove/").status_code == 405
    response = client.post(f"/accounts/notifications/devices/{mine.pk}/remove/")
    assert response.status_code == 302
    assert list(PushSubscription.objects.all()) == [theirs]


def test_the_page_needs_a_login(client, db):
    response = client.get("/accounts/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_logging_out_removes_every_device_of_the_user(client, user, push_key):
    subscribed(user, "phone")
    subscribed(user, "laptop")
    someone_else = subscribed(factories.UserFactory(), "theirs")
    factories.log_in(client, user)
    assert client.post("/accounts/logout/").status_code == 302
    assert list(PushSubscription.objects.all()) == [someone_else]


def _static_cache(client) -> str:
    script = client.get("/sw.js").content.decode()
    [name] = re.findall(r'const STATIC = "(coopcare-static-[0-9a-f]+)";', script)
    return name


def test_the_workers_copies_of_static_files_are_named_for_their_content(client, db, tmp_path):
    """A deployment that changes a static file serves a worker with a new cache name, whose
    activation drops the copies of the old files."""
    (tmp_path / "extra.css").write_text("body { color: black; }")
    with override_settings(STATICFILES_DIRS=[tmp_path]):
        static_version.cache_clear()
        before = _static_cache(client)
        static_version.cache_clear()
        assert _static_cache(client) == before  # the same files, the same name
        (tmp_path / "extra.css").write_text("body { color: navy; }")
        static_version.cache_clear()
        after = _static_cache(client)
    static_version.cache_clear()
    assert after != before
    script = client.get("/sw.js").content.decode()
    assert "if (name !== DAYS && name !== STATIC) {" in script


def test_the_service_worker_is_served_at_the_root(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'addEventListener("push"' in script
    assert 'addEventListener("notificationclick"' in script
