"""The rules of time credits: pure checks of plain values, each with its source.

Time banking's one convention coopcare follows throughout: an hour of help given earns one
time credit and an hour received spends one, whatever the help, and credits pass only
between two members, the giver and the receiver (Edgar S. Cahn, *No More Throw-away People*,
2000; Timebanking UK and the time banks it lists: "one hour's work = one time credit";
Equal Care Co-op's Care Coins, "a form of exchange to 'buy' support or to give it to someone
else", share offer of June 2019). The rest are the cooperative's choice, set in its
``Terms``: the smallest unit recorded, the most hours one exchange may record, how far a
member may owe, and the welcome grant.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Hours are recorded in quarter-hours: the smallest unit of coopcare's timesheets, and one of
# the units time banks choose among (the Community Exchange System offers 1 hour down to 1
# minute; 15 minutes is "4 units/hour"). The cooperative's choice of granularity, fixed here.
QUARTER = Decimal("0.25")


def hours_problems(hours: Decimal, most: Decimal) -> list[ValidationError]:
    """An exchange's hours: more than none, in quarter-hours, at most ``most`` (the
    cooperative's choice, ``Terms.most_hours``).

    Source: time banking's hour for hour (module docstring); the quarter-hour and the maximum
    are the cooperative's choice. Example: 1.75 hours passes; 1.1 hours is not a quarter-hour;
    with a maximum of 8, 9 hours is too many."""
    problems = []
    if hours <= 0:
        problems.append(
            ValidationError(_("Record more than no time."), code="time_credit_hours_not_positive")
        )
    elif hours % QUARTER:
        problems.append(
            ValidationError(
                _("Record the time in quarter-hours (0.25, 0.5, 0.75...)."),
                code="time_credit_not_quarter_hours",
            )
        )
    if hours > most:
        problems.append(
            ValidationError(
                _("One exchange records at most %(hours)s hours.") % {"hours": most},
                code="time_credit_too_many_hours",
            )
        )
    return problems


def overdraft_problems(
    balance: Decimal, hours: Decimal, overdraft: Decimal
) -> list[ValidationError]:
    """Whether a receiver with ``balance`` may spend ``hours``: their balance after it may go
    below zero by at most ``overdraft`` (the cooperative's choice, ``Terms.overdraft``).

    Source: time banks let members receive before they have given, within a limit their
    coordinator sets; the limit is the cooperative's choice. Example: with a limit of 10
    hours, a member at -8 may receive 2 hours (to -10) but not 2.25."""
    if balance - hours < -overdraft:
        return [
            ValidationError(
                _("This would leave the receiver owing more than %(hours)s hours.")
                % {"hours": overdraft},
                code="time_credit_overdraft",
            )
        ]
    return []


def parties_problems(giver_id: int | None, receiver_id: int | None) -> list[ValidationError]:
    """Time credits pass between two members: nobody exchanges with themselves.

    Source: time banking's exchange between a giver and a receiver (module docstring).
    Example: a member cannot accept their own offer."""
    if giver_id is not None and giver_id == receiver_id:
        return [
            ValidationError(
                _("A member cannot exchange time with themselves."), code="time_credit_self"
            )
        ]
    return []


def terms_problems(most: Decimal, overdraft: Decimal, welcome: Decimal) -> list[ValidationError]:
    """The cooperative's terms: the maximum is at least a quarter-hour and every figure is in
    quarter-hours, none negative. The cooperative's choice within these bounds."""
    figures = (most, overdraft, welcome)
    if most < QUARTER or any(f < 0 or f % QUARTER for f in figures):
        return [
            ValidationError(
                _("Set the hours in quarter-hours, with at least a quarter-hour per exchange."),
                code="time_credit_terms_invalid",
            )
        ]
    return []
