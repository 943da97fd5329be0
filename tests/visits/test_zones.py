"""The cooperative's clock: the zone a cooperative's moments are read in."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from coopcare.visits.zones import cooperative_zone, on_cooperative_clock
from tests import factories


@override_settings(TIME_ZONE="America/New_York")
def test_every_cooperative_is_on_the_install_clock(coop):
    # The cooperative records no time zone of its own, so every cooperative of an install is
    # on the install's (settings.TIME_ZONE), whatever the cooperative's city or country.
    abroad = factories.CooperativeFactory(city="Lyon", country="FR")
    assert cooperative_zone(coop) == ZoneInfo("America/New_York")
    assert cooperative_zone(abroad) == ZoneInfo("America/New_York")


@override_settings(TIME_ZONE="Europe/Rome")
def test_a_moment_is_placed_on_the_cooperative_clock_with_its_offset(coop):
    # 23:30 UTC on 21 November is 00:30 on the 22nd in Rome (UTC+1 in winter).
    local = on_cooperative_clock(datetime(2026, 11, 21, 23, 30, tzinfo=UTC), coop)
    assert local.isoformat() == "2026-11-22T00:30:00+01:00"


def test_a_moment_without_a_zone_cannot_be_placed(coop):
    with pytest.raises(ValueError, match="without a time zone"):
        on_cooperative_clock(datetime(2026, 11, 22, 0, 30), coop)
