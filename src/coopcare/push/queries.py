"""Reads of a user's push devices and topics, shared by the pages, the API and the notifier.
They belong to a login, not to a cooperative: each read names its user."""

from django.db.models import QuerySet

from coopcare.push.models import DEFAULT_TOPICS, PushSubscription, PushTopics


def devices_of(user_id: int) -> QuerySet[PushSubscription]:
    """The browsers ``user_id`` receives push messages on, newest first."""
    return PushSubscription.objects.filter(user_id=user_id)


def topics_of(user_id: int) -> set[str]:
    """The topics ``user_id`` gets by push: their choice, else ``DEFAULT_TOPICS``."""
    chosen = PushTopics.objects.filter(user_id=user_id).values_list("topics", flat=True).first()
    return set(DEFAULT_TOPICS if chosen is None else chosen)


def wants(user_id: int, topic: str) -> bool:
    """Whether ``user_id`` has a device to push to and wants ``topic`` by push."""
    # Most logins have no device: that answer costs one query.
    return devices_of(user_id).exists() and topic in topics_of(user_id)


def devices_of_users(user_ids: set) -> QuerySet[PushSubscription]:
    """The browsers of all of ``user_ids``, for one message each (the notifier)."""
    return PushSubscription.objects.filter(user_id__in=[u for u in user_ids if u is not None])
