"""API: a person's conversation. List its messages (a read, logged), write one, mark it read;
the office marks a message as needing action and then done, and lists the conversations with
what is new and what needs action."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from coopcare.bounds import Id
from coopcare.conversations import access, queries, services
from coopcare.conversations.models import Message, Side
from coopcare.conversations.services import MESSAGE_MAX_LENGTH
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.cooperatives.models import Role

router = Router(tags=["conversations"])
OFFICE = (Role.COORDINATOR,)


class NeedsActionOut(Schema):
    marked_by_id: int
    marked_at: datetime
    done_by_id: int | None
    done_at: datetime | None = Field(description="When the office marked it done (or null).")


class MessageOut(Schema):
    id: int
    person_id: int
    author_id: int
    author_name: str = Field(description="The author's first name; the office reads full names.")
    side: Side = Field(description="Written as the office, the circle or a carer.")
    text: str
    sent_at: datetime
    new: bool = Field(description="Someone else's, written after the reader last read.")
    needs_action: NeedsActionOut | None = Field(
        description="Only to the office: the mark of a message needing action."
    )


class MessageIn(Schema):
    text: str = Field(min_length=1, max_length=MESSAGE_MAX_LENGTH)


class ReadOut(Schema):
    person_id: int
    read_up_to: int | None = Field(description="The last message read (null: none yet).")
    read_at: datetime | None


class ConversationOut(Schema):
    person_id: int
    person_name: str
    last_at: datetime | None
    unread: int
    needing_action: int = Field(description="Messages needing action (0 but to the office).")


def _out(message: Message, user, side, upto: int) -> MessageOut:
    office = side == Side.OFFICE
    author = message.author
    flag = getattr(message, "needs_action", None) if office else None
    return MessageOut(
        id=message.pk,
        person_id=message.conversation.person_id,
        author_id=author.pk,
        author_name=(author.get_full_name() if office else author.first_name)
        or author.get_username(),
        side=Side(message.side),
        text=message.text,
        sent_at=message.sent_at,
        new=queries.is_new(message, user, upto),
        needs_action=None
        if flag is None
        else NeedsActionOut(
            marked_by_id=flag.marked_by_id,
            marked_at=flag.marked_at,
            done_by_id=flag.done_by_id,
            done_at=flag.done_at,
        ),
    )


@router.get(
    "/{coop}/people/{person_id}/messages",
    response=list[MessageOut],
    summary="The messages of a person's conversation, oldest first",
)
def list_messages(request, coop: str, person_id: Id):
    """The office, the circle members who may write, the regular carers. Each read is logged;
    listing does not mark them read (``POST .../messages/read`` does)."""
    cooperative, roles = resolve_cooperative(request.auth, coop, access.TAKING_PART)
    person, side = access.conversation_of(request.auth, cooperative, roles, person_id)
    upto = queries.read_up_to(person, request.auth)
    messages = queries.thread(person)
    access.log_read(request.auth, person, "api")
    return [_out(m, request.auth, side, upto) for m in messages]


@router.post(
    "/{coop}/people/{person_id}/messages",
    response={201: MessageOut},
    summary="Write a message in a person's conversation",
)
def send_message(request, coop: str, person_id: Id, payload: MessageIn):
    """400 ``message_empty`` for only spaces. The others are told by email that there is a
    new message, with nothing of it."""
    cooperative, roles = resolve_cooperative(request.auth, coop, access.TAKING_PART)
    person, side = access.conversation_of(request.auth, cooperative, roles, person_id)
    message = services.send_message(
        person, request.auth, side, payload.text, site_url=request.build_absolute_uri("/")
    )
    upto = queries.read_up_to(person, request.auth)
    return Status(201, _out(message, request.auth, side, upto))


@router.post(
    "/{coop}/people/{person_id}/messages/read",
    response=ReadOut,
    summary="Mark a person's conversation read up to its last message",
)
def mark_read(request, coop: str, person_id: Id):
    """What comes after is new to the reader, and they may be told of it again."""
    cooperative, roles = resolve_cooperative(request.auth, coop, access.TAKING_PART)
    person, _side = access.conversation_of(request.auth, cooperative, roles, person_id)
    reader = services.mark_read(person, request.auth)
    return ReadOut(
        person_id=person.pk,
        read_up_to=reader.read_up_to_id if reader else None,
        read_at=reader.read_at if reader else None,
    )


def _marked(request, coop: str, message_id: int, done: bool) -> MessageOut:
    cooperative, _roles = resolve_cooperative(request.auth, coop, OFFICE)
    message = access.message_of(cooperative, message_id)
    if done:
        services.mark_done(message, request.auth)
    else:
        services.mark_needs_action(message, request.auth)
    person = message.conversation.person
    access.log_read(request.auth, person, "api")
    fresh = next(m for m in queries.thread(person) if m.pk == message.pk)
    return _out(fresh, request.auth, Side.OFFICE, queries.read_up_to(person, request.auth))


@router.post(
    "/{coop}/messages/{message_id}/needs-action",
    response=MessageOut,
    summary="The office marks a message as needing action",
)
def mark_needs_action(request, coop: str, message_id: Id):
    """400 ``message_already_marked`` when it already is (or was, and is done)."""
    return _marked(request, coop, message_id, done=False)


@router.post(
    "/{coop}/messages/{message_id}/done",
    response=MessageOut,
    summary="The office marks the action a message needed as done",
)
def mark_done(request, coop: str, message_id: Id):
    """400 ``message_not_marked`` when it was never marked, ``action_already_done`` when done."""
    return _marked(request, coop, message_id, done=True)


@router.get(
    "/{coop}/conversations",
    response=list[ConversationOut],
    summary="The conversations the reader takes part in, with what is new",
)
def list_conversations(request, coop: str, needs_action: bool = False):
    """Those with messages needing action first (the office's list), then with new messages.
    ``needs_action=true`` keeps only those with a message needing action (the office)."""
    cooperative, roles = resolve_cooperative(request.auth, coop, access.TAKING_PART)
    people = access.people_of(request.auth, cooperative, roles)
    office = Role.COORDINATOR in roles
    rows = queries.conversations(request.auth, people)
    if needs_action:
        rows = [r for r in rows if office and r.needing_action]
    return [
        ConversationOut(
            person_id=r.person.pk,
            person_name=r.person.full_name,
            last_at=r.last_at,
            unread=r.unread,
            needing_action=r.needing_action if office else 0,
        )
        for r in rows
    ]
