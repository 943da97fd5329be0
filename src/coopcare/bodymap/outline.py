"""The drawing a mark is placed on: one outline of a body, shown twice (the front and the
back), in the SVG's own coordinates, and the named regions with where each lies on each view.

The front view faces the reader, so the person's right is on the reader's left; the back view
shows the person from behind, so their left is on the reader's left. The drawing is never
mirrored, in a right-to-left page either: the person's left is their left.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

WIDTH, HEIGHT = 200, 460  # the SVG's viewBox: 0 0 WIDTH HEIGHT; below the feet, the sides named

# The reader's left half, from the top of the head down the outer arm and leg to the foot and
# up the inner leg to the crotch; the right half is its mirror image.
_LEFT_HALF = [
    (100, 6), (88, 9), (80, 18), (77, 32), (79, 46), (84, 56), (90, 62), (91, 70),
    (70, 78), (56, 84), (50, 96), (46, 130), (42, 165), (38, 200), (34, 228), (30, 240),
    (28, 256), (33, 262), (40, 256), (44, 238), (50, 205), (56, 170), (60, 140), (64, 118),
    (66, 170), (62, 210), (62, 250), (64, 300), (66, 330), (64, 360), (70, 405), (62, 425),
    (64, 432), (88, 432), (88, 420), (86, 400), (88, 360), (90, 330), (94, 270), (100, 240),
]  # fmt: skip
OUTLINE: list[tuple[int, int]] = _LEFT_HALF + [
    (WIDTH - x, y) for x, y in reversed(_LEFT_HALF[1:-1])
]


def outline_points() -> str:
    """The outline as an SVG ``points`` attribute."""
    return " ".join(f"{x},{y}" for x, y in OUTLINE)


def on_outline(x: float, y: float) -> bool:
    """Whether the point lies within the body's outline (crossing number: a ray to the right
    crosses the outline's edges an odd number of times)."""
    if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
        return False
    inside = False
    for (x1, y1), (x2, y2) in zip(OUTLINE, OUTLINE[1:] + OUTLINE[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


class Side(models.TextChoices):
    FRONT = "front", _("front")
    BACK = "back", _("back")


class Region(models.TextChoices):
    HEAD = "head", _("head")
    NECK = "neck", _("neck")
    CHEST = "chest", _("chest")
    ABDOMEN = "abdomen", _("abdomen")
    UPPER_BACK = "upper_back", _("upper back")
    LOWER_BACK = "lower_back", _("lower back")
    SACRUM = "sacrum", _("sacrum")
    RIGHT_SHOULDER = "right_shoulder", _("right shoulder")
    LEFT_SHOULDER = "left_shoulder", _("left shoulder")
    RIGHT_SHOULDER_BLADE = "right_shoulder_blade", _("right shoulder blade")
    LEFT_SHOULDER_BLADE = "left_shoulder_blade", _("left shoulder blade")
    RIGHT_UPPER_ARM = "right_upper_arm", _("right upper arm")
    LEFT_UPPER_ARM = "left_upper_arm", _("left upper arm")
    RIGHT_ELBOW = "right_elbow", _("right elbow")
    LEFT_ELBOW = "left_elbow", _("left elbow")
    RIGHT_FOREARM = "right_forearm", _("right forearm")
    LEFT_FOREARM = "left_forearm", _("left forearm")
    RIGHT_HAND = "right_hand", _("right hand")
    LEFT_HAND = "left_hand", _("left hand")
    RIGHT_HIP = "right_hip", _("right hip")
    LEFT_HIP = "left_hip", _("left hip")
    RIGHT_BUTTOCK = "right_buttock", _("right buttock")
    LEFT_BUTTOCK = "left_buttock", _("left buttock")
    RIGHT_THIGH = "right_thigh", _("right thigh")
    LEFT_THIGH = "left_thigh", _("left thigh")
    RIGHT_KNEE = "right_knee", _("right knee")
    LEFT_KNEE = "left_knee", _("left knee")
    RIGHT_LOWER_LEG = "right_lower_leg", _("right lower leg")
    LEFT_LOWER_LEG = "left_lower_leg", _("left lower leg")
    RIGHT_ANKLE = "right_ankle", _("right ankle")
    LEFT_ANKLE = "left_ankle", _("left ankle")
    RIGHT_FOOT = "right_foot", _("right foot")
    LEFT_FOOT = "left_foot", _("left foot")
    RIGHT_HEEL = "right_heel", _("right heel")
    LEFT_HEEL = "left_heel", _("left heel")


@dataclass(frozen=True)
class Place:
    """Where a region's marker goes on each view it shows on."""

    front: tuple[int, int] | None
    back: tuple[int, int] | None

    def on(self, side: str) -> tuple[int, int] | None:
        return self.front if side == Side.FRONT else self.back


def _middle(front: tuple[int, int] | None, back: tuple[int, int] | None) -> Place:
    return Place(front, back)


def _pair(x: int, y: int, front: bool = True, back: bool = True) -> tuple[Place, Place]:
    """The person's right and left of a region on both sides of the body, from the point on
    the reader's left half (``x`` under the middle): on the front that half is the person's
    right, on the back their left."""
    mirrored = (WIDTH - x, y)
    right = Place((x, y) if front else None, mirrored if back else None)
    left = Place(mirrored if front else None, (x, y) if back else None)
    return right, left


def _places() -> dict[str, Place]:
    places: dict[str, Place] = {
        Region.HEAD: _middle((100, 34), (100, 34)),
        Region.NECK: _middle((100, 68), (100, 68)),
        Region.CHEST: _middle((100, 110), None),
        Region.ABDOMEN: _middle((100, 165), None),
        Region.UPPER_BACK: _middle(None, (100, 110)),
        Region.LOWER_BACK: _middle(None, (100, 170)),
        Region.SACRUM: _middle(None, (100, 205)),
    }
    pairs = {
        "shoulder": (72, 86, True, True),
        "shoulder_blade": (80, 100, False, True),
        "upper_arm": (52, 130, True, True),
        "elbow": (44, 170, True, True),
        "forearm": (40, 205, True, True),
        "hand": (34, 250, True, True),
        "hip": (70, 215, True, True),
        "buttock": (82, 225, False, True),
        "thigh": (78, 270, True, True),
        "knee": (78, 330, True, True),
        "lower_leg": (77, 370, True, True),
        "ankle": (78, 405, True, True),
        "foot": (75, 424, True, False),
        "heel": (76, 426, False, True),
    }
    for name, (x, y, front, back) in pairs.items():
        right, left = _pair(x, y, front, back)
        places[Region(f"right_{name}")] = right
        places[Region(f"left_{name}")] = left
    return places


PLACES: dict[str, Place] = _places()


def regions_on(side: str) -> list[str]:
    """The regions the view of ``side`` shows, in the list's order."""
    return [region for region in Region.values if PLACES[region].on(side) is not None]
