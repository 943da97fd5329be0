"""Reads of billing that are part of a person's care record, logged in the care record read
log: who pays for their care and how many hours they are authorised (GDPR art. 9 and 30).
Only coordinators and the board see billing; carers and the circle do not."""

from coopcare.care import access as care_access
from coopcare.care.models import PersonCaredFor

RECORD = "billing"


def log_read(user, person: PersonCaredFor, via: str = "web") -> None:
    """Record that ``user`` read the person's agreements."""
    care_access.log_read(user, person, RECORD, via=via)


def log_budgets(user, rows, via: str = "web") -> None:
    """Record that ``user`` read, in the list of hours budgets, each listed person's."""
    people = {row.agreement.person.pk: row.agreement.person for row in rows}
    care_access.log_reads(user, people.values(), "hours budgets", via=via)
