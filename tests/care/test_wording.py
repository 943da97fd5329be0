"""A care task's repeat rule and skills in words (``care.wording``).

The rules are iCalendar RRULEs (RFC 5545 §3.3.10, "Recurrence Rule"): "FREQ=WEEKLY;
BYDAY=MO,TU,WE,TH,FR" repeats every week on Monday to Friday; "BYDAY=-1FR" in a monthly rule is
the last Friday of the month. Weekday names and lists are CLDR's (through Babel)."""

from datetime import time

import pytest
from django.template import Context, Template
from django.utils import translation

from coopcare.care.wording import repeat_in_words, skills_in_words

AT = time(7, 30)


@pytest.mark.parametrize(
    ("rule", "at", "words"),
    [
        ("FREQ=DAILY", AT, "Every day at 7:30\u202fAM"),
        ("FREQ=DAILY;INTERVAL=2", None, "Every 2 days"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", AT, "Monday to Friday at 7:30\u202fAM"),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=FR,MO,WE",
            time(9),
            "Monday, Wednesday, and Friday at 9:00\u202fAM",
        ),
        ("FREQ=WEEKLY;BYDAY=SA,SU", None, "Saturday and Sunday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", None, "Every day"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", None, "Every 2 weeks on Tuesday"),
        ("FREQ=WEEKLY", None, "Every week"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", None, "On day 1 of every month"),
        ("FREQ=MONTHLY;BYMONTHDAY=15,1", None, "On days 1 and 15 of every month"),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", None, "On day 1 of every 3 months"),
        ("FREQ=MONTHLY;BYDAY=-1FR", None, "On the last Friday of every month"),
        ("FREQ=DAILY;COUNT=10", None, "Every day, 10 times"),
        ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231", None, "Monday, until Dec 31, 2026"),
    ],
)
def test_rules_in_english(rule, at, words):
    with translation.override("en"):
        assert repeat_in_words(rule, at) == words


def test_weekdays_and_times_in_italian_and_arabic():
    """Worked example: Monday to Friday at 7:30 reads "lunedì … venerdì … 07:30" in Italian
    and "الاثنين … الجمعة" in Arabic, the names and the time CLDR's for the language."""
    rule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    with translation.override("it"):
        italian = repeat_in_words(rule, AT)
        assert "lunedì" in italian and "venerdì" in italian and "07:30" in italian
        assert "lunedì, mercoledì e venerdì" in repeat_in_words("FREQ=WEEKLY;BYDAY=MO,WE,FR")
    with translation.override("ar"):
        arabic = repeat_in_words(rule, AT)
        assert "الاثنين" in arabic and "الجمعة" in arabic
        assert "FREQ" not in arabic


def test_a_rule_people_do_not_say_stays_as_written():
    rule = "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=5"
    with translation.override("en"):
        assert repeat_in_words(rule) == rule


def test_skills_by_their_names():
    with translation.override("en"):
        assert skills_in_words("first_aid, hoist") == "first aid and hoist"
        assert skills_in_words(["stoma_care"]) == "stoma care"
        assert skills_in_words("") == ""
    with translation.override("it"):
        assert skills_in_words("personal, meds") == "cura della persona e farmaci"


def test_template_filters():
    template = Template(
        "{% load wording %}{{ rule|repeats:at }} · {{ text|repeats:'08:15' }} · {{ skills|skills }}"
    )
    with translation.override("en"):
        shown = template.render(
            Context(
                {
                    "rule": "FREQ=DAILY",
                    "at": AT,
                    "text": "FREQ=WEEKLY;BYDAY=SU",
                    "skills": "first_aid,hoist",
                }
            )
        )
    assert shown == "Every day at 7:30\u202fAM · Sunday at 8:15\u202fAM · first aid and hoist"
