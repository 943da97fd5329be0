"""Conditions another app puts on a check-out, without visits importing that app.

An app whose records must be complete before a carer leaves (medication: every dose due has
an outcome) registers a check here from its ``AppConfig.ready``. ``services.check_out`` runs
them all inside its transaction, after its own checks; a check raises a coded
``ValidationError`` to refuse the check-out. Visits stays below the apps that build on it:
they import visits, never the other way round.
"""

from collections.abc import Callable
from datetime import datetime

CheckOutCondition = Callable[..., None]

_CHECK_OUT: list[CheckOutCondition] = []


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
