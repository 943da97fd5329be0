"""Great-circle distances."""

import pytest

from coopcare.shared.geo import haversine_m


def test_a_degree_of_latitude_is_about_111_km_and_a_place_is_0_m_from_itself():
    assert haversine_m(44.0, 11.0, 45.0, 11.0) == pytest.approx(111_195, abs=1)
    assert haversine_m(44.4940, 11.3430, 44.4940, 11.3430) == 0
