"""Telling people outside the app: the one place in coopcare that sends anything to anyone.

A caller describes a :class:`Notice` per addressee (who, a subject marked for translation, a
text template and its context) and hands the list to :func:`send`. Nothing goes out until the
surrounding transaction commits, and nothing at all if it is rolled back. Each notice is then
written in its addressee's own language and given to every channel that reaches the addressee.

Channels (:class:`Channel`) are ways of reaching people. Email is the only one today; an in-app
notice or a web push is another class with the same two methods, added to ``CHANNELS``, and no
caller changes.

What goes out leaves coopcare's control, so it says as little as it can: an email never names
care data (who is cared for, where they live, what care they get: GDPR art. 9); it tells the
reader what to look at in the app.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from coopcare.accounts.models import profile_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Addressee:
    """Someone to tell: where to reach them and the language they read."""

    email: str
    language: str


@dataclass(frozen=True)
class Message:
    """One notice written out for its addressee, in their language."""

    addressee: Addressee
    subject: str
    body: str


@dataclass(frozen=True)
class Notice:
    """What to tell one addressee. ``subject`` is a string marked with ``gettext_lazy``,
    filled with ``subject_values``; ``template`` is a text template rendered with
    ``context``. Both are translated when the notice is written, after the commit."""

    addressee: Addressee
    subject: str | Promise
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    subject_values: Mapping[str, Any] = field(default_factory=dict)

    def write(self) -> Message:
        """The message in the addressee's language."""
        with translation.override(self.addressee.language):
            subject = str(self.subject)
            if self.subject_values:
                subject %= self.subject_values
            # A subject is one header line: values people typed (a question's title) may hold
            # line breaks, which the mail library refuses, losing the whole message.
            subject = " ".join(subject.split())
            body = render_to_string(self.template, dict(self.context))
        return Message(self.addressee, subject, body)


class Channel(Protocol):
    """A way of reaching people outside the app."""

    def reaches(self, addressee: Addressee) -> bool:
        """Whether this channel can reach ``addressee`` at all."""
        ...

    def deliver(self, messages: Sequence[Message]) -> int:
        """Deliver ``messages`` (all to addressees it reaches); how many went out. A message
        that cannot be delivered is logged and skipped: it never stops the others."""
        ...


class Email:
    """Email, one message per addressee, over one connection to the mail server."""

    def reaches(self, addressee: Addressee) -> bool:
        """Anyone with an email address."""
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


CHANNELS: tuple[Channel, ...] = (Email(),)


def language_of(user) -> str:
    """The language ``user`` reads: the one on their account, else the installation's.
    (A cooperative has no language of its own.)"""
    return profile_of(user).language or settings.LANGUAGE_CODE


def to_user(user) -> Addressee:
    """``user``, reached at their account's address, in their language. Load users with
    ``select_related("profile")`` to spare a query each."""
    return Addressee(email=user.email, language=language_of(user))


def to_member(member) -> Addressee:
    """A member, reached at their address on the register, in the language of their login
    if they have one, else the installation's. Load members with
    ``select_related("user__profile")`` to spare a query each."""
    language = language_of(member.user) if member.user_id else settings.LANGUAGE_CODE
    return Addressee(email=member.email, language=language)


def send(notices: Iterable[Notice]) -> int:
    """Send ``notices`` once the current transaction commits (at once outside one); nothing
    if it is rolled back. Returns how many notices some channel reaches."""
    reachable = [n for n in notices if any(c.reaches(n.addressee) for c in CHANNELS)]
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
        channel.deliver([m for m in messages if channel.reaches(m.addressee)])
