"""How a page calls a service: the one way every view validates a form, calls the service,
shows a broken rule on the form and says what was done (``submit``), the same for a button
with no form (``press``), and the action forms offered on a record's page (a member, a person
cared for); and what every page would read again but remembers in the login session for a
while (``remembered``)."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import ngettext

from coopcare.accounts.ratelimit import upload_wait

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one


@dataclass(frozen=True)
class Outcome:
    """What came of a submitted form: whether the service was called and what it returned.
    True when done, so that ``if outcome:`` reads as "if it was done"."""

    done: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.done


def submit(
    request,
    form: forms.BaseForm,
    call: Callable[[dict], Any],
    done: "StrOrPromise | Callable[[Any], StrOrPromise] | None",
) -> Outcome:
    """If ``form`` is valid, call the service with ``call(form.cleaned_data)`` and say ``done``
    (a message, a function of what the service returned giving it, or None to say nothing).

    A broken rule (the service's coded ValidationError) is shown on the form instead; the
    service wrote nothing, as it runs in one transaction."""
    if not form.is_valid():
        return Outcome(False)
    try:
        result = call(form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return Outcome(False)
    _say(request, done, result)
    return Outcome(True, result)


def press(
    request,
    call: Callable[[], Any],
    done: "StrOrPromise | Callable[[Any], StrOrPromise] | None",
) -> Outcome:
    """A button with no form: ``call()`` the service and say ``done`` (as for ``submit``). A
    broken rule is shown as an error message instead, and nothing is written."""
    try:
        result = call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return Outcome(False)
    _say(request, done, result)
    return Outcome(True, result)


def over_upload_limit(request, form: forms.BaseForm, field: str = "file") -> bool:
    """Count the file a page's ``form`` uploads against the user's limit
    (``UPLOAD_RATE_LIMIT``); past it, say so on ``field`` and answer True, so that the page
    keeps nothing (``submit`` then finds the form invalid) and answers 429."""
    wait = upload_wait(request.user)
    if wait is None:
        return False
    minutes = math.ceil(wait / 60)
    form.add_error(
        field,
        ngettext(
            "Too many files uploaded; wait %(minutes)s minute and try again.",
            "Too many files uploaded; wait %(minutes)s minutes and try again.",
            minutes,
        )
        % {"minutes": minutes},
    )
    return True


def _say(request, done, result) -> None:
    if done is not None:
        messages.success(request, str(done(result) if callable(done) else done))


@dataclass(frozen=True)
class Action:
    """Something recorded on one record (a member, a person cared for): the form, the service
    call that applies the rules, who may do it, its title and the message once done."""

    form: type
    call: Callable
    roles: tuple[str, ...]
    title: "StrOrPromise"
    done: "StrOrPromise"
    needs_subject: str = ""  # keyword under which the form takes the record it acts on

    def make_form(self, name: str, subject, data=None):
        """The action's form for ``subject``, bound to ``data`` when given."""
        kwargs = {self.needs_subject: subject} if self.needs_subject else {}
        return self.form(data, prefix=name, **kwargs)


def offered(request, actions: dict[str, Action], names, subject, bound: dict | None = None):
    """The (name, title, form) of each action in ``names`` the user's roles allow; a form that
    was just posted with errors (in ``bound``) replaces the blank one."""
    shown = {
        name: actions[name].make_form(name, subject)
        for name in names
        if request.roles & set(actions[name].roles)
    }
    shown.update(bound or {})
    return [(name, actions[name].title, form) for name, form in shown.items()]


def perform(request, action: Action, name: str, subject):
    """Submit the posted form of ``action`` on ``subject``. Returns (done, form); a broken rule
    is shown on the form and nothing is written."""
    if not request.roles & set(action.roles):
        raise PermissionDenied
    form = action.make_form(name, subject, request.POST)
    outcome = submit(
        request, form, lambda data: action.call(subject, data, request.user), action.done
    )
    return outcome.done, form


# What every page reads and the user seldom changes (their language, whether they belong to
# more than one cooperative) is read once per login session in this many seconds rather than
# on every request: a change made from another device or by the office shows within it.
REMEMBERED_FOR = 600


def remembered(request, key: str, read: Callable[[], Any]) -> Any:
    """``read()`` for the logged-in user, kept in their session under ``key`` for
    ``REMEMBERED_FOR`` seconds. ``read`` must return what the session stores (JSON)."""
    session = getattr(request, "session", None)
    if session is None:
        return read()
    now = time.time()
    # The user's id is kept with the value: a session never answers for another login.
    kept = session.get(key)
    if kept and kept[0] == request.user.pk and now - kept[1] < REMEMBERED_FOR:
        return kept[2]
    value = read()
    session[key] = [request.user.pk, now, value]
    return value


def forget(request, key: str) -> None:
    """Read ``key`` afresh on the next request: the user just changed it."""
    request.session.pop(key, None)
