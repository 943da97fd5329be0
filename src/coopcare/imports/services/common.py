"""What every kind of import shares: the row's outcome, its problems, and the context."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Cooperative
from coopcare.imports import rules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Outcome(models.TextChoices):
    """What a row does (in a preview) or did (once imported)."""

    CREATE = "create", gettext_lazy("new")
    UPDATE = "update", gettext_lazy("changed")
    UNCHANGED = "unchanged", gettext_lazy("unchanged")
    ERROR = "error", gettext_lazy("error")


@dataclass
class Context:
    """The cooperative imported into, who imports, today, and what earlier rows of the same
    file counted (for rows that repeat, such as two equal payments on one day)."""

    cooperative: Cooperative
    by: object
    today: date
    seen: Counter = field(default_factory=Counter)
    people_read: list = field(default_factory=list)
    # What the row being entered leaves to do, said next to its outcome (set by ``enter``).
    note: str = ""


@dataclass(frozen=True)
class Kind:
    """One kind of import: its columns, who may run it, and ``enter``, which enters one row
    through the app's forms and services and answers its outcome and the natural key that
    names the row (raising ValidationError for a row that cannot be entered)."""

    key: str
    label: "StrOrPromise"
    columns: tuple[rules.Column, ...]
    roles: tuple[str, ...]
    matched_by: str
    enter: Callable[["Context", dict[str, str]], tuple[str, str]]

    def column(self, key: str) -> rules.Column | None:
        return next((c for c in self.columns if c.key == key), None)


def form_data(row: dict[str, str], fields: dict[str, str], defaults: dict | None = None) -> dict:
    """The form's data from a row: ``fields`` maps form field → column key; an empty cell
    takes the form's usual initial value from ``defaults``, as a blank form would show it."""
    data = {}
    for name, key in fields.items():
        value = row.get(key, "")
        if not value and defaults and name in defaults:
            value = defaults[name]
        data[name] = value
    return data


def check_form(form: forms.BaseForm, fields: dict[str, str]) -> dict:
    """The form's cleaned data; ValidationError naming each column whose cell is wrong."""
    if form.is_valid():
        return form.cleaned_data
    # Each error keeps the form's code; an error of the form as a whole names no column.
    problems: dict[str, list[ValidationError]] = {}
    for name, errors in form.errors.as_data().items():
        problems.setdefault(fields.get(name, ""), []).extend(errors)
    raise ValidationError(problems)


def yes_no(row: dict[str, str], key: str) -> bool:
    """A yes/no column; ValidationError naming the column when it is neither."""
    value = rules.yes_no(row.get(key, ""))
    if value is None:
        raise column_error(key, _("Write yes or no."), "not_yes_or_no")
    return value


def column_error(key: str, message: str, code: str) -> ValidationError:
    """An error about one column's cell, with its code."""
    problems = {key: [ValidationError(message, code=code)]}
    return ValidationError(problems)
