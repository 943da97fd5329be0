"""Web push: the browsers (devices) a user has let coopcare notify, and the topics they want
by push. What reaches a device goes through the browser vendor's push service, so coopcare
sends it a subject and a link only (``coopcare.notify.WebPush``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """What a notice is about, for the user's choice of what reaches them by push."""

    ROSTER = "roster", _("Your roster changed")
    COVER = "cover", _("A swap or cover")
    MESSAGE = "message", _("A new message")
    VOTE = "vote", _("A vote opens or an assembly is called")
    OTHER = "other", _("Anything else")


# Until a user chooses: what a carer needs the same day (their roster, a swap or cover) and
# messages; the rest comes by email only.
DEFAULT_TOPICS = frozenset({Topic.ROSTER.value, Topic.COVER.value, Topic.MESSAGE.value})


class PushSubscription(models.Model):
    """One browser on one device that agreed to receive push messages for ``user``: the push
    service's address for it and the keys its messages are encrypted with (RFC 8291)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # The push service's address for this browser: whoever knows it can send it messages,
    # so it is shown to nobody, logged nowhere and never leaves coopcare but to be used.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    device = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last notice delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.device or str(_("a browser"))

    def info(self) -> dict:
        """The subscription as the browser's ``PushSubscription.toJSON()`` gives it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushTopics(models.Model):
    """The topics a user chose to get by push; without a row, ``DEFAULT_TOPICS``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_topics"
    )
    topics = models.JSONField(default=list)

    class Meta:
        verbose_name = _("topics by push")
        verbose_name_plural = _("topics by push")

    def __str__(self) -> str:
        return ", ".join(self.topics)
