"""The form renderer: Django's plain widgets (inputs, text areas, selects) drawn in Python.

Django draws every widget through its template engine: an input is ``input.html`` including
``attrs.html``, a select includes ``select_option.html`` once an option. That cost a fifth of
a millisecond a widget, and the carer's day page has about 16 on each visit card (its
check-in, its check-out to send offline and its incident report): a third of the page's
processor time (issue 27). ``WidgetRenderer`` writes the same HTML, character for character,
as those templates do (``tests/test_rendering.py`` compares them widget by widget, so an
upgrade of Django that changes a template fails there), and leaves any other template (radio
buttons, ticks, files, a widget of the project's own) to the template engine as before.
"""

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
# The templates that are ``{% include "django/forms/widgets/input.html" %}`` and nothing else.
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "hidden",
        "number",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "color",
        "date",
        "datetime",
        "time",
        "checkbox",
    )
)
SELECT_OPTION = f"{WIDGETS}select_option.html"
# The context a template renders ``{{ value }}`` in: escaping on, the active language's
# formats and the current time zone, as the form renderer's engine has.
_CONTEXT = Context()


def _shown(value: Any) -> str:
    """``{{ value }}``."""
    return render_value_in_context(value, _CONTEXT)


def _as_string(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe string safe, so it is not
    escaped again."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - what the filter does
    except (ValueError, TypeError):
        text = ""
    # Safe only when the value was: the same string, formatted.
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: ``name="value"``, a bare ``name`` for True, nothing for False."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_as_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_as_string(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    name = _shown(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict[str, Any]) -> str:
    return (
        f'<option value="{_as_string(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>\n"
    )


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION:
                return None  # an option of its own: the template engine draws the select
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


DRAWN: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **dict.fromkeys(INPUTS, _input),
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class WidgetRenderer(DjangoTemplates):
    """Django's default form renderer, with the plain widgets drawn in Python (above)."""

    def render(self, template_name, context, request=None):
        """The widget's HTML, as ``template_name`` would render ``context``."""
        draw = DRAWN.get(template_name)
        if draw is not None and context.get("widget") is not None:
            drawn = draw(context["widget"])
            if drawn is not None:
                # The template engine's answer is stripped too (``BaseRenderer.render``).
                return drawn.strip()
        return super().render(template_name, context, request=request)
