"""How people with a login are named on pages and chosen in forms: by their name, never by
their login alone, and found by typing part of it."""

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# Surname first, as lists of people are read; the login settles people with the same name
# and places those without one.
BY_NAME = ("last_name", "first_name", "username")


def display_name(user) -> str:
    """A user's name as people read it: their full name, else their login."""
    return user.get_full_name() or user.get_username()


def by_name(users: QuerySet) -> QuerySet:
    """``users`` sorted by name."""
    return users.order_by(*BY_NAME)


class FindableSelect(forms.Select):
    """A select with a search box above it that narrows the options to the names containing
    what is typed (``coopcare/choose.js``). Without script the box stays hidden and the
    select works as it is."""

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        target = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return format_html(
            '<input type="search" class="choose" data-choose="{}" placeholder="{}" '
            'aria-label="{}" autocomplete="off" hidden>{}<script src="{}" defer></script>',
            target,
            _("Type part of a name"),
            _("Find a name"),
            select,
            static("coopcare/choose.js"),
        )


class FindableSelectMultiple(FindableSelect, forms.SelectMultiple):
    """A select of several people with the same search box: typing narrows the options and
    leaves those already chosen chosen."""


class ByName(ModelChoiceIterator):
    """The choices of a field of users, sorted by name whatever the queryset's order."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        super().__init__(field)
        if self.queryset is not None:  # a field declared before its form gives the users
            self.queryset = by_name(self.queryset)


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of one user, shown by name and sorted by name, with a box to find a name."""

    widget = FindableSelect
    iterator = ByName

    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several users, shown by name and sorted by name, with a box to find a name
    (or as ticks, with ``widget=forms.CheckboxSelectMultiple``, for a short list)."""

    widget = FindableSelectMultiple
    iterator = ByName

    def label_from_instance(self, obj) -> str:
        return display_name(obj)
