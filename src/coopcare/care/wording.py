"""Care tasks in words, in the reader's language: how often a task repeats ("Monday to Friday
at 7:30", "lunedì, mercoledì e venerdì alle 9:00") and which skills it needs ("first aid,
hoist"), instead of the iCalendar RRULE and the skill words the roster matches on. Weekday
names, lists and times come from CLDR (through Babel); the sentences are translated here."""

from datetime import date, datetime, time

from babel.dates import format_date, format_time, get_day_names
from babel.lists import format_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coopcare.localise import current_locale

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# Positions of a weekday in the month (RFC 5545 BYDAY=1MO, -1FR) that people say in words.
POSITIONS = {
    1: gettext_lazy("first"),
    2: gettext_lazy("second"),
    3: gettext_lazy("third"),
    4: gettext_lazy("fourth"),
    -1: gettext_lazy("last"),
}

# The skills the cooperatives' certificates give (the demo's: the OSS qualification, hoist
# and first-aid courses), by the word care tasks and certificates store; any other word a
# cooperative types is shown as typed, its underscores read as spaces.
SKILL_LABELS = {
    "personal": gettext_lazy("personal care"),
    "meds": gettext_lazy("medication"),
    "hoist": gettext_lazy("hoist"),
    "first_aid": gettext_lazy("first aid"),
}


def skill_label(skill: str) -> str:
    """One skill word as people read it: "first_aid" → "first aid"."""
    word = skill.strip()
    label = SKILL_LABELS.get(word.lower())
    return str(label) if label is not None else word.replace("_", " ")


def skills_in_words(skills) -> str:
    """Skills, given as the stored comma-separated text or as a list, as one readable list in
    the reader's language: "first aid and hoist"."""
    words = skills.split(",") if isinstance(skills, str) else list(skills or [])
    labels = [skill_label(word) for word in words if str(word).strip()]
    return format_list(labels, locale=current_locale()) if labels else ""


def _parts(rule: str) -> dict[str, str]:
    text = rule.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    return dict(part.split("=", 1) for part in text.split(";") if "=" in part)


def _day_names(locale: str) -> list[str]:
    names = get_day_names("wide", context="format", locale=locale)
    return [names[index] for index in range(7)]


def _weekdays(codes: list[str], locale: str) -> str:
    """Plain weekdays, a run of three or more said from first to last: "Monday to Friday"."""
    names = _day_names(locale)
    indexes = sorted({WEEKDAYS.index(code) for code in codes})
    if len(indexes) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return _("%(first)s to %(last)s") % {
            "first": names[indexes[0]],
            "last": names[indexes[-1]],
        }
    return format_list([names[index] for index in indexes], locale=locale)


def _positioned(codes: list[str], locale: str) -> str | None:
    """Weekdays with a position in the month (2TU, -1FR): "second Tuesday and last Friday";
    None when a position is one people do not say (fifth, second to last)."""
    names = _day_names(locale)
    said = []
    for code in codes:
        number, day = code[:-2], code[-2:]
        position = POSITIONS.get(int(number)) if number.lstrip("+-").isdigit() else None
        if position is None or day not in WEEKDAYS:
            return None
        said.append(
            _("%(position)s %(day)s") % {"position": position, "day": names[WEEKDAYS.index(day)]}
        )
    return format_list(said, locale=locale)


def _until(value: str, locale: str) -> str | None:
    for pattern in ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y%m%d"):
        try:
            day: date = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        return format_date(day, format="medium", locale=locale)
    return None


def repeat_in_words(rule: str, at: time | None = None) -> str:
    """A care task's repeat rule (what ``care.services.rrule_problem`` allows: DAILY, WEEKLY
    or MONTHLY, with INTERVAL, BYDAY, BYMONTHDAY, COUNT or UNTIL) and its start time as a
    sentence: "Every day at 7:30 AM", "Monday to Friday at 7:30 AM", "Every 2 weeks on
    Tuesday", "On day 1 of every month". A rule with parts people do not say in words (hours,
    set positions, a fifth Monday) is shown as it is written."""
    locale = current_locale()
    parts = _parts(rule)
    frequency = parts.pop("FREQ", "")
    interval_text = parts.pop("INTERVAL", "1")
    count_text = parts.pop("COUNT", None)
    until_text = parts.pop("UNTIL", None)
    parts.pop("WKST", None)
    days = [code for code in parts.pop("BYDAY", "").split(",") if code]
    month_days = [day for day in parts.pop("BYMONTHDAY", "").split(",") if day]
    interval = int(interval_text) if interval_text.isdigit() and int(interval_text) > 0 else 0
    plain_days = all(code in WEEKDAYS for code in days)
    sentence = None
    if not parts and interval:
        if frequency == "DAILY" and not days and not month_days:
            sentence = ngettext("Every day", "Every %(count)s days", interval) % {"count": interval}
        elif frequency == "WEEKLY" and not month_days and plain_days:
            sentence = _weekly(days, interval, locale)
        elif frequency == "MONTHLY":
            sentence = _monthly(days, month_days, interval, locale)
    if sentence is None:
        return rule.strip()
    if at is not None:
        sentence = _("%(when)s at %(time)s") % {
            "when": sentence,
            "time": format_time(at, format="short", locale=locale),
        }
    if count_text is not None and count_text.isdigit():
        sentence = ngettext("%(when)s, once", "%(when)s, %(count)s times", int(count_text)) % {
            "when": sentence,
            "count": int(count_text),
        }
    elif until_text is not None and (last := _until(until_text, locale)) is not None:
        sentence = _("%(when)s, until %(date)s") % {"when": sentence, "date": last}
    return sentence


def _weekly(days: list[str], interval: int, locale: str) -> str:
    if not days:
        return ngettext("Every week", "Every %(count)s weeks", interval) % {"count": interval}
    if interval == 1:
        if len(set(days)) == 7:
            return _("Every day")
        return _weekdays(days, locale)
    return ngettext("Every week on %(days)s", "Every %(count)s weeks on %(days)s", interval) % {
        "count": interval,
        "days": _weekdays(days, locale),
    }


def _monthly(days: list[str], month_days: list[str], interval: int, locale: str) -> str | None:
    if days and month_days:
        return None
    if days:
        said = _positioned(days, locale)
        if said is None:
            return None
        return ngettext(
            "On the %(days)s of every month",
            "On the %(days)s of every %(count)s months",
            interval,
        ) % {"days": said, "count": interval}
    if month_days:
        if not all(day.isdigit() for day in month_days):
            return None
        numbers = sorted({int(day) for day in month_days})
        listed = format_list([str(number) for number in numbers], locale=locale)
        if interval == 1:
            return ngettext(
                "On day %(days)s of every month", "On days %(days)s of every month", len(numbers)
            ) % {"days": listed}
        return ngettext(
            "On day %(days)s of every %(count)s months",
            "On days %(days)s of every %(count)s months",
            len(numbers),
        ) % {"days": listed, "count": interval}
    return ngettext("Every month", "Every %(count)s months", interval) % {"count": interval}
