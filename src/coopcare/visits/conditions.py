"""Conditions another app puts on a check-out, without visits importing that app.

An app whose records must be complete before a carer leaves (medication: every dose due has
an outcome) registers a check here from its ``AppConfig.ready``. ``services.check_out`` runs
them all inside its transaction, after its own checks; a check raises a coded
``ValidationError`` to refuse the check-out. Visits stays below the apps that build on it:
they import visits, never the other way round.

An app whose records a finished visit settles (rostering: a swap its carer offered and then
did is no longer on offer) registers what follows from it with ``on_checked_out``; the
check-out runs those inside its transaction, once the record is saved.
"""

from collections.abc import Callable
from datetime import datetime

CheckOutCondition = Callable[..., None]

_CHECK_OUT: list[CheckOutCondition] = []
_CHECKED_OUT: list[CheckOutCondition] = []


def on_check_out(condition: CheckOutCondition) -> CheckOutCondition:
    """Register ``condition(visit, carer, at)`` to run at every check-out (once per function,
    so that ``ready`` running twice in tests registers nothing twice)."""
    if condition not in _CHECK_OUT:
        _CHECK_OUT.append(condition)
    return condition


def check_out_allowed(visit, carer, at: datetime) -> None:
    """Run every registered condition; the first that refuses raises its ValidationError."""
    for condition in _CHECK_OUT:
        condition(visit, carer, at)


def on_checked_out(effect: CheckOutCondition) -> CheckOutCondition:
    """Register ``effect(visit, carer, at)`` to run after every check-out is saved (once per
    function, as ``on_check_out``)."""
    if effect not in _CHECKED_OUT:
        _CHECKED_OUT.append(effect)
    return effect


def checked_out(visit, carer, at: datetime) -> None:
    """Run every registered effect of a check-out, in its transaction."""
    for effect in _CHECKED_OUT:
        effect(visit, carer, at)
