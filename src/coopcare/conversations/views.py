"""The conversation pages: the list of conversations, the thread of one person (the office on
the person's page, the family on the circle page, the carer on their phone), and the office's
marks of a message needing action and done."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from coopcare.conversations import access, queries, services
from coopcare.conversations.forms import MessageForm
from coopcare.conversations.models import Message
from coopcare.cooperatives.access import CooperativeRequest, cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import press, submit


@cooperative_view(*access.TAKING_PART)
def index(request: CooperativeRequest) -> HttpResponse:
    """The conversations the user takes part in, with what is new; for the office, the
    messages needing action first."""
    people = access.people_of(request.user, request.cooperative, request.roles)
    is_office = Role.COORDINATOR in request.roles
    return render(
        request,
        "conversations/index.html",
        {
            # The office lists the conversations that hold messages; the others every person
            # they may write about, to write the first message too.
            "rows": queries.conversations(request.user, people, with_empty=not is_office),
            "needing_action": queries.needing_action(request.cooperative) if is_office else None,
        },
    )


@cooperative_view(*access.TAKING_PART)
def thread(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """The person's thread, read (and logged) on each showing; a message posted from its form,
    by htmx in place or by a plain post."""
    person, side = access.conversation_of(
        request.user, request.cooperative, request.roles, person_id
    )
    form = MessageForm(request.POST or None)
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: services.send_message(
            person,
            request.user,
            side,
            data["text"],
            site_url=request.build_absolute_uri("/"),
        ),
        None if request.htmx else _("Message sent."),
    ):
        if not request.htmx:
            return redirect("conversations:thread", request.cooperative.slug, person.pk)
        form = MessageForm()
    upto = queries.read_up_to(person, request.user)
    messages = [(m, queries.is_new(m, request.user, upto)) for m in queries.thread(person)]
    access.log_read(request.user, person)
    services.mark_read(person, request.user)
    context = {
        "person": person,
        "side": side,
        "messages_shown": messages,
        "form": form,
        "is_office": side == "office",
    }
    template = "conversations/_thread.html" if request.htmx else "conversations/thread.html"
    return render(request, template, context)


@cooperative_view(Role.COORDINATOR)
def needs_action(request: CooperativeRequest, message_id: int) -> HttpResponse:
    """The office marks a message as needing action."""
    return _mark(request, access.message_of(request.cooperative, message_id), "needs_action")


@cooperative_view(Role.COORDINATOR)
def done(request: CooperativeRequest, message_id: int) -> HttpResponse:
    """The office marks the action a message needed as done."""
    return _mark(request, access.message_of(request.cooperative, message_id), "done")


# After the lookup, so that another cooperative's message is a 404 whatever the method.
@require_POST
def _mark(request: CooperativeRequest, message: Message, mark: str) -> HttpResponse:
    if mark == "done":
        press(request, lambda: services.mark_done(message, request.user), _("Marked as done."))
    else:
        press(
            request,
            lambda: services.mark_needs_action(message, request.user),
            _("Marked as needing action."),
        )
    if request.POST.get("back") == "index":
        return redirect("conversations:index", request.cooperative.slug)
    return redirect(
        "conversations:thread", request.cooperative.slug, message.conversation.person_id
    )
