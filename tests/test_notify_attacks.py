"""The notifier under attack: values people typed, put in a subject, cannot add headers to an
email, and do not stop it from going out."""

from django.core import mail
from django.utils.translation import gettext_lazy as _

from coopcare import notify
from tests import factories


def test_line_breaks_in_a_subjects_values_become_spaces(db, django_capture_on_commit_callbacks):
    member = factories.UserFactory(email="anna@example.org")
    title = "AGM\r\nBcc: everyone@example.org\nX-Priority: 1\u2028now"
    notice = notify.Notice(
        notify.to_user(member),
        _("Reminder: vote on “%(title)s”"),
        "rostering/mail_changes.txt",
        {"carer": member, "changes": []},
        {"title": title},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send([notice]) == 1
    [sent] = mail.outbox
    assert sent.subject == "Reminder: vote on “AGM Bcc: everyone@example.org X-Priority: 1 now”"
    message = sent.message()
    assert message["Bcc"] is None and message["X-Priority"] is None
    assert sent.recipients() == ["anna@example.org"]
