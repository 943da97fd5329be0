"""The demo's handover notes, written through the visits services as of the check-out they
were left at: a few of the last three days' visits leave a note for the next carer, most of
them read by the carer who came next (at their check-in), some not yet; a coordinator leaves
one from the office, and marks an older one no longer relevant."""

import random
from datetime import date, timedelta

from coopcare.visits import services
from coopcare.visits.models import HandoverNote, VisitRecord

NOTES = [
    "The pharmacy delivers on Thursday; leave the door on the latch after 10.",
    "Was low today and ate little at lunch. Please check she eats.",
    "New walking frame is in the hall; she is still getting used to it.",
    "Daughter asks us to ring her if he seems confused again.",
    "Heating was off when I came; switched it back on. Please check it stays on.",
    "Out of incontinence pads: one pack left, the office is ordering more.",
    "Red mark on the left heel; cream applied. Please look at it.",
    "Grandson staying until Sunday, he will let you in.",
]
FROM_THE_OFFICE = [
    "GP home visit on Friday morning: please note anything he says about his breathing.",
    "The family has changed the key safe code; ask the office for it.",
]


class HandoverSeeder:
    def __init__(self, rng: random.Random, today: date, cooperative, coordinator):
        self.rng = rng
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator

    def run(self) -> dict[str, int]:
        since = self.today - timedelta(days=3)
        records = list(
            VisitRecord.objects.filter(
                visit__cooperative=self.cooperative,
                checked_in_at__date__gte=since,
                checked_out_at__isnull=False,
            )
            .select_related("person", "carer", "visit")
            .order_by("checked_in_at")
        )
        later: dict[int, list[VisitRecord]] = {}
        for record in records:
            later.setdefault(record.person_id, []).append(record)
        notes = 0
        for record in records:
            if self.rng.random() >= 0.06:
                continue
            note = services.write_handover(
                record.person,
                record.carer,
                self.rng.choice(NOTES),
                visit=record.visit,
                now=record.checked_out_at,
            )
            notes += 1
            following = [
                r
                for r in later[record.person_id]
                if r.checked_in_at > note.written_at and r.carer_id != record.carer_id
            ]
            # Most are read by the next carer when they arrive; a few wait on the follow-up.
            if following and self.rng.random() < 0.8:
                services.acknowledge_handover(
                    note, following[0].carer, now=following[0].checked_in_at
                )
        people = list({r.person_id: r.person for r in records}.values())
        if people:
            # The office writes as of the last check-out: the demo's day, whatever the clock.
            now = records[-1].checked_out_at
            for text in FROM_THE_OFFICE:
                services.write_handover(self.rng.choice(people), self.coordinator, text, now=now)
                notes += 1
            oldest = HandoverNote.objects.filter(cooperative=self.cooperative).order_by(
                "written_at"
            )
            if oldest.exists():
                services.retire_handover(oldest[0], self.coordinator, now=now)
        return {"handover_notes": notes}
