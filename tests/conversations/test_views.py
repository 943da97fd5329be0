"""The conversation pages: the family writes from the circle page, the carer reads on their
phone, the office marks what needs action; anyone else gets 404."""

import pytest
from django.core import mail

from coopcare.care.models import CareRecordRead
from coopcare.conversations import services
from coopcare.conversations.models import Message, NeedsAction, Reader, Side
from tests import factories

pytestmark = pytest.mark.django_db


def thread_url(person):
    return f"/c/{person.cooperative.slug}/conversations/{person.pk}/"


def test_the_family_writes_to_the_carers_and_the_office_from_the_circle_page(
    client, lucia, ana, coordinator, daughter, django_capture_on_commit_callbacks
):
    factories.log_in(client, daughter)
    circle = client.get(f"/c/{lucia.cooperative.slug}/circle/{lucia.pk}/")
    assert thread_url(lucia) in circle.content.decode()
    dashboard = client.get(f"/c/{lucia.cooperative.slug}/")
    assert thread_url(lucia) in dashboard.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(thread_url(lucia), {"text": "Could Ana bring the newspaper?"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.author, message.side, message.text) == (
        daughter,
        Side.CIRCLE,
        "Could Ana bring the newspaper?",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ana.email, coordinator.email])


def test_a_post_by_htmx_answers_the_thread_in_place(client, lucia, daughter):
    factories.log_in(client, daughter)
    response = client.post(thread_url(lucia), {"text": "Thank you"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="conversation"' in body and "Thank you" in body and "<html" not in body


def test_an_empty_message_is_a_form_error_and_nothing_is_saved(client, lucia, daughter):
    factories.log_in(client, daughter)
    response = client.post(thread_url(lucia), {"text": "   "})
    assert response.status_code == 200
    assert "Write your message." in response.content.decode()
    assert not Message.objects.exists()


def test_the_carer_reads_on_their_phone_and_the_read_is_logged(client, lucia, ana, daughter):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "She has a cold")
    factories.log_in(client, ana)
    today = client.get(f"/c/{lucia.cooperative.slug}/today/")
    assert thread_url(lucia) in today.content.decode()
    response = client.get(thread_url(lucia))
    assert response.status_code == 200
    body = response.content.decode()
    assert "She has a cold" in body and 'name="viewport"' in body
    # Others than the office read people by their first name.
    assert "<strong>Marta</strong>" in body and "Marta Bianchi" not in body
    assert CareRecordRead.objects.filter(user=ana, person=lucia, record="conversation").exists()
    assert Reader.objects.get(user=ana).read_up_to == message


def test_a_carer_who_no_longer_serves_the_person_gets_404(client, lucia, piero, daughter):
    services.send_message(lucia, daughter, Side.CIRCLE, "She has a cold")
    factories.log_in(client, piero)
    assert client.get(thread_url(lucia)).status_code == 404
    assert client.post(thread_url(lucia), {"text": "Hello"}).status_code == 404
    assert Message.objects.count() == 1
    assert not CareRecordRead.objects.filter(user=piero).exists()


def test_another_cooperative_gets_404(client, lucia, daughter, other_coop_user):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "She has a cold")
    factories.log_in(client, other_coop_user)
    assert client.get(thread_url(lucia)).status_code == 404
    assert client.get(f"/c/altra/conversations/{lucia.pk}/").status_code == 404
    assert (
        client.post(f"/c/altra/conversations/messages/{message.pk}/needs-action/").status_code
        == 404
    )
    assert not NeedsAction.objects.exists()


def test_the_office_marks_a_message_and_lists_what_needs_action(
    client, lucia, coordinator, daughter
):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "Earlier visit on Thursday?")
    factories.log_in(client, coordinator)
    person_page = client.get(f"/c/{lucia.cooperative.slug}/people/{lucia.pk}/")
    assert thread_url(lucia) in person_page.content.decode()
    url = f"/c/{lucia.cooperative.slug}/conversations/messages/{message.pk}/"
    assert client.post(url + "needs-action/").status_code == 302
    index = client.get(f"/c/{lucia.cooperative.slug}/conversations/").content.decode()
    assert "Earlier visit on Thursday?" in index and "Lucia Bianchi" in index
    assert client.post(url + "done/", {"back": "index"}).status_code == 302
    flag = NeedsAction.objects.get()
    assert (flag.marked_by, flag.done_by) == (coordinator, coordinator)
    assert flag.done_at is not None


def test_only_the_office_marks_messages(client, lucia, ana, daughter):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "Earlier visit on Thursday?")
    factories.log_in(client, ana)
    url = f"/c/{lucia.cooperative.slug}/conversations/messages/{message.pk}/needs-action/"
    assert client.post(url).status_code == 403
    assert not NeedsAction.objects.exists()
