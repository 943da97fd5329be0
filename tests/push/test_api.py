"""The API of the user's own web push: subscribe, unsubscribe, remove a device, topics."""

import pytest
from django.test import override_settings

from coopcare.accounts.models import ApiToken
from coopcare.push.models import PushSubscription, PushTopics
from tests import factories
from tests.push.conftest import browser_keys, endpoint, subscribed

FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"


@pytest.fixture
def user(db):
    return factories.UserFactory()


def bearer(user):
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def subscription(name="phone"):
    return {"endpoint": endpoint(name), "keys": browser_keys(), "expirationTime": None}


def test_a_browser_subscribes_and_is_listed_with_its_name(client, user, push_key):
    response = client.post(
        "/api/account/push/subscriptions",
        subscription(),
        content_type="application/json",
        HTTP_USER_AGENT=FIREFOX,
        **bearer(user),
    )
    assert response.status_code == 201, response.content
    device = PushSubscription.objects.get()
    assert (device.user, device.endpoint, device.device) == (
        user,
        endpoint("phone"),
        "Firefox on Android",
    )
    read = client.get("/api/account/push", **bearer(user)).json()
    assert read["configured"] is True
    assert len(read["public_key"]) == 87
    assert read["topics"] == ["cover", "message", "roster"]
    # The endpoint is never shown back: it lets anyone push to the device.
    assert read["devices"] == [response.json()]
    assert "endpoint" not in response.json()


def test_a_browser_that_changes_hands_belongs_to_the_last_login(client, user, push_key):
    before = factories.UserFactory()
    subscribed(before, "shared-tablet")
    body = subscription("shared-tablet")
    response = client.post(
        "/api/account/push/subscriptions", body, content_type="application/json", **bearer(user)
    )
    assert response.status_code == 201
    assert PushSubscription.objects.get().user == user


def test_a_bad_subscription_is_refused_with_its_code_and_nothing_kept(client, user, push_key):
    inside = subscription() | {"endpoint": "https://192.168.1.10/admin"}
    response = client.post(
        "/api/account/push/subscriptions", inside, content_type="application/json", **bearer(user)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "push_service_unknown"
    bad_keys = subscription() | {"keys": {"p256dh": "BAAA", "auth": "x"}}
    response = client.post(
        "/api/account/push/subscriptions", bad_keys, content_type="application/json", **bearer(user)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "rule_broken"
    assert len(response.json()["errors"]) == 2
    assert not PushSubscription.objects.exists()


@override_settings(VAPID_PRIVATE_KEY="", VAPID_DEVELOPMENT_KEY_FILE="")
def test_without_a_key_no_browser_subscribes(client, user):
    response = client.post(
        "/api/account/push/subscriptions",
        subscription(),
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "push_not_set_up"
    read = client.get("/api/account/push", **bearer(user)).json()
    assert (read["configured"], read["public_key"]) == (False, None)
    assert not PushSubscription.objects.exists()


def test_a_browser_unsubscribes_by_its_endpoint_and_only_its_own(client, user, push_key):
    mine, theirs = subscribed(user, "mine"), subscribed(factories.UserFactory(), "theirs")
    for device in (mine, theirs):
        response = client.post(
            "/api/account/push/subscriptions/removal",
            {"endpoint": device.endpoint},
            content_type="application/json",
            **bearer(user),
        )
        assert response.status_code == 204
    assert list(PushSubscription.objects.all()) == [theirs]


def test_a_device_is_removed_by_its_owner_only(client, user, push_key):
    mine, theirs = subscribed(user, "mine"), subscribed(factories.UserFactory(), "theirs")
    url = "/api/account/push/subscriptions/{}"
    assert client.delete(url.format(theirs.pk), **bearer(user)).status_code == 404
    assert client.delete(url.format(mine.pk), **bearer(user)).status_code == 204
    assert list(PushSubscription.objects.all()) == [theirs]


def test_topics_are_chosen_and_unknown_ones_refused(client, user):
    response = client.put(
        "/api/account/push/topics",
        {"topics": ["vote", "roster"]},
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 200
    assert response.json()["topics"] == ["roster", "vote"]
    assert PushTopics.objects.get(user=user).topics == ["roster", "vote"]
    response = client.put(
        "/api/account/push/topics",
        {"topics": ["gossip"]},
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert PushTopics.objects.get(user=user).topics == ["roster", "vote"]


def test_a_browser_session_needs_its_csrf_token(user, push_key):
    from django.test import Client

    browser = factories.log_in(Client(enforce_csrf_checks=True), user)
    response = browser.post(
        "/api/account/push/subscriptions", subscription(), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not PushSubscription.objects.exists()


def test_without_a_login_nothing_is_read(client, db):
    response = client.get("/api/account/push")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
