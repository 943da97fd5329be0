"""The demo's body map: two people with marks found on their visits, each raising its
incident, and followed up on later visits: a category 1 pressure ulcer on a heel that is
improving, and a bruise on a forearm."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from coopcare.bodymap import services
from coopcare.visits.models import VisitStatus

WINDOW_DAYS = 12
MARKS: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
    (
        {
            "side": "back",
            "region": "left_heel",
            "kind": "pressure_ulcer",
            "category": "1",
            "length_cm": Decimal("2.0"),
            "width_cm": Decimal("1.5"),
            "description": "Red patch on the left heel that does not blanch; skin intact. "
            "Heel off-loaded with a pillow under the calf.",
        },
        [
            ("same", "Still red, no blister. Pillow in place."),
            ("improving", "Paler and smaller; she keeps the heel off the mattress now."),
        ],
    ),
    (
        {
            "side": "front",
            "region": "right_forearm",
            "kind": "bruise",
            "length_cm": Decimal("4.0"),
            "width_cm": Decimal("3.0"),
            "description": "Purple bruise on the right forearm; he says he knocked the door "
            "frame getting up at night.",
        },
        [("improving", "Turning yellow at the edges, not tender.")],
    ),
]


class BodyMapSeeder:
    def __init__(self, today: date):
        self.today = today

    def run(self, people) -> dict[str, int]:
        counts = {"body_marks": 0}
        for person in people:
            if counts["body_marks"] == len(MARKS):
                break
            visits = list(
                person.visits.filter(
                    status=VisitStatus.DONE,
                    starts_at__date__gte=self.today - timedelta(days=WINDOW_DAYS),
                    starts_at__date__lt=self.today,
                )
                .order_by("starts_at")
                .prefetch_related("records__carer")
            )
            fields, follow_ups = MARKS[counts["body_marks"]]
            if len(visits) <= len(follow_ups):
                continue
            # Found on the first visit of the window, followed up on later ones.
            step = (len(visits) - 1) // len(follow_ups)
            found, *later = visits[:: step or 1][: len(follow_ups) + 1]
            mark = services.add_mark(person, **fields, **self._on(found))
            for visit, (status, notes) in zip(later, follow_ups, strict=True):
                services.follow_up(mark, status=status, notes=notes, **self._on(visit))
            counts["body_marks"] += 1
        return counts

    @staticmethod
    def _on(visit) -> dict[str, Any]:
        """Who recorded it and when: the visit's carer, twenty minutes into the visit."""
        record = visit.records.all()[0]
        return {"by": record.carer, "visit": visit, "at": visit.starts_at + timedelta(minutes=20)}
