"""A demo cooperative's governance: last autumn's general assembly with its results and
published minutes, an online vote open now, a board meeting called for next week, and an
extraordinary assembly called for next month whose agenda has grown since its notice went out
(an amended notice was sent), to which the supporter's demo login gave the secretary a proxy.

Everything goes through the governance services, with the dates of the story, so the demo's
results are counted by the same rules as a real assembly.
"""

import random
from contextlib import suppress
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.governance.models import AssemblyKind
from coopcare.governance.services.assemblies import (
    add_agenda_item,
    call_assembly,
    close_session,
    open_session,
    record_attendance,
)
from coopcare.governance.services.minutes import publish_minutes
from coopcare.governance.services.notices import send_amended_notice
from coopcare.governance.services.proxies import give_proxy, live_proxies
from coopcare.governance.services.questions import call_election, propose_motion
from coopcare.governance.services.statutes import entitled_members
from coopcare.governance.services.tallies import record_lot
from coopcare.governance.services.voting import cast_vote, close_vote, open_vote
from coopcare.members.models import Member, StakeholderKind
from coopcare.rostering.models import RosterPolicy

# The roster policy the assembly adopts: continuity and the person's choice weigh more.
ADOPTED_POLICY = {
    "travel": "1",
    "tardiness": "1",
    "max_tardiness": "0",
    "continuity": "60",
    "preference": "80",
    "fairness": "0.5",
    "unassigned": "10000",
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class GovernanceSeeder:
    def __init__(self, rng: random.Random, today: date, cooperative, secretary, keep_for_logins):
        self.rng = rng
        self.today = today
        self.coop = cooperative
        self.secretary = secretary  # the board login's user
        # Demo logins that should still find the open vote waiting for them.
        self.keep_for_logins = set(keep_for_logins)

    def run(self) -> dict[str, int]:
        RosterPolicy.objects.create(
            cooperative=self.coop,
            effective_from=self.today - timedelta(days=400),
            summary="The defaults, in force since the cooperative began rostering.",
        )
        agm = self.annual_assembly(self.today - timedelta(days=60))
        self.online_vote()
        self.board_meeting()
        self.extraordinary_assembly()
        return {
            "assemblies": self.coop.assemblies.count(),
            "present_at_agm": agm.attendance.count(),
        }

    def _choice(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def annual_assembly(self, day: date):
        agm = call_assembly(
            self.coop,
            kind=AssemblyKind.ORDINARY,
            title=f"Annual general assembly {day.year}",
            starts_at=_at(day, 18),
            called_on=day - timedelta(days=20),
            place="Sala civica, Via Marsala 12",
            online_link="https://meet.example.org/cura-insieme-agm",
            agenda=[
                "Financial statements and social report 2025",
                "Roster policy",
                "Election of the board",
                "Any other business",
            ],
            called_by=self.secretary,
        )
        agm = open_session(agm, _at(day, 18))
        entitled = list(entitled_members(self.coop, agm))
        present = [
            m for m in entitled if m.user_id == self.secretary.pk or self.rng.random() < 0.45
        ]
        for index, member in enumerate(present):
            mode = "online" if self.rng.random() < 0.3 else "in_person"
            record_attendance(agm, member, mode, at=_at(day, 18, index % 20))
        absent = [m for m in entitled if m not in present]
        for giver in absent:
            if self.rng.random() < 0.15:
                # When that holder's proxies are full, the member simply stays away.
                with suppress(ValidationError):
                    give_proxy(agm, giver, self.rng.choice(present), _at(day, 17))
        voters = present + [p.giver for p in live_proxies(agm)]
        holders = {p.giver_id: p.holder for p in live_proxies(agm)}

        accounts = propose_motion(
            self.coop,
            assembly=agm,
            title="Approve the financial statements and social report 2025",
            text=(
                "The assembly approves the financial statements for 2025 and the social report "
                "presented by the board."
            ),
            created_by=self.secretary,
        )
        open_vote(accounts, _at(day, 18, 30))
        self._vote_all(
            accounts, voters, holders, _at(day, 18, 35), {"for": 88, "against": 5, "abstain": 7}
        )
        close_vote(accounts, _at(day, 18, 45))

        policy = propose_motion(
            self.coop,
            assembly=agm,
            title="Roster policy: continuity of care first",
            text=(
                "From the date below, the roster weighs a visit by a carer the person does not "
                "know at 30 and a visit against the person's choice of carers at 60."
            ),
            secret=True,
            effect_kind="roster_policy",
            effect=ADOPTED_POLICY,
            effect_from=day + timedelta(days=14),
            created_by=self.secretary,
        )
        amendment = propose_motion(
            self.coop,
            title="Amendment: weigh continuity at 60 and choice at 80",
            text=(
                "From the date below, the roster weighs a visit by a carer the person does not "
                "know at 60 and a visit against the person's choice of carers at 80."
            ),
            amends=policy,
            created_by=self.secretary,
        )
        open_vote(amendment, _at(day, 19))
        self._vote_all(
            amendment, voters, holders, _at(day, 19, 5), {"for": 70, "against": 20, "abstain": 10}
        )
        close_vote(amendment, _at(day, 19, 10))
        open_vote(policy, _at(day, 19, 15))
        self._vote_all(
            policy, voters, holders, _at(day, 19, 20), {"for": 80, "against": 12, "abstain": 8}
        )
        close_vote(policy, _at(day, 19, 30))

        self.board_election(agm, voters, holders, day)
        close_session(agm, _at(day, 21))
        agm.refresh_from_db()
        publish_minutes(
            agm,
            agm.minutes + "\nThe chair closed the assembly at 21:00.\n",
            by=self.secretary,
            at=_at(day + timedelta(days=3), 10),
        )
        return agm

    def _vote_all(self, question, voters, holders, at, weights):
        for member in voters:
            cast_vote(
                question,
                member,
                by=holders.get(member.pk, member),
                choice=self._choice(weights),
                at=at,
            )

    def board_election(self, agm, voters, holders, day):
        members = Member.objects.filter(cooperative=self.coop, pk__in=[m.pk for m in voters])
        workers = list(members.filter(stakeholder_class__kind=StakeholderKind.WORKER)[:4])
        people = list(members.filter(stakeholder_class__kind=StakeholderKind.PERSON_CARED_FOR)[:1])
        supporters = list(members.filter(stakeholder_class__kind=StakeholderKind.SUPPORTER)[:1])
        candidates = workers + people + supporters
        reserved = {people[0].stakeholder_class: 1} if people else {}
        election = call_election(
            self.coop,
            assembly=agm,
            title="Board of directors (3 seats, one reserved for people cared for)",
            method="stv",
            seats=3,
            candidates=candidates,
            reserved=reserved,
            created_by=self.secretary,
        )
        open_vote(election, _at(day, 20))
        ids = [c.pk for c in election.candidates.all()]
        popularity = [self.rng.uniform(0.5, 3) for _ in ids]
        for member in voters:
            order = sorted(ids, key=lambda cid: -popularity[ids.index(cid)] * self.rng.random())
            cast_vote(
                election,
                member,
                by=holders.get(member.pk, member),
                ranking=order[: self.rng.randint(2, len(order))],
                at=_at(day, 20, 10),
            )
        election = close_vote(election, _at(day, 20, 40))
        # A tie the rules leave to lot stops the count: the board draws it in the room.
        while not election.result["complete"]:
            among = sorted(election.result["count"]["lot"]["among"])
            chosen = election.candidates.get(pk=self.rng.choice(among))
            election = record_lot(election, chosen, self.secretary, _at(day, 20, 45))

    def online_vote(self):
        opens_on = self.today - timedelta(days=2)
        motion = propose_motion(
            self.coop,
            title="Join the regional consortium for hoists and care equipment",
            text=(
                "The cooperative joins the Rete Cura Emilia purchasing consortium, sharing "
                "hoists, slings and other equipment with the federation's cooperatives; the "
                "membership fee is 300 EUR a year."
            ),
            secret=True,
            opens_at=_at(opens_on, 9),
            closes_at=_at(self.today + timedelta(days=5), 20),
            created_by=self.secretary,
        )
        open_vote(motion, _at(opens_on, 9))
        for member in entitled_members(self.coop, None, motion):
            if member.user_id in self.keep_for_logins or self.rng.random() > 0.3:
                continue
            cast_vote(
                motion,
                member,
                choice=self._choice({"for": 65, "against": 25, "abstain": 10}),
                at=_at(opens_on + timedelta(days=self.rng.randint(0, 1)), self.rng.randint(10, 22)),
            )

    def extraordinary_assembly(self):
        """Called three days ago with the statutes' notice; an item added since, the amended
        notice sent today, and the supporter login's proxy given to the secretary."""
        called_on = self.today - timedelta(days=3)
        assembly = call_assembly(
            self.coop,
            kind=AssemblyKind.EXTRAORDINARY,
            title="Extraordinary assembly: night care",
            starts_at=_at(called_on + timedelta(days=30), 18),
            called_on=called_on,
            place="Sala civica, Via Marsala 12",
            online_link="https://meet.example.org/cura-insieme",
            agenda=["Starting night care in the hills", "Change to article 12 of the statutes"],
            called_by=self.secretary,
        )
        add_agenda_item(assembly, "A fund for the night carers' training")
        send_amended_notice(assembly, on=self.today, sent_by=self.secretary)
        # The supporter's demo login cannot come out in the evening: they asked the secretary
        # to vote for them, so their page shows a proxy given.
        supporter = Member.objects.filter(
            cooperative=self.coop,
            user_id__in=self.keep_for_logins,
            stakeholder_class__kind=StakeholderKind.SUPPORTER,
        ).first()
        if supporter is not None:
            secretary = Member.objects.get(cooperative=self.coop, user=self.secretary)
            give_proxy(assembly, supporter, secretary, _at(self.today, 11))

    def board_meeting(self):
        day = self.today + timedelta(days=7)
        call_assembly(
            self.coop,
            kind=AssemblyKind.BOARD,
            title="Board meeting",
            starts_at=_at(day, 17, 30),
            called_on=self.today,
            place="Office, Via Saragozza 40",
            agenda=["Admissions", "Training plan for hoist transfers", "Winter rota"],
            called_by=self.secretary,
        )
