"""API: the user's own web push. Browsers subscribe and unsubscribe; the user reads and sets
the topics they get by push. Each call acts on the calling login's own devices and topics,
whatever the cooperative: these belong to the login."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from coopcare.bounds import Id
from coopcare.push import queries, services, vapid
from coopcare.push.models import PushSubscription, Topic

router = Router(tags=["web push"])


class DeviceOut(Schema):
    id: int
    device: str = Field(description="Browser and system, from the browser's User-Agent.")
    created_at: datetime
    last_success_at: datetime | None


class PushOut(Schema):
    configured: bool = Field(description="Whether this installation sends push messages.")
    public_key: str | None = Field(
        description="The VAPID public key, the ``applicationServerKey`` browsers subscribe with."
    )
    topics: list[Topic]
    devices: list[DeviceOut]


class TopicsIn(Schema):
    topics: list[Topic] = Field(max_length=len(Topic.values))


class KeysIn(Schema):
    p256dh: str = Field(max_length=100)
    auth: str = Field(max_length=50)


class SubscriptionIn(Schema):
    """The browser's ``PushSubscription.toJSON()``."""

    endpoint: str = Field(max_length=1000)
    keys: KeysIn


class EndpointIn(Schema):
    endpoint: str = Field(max_length=1000)


def _push_of(user) -> dict:
    return {
        "configured": vapid.configured(),
        "public_key": vapid.public_key(),
        "topics": sorted(queries.topics_of(user.pk)),
        "devices": list(queries.devices_of(user.pk)),
    }


@router.get("/push", response=PushOut, summary="Your web push: key, topics and devices")
def read_push(request):
    return _push_of(request.auth)


@router.put("/push/topics", response=PushOut, summary="Choose the topics you get by push")
def choose_topics(request, payload: TopicsIn):
    services.choose_topics(request.auth, [t.value for t in payload.topics])
    return _push_of(request.auth)


@router.post(
    "/push/subscriptions",
    response={201: DeviceOut},
    summary="Subscribe this browser to push messages",
    url_name="push_subscribe",
)
def subscribe(request, payload: SubscriptionIn):
    device = services.subscribe(
        request.auth,
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, device)


@router.post(
    "/push/subscriptions/removal",
    response={204: None},
    summary="Unsubscribe the browser at this endpoint",
    url_name="push_unsubscribe",
)
def unsubscribe(request, payload: EndpointIn):
    services.remove_endpoint(request.auth, payload.endpoint)
    return Status(204, None)


@router.delete(
    "/push/subscriptions/{subscription_id}",
    response={204: None},
    summary="Remove one of your devices",
)
def remove_device(request, subscription_id: Id):
    services.remove(get_object_or_404(PushSubscription, pk=subscription_id, user=request.auth))
    return Status(204, None)
