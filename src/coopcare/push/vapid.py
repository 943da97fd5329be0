"""The installation's VAPID key (RFC 8292): it signs every push coopcare sends, and browsers
subscribe with its public half, so that only coopcare can send to them.

In production the key comes from ``VAPID_PRIVATE_KEY`` (``coopcare push_keys`` makes one);
without it push is off. On a development machine (``DEBUG``) with no key, one is made once
into ``VAPID_DEVELOPMENT_KEY_FILE`` so that push can be tried on localhost."""

import base64
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from py_vapid import Vapid02


def configured() -> bool:
    """Whether this installation can send push messages (reads no file)."""
    return bool(settings.VAPID_PRIVATE_KEY or settings.VAPID_DEVELOPMENT_KEY_FILE)


def key() -> Vapid02 | None:
    """The private key, or None when push is not set up."""
    if settings.VAPID_PRIVATE_KEY:
        return Vapid02.from_string(settings.VAPID_PRIVATE_KEY)
    if settings.VAPID_DEVELOPMENT_KEY_FILE:
        path = Path(settings.VAPID_DEVELOPMENT_KEY_FILE)
        if not path.exists():
            made = Vapid02()
            made.generate_keys()
            made.save_key(str(path))
        return Vapid02.from_file(str(path))
    return None


def _urlsafe(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def public_key() -> str | None:
    """The public key as browsers take it (``applicationServerKey``: the uncompressed point,
    base64url), or None when push is not set up."""
    private = key()
    if private is None:
        return None
    return _urlsafe(private.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def claims() -> dict[str, str | int]:
    """The claims each push is signed with: who runs this installation, for the push
    services to write to. A fresh dictionary each time: the library adds the push service's
    address to it."""
    return {"sub": settings.VAPID_SUBJECT or f"mailto:{settings.DEFAULT_FROM_EMAIL}"}


def new_private_key() -> str:
    """A new private key, as ``VAPID_PRIVATE_KEY`` takes it (the 32-byte number, base64url)."""
    made = Vapid02()
    made.generate_keys()
    number = made.private_key.private_numbers().private_value
    return _urlsafe(number.to_bytes(32, "big"))
