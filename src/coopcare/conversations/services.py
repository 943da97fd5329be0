"""The actions of a conversation: a message sent, the thread read, a message marked as needing
action by the office and then done. Who may act is the caller's to check (``access``); each
action is one transaction."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from coopcare.care.models import PersonCaredFor
from coopcare.conversations import access
from coopcare.conversations.models import Conversation, Message, NeedsAction, Reader, Side
from coopcare.notify import Notice, Topic, send, to_user

MESSAGE_MAX_LENGTH = 2000


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your message."), code="message_empty")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("A message holds at most %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH},
            code="message_too_long",
        )
    return text


def _conversation(person: PersonCaredFor, now: datetime) -> Conversation:
    conversation, _created = Conversation.objects.get_or_create(
        person=person, defaults={"cooperative_id": person.cooperative_id, "started_at": now}
    )
    return conversation


@transaction.atomic
def send_message(
    person: PersonCaredFor, author, side: Side, text: str, site_url: str = "", now=None
) -> Message:
    """``author`` writes ``text`` in the person's conversation, as ``side``. The others who take
    part are told there is a new message, once until they have read the thread."""
    text = _text(text)
    now = now or timezone.now()
    conversation = _conversation(person, now)
    message = Message.objects.create(
        conversation=conversation, author=author, side=side, text=text, sent_at=now
    )
    # The author has read their own message and what came before it.
    _read(conversation, author, message, now)
    _tell(conversation, author, site_url, now)
    return message


def _tell(conversation: Conversation, author, site_url: str, now: datetime) -> None:
    """Tell each other participant not yet told since they last read. The notice names the
    cooperative and links to the thread, nothing else: not the person, not the message."""
    others = [u for u in access.participants(conversation.person, now) if u.pk != author.pk]
    readers = {
        r.user_id: r
        for r in Reader.objects.select_for_update().filter(
            conversation=conversation, user__in=others
        )
    }
    untold = [u for u in others if u.pk not in readers or readers[u.pk].told_at is None]
    for user in untold:
        Reader.objects.update_or_create(
            conversation=conversation, user=user, defaults={"told_at": now}
        )
    path = reverse(
        "conversations:thread", args=[conversation.person.cooperative.slug, conversation.person_id]
    )
    send(
        Notice(
            to_user(user),
            gettext_lazy("A new message for you in coopcare"),
            "conversations/mail_new_message.txt",
            {"cooperative": conversation.person.cooperative, "link": site_url.rstrip("/") + path},
            topic=Topic.MESSAGE,
            url=path,
        )
        for user in untold
    )


def _read(conversation: Conversation, user, last: Message | None, now: datetime) -> Reader:
    reader, _created = Reader.objects.update_or_create(
        conversation=conversation,
        user=user,
        defaults={"read_up_to": last, "read_at": now, "told_at": None},
    )
    return reader


@transaction.atomic
def mark_read(person: PersonCaredFor, user, now=None) -> Reader | None:
    """``user`` read the person's conversation up to its last message: what comes after is new
    to them, and they may be told of it again. None while the conversation has no message."""
    conversation = Conversation.objects.filter(person=person).first()
    last = conversation.messages.order_by("pk").last() if conversation else None
    if conversation is None or last is None:
        return None
    return _read(conversation, user, last, now or timezone.now())


@transaction.atomic
def mark_needs_action(message: Message, by, now=None) -> NeedsAction:
    """The office marks ``message`` as needing action (once)."""
    if NeedsAction.objects.select_for_update().filter(message=message).exists():
        raise ValidationError(
            _("This message is already marked as needing action."), code="message_already_marked"
        )
    return NeedsAction.objects.create(
        message=message, marked_by=by, marked_at=now or timezone.now()
    )


@transaction.atomic
def mark_done(message: Message, by, now=None) -> NeedsAction:
    """The office marks the action ``message`` needed as done, with who and when."""
    flag = NeedsAction.objects.select_for_update().filter(message=message).first()
    if flag is None:
        raise ValidationError(
            _("This message is not marked as needing action."), code="message_not_marked"
        )
    if flag.done_at is not None:
        raise ValidationError(_("This action is already done."), code="action_already_done")
    flag.done_by, flag.done_at = by, now or timezone.now()
    flag.save(update_fields=["done_by", "done_at"])
    return flag
