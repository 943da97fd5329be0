"""The demo's time credits, in the main cooperative only (one home-care cooperative that also
exchanges time credits): four months of informal help between a dozen of its members (lifts
to appointments, shopping, a weekly call, small repairs, company on a walk), each offered or
asked for on the board, taken up and confirmed by its receiver; one exchange entered twice and
reversed by the office; offers and requests still open, and one taken up but not yet
confirmed. The welcome grant is set last, so that members who join from now on get it.

Everything goes through ``timecredits.services``, as the pages do."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from coopcare.members.models import Member, MemberStatus, StakeholderKind
from coopcare.timecredits import services
from coopcare.timecredits.models import EntryKind

# What members ask of one another: (kind, words, usual hours).
HELP = [
    ("lift", "Lift to the hospital for a check-up", "1.5"),
    ("lift", "Lift to the pharmacy and back", "0.75"),
    ("shopping", "Weekly shopping at the market", "1"),
    ("shopping", "Heavy shopping: water and detergent", "0.75"),
    ("call", "A phone call on Sunday afternoons", "0.5"),
    ("call", "A call to check in after a fall", "0.25"),
    ("accompaniment", "Company on a walk along the canal", "1.5"),
    ("accompaniment", "Accompaniment to the post office", "1"),
    ("repair", "Fixing a dripping tap", "1"),
    ("repair", "Changing a light bulb on the stairs", "0.5"),
    ("other", "Help filling in a form for the council", "1.25"),
    ("other", "Reading the post aloud", "0.5"),
]
KINDS = [StakeholderKind.FAMILY, StakeholderKind.SUPPORTER, StakeholderKind.WORKER]


class TimeCreditSeeder:
    def __init__(self, rng: random.Random, today: date, cooperative, coordinator):
        self.rng = rng
        # The services refuse help confirmed for a day to come.
        self.today = min(today, timezone.localdate())
        self.cooperative = cooperative
        self.coordinator = coordinator

    def run(self) -> dict[str, int]:
        """Seed the exchanges and the ledger; returns the counts for the summary."""
        self.cooperative.runs_time_credits = True
        self.cooperative.save(update_fields=["runs_time_credits"])
        members = list(
            Member.objects.filter(
                cooperative=self.cooperative,
                status=MemberStatus.ADMITTED,
                stakeholder_class__kind__in=KINDS,
                # Members with a login first, so that the demo's logins see their own credits.
            ).order_by(F("user").asc(nulls_last=True), "number")[:12]
        )
        if len(members) < 6:
            return {}
        services.set_terms(
            self.cooperative,
            most_hours=Decimal(8),
            overdraft=Decimal(10),
            welcome_hours=Decimal(0),
            by=self.coordinator,
        )
        done = []
        for days_ago in sorted(self.rng.sample(range(3, 120), 36), reverse=True):
            # Nobody is asked to owe more than the overdraft: those far below zero give.
            receiver = self.rng.choice([m for m in members if services.balance(m) > -6])
            giver = self.rng.choice([m for m in members if m != receiver])
            done.append(self.exchange(giver, receiver, self.today - timedelta(days=days_ago)))
        twice = done[-3].entries.get(kind=EntryKind.GIVEN)
        services.reverse(twice, "Entered twice by mistake", by=self.coordinator)
        waiting = [self.post(m, self.rng.choice(("offer", "request"))) for m in members[:4]]
        services.accept(waiting[0], members[5], by=members[5].user)
        services.set_terms(
            self.cooperative,
            most_hours=Decimal(8),
            overdraft=Decimal(10),
            welcome_hours=Decimal(2),
            by=self.coordinator,
        )
        return {"time_credit_exchanges": len(done) + len(waiting)}

    def post(self, member, direction: str):
        kind, words, _hours = self.rng.choice(HELP)
        return services.post(
            self.cooperative, member, direction=direction, kind=kind, words=words, by=member.user
        )

    def exchange(self, giver, receiver, on: date):
        """Help given on ``on``: offered by the giver or asked for by the receiver, taken up and
        confirmed by the receiver, a quarter-hour more or less than usual now and then."""
        kind, words, usual = self.rng.choice(HELP)
        offered = self.rng.random() < 0.5
        poster, taker = (giver, receiver) if offered else (receiver, giver)
        posted = services.post(
            self.cooperative,
            poster,
            direction="offer" if offered else "request",
            kind=kind,
            words=words,
            by=poster.user,
        )
        services.accept(posted, taker, by=taker.user)
        hours = max(
            Decimal("0.25"), Decimal(usual) + self.rng.choice((0, 0, 0, 1, -1)) * Decimal("0.25")
        )
        services.confirm(posted, receiver, hours=hours, done_on=on, by=receiver.user)
        return posted
