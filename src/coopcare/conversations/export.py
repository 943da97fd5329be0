"""The person's conversation in their data export (``care.export``): every message as it was
sent, who wrote it and as whom, and the office's marks."""

from typing import Any

from coopcare.care.export import name, plain
from coopcare.conversations.models import Message


def person_conversation(person) -> dict[str, Any]:
    """The messages of the person's conversation, oldest first."""
    cooperative = person.cooperative
    messages = (
        Message.objects.filter(conversation__person=person)
        .select_related("author", "needs_action__marked_by", "needs_action__done_by")
        .order_by("pk")
    )
    out = []
    for message in messages:
        flag = getattr(message, "needs_action", None)
        out.append(
            {
                "sent_at": plain(message.sent_at, cooperative),
                "by": name(message.author),
                "as": message.side,
                "text": message.text,
                "needs_action": None
                if flag is None
                else {
                    "marked_by": name(flag.marked_by),
                    "marked_at": plain(flag.marked_at, cooperative),
                    "done_by": name(flag.done_by) if flag.done_by else None,
                    "done_at": plain(flag.done_at, cooperative),
                },
            }
        )
    return {"conversation": out}
