"""The checks of a mark and of a follow-up, and the incident a new mark raises. Pure: no
records are read."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopcare.bodymap.models import Category, MarkKind
from coopcare.bodymap.outline import PLACES, Region, Side, on_outline
from coopcare.visits.models import IncidentKind, Severity

# The categories of the international classification (NPIAP/EPUAP/PPPIA 2019) that reach below
# the skin or whose depth cannot be seen: the serious ones, each a high-severity incident.
DEEP_CATEGORIES = {
    Category.CATEGORY_3,
    Category.CATEGORY_4,
    Category.UNSTAGEABLE,
    Category.DEEP_TISSUE,
}
# Severity of the incident a new mark raises, by kind (a pressure ulcer by its category).
SEVERITY = {
    MarkKind.WOUND: Severity.MEDIUM,
    MarkKind.BRUISE: Severity.MEDIUM,
    MarkKind.SKIN_TEAR: Severity.MEDIUM,
    MarkKind.BURN: Severity.HIGH,
    MarkKind.RASH: Severity.LOW,
    MarkKind.OTHER: Severity.LOW,
}


def size_problems(length: Decimal | None, width: Decimal | None) -> list[ValidationError]:
    """A size is a length and a width in centimetres, both above zero, or not given at all."""
    if (length is None) != (width is None):
        return [
            ValidationError(
                _("Give both the length and the width in centimetres, or neither."),
                code="size_incomplete",
            )
        ]
    if length is not None and width is not None and (length <= 0 or width <= 0):
        return [
            ValidationError(
                _("The length and the width are more than 0 cm."), code="size_not_positive"
            )
        ]
    return []


def mark_problems(
    *,
    side: str,
    x: int,
    y: int,
    region: str,
    kind: str,
    category: str,
    length: Decimal | None,
    width: Decimal | None,
    description: str,
) -> list[ValidationError]:
    """What is wrong with a mark: a point off the body's outline, a region the side does not
    show, a pressure ulcer without its category (or a category on anything else), a size
    given by halves or not above zero, no description."""
    problems = []
    if not on_outline(x, y):
        problems.append(
            ValidationError(
                _("The mark is not on the body: place it inside the outline."),
                code="mark_off_body",
            )
        )
    if PLACES[region].on(side) is None:
        problems.append(
            ValidationError(
                _("The %(side)s of the body has no %(region)s: choose a region it shows.")
                % {"side": Side(side).label, "region": Region(region).label},
                code="region_not_on_side",
            )
        )
    if kind == MarkKind.PRESSURE_ULCER and not category:
        problems.append(
            ValidationError(
                _("Give the pressure ulcer's category: 1 to 4, unstageable or deep tissue injury."),
                code="category_missing",
            )
        )
    if kind != MarkKind.PRESSURE_ULCER and category:
        problems.append(
            ValidationError(
                _("Only a pressure ulcer has a category."), code="category_not_applicable"
            )
        )
    problems += size_problems(length, width)
    if not description.strip():
        problems.append(ValidationError(_("Describe what you see."), code="description_missing"))
    return problems


def incident_for(kind: str, category: str) -> tuple[str, str]:
    """The kind and severity of the incident a new mark raises.

    A pressure ulcer is an injury (NPIAP calls it a pressure injury), of high severity from
    category 3 on (and unstageable or deep tissue injury, whose depth is unknown), medium
    before; a rash is a change in health; the rest are injuries, by ``SEVERITY``."""
    if kind == MarkKind.PRESSURE_ULCER:
        return IncidentKind.INJURY, (
            Severity.HIGH if category in DEEP_CATEGORIES else Severity.MEDIUM
        )
    if kind == MarkKind.RASH:
        return IncidentKind.HEALTH, SEVERITY[MarkKind(kind)]
    return IncidentKind.INJURY, SEVERITY[MarkKind(kind)]
