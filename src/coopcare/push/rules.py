"""The checks of a push subscription a browser hands coopcare, before coopcare stores it and
later sends to it."""

import base64
import binascii
from collections.abc import Iterable
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopcare.push.models import Topic

# RFC 8291 §3.2: the authentication secret is 16 octets.
AUTH_SECRET_LENGTH = 16


def _urlsafe_bytes(text: str) -> bytes | None:
    """``text`` decoded from base64url with or without padding, or None."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def _on_p256(raw: bytes) -> bool:
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def push_service_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether ``host`` is one of the ``allowed`` push services or a name under one."""
    host = host.lower().rstrip(".")
    return any(host == name or host.endswith("." + name) for name in allowed)


def subscription_problems(
    endpoint: str, p256dh: str, auth: str, allowed_hosts: Iterable[str]
) -> list[ValidationError]:
    """What is wrong with a subscription: its endpoint and its two keys.

    Source: RFC 8030 §8.1 (a push service is reached over HTTPS only); OWASP, Server-Side
    Request Forgery Prevention Cheat Sheet (a server that sends to addresses users give it
    sends only to the hosts it allows: otherwise a user points coopcare at machines inside its
    network); RFC 8291 §3.1 and §3.2 (the browser's key ``p256dh`` is a P-256 point in
    uncompressed form, 65 octets; its authentication secret ``auth`` is 16 octets, both in
    base64url)."""
    problems = []
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname:
        problems.append(
            ValidationError(
                _("A push subscription's address must be an https address."),
                code="push_endpoint_not_https",
            )
        )
    elif not push_service_allowed(parts.hostname, allowed_hosts):
        problems.append(
            ValidationError(
                _("This browser's push service is not one this installation sends to."),
                code="push_service_unknown",
            )
        )
    key = _urlsafe_bytes(p256dh)
    if key is None or len(key) != 65 or not _on_p256(key):
        problems.append(
            ValidationError(_("The browser's push key is not valid."), code="push_key_invalid")
        )
    secret = _urlsafe_bytes(auth)
    if secret is None or len(secret) != AUTH_SECRET_LENGTH:
        problems.append(
            ValidationError(
                _("The browser's push secret is not valid."), code="push_secret_invalid"
            )
        )
    return problems


def topic_problems(topics: Iterable[str]) -> list[ValidationError]:
    """Topics that do not exist. Source: coopcare's own list of topics (``Topic``)."""
    unknown = sorted(set(topics) - set(Topic.values))
    if not unknown:
        return []
    return [
        ValidationError(
            _("Not a topic of notices: %(topics)s.") % {"topics": ", ".join(unknown)},
            code="unknown_push_topic",
        )
    ]
