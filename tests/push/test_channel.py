"""The web push channel of the notifier, with the library's send function replaced by a fake
push service: what is sent, to which browsers, and what coopcare learns from the answers."""

import json
import logging
from datetime import date

import pytest
from django.core import mail
from django.test import override_settings
from django.utils.translation import gettext_lazy as _
from pywebpush import WebPushException

from coopcare import notify
from coopcare.accounts.models import Profile
from coopcare.cooperatives.models import Role
from coopcare.push import services
from coopcare.push.models import PushSubscription, Topic
from coopcare.rostering.services.publishing import tell_cancelled
from tests import factories
from tests.push.conftest import KEY, browser_keys, endpoint, subscribed


class Answer:
    """A push service's answer."""

    def __init__(self, status_code):
        self.status_code = status_code
        self.text = "the body, with the endpoint in it"


class FakePushService:
    """Takes every push, except to the endpoints it answers otherwise."""

    def __init__(self, answers=None):
        self.answers = answers or {}
        self.sent = []

    def __call__(self, subscription_info, data, **options):
        # As the library does: the audience, the push service's origin, goes into the claims.
        service = "/".join(subscription_info["endpoint"].split("/")[:3])
        options["vapid_claims"].setdefault("aud", service)
        self.sent.append((subscription_info["endpoint"], json.loads(data), options))
        answer = self.answers.get(subscription_info["endpoint"])
        if isinstance(answer, Exception):
            raise answer
        if answer is not None:
            raise WebPushException(f"Push failed: {answer}", response=Answer(answer))
        return Answer(201)

    def to(self):
        return [endpoint for endpoint, _data, _options in self.sent]


@pytest.fixture
def push_service(monkeypatch):
    service = FakePushService()
    monkeypatch.setattr(notify, "webpush", service)
    return service


def changes_notice(user, topic=Topic.ROSTER):
    return notify.Notice(
        notify.to_user(user),
        _("Changes to your visits"),
        "rostering/mail_changes.txt",
        {"carer": user, "changes": []},
        topic=topic,
    )


def test_each_browser_gets_the_subject_a_fixed_sentence_and_the_page(
    db, push_key, push_service, django_capture_on_commit_callbacks
):
    carer = factories.UserFactory()
    Profile.objects.create(user=carer, language="it")
    subscribed(carer, "phone")
    subscribed(carer, "laptop")
    notice = changes_notice(carer)
    with django_capture_on_commit_callbacks(execute=True):
        notify.send([notice])
    assert sorted(push_service.to()) == [endpoint("laptop"), endpoint("phone")]
    _endpoint, payload, options = push_service.sent[0]
    assert payload == {
        "title": "Modifiche alle tue visite",
        "body": "Open coopcare to read it.",
        "url": "/",
        "topic": "roster",
    }
    # Signed with the installation's key, for the push service the browser uses.
    assert options["vapid_claims"]["sub"] == "mailto:coopcare@localhost"
    assert options["vapid_private_key"] is not None
    # The email goes too: push is one more channel, not instead.
    assert [m.to for m in mail.outbox] == [[carer.email]]
    assert PushSubscription.objects.filter(last_success_at__isnull=False).count() == 2


def test_each_push_is_signed_for_its_own_push_service(
    db, push_key, push_service, django_capture_on_commit_callbacks
):
    carer = factories.UserFactory()
    subscribed(carer, "chrome")
    services.subscribe(
        carer,
        endpoint="https://updates.push.services.mozilla.com/wpush/v2/firefox",
        **browser_keys(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify.send([changes_notice(carer)])
    # The library writes the audience into the claims it is given: claims shared between
    # pushes would sign the second for the first one's push service, which refuses it.
    audiences = sorted(options["vapid_claims"]["aud"] for _e, _d, options in push_service.sent)
    assert audiences == ["https://fcm.googleapis.com", "https://updates.push.services.mozilla.com"]


def test_a_cancelled_visit_pushes_no_care_data(
    coop, push_key, push_service, django_capture_on_commit_callbacks
):
    carer = factories.user_with_role(coop, Role.CARER)
    person = factories.person_cared_for(coop, full_name="Maria Bianchi", address="Via Zamboni 33")
    visit = factories.visit(person, carers=[carer], day=date(2026, 11, 20))
    subscribed(carer, "phone")
    with django_capture_on_commit_callbacks(execute=True):
        tell_cancelled([(carer.pk, visit, "removed")])
    [(_endpoint, payload, _options)] = push_service.sent
    text = json.dumps(payload)
    for care_data in ("Maria", "Bianchi", "Zamboni", "Morning care", "Bologna"):
        assert care_data not in text
    assert payload["topic"] == "roster"
    # The email carries the times; the push does not even carry those.
    assert payload["title"] == "Visits cancelled"


def test_a_gone_browser_is_forgotten_and_stops_no_other(
    db, push_key, push_service, django_capture_on_commit_callbacks, caplog
):
    carer, other = factories.UserFactory(), factories.UserFactory()
    gone, failing, working = (subscribed(carer, n) for n in ("gone", "failing", "working"))
    expired = subscribed(other, "expired")
    broken = subscribed(other, "unreachable")
    push_service.answers = {
        gone.endpoint: 410,
        expired.endpoint: 404,
        failing.endpoint: 500,
        broken.endpoint: ConnectionError(f"Max retries exceeded with url: {broken.endpoint}"),
    }
    with (
        caplog.at_level(logging.WARNING, logger="coopcare.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify.send([changes_notice(carer), changes_notice(other)])
    assert len(push_service.sent) == 5
    assert set(PushSubscription.objects.values_list("endpoint", flat=True)) == {
        failing.endpoint,
        working.endpoint,
        broken.endpoint,
    }
    assert PushSubscription.objects.get(pk=working.pk).last_success_at is not None
    assert PushSubscription.objects.get(pk=failing.pk).last_success_at is None
    # Logged without the endpoints (they let anyone push to the device) or anyone's address.
    assert "answered 500" in caplog.text and "ConnectionError" in caplog.text
    for secret in (failing.endpoint, broken.endpoint, "fcm/send", carer.email, other.email):
        assert secret not in caplog.text


def test_only_the_topics_the_user_chose_are_pushed(
    db, push_key, push_service, django_capture_on_commit_callbacks
):
    carer, member = factories.UserFactory(), factories.UserFactory()
    subscribed(carer, "carer")
    subscribed(member, "member")
    services.choose_topics(member, [Topic.VOTE])
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(
            [
                changes_notice(carer, Topic.ROSTER),  # on by default
                changes_notice(carer, Topic.VOTE),  # off by default
                changes_notice(carer, Topic.OTHER),  # off by default
                changes_notice(member, Topic.ROSTER),  # turned off
                changes_notice(member, Topic.VOTE),  # turned on
            ]
        )
    assert sorted((e, d["topic"]) for e, d, _o in push_service.sent) == [
        (endpoint("carer"), "roster"),
        (endpoint("member"), "vote"),
    ]
    assert len(mail.outbox) == 5


def test_without_a_key_push_reaches_no_one(db, push_service, django_capture_on_commit_callbacks):
    carer = factories.UserFactory()
    with override_settings(VAPID_PRIVATE_KEY=KEY):
        subscribed(carer, "phone")
    assert not notify.WebPush().reaches(notify.to_user(carer), Topic.ROSTER)
    with django_capture_on_commit_callbacks(execute=True):
        notify.send([changes_notice(carer)])
    assert push_service.sent == []
    assert [m.to for m in mail.outbox] == [[carer.email]]


def test_no_login_or_no_browser_is_not_reached_by_push(supporter_class, push_key):
    member = factories.admitted_member(supporter_class, email="m@example.org")
    no_browser = factories.UserFactory()
    channel = notify.WebPush()
    assert not channel.reaches(notify.to_member(member), Topic.VOTE)
    assert not channel.reaches(notify.to_user(no_browser), Topic.ROSTER)
    # Reached by push only: counted as told even without an email address.
    pushed_only = factories.UserFactory(email="")
    subscribed(pushed_only, "phone")
    assert notify.send([changes_notice(pushed_only)]) == 1
