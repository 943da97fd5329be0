"""Actions on a user's push devices and topics: a browser subscribed and removed, the topics
chosen, and what the notifier learns from the push services (delivered, gone)."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coopcare.push import rules, vapid
from coopcare.push.models import PushSubscription, PushTopics

# A device's name for the user's list, from its browser's User-Agent: enough to tell their
# phone from their laptop, nothing more is kept of it.
_BROWSERS = [("Edg", "Edge"), ("Firefox", "Firefox"), ("Chrome", "Chrome"), ("Safari", "Safari")]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def device_name(user_agent: str) -> str:
    """ "Firefox on Android" and the like, from a User-Agent; empty when neither is known."""
    browser = next((name for token, name in _BROWSERS if re.search(token, user_agent)), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system


@transaction.atomic
def subscribe(user, *, endpoint: str, p256dh: str, auth: str, user_agent: str = ""):
    """Keep the browser subscription for ``user``. A browser subscribed before, by this user
    or by another who logged in on it, now belongs to ``user`` alone."""
    if not vapid.configured():
        raise ValidationError(
            _("Web push is not set up on this installation."), code="push_not_set_up"
        )
    problems = rules.subscription_problems(endpoint, p256dh, auth, settings.PUSH_SERVICE_HOSTS)
    if problems:
        raise ValidationError(problems)
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "device": device_name(user_agent)[:100],
        },
    )
    return subscription


@transaction.atomic
def remove(subscription: PushSubscription) -> None:
    """Stop pushing to this browser."""
    subscription.delete()


@transaction.atomic
def remove_endpoint(user, endpoint: str) -> int:
    """Stop pushing to ``user``'s browser at ``endpoint`` (the browser knows its own
    endpoint, not its id); how many were removed (0 or 1)."""
    removed, _by_model = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return removed


@transaction.atomic
def choose_topics(user, topics: Iterable[str]) -> PushTopics:
    """The topics ``user`` gets by push from now on."""
    topics = sorted(set(topics))
    problems = rules.topic_problems(topics)
    if problems:
        raise ValidationError(problems)
    chosen, _created = PushTopics.objects.update_or_create(user=user, defaults={"topics": topics})
    return chosen


def forget_devices_at_logout(sender, request, user, **kwargs) -> None:
    """Logging out removes every browser of the user (``user_logged_out``): care notices stop
    reaching a device that may be lost or given to someone else."""
    if user is not None:
        PushSubscription.objects.filter(user=user).delete()


def delivered(subscription_ids: list[int], at: datetime) -> None:
    """The push services took a message for these subscriptions at ``at``."""
    PushSubscription.objects.filter(pk__in=subscription_ids).update(last_success_at=at)


def forget_gone(subscription_ids: list[int]) -> None:
    """The push services said these subscriptions no longer exist (404, 410: the browser
    unsubscribed or was reset): sending to them again would fail again."""
    PushSubscription.objects.filter(pk__in=subscription_ids).delete()
