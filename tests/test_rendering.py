"""The form renderer draws Django's plain widgets in Python, the same HTML as Django's own
templates, character for character (``coopcare.rendering``)."""

from datetime import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe

from coopcare.rendering import DRAWN, WidgetRenderer
from coopcare.visits.forms import IncidentForm

CHOICES = [("", "---------"), ("a", "Fall & slip"), (3, "<b>three</b>"), (Decimal("1.5"), 2.5)]
GROUPED = [("Outside", [("walk", "A walk"), ("shop", "Shopping")]), ("home", "At home")]


class Everything(forms.Form):
    """A field for each widget the renderer draws, with awkward values and attributes."""

    text = forms.CharField(max_length=30, help_text="x")
    hidden = forms.CharField(widget=forms.HiddenInput)
    number = forms.DecimalField(required=False)
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    url = forms.URLField(assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(widget=forms.SearchInput(attrs={"data-x": True, "data-y": False}))
    tel = forms.CharField(widget=forms.TelInput)
    colour = forms.CharField(widget=forms.ColorInput)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(widget=forms.DateTimeInput)
    clock = forms.TimeField(widget=forms.TimeInput)
    tick = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": 'say "hi"'}))
    kind = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES[1:])
    null = forms.NullBooleanField()


VALUES = {
    "text": "O'Brien <script>",
    "hidden": mark_safe("<safe & sound>"),
    "number": "1234.5",
    "email": "ana@example.org",
    "url": "https://example.org/?a=1&b=2",
    "password": "p&ss",
    "search": "",
    "tel": "+39 06",
    "colour": "#ff0000",
    "day": "2026-11-21",
    "moment": datetime(2026, 11, 21, 9, 30),
    "clock": "09:30",
    "tick": "on",
    "notes": "Line one\n<two> & 'three'",
    "kind": "3",
    "grouped": "shop",
    "several": ["a", "1.5"],
    "null": "unknown",
}


def drawn_both_ways(form) -> list[tuple[str, str]]:
    """Each field of ``form`` drawn by ``WidgetRenderer`` and by Django's templates."""
    pairs = []
    for renderer in (WidgetRenderer(), DjangoTemplates()):
        form.renderer = renderer
        pairs.append([str(field) for field in form])
    return list(zip(*pairs, strict=True))


def test_the_plain_widgets_are_drawn_without_a_template():
    form = Everything(VALUES, auto_id="f-%s", renderer=WidgetRenderer())
    with mock.patch.object(DjangoTemplates, "get_template", side_effect=AssertionError):
        drawn = [str(field) for field in form]
    assert drawn[0] == (
        '<input type="text" name="text" value="O&#x27;Brien &lt;script&gt;" maxlength="30"'
        ' required aria-describedby="f-text_helptext" id="f-text">'
    )


@pytest.mark.parametrize("language", ["en", "it", "ar"])
@pytest.mark.parametrize("bound", [False, True])
def test_each_widget_is_drawn_as_django_s_template_draws_it(language, bound):
    with translation.override(language):
        form = Everything(VALUES if bound else None, auto_id="f-%s")
        for ours, django in drawn_both_ways(form):
            assert ours == django


def test_a_form_of_the_carer_s_day_is_drawn_as_django_draws_it():
    """The incident report on each visit card: a date and time, two selects, text areas."""
    for ours, django in drawn_both_ways(IncidentForm(auto_id="i7-%s")):
        assert ours == django


def test_the_renderer_draws_the_templates_it_knows_and_leaves_the_rest_to_django():
    assert settings.FORM_RENDERER == "coopcare.rendering.WidgetRenderer"
    assert isinstance(get_default_renderer(), WidgetRenderer)
    assert "django/forms/widgets/radio.html" not in DRAWN
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)
    form = forms.Form()
    form.fields["radio"] = radio
    for ours, django in drawn_both_ways(form):
        assert ours == django
