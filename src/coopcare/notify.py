"""Telling people outside the app: the one place in coopcare that sends anything to anyone.

A caller describes a :class:`Notice` per addressee (who, a subject marked for translation, a
text template and its context) and hands the list to :func:`send`. Nothing goes out until the
surrounding transaction commits, and nothing at all if it is rolled back. Each notice is then
written in its addressee's own language and given to every channel that reaches the addressee.

Channels (:class:`Channel`) are ways of reaching people: email (:class:`Email`) and web push
(:class:`WebPush`). Another (an in-app notice) is a class with the same two methods, added to
``CHANNELS``, and no caller changes. Each notice has a :class:`Topic`; a user chooses which
topics reach them by push.

What goes out leaves coopcare's control, so it says as little as it can: an email never names
care data (who is cared for, where they live, what care they get: GDPR art. 9); it tells the
reader what to look at in the app. A push message passes through the browser vendor's push
service, so it carries the subject, a fixed sentence and the address to open, nothing else.
"""

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from pywebpush import WebPushException, webpush

from coopcare import localise
from coopcare.accounts.models import profile_of
from coopcare.push import queries as push_queries
from coopcare.push import services as push_services
from coopcare.push import vapid

# Callers name a notice's topic as ``notify.Topic``.
from coopcare.push.models import Topic as Topic

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Addressee:
    """Someone to tell: where to reach them and the language they read. ``user_id`` is their
    login, for web push; None for someone without one (an applicant, a member with no login)."""

    email: str
    language: str
    user_id: int | None = None


@dataclass(frozen=True)
class Message:
    """One notice written out for its addressee, in their language."""

    addressee: Addressee
    subject: str
    body: str
    topic: str = Topic.OTHER
    url: str = ""


@dataclass(frozen=True)
class Notice:
    """What to tell one addressee. ``subject`` is a string marked with ``gettext_lazy``,
    filled with ``subject_values``; ``template`` is a text template rendered with
    ``context``. Both are translated when the notice is written, after the commit.
    ``topic`` says what it is about (for the user's choice of topics by push); ``url`` is the
    page a push message opens, a path of this site (the home page when empty). ``region`` is
    the cooperative's country, whose conventions its days and money follow
    (``localise.current_locale``): by default the one in effect when the notice is made, the
    cooperative of the page or API call that causes it."""

    addressee: Addressee
    subject: str | Promise
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    subject_values: Mapping[str, Any] = field(default_factory=dict)
    topic: str = Topic.OTHER
    url: str = ""
    region: str = field(default_factory=localise.current_region)

    def write(self) -> Message:
        """The message in the addressee's language."""
        with translation.override(self.addressee.language), localise.in_region(self.region):
            subject = str(self.subject)
            if self.subject_values:
                subject %= self.subject_values
            # A subject is one header line: values people typed (a question's title) may hold
            # line breaks, which the mail library refuses, losing the whole message.
            subject = " ".join(subject.split())
            body = render_to_string(self.template, dict(self.context))
        return Message(self.addressee, subject, body, self.topic, self.url)


class Channel(Protocol):
    """A way of reaching people outside the app."""

    def reaches(self, addressee: Addressee, topic: str) -> bool:
        """Whether this channel reaches ``addressee`` with a notice about ``topic``."""
        ...

    def deliver(self, messages: Sequence[Message]) -> int:
        """Deliver ``messages`` (all to addressees it reaches); how many went out. A message
        that cannot be delivered is logged and skipped: it never stops the others."""
        ...


class Email:
    """Email, one message per addressee, over one connection to the mail server."""

    def reaches(self, addressee: Addressee, topic: str) -> bool:
        """Anyone with an email address, whatever the topic."""
        return bool(addressee.email)

    def deliver(self, messages: Sequence[Message]) -> int:
        """Send each message on its own, so that one refused address loses no other."""
        if not messages:
            return 0
        try:
            connection = get_connection()
            connection.open()
        except Exception:
            logger.exception(
                "The mail server could not be reached: %d emails not sent", len(messages)
            )
            return 0
        sent = 0
        try:
            for number, message in enumerate(messages, 1):
                email = EmailMessage(
                    message.subject,
                    message.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [message.addressee.email],
                    connection=connection,
                )
                try:
                    sent += email.send()
                except Exception:
                    # The address stays out of the log: it is personal data, and the
                    # traceback says what the server refused.
                    logger.exception("Email %d of %d not sent", number, len(messages))
        finally:
            connection.close()
        return sent


class WebPush:
    """Web push to each browser the addressee subscribed, for the topics they chose, signed
    with the installation's VAPID key and encrypted for the browser (``pywebpush``)."""

    # Seconds a push service may take to answer, and how long it keeps a message for a device
    # that is off: a day, past which a change of roster is no news.
    TIMEOUT = 10
    TTL = 24 * 60 * 60

    def reaches(self, addressee: Addressee, topic: str) -> bool:
        """A user with a subscribed browser who wants ``topic`` by push, on an installation
        with a VAPID key."""
        return (
            addressee.user_id is not None
            and vapid.configured()
            and push_queries.wants(addressee.user_id, topic)
        )

    def deliver(self, messages: Sequence[Message]) -> int:
        """Send each message to every browser of its addressee: a browser that fails loses no
        other; one the push service says is gone is forgotten. How many messages reached at
        least one browser."""
        key = vapid.key() if messages else None
        if key is None:
            return 0
        devices: dict[int, list] = {}
        for device in push_queries.devices_of_users({m.addressee.user_id for m in messages}):
            devices.setdefault(device.user_id, []).append(device)
        sent, reached, gone = 0, [], []
        for number, message in enumerate(messages, 1):
            data = json.dumps(_push_payload(message))
            went = False
            for device in devices.get(message.addressee.user_id or 0, []):
                try:
                    webpush(
                        device.info(),
                        data,
                        vapid_private_key=key,
                        vapid_claims=vapid.claims(),
                        timeout=self.TIMEOUT,
                        ttl=self.TTL,
                    )
                except WebPushException as error:
                    if error.status_code in (404, 410):
                        gone.append(device.pk)
                    else:
                        # Neither the endpoint nor the answer's body is logged: the endpoint
                        # lets anyone send to the device.
                        logger.warning(
                            "Push %d of %d not sent: the push service answered %s",
                            number,
                            len(messages),
                            error.status_code,
                        )
                except Exception as error:
                    # A network error's message names the endpoint: its kind only.
                    logger.warning(
                        "Push %d of %d not sent: %s", number, len(messages), type(error).__name__
                    )
                else:
                    reached.append(device.pk)
                    went = True
            sent += went
        push_services.delivered(reached, timezone.now())
        push_services.forget_gone(gone)
        return sent


def _push_payload(message: Message) -> dict[str, str]:
    """What the browser shows: the subject, a fixed sentence in the reader's language and the
    page to open. Never the message's text: it would pass through the push service."""
    with translation.override(message.addressee.language):
        body = gettext("Open coopcare to read it.")
    return {
        "title": message.subject[:200],
        "body": body,
        "url": message.url or "/",
        "topic": str(message.topic),
    }


CHANNELS: tuple[Channel, ...] = (Email(), WebPush())


def language_of(user) -> str:
    """The language ``user`` reads: the one on their account, else the installation's.
    (A cooperative has no language of its own.)"""
    return profile_of(user).language or settings.LANGUAGE_CODE


def to_user(user) -> Addressee:
    """``user``, reached at their account's address, in their language. Load users with
    ``select_related("profile")`` to spare a query each."""
    return Addressee(email=user.email, language=language_of(user), user_id=user.pk)


def to_member(member) -> Addressee:
    """A member, reached at their address on the register, in the language of their login
    if they have one, else the installation's. Load members with
    ``select_related("user__profile")`` to spare a query each."""
    language = language_of(member.user) if member.user_id else settings.LANGUAGE_CODE
    return Addressee(email=member.email, language=language, user_id=member.user_id)


def send(notices: Iterable[Notice]) -> int:
    """Send ``notices`` once the current transaction commits (at once outside one); nothing
    if it is rolled back. Returns how many notices some channel reaches."""
    reachable = [n for n in notices if any(c.reaches(n.addressee, n.topic) for c in CHANNELS)]
    if reachable:
        transaction.on_commit(partial(_deliver, reachable))
    return len(reachable)


def _deliver(notices: list[Notice]) -> None:
    """Write each notice and hand it to every channel that reaches its addressee."""
    messages = []
    for number, notice in enumerate(notices, 1):
        try:
            messages.append(notice.write())
        except Exception:
            logger.exception(
                "Notice %d of %d (%s) could not be written", number, len(notices), notice.template
            )
    for channel in CHANNELS:
        channel.deliver([m for m in messages if channel.reaches(m.addressee, m.topic)])
