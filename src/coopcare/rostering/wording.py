"""The planner's reasons (codes with values) and the app's own, in the reader's language, and
how a carer is named on rosters."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare import localise
from coopcare.accounts.names import display_name
from coopcare.care.wording import skills_in_words

WORDING = {
    # why a carer got a visit (planner.explain.ASSIGNED)
    "pinned": gettext_lazy("fixed by a coordinator"),
    "preferred": gettext_lazy("the person asked for this carer"),
    "known": gettext_lazy("the person knows this carer"),
    "skills": gettext_lazy("has the skills needed (%(skills)s)"),
    "choice": gettext_lazy("one of %(count)s carers who could do it"),
    "first": gettext_lazy("first visit of the day"),
    "travel": gettext_lazy("%(minutes)s min from the previous visit"),
    "late": gettext_lazy("starts %(minutes)s min late"),
    # why a visit has no carer (planner.explain.UNPLACED)
    "no_skills": gettext_lazy("no carer has the skills needed: %(skills)s"),
    "all_refused": gettext_lazy("every qualified carer is one the person refused"),
    "pinned_unable": gettext_lazy("the carer it is fixed to lacks the skills or was refused"),
    "too_few": gettext_lazy("it needs two carers and fewer are qualified"),
    "no_time": gettext_lazy("no qualified carer is free in its time window"),
    "none": gettext_lazy("no qualified carer"),
    "linked": gettext_lazy("its linked visit could not be placed"),
    "no_carers": gettext_lazy("no carer with a contract works on this day"),
    # the adapter's own (rostering.planning): the home has no coordinates yet
    "home_not_placed": gettext_lazy("the person's home is not placed on the map yet"),
    # ... and a visit a run leaves out under a budget policy that refuses
    "over_hours_budget": gettext_lazy(
        "beyond the person's %(hours)s budget from %(payer)s for %(first)s to %(last)s, "
        "which the cooperative refuses to plan"
    ),
    # changes by people
    "coordinator": gettext_lazy("chosen by %(name)s"),
    "override": gettext_lazy("a rule was overridden: %(reason)s"),
    "taken_off": gettext_lazy("taken off the roster by %(name)s"),
    "request": gettext_lazy("agreed by %(name)s on request: %(reason)s"),
    "kept": gettext_lazy("already under way or done"),
    "cover": gettext_lazy("covering for a colleague away, agreed by %(name)s"),
    "cover_move": gettext_lazy("moved to make room for cover, agreed by %(name)s"),
    "reinstated": gettext_lazy("planned again by %(name)s: care resumed"),
    "added": gettext_lazy("a one-off visit added by %(name)s"),
}


def say(reasons) -> str:
    """Reasons stored as [code, values] pairs, as one line; the skills they name are said by
    their names."""
    return "; ".join(str(WORDING[code]) % _named(values) for code, values in reasons) or _(
        "no reason"
    )


def _named(values: dict) -> dict:
    """The values as the reader reads them: skills by their names; a budget's hours, kept as
    a decimal, and its days, kept as ISO dates, as every page writes them."""
    named = dict(values)
    if "skills" in named:
        named["skills"] = skills_in_words(named["skills"])
    if "hours" in named:
        named["hours"] = localise.hours(named["hours"])
    for key in ("first", "last"):
        if key in named:
            named[key] = localise.day(named[key])
    return named


def name_of(user) -> str:
    """How a user is named on rosters: as everywhere (``accounts.names.display_name``)."""
    return display_name(user)
