"""The drawing: the outline a mark must fall on, and the regions' places on each view."""

import pytest

from coopcare.bodymap import outline
from coopcare.bodymap.outline import PLACES, Region, Side


@pytest.mark.parametrize(
    ("x", "y", "inside"),
    [
        (100, 34, True),  # the head
        (100, 205, True),  # the sacrum
        (5, 5, False),  # the drawing's corner, beside the head
        (100, 300, False),  # between the legs
        (120, 150, True),  # the trunk
        (-1, 100, False),  # outside the drawing
        (100, 459, False),  # under the feet, where the sides are named
    ],
)
def test_a_point_is_on_the_outline_only_within_it(x, y, inside):
    assert outline.on_outline(x, y) is inside


def test_every_region_lies_within_the_outline_on_each_side_that_shows_it():
    for region, place in PLACES.items():
        shown = [side for side in Side.values if place.on(side) is not None]
        assert shown, region
        for side in shown:
            assert outline.on_outline(*place.on(side)), (region, side)


def test_the_persons_right_is_on_the_readers_left_from_the_front_and_on_the_right_from_behind():
    # From the front the person faces the reader; from behind the reader sees as they do.
    right_hand = PLACES[Region.RIGHT_HAND]
    assert right_hand.on(Side.FRONT)[0] < outline.WIDTH / 2
    assert right_hand.on(Side.BACK)[0] > outline.WIDTH / 2


def test_the_sacrum_is_on_the_back_only_and_the_chest_on_the_front_only():
    assert outline.regions_on(Side.BACK).count(Region.SACRUM) == 1
    assert Region.SACRUM not in outline.regions_on(Side.FRONT)
    assert Region.CHEST in outline.regions_on(Side.FRONT)
    assert Region.CHEST not in outline.regions_on(Side.BACK)
