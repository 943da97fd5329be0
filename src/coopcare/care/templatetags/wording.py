"""``{{ task.rrule|repeats:task.start_time }}`` and ``{{ task.skills|skills }}``: a care task's
repeat rule and skills in words, in the reader's language (see ``care.wording``)."""

from datetime import time

from django import template

from coopcare.care import wording

register = template.Library()


@register.filter
def repeats(rule, at=None) -> str:
    """The rule in words; ``at`` is the task's start, a time or "HH:MM" as a signed plan keeps
    it."""
    if isinstance(at, str) and at:
        at = time.fromisoformat(at)
    return wording.repeat_in_words(rule or "", at or None)


@register.filter
def skills(value) -> str:
    """Skills, stored as comma-separated words or a list, by their names."""
    return wording.skills_in_words(value)
