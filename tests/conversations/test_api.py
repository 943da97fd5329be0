"""The conversation API: the same people as the pages, coded errors, reads logged."""

import pytest

from coopcare.accounts.models import ApiToken
from coopcare.care.models import CareRecordRead
from coopcare.conversations import services
from coopcare.conversations.models import Message, NeedsAction, Side

pytestmark = pytest.mark.django_db


def call(client, user, method, path, body=None):
    _token, raw = ApiToken.issue(user, "test")
    return getattr(client, method)(
        f"/api/cooperatives/{path}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_the_family_writes_and_the_carer_lists_reads_and_marks_read(client, lucia, ana, daughter):
    slug = lucia.cooperative.slug
    sent = call(client, daughter, "post", f"{slug}/people/{lucia.pk}/messages", {"text": "Hi"})
    assert sent.status_code == 201
    assert (sent.json()["side"], sent.json()["new"]) == ("circle", False)
    listed = call(client, ana, "get", f"{slug}/people/{lucia.pk}/messages")
    assert listed.status_code == 200
    [message] = listed.json()
    assert (message["text"], message["author_name"], message["new"]) == ("Hi", "Marta", True)
    assert message["needs_action"] is None
    assert CareRecordRead.objects.filter(user=ana, record="conversation", via="api").exists()
    read = call(client, ana, "post", f"{slug}/people/{lucia.pk}/messages/read")
    assert read.json()["read_up_to"] == message["id"]
    [again] = call(client, ana, "get", f"{slug}/people/{lucia.pk}/messages").json()
    assert again["new"] is False
    [row] = call(client, ana, "get", f"{slug}/conversations").json()
    assert (row["person_id"], row["unread"]) == (lucia.pk, 0)


def test_bad_text_is_a_coded_4xx_and_nothing_is_saved(client, lucia, daughter):
    path = f"{lucia.cooperative.slug}/people/{lucia.pk}/messages"
    blank = call(client, daughter, "post", path, {"text": "   "})
    assert (blank.status_code, blank.json()["code"]) == (400, "message_empty")
    long = call(client, daughter, "post", path, {"text": "x" * 2001})
    assert (long.status_code, long.json()["code"]) == (422, "invalid_request")
    assert not Message.objects.exists()


def test_the_office_marks_needs_action_and_done(client, lucia, coordinator, ana, daughter):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "Earlier visit?")
    slug = lucia.cooperative.slug
    assert (
        call(client, ana, "post", f"{slug}/messages/{message.pk}/needs-action").status_code == 403
    )
    marked = call(client, coordinator, "post", f"{slug}/messages/{message.pk}/needs-action")
    assert marked.status_code == 200
    assert marked.json()["needs_action"]["marked_by_id"] == coordinator.pk
    twice = call(client, coordinator, "post", f"{slug}/messages/{message.pk}/needs-action")
    assert (twice.status_code, twice.json()["code"]) == (400, "message_already_marked")
    [row] = call(client, coordinator, "get", f"{slug}/conversations?needs_action=true").json()
    assert row["needing_action"] == 1
    done = call(client, coordinator, "post", f"{slug}/messages/{message.pk}/done")
    assert done.json()["needs_action"]["done_by_id"] == coordinator.pk
    again = call(client, coordinator, "post", f"{slug}/messages/{message.pk}/done")
    assert (again.status_code, again.json()["code"]) == (400, "action_already_done")
    assert call(client, coordinator, "get", f"{slug}/conversations?needs_action=true").json() == []
    # The marks are the office's: a carer's list does not show them.
    [listed] = call(client, ana, "get", f"{slug}/people/{lucia.pk}/messages").json()
    assert listed["needs_action"] is None
    assert NeedsAction.objects.get().done_by == coordinator


def test_no_one_else_reaches_the_conversation(client, lucia, piero, daughter, other_coop_user):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "Earlier visit?")
    slug = lucia.cooperative.slug
    for user, coop in ((piero, slug), (other_coop_user, slug), (other_coop_user, "altra")):
        listed = call(client, user, "get", f"{coop}/people/{lucia.pk}/messages")
        assert (listed.status_code, listed.json()["code"]) == (404, "not_found")
        sent = call(client, user, "post", f"{coop}/people/{lucia.pk}/messages", {"text": "Hi"})
        assert sent.status_code == 404
    marked = call(client, other_coop_user, "post", f"altra/messages/{message.pk}/needs-action")
    assert marked.status_code == 404
    assert Message.objects.count() == 1 and not NeedsAction.objects.exists()
