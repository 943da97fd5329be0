"""The cooperative's own calendar: the date of a visit is the date where the care was given.

Moments are stored in UTC. A visit at 00:30 in Rome is at 23:30 UTC (22:30 in summer) the day
before, so taking ``.date()`` of a stored moment reports the wrong day: the date of a visit
must be read on the cooperative's clock (visit verification data, 21st Century Cures Act
§12006, lists the date among its six items).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings


def cooperative_zone(cooperative) -> ZoneInfo:
    """The cooperative's time zone. ``Cooperative`` records no zone of its own, so every
    cooperative of an install is on the install's clock, ``settings.TIME_ZONE``; callers name
    the cooperative so that a zone per cooperative can come without changing them."""
    return ZoneInfo(settings.TIME_ZONE)


def on_cooperative_clock(moment: datetime, cooperative) -> datetime:
    """``moment`` (an aware datetime) as the cooperative's clocks show it, with their offset."""
    if moment.tzinfo is None:
        raise ValueError(
            "A moment without a time zone cannot be placed on the cooperative's clock."
        )
    return moment.astimezone(cooperative_zone(cooperative))
