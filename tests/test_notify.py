"""The notifier sends only what was committed, to each addressee in their own language, and
one failed addressee does not stop the others."""

import logging

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.test import override_settings
from django.utils.translation import gettext_lazy as _

from coopcare import notify
from coopcare.accounts.models import Profile
from tests import factories

REFUSED = "refused@example.org"


class RefusingBackend(EmailBackend):
    """The in-memory outbox, with a mail server that refuses one address."""

    def send_messages(self, email_messages):
        if any(REFUSED in m.to for m in email_messages):
            raise ConnectionResetError("550 mailbox unavailable")
        return super().send_messages(email_messages)


class Recording:
    """A channel that keeps what it is given and reaches everyone, address or not."""

    def __init__(self):
        self.delivered = []

    def reaches(self, addressee, topic):
        return True

    def deliver(self, messages):
        self.delivered += messages
        return len(messages)


def user(language="", **fields):
    someone = factories.UserFactory(**fields)
    if language:
        Profile.objects.create(user=someone, language=language)
    return someone


def changes_notice(carer):
    """A notice whose subject and template the catalogs already translate."""
    return notify.Notice(
        notify.to_user(carer),
        _("Changes to your visits"),
        "rostering/mail_changes.txt",
        {"carer": carer, "changes": []},
    )


def test_nothing_goes_out_before_the_commit(db, django_capture_on_commit_callbacks):
    carer = user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            assert notify.send([changes_notice(carer)]) == 1
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [[carer.email]]


def test_nothing_goes_out_when_the_transaction_is_rolled_back(
    db, django_capture_on_commit_callbacks
):
    carer = user()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify.send([changes_notice(carer)])
        raise RuntimeError("the change is refused")
    assert callbacks == [] and mail.outbox == []


def test_each_addressee_reads_their_own_language(db, django_capture_on_commit_callbacks):
    french, italian, unsaid = user("fr"), user("it"), user()
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(changes_notice(u) for u in (french, italian, unsaid))
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[french.email].subject == "Modifications de vos visites"
    assert by_address[french.email].body.startswith("Bonjour Ada,")
    assert by_address[italian.email].subject == "Modifiche alle tue visite"
    assert by_address[italian.email].body.startswith("Ciao Ada,")
    # Without a language of their own: the installation's (English in the tests).
    assert by_address[unsaid.email].subject == "Changes to your visits"


def test_a_member_without_a_login_reads_the_installations_language(supporter_class):
    with_login = factories.admitted_member(supporter_class, user=user("it"), email="m1@example.org")
    without = factories.admitted_member(supporter_class, email="m2@example.org")
    assert notify.to_member(with_login) == notify.Addressee(
        "m1@example.org", "it", with_login.user_id
    )
    assert notify.to_member(without) == notify.Addressee("m2@example.org", "en")


def test_someone_with_no_address_is_not_counted_as_told(db, django_capture_on_commit_callbacks):
    reachable, unreachable = user(), user(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send(changes_notice(u) for u in (reachable, unreachable)) == 1
    assert [m.to for m in mail.outbox] == [[reachable.email]]


@override_settings(EMAIL_BACKEND="tests.test_notify.RefusingBackend")
def test_a_refused_addressee_does_not_stop_the_others(
    db, django_capture_on_commit_callbacks, caplog
):
    first, refused, last = user(), user(email=REFUSED), user()
    with (
        caplog.at_level(logging.ERROR, logger="coopcare.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify.send(changes_notice(u) for u in (first, refused, last))
    assert {m.to[0] for m in mail.outbox} == {first.email, last.email}
    assert "Email 2 of 3 not sent" in caplog.text
    # The log says which message failed, not to whom.
    assert REFUSED not in caplog.messages[0]


def test_a_new_channel_gets_the_messages_without_any_caller_changing(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    recording = Recording()
    monkeypatch.setattr(notify, "CHANNELS", (notify.Email(), recording))
    french, without_email = user("fr"), user("fr", email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send(changes_notice(u) for u in (french, without_email)) == 2
    assert [m.subject for m in recording.delivered] == ["Modifications de vos visites"] * 2
    assert [m.to for m in mail.outbox] == [[french.email]]
