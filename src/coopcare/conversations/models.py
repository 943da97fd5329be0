"""A conversation per person cared for: the office, the person's circle and their regular
carers write to each other in one thread. Messages are care records, kept as written."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative
from coopcare.kept import KeptAsWritten


class Side(models.TextChoices):
    """In which capacity someone writes: the reader sees who speaks for whom."""

    OFFICE = "office", _("the office")
    CIRCLE = "circle", _("the family and friends")
    CARER = "carer", _("a carer")


class Conversation(models.Model):
    """The one thread of a person cared for, made with its first message or first read."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(
        PersonCaredFor, on_delete=models.PROTECT, related_name="conversation"
    )
    started_at = models.DateTimeField(_("started at"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return str(self.person)


class Message(KeptAsWritten):
    """One message in a person's conversation, kept as it was sent: never edited nor deleted."""

    kept_message = _("A message is kept as it was sent; it cannot be changed or deleted.")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("written as"), max_length=10, choices=Side.choices)
    text = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["conversation", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.conversation} {self.sent_at:%Y-%m-%d %H:%M}"


class NeedsAction(models.Model):
    """The office marked a message as needing action, and later as done: who and when, each."""

    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="needs_action")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked as needing action at"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message needing action")
        verbose_name_plural = _("messages needing action")

    def __str__(self) -> str:
        return f"{self.message} ({'done' if self.done_at else 'open'})"


class Reader(models.Model):
    """One participant's place in a conversation: the last message they read, and whether they
    were told of a new one since (so that they are told once until they read)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_up_to = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(_("last read at"), null=True, blank=True)
    told_at = models.DateTimeField(_("told of a new message at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_reader_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.conversation}"
