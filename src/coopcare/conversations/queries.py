"""Reads of conversations shared by the pages and the API: the thread, what is new to a reader,
the conversations a user takes part in with their unread counts, the messages needing action."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from coopcare.care.models import PersonCaredFor
from coopcare.conversations.models import Message, Reader


def thread(person: PersonCaredFor) -> list[Message]:
    """The person's messages, oldest first, with their authors and marks."""
    return list(
        Message.objects.filter(conversation__person=person)
        .select_related("author", "needs_action__marked_by", "needs_action__done_by")
        .order_by("pk")
    )


def read_up_to(person: PersonCaredFor, user) -> int:
    """The id of the last message ``user`` read in the person's conversation (0 for none)."""
    reader = Reader.objects.filter(conversation__person=person, user=user).first()
    return (reader.read_up_to_id or 0) if reader else 0


def is_new(message: Message, user, read_up_to: int) -> bool:
    """Whether ``message`` is new to ``user``: someone else's, after what they read."""
    return message.pk > read_up_to and message.author_id != user.pk


@dataclass
class ConversationRow:
    person: PersonCaredFor
    last_at: datetime | None
    unread: int
    needing_action: int


def conversations(
    user, people: QuerySet[PersonCaredFor], with_empty: bool = False
) -> list[ConversationRow]:
    """The conversations of ``people``, with what is new to ``user`` and how many messages need
    action: those needing action first, then unread, then latest. Only those holding a message,
    unless ``with_empty`` (someone may write the first). A fixed number of queries."""
    read = Reader.objects.filter(conversation__person=OuterRef("pk"), user=user).values(
        "read_up_to_id"
    )
    found = people.annotate(
        upto=Coalesce(Subquery(read[:1]), Value(0), output_field=IntegerField())
    ).annotate(
        last_at=Max("conversation__messages__sent_at"),
        unread=Count(
            "conversation__messages",
            filter=Q(conversation__messages__pk__gt=F("upto"))
            & ~Q(conversation__messages__author=user),
        ),
        needing_action=Count(
            "conversation__messages",
            filter=Q(conversation__messages__needs_action__isnull=False)
            & Q(conversation__messages__needs_action__done_at__isnull=True),
        ),
    )
    if not with_empty:
        found = found.filter(last_at__isnull=False)
    rows = [ConversationRow(p, p.last_at, p.unread, p.needing_action) for p in found]
    return sorted(
        rows,
        key=lambda r: (
            -r.needing_action,
            -r.unread,
            -(r.last_at.timestamp() if r.last_at else 0),
            r.person.full_name,
        ),
    )


def unread(person: PersonCaredFor, user) -> int:
    """How many messages of the person's conversation are new to ``user``."""
    upto = read_up_to(person, user)
    return (
        Message.objects.filter(conversation__person=person, pk__gt=upto)
        .exclude(author=user)
        .count()
    )


def needing_action(cooperative) -> list[Message]:
    """The cooperative's messages the office marked as needing action and not yet done,
    oldest mark first."""
    return list(
        Message.objects.filter(
            conversation__cooperative=cooperative,
            needs_action__isnull=False,
            needs_action__done_at__isnull=True,
        )
        .select_related("conversation__person", "author", "needs_action__marked_by")
        .order_by("needs_action__marked_at", "pk")
    )
