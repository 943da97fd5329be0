"""Demo facts at the door: each adult cared for has a health condition or two, a few have
advance decisions (the first a DNACPR decision with its form on the fridge), and most homes
have a key safe, how to get in, parking, what waits at the door and who to call.

Everything goes through ``care.services.set_door_facts``, as a coordinator's edit would, so
the record's history shows it. The seeder draws from its own generator."""

from datetime import date, timedelta

from coopcare.care import services

# name, what to watch for
CONDITIONS = [
    ("Type 2 diabetes", "Signs of a hypo: sweating, confusion. Sugar in the kitchen cupboard."),
    ("Early Alzheimer's dementia", "May not remember the last visit; introduce yourself."),
    ("COPD", "Breathless on effort; home oxygen at night, no open flames near it."),
    ("Parkinson's disease", "Slow to stand; medicines on time matter."),
    ("Heart failure", "Swollen ankles or breathlessness lying down: tell the office."),
    ("Osteoporosis", "Fractured hip in the past; high risk of falls."),
    ("Macular degeneration", "Sees poorly in the centre; keep things where they are."),
    ("Atrial fibrillation", "On anticoagulants: bruises easily."),
]
DECISIONS = [
    ("refusal", "The GP, Dr Conti; a copy in the blue folder on the bookshelf", ""),
    ("statement", "Her son keeps the original", "Wishes to stay at home to the end."),
    ("health_attorney", "Daughter, named in the document; copy in the hall drawer", ""),
]
ENTRIES = [
    "Key safe on the left of the front door; put the key back after locking.",
    "Ring twice and wait: she comes to the door slowly. Key safe if no answer.",
    "Side gate, then the kitchen door. Key safe under the meter box.",
    "Third floor, lift at the back of the courtyard. Intercom: 'Rossi'.",
]
PARKING = ["Street parking, free after 9:00.", "Residents' car park, space 12.", ""]
HAZARDS = [
    "Small dog, friendly, slips out: close the gate.",
    "Steep steps, no handrail; icy in winter.",
    "Cat indoors; do not let it out.",
    "",
]
CONTACTS = [
    "Daughter Anna, 333 412 7781 (works nearby)",
    "Son Marco, 347 118 2290; neighbour Lucia in flat 2",
    "Nephew Paolo, 338 900 1123",
]


class DoorSeeder:
    def __init__(self, rng, today: date, coordinator):
        self.rng = rng
        self.today = today
        self.coordinator = coordinator

    def run(self, people) -> dict[str, int]:
        decisions = 0
        for n, person in enumerate(people):
            chosen = self.rng.sample(CONDITIONS, self.rng.randint(1, 2))
            made = []
            if n == 0:
                made.append(("dnacpr", "Form on the fridge", "Signed with the GP and the family."))
            elif self.rng.random() < 0.15:
                made.append(self.rng.choice(DECISIONS))
            keyed = self.rng.random() < 0.7
            services.set_door_facts(
                person,
                self.coordinator,
                conditions=[{"name": name, "notes": notes} for name, notes in chosen],
                decisions=[
                    {
                        "kind": kind,
                        "made_on": self.today - timedelta(days=self.rng.randint(60, 900)),
                        "kept_where": where,
                        "notes": notes,
                    }
                    for kind, where, notes in made
                ],
                access={
                    "key_safe_code": f"{self.rng.randint(0, 9999):04d}" if keyed else "",
                    "entry": self.rng.choice(ENTRIES),
                    "parking": self.rng.choice(PARKING),
                    "hazards": self.rng.choice(HAZARDS),
                    "emergency_contacts": self.rng.choice(CONTACTS),
                },
            )
            decisions += len(made)
        return {"advance_decisions": decisions}
