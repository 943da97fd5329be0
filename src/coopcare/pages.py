"""A small shared shape for the action forms shown on a record's page."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from coopcare.cooperatives.forms import add_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one


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
        kwargs = {self.needs_subject: subject} if self.needs_subject else {}
        return self.form(data, prefix=name, **kwargs)


def offered(request, actions: dict[str, Action], names, subject, bound: dict | None = None):
    """The (name, title, form) of each action in ``names`` the user's roles allow; a form that
    was just posted with errors (in ``bound``) replaces the blank one."""
    forms = {
        name: actions[name].make_form(name, subject)
        for name in names
        if request.roles & set(actions[name].roles)
    }
    forms.update(bound or {})
    return [(name, actions[name].title, form) for name, form in forms.items()]


def attempt(request, form, call: Callable, done: "StrOrPromise") -> bool:
    """If ``form`` is valid, ``call()`` the service and say ``done``. A broken rule (the
    service's ValidationError) is shown on the form instead, and nothing is written."""
    if not form.is_valid():
        return False
    try:
        call()
    except ValidationError as error:
        add_errors(form, error)
        return False
    messages.success(request, str(done))
    return True


def perform(request, action: Action, name: str, subject):
    """Validate the posted form and call the action. Returns (done, form); a broken rule is
    shown on the form and nothing is written."""
    if not request.roles & set(action.roles):
        raise PermissionDenied
    form = action.make_form(name, subject, request.POST)
    done = attempt(
        request, form, lambda: action.call(subject, form.cleaned_data, request.user), action.done
    )
    return done, form
