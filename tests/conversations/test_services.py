"""A person's conversation: who takes part, messages kept as written, the read log, the office's
marks, and the notices, which carry nothing of the care and come once until read."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.care.models import CareRecordRead
from coopcare.care.services import choose_carers
from coopcare.conversations import access, queries, services
from coopcare.conversations.export import person_conversation
from coopcare.conversations.models import Message, NeedsAction, Reader, Side
from coopcare.cooperatives.models import Role
from coopcare.kept import Refused
from coopcare.notify import Topic
from tests import factories

pytestmark = pytest.mark.django_db
ALL = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)


def side(user, person, *roles):
    return access.side_of(user, person.cooperative, roles or ALL, person)


def test_the_office_the_circle_and_the_regular_carers_take_part(
    coop, coordinator, lucia, ana, piero, daughter
):
    assert side(coordinator, lucia, Role.COORDINATOR) == Side.OFFICE
    assert side(ana, lucia, Role.CARER) == Side.CARER
    assert side(daughter, lucia, Role.CIRCLE) == Side.CIRCLE
    # Piero last came eight weeks ago: past the six weeks of the team, he no longer serves her.
    assert side(piero, lucia, Role.CARER) is None
    stranger = factories.user_with_role(coop, Role.CIRCLE)
    assert side(stranger, lucia, Role.CIRCLE) is None
    assert {u.pk for u in access.participants(lucia)} == {coordinator.pk, ana.pk, daughter.pk}


def test_a_grant_that_does_not_allow_messages_and_a_refused_carer_leave_the_conversation(
    coop, lucia, ana, daughter
):
    grant = lucia.circle.get(user=daughter)
    grant.may_message = False
    grant.save()
    assert side(daughter, lucia, Role.CIRCLE) is None
    grant.may_message, grant.relationship = True, "legal_representative"
    grant.save()
    choose_carers(grant, preferred=[], refused=[ana])
    assert side(ana, lucia, Role.CARER) is None
    assert ana.pk not in {u.pk for u in access.participants(lucia)}


def test_another_cooperatives_user_never_takes_part(lucia, other_coop_user):
    elsewhere = other_coop_user.cooperative_roles.first().cooperative
    assert access.side_of(other_coop_user, elsewhere, ALL, lucia) is None


def test_a_message_is_kept_as_written(lucia, daughter):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "  She slept badly.  ")
    assert message.text == "She slept badly."
    message.text = "She slept well."
    with pytest.raises(Refused):
        message.save()
    with pytest.raises(Refused):
        message.delete()
    with pytest.raises(Refused):
        Message.objects.filter(pk=message.pk).update(text="Changed")
    assert Message.objects.get().text == "She slept badly."


@pytest.mark.parametrize(
    ("text", "code"), [("   ", "message_empty"), ("x" * 2001, "message_too_long")]
)
def test_an_empty_or_overlong_message_is_refused_and_nothing_saved(lucia, daughter, text, code):
    with pytest.raises(ValidationError) as refused:
        services.send_message(lucia, daughter, Side.CIRCLE, text)
    assert refused.value.code == code
    assert not Message.objects.exists()


def test_the_others_are_told_without_the_message_the_person_or_any_care_data(
    coordinator, lucia, ana, daughter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(
            lucia,
            daughter,
            Side.CIRCLE,
            "Mum fell in the night, her hip hurts",
            site_url="https://c.example/",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, ana.email])
    for email in mail.outbox:
        written = email.subject + email.body
        for secret in ("fell", "hip", "Lucia", "Bianchi", "Marta"):
            assert secret not in written
        assert (
            f"https://c.example/c/{lucia.cooperative.slug}/conversations/{lucia.pk}/" in email.body
        )


def test_one_notice_until_read(lucia, ana, daughter, django_capture_on_commit_callbacks):
    def ana_told_after(text):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.send_message(lucia, daughter, Side.CIRCLE, text)
        return [m for m in mail.outbox if m.to == [ana.email]]

    assert len(ana_told_after("First")) == 1
    assert ana_told_after("Second") == []
    services.mark_read(lucia, ana)
    assert len(ana_told_after("Third")) == 1


def test_reading_marks_what_is_new(lucia, ana, daughter):
    first = services.send_message(lucia, daughter, Side.CIRCLE, "First")
    assert queries.unread(lucia, ana) == 1
    assert queries.unread(lucia, daughter) == 0  # their own
    reader = services.mark_read(lucia, ana)
    assert reader is not None and reader.read_up_to == first
    second = services.send_message(lucia, daughter, Side.CIRCLE, "Second")
    upto = queries.read_up_to(lucia, ana)
    assert [queries.is_new(m, ana, upto) for m in queries.thread(lucia)] == [False, True]
    assert second.pk > upto
    [row] = queries.conversations(ana, access.people_of(ana, lucia.cooperative, (Role.CARER,)))
    assert (row.person, row.unread) == (lucia, 1)


def test_reading_before_any_message_writes_nothing(lucia, ana):
    assert services.mark_read(lucia, ana) is None
    assert not Reader.objects.exists()


def test_the_office_marks_a_message_needing_action_then_done(coordinator, lucia, daughter):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "Can the visit be earlier?")
    with pytest.raises(ValidationError) as refused:
        services.mark_done(message, coordinator)
    assert refused.value.code == "message_not_marked"
    marked = services.mark_needs_action(message, coordinator)
    assert (marked.marked_by, marked.done_at) == (coordinator, None)
    assert queries.needing_action(lucia.cooperative) == [message]
    with pytest.raises(ValidationError) as refused:
        services.mark_needs_action(message, coordinator)
    assert refused.value.code == "message_already_marked"
    later = timezone.now() + timedelta(hours=1)
    done = services.mark_done(message, coordinator, now=later)
    assert (done.done_by, done.done_at) == (coordinator, later)
    assert queries.needing_action(lucia.cooperative) == []
    with pytest.raises(ValidationError) as refused:
        services.mark_done(message, coordinator)
    assert refused.value.code == "action_already_done"
    assert NeedsAction.objects.get().marked_by == coordinator


def test_reads_are_logged_as_reads_of_the_care_record(lucia, ana):
    access.log_read(ana, lucia, "api")
    read = CareRecordRead.objects.get()
    assert (read.person, read.user, read.record, read.via) == (lucia, ana, "conversation", "api")


def test_the_export_holds_every_message_with_its_mark(coordinator, lucia, daughter):
    message = services.send_message(lucia, daughter, Side.CIRCLE, "Can the visit be earlier?")
    services.mark_needs_action(message, coordinator)
    [exported] = person_conversation(lucia)["conversation"]
    assert exported["text"] == "Can the visit be earlier?"
    assert (exported["by"], exported["as"]) == ("Marta Bianchi", "circle")
    assert exported["needs_action"]["marked_by"] == coordinator.get_full_name()
    assert exported["needs_action"]["done_at"] is None


def test_the_notice_is_a_message_by_push_too_opening_the_thread(
    coordinator, ana, lucia, daughter, monkeypatch
):
    """A user who chose "a new message" by push gets it on their phone: the notice says its
    topic, and the page it opens is the thread, on this site."""
    sent = []
    monkeypatch.setattr(services, "send", lambda notices: sent.extend(notices))
    services.send_message(lucia, daughter, Side.CIRCLE, "Can she have a bath?")
    assert sent and {n.topic for n in sent} == {Topic.MESSAGE}
    assert {n.url for n in sent} == {f"/c/{lucia.cooperative.slug}/conversations/{lucia.pk}/"}
