import base64
import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import override_settings

from coopcare.push import services, vapid

# One VAPID key for the whole run: making one is cheap, but each test need not.
KEY = vapid.new_private_key()


def urlsafe(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def browser_keys() -> dict[str, str]:
    """The keys a browser subscribes with: its P-256 public key and a 16-byte secret."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    return {"p256dh": urlsafe(point), "auth": urlsafe(secrets.token_bytes(16))}


def endpoint(name: str) -> str:
    return f"https://fcm.googleapis.com/fcm/send/{name}"


def subscribed(user, name: str, user_agent: str = ""):
    """``user``'s browser ``name`` subscribed, through the service."""
    return services.subscribe(
        user, endpoint=endpoint(name), user_agent=user_agent, **browser_keys()
    )


@pytest.fixture
def push_key():
    """An installation with a VAPID key."""
    with override_settings(VAPID_PRIVATE_KEY=KEY):
        yield KEY
