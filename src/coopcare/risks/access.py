"""Who may see a person's risk assessments, goals and reviews, and the read log.

They are part of the person's care record: coordinators see everyone's; a carer sees a
person's while they have a visit with them (``care.access.people_visible_to``, 24 hours either
side); a circle member sees them only if the person granted them the care plan. Every read is
logged in the care record read log.
"""

from coopcare.care import access as care_access
from coopcare.care.models import PersonCaredFor

RECORD = "risks and reviews"


# Who sees a person's risks and reviews is who sees their care plan.
visible_person = care_access.visible_with_care_plan


def log_read(user, person: PersonCaredFor, via: str = "web") -> None:
    """Record that ``user`` read the person's risks and reviews."""
    care_access.log_read(user, person, RECORD, via=via)


def log_due(user, rows, via: str = "web") -> None:
    """Record that ``user`` read, in the list of reviews due, which reviews each listed person
    is due (which risks they were assessed for is part of their care record)."""
    people = {row.person.pk: row.person for row in rows}
    care_access.log_reads(user, people.values(), "reviews due", via=via)
