"""The demo's conversation, made through the conversations services: the relative with the
``family`` login asks about a dentist appointment, the office marks it as needing action and
answers, a regular carer says when she will come, and the relative thanks them. The carer has
the last message to read, the office two, and the family login may write at once."""

from datetime import time, timedelta

from coopcare.conversations import access, services
from coopcare.conversations.models import Side
from coopcare.cooperatives.access import roles_of
from coopcare.demo.family import family_grant
from coopcare.visits.services import local_moment


class ConversationSeeder:
    def __init__(self, today, cooperative, coordinator):
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator

    def run(self) -> dict[str, int]:
        grant = family_grant(self.cooperative, revoked_on__isnull=True, may_message=True)
        if grant is None:
            return {}
        person, family = grant.person, grant.user
        noon = local_moment(self.today, time(12))
        carers = [
            user
            for user in access.participants(person, noon)
            if access.side_of(
                user, self.cooperative, roles_of(user, self.cooperative), person, noon
            )
            == Side.CARER
        ]
        # The demo's carer login when it serves the person, so that it shows the thread too.
        carer = next((u for u in carers if u.username == "carer"), carers[0] if carers else None)
        if carer is None:
            return {}

        def at(days_ago: int, hour: int, minute: int):
            return local_moment(self.today - timedelta(days=days_ago), time(hour, minute))

        asking = services.send_message(
            person,
            family,
            Side.CIRCLE,
            "Mum has a dentist appointment on Thursday at 10:30. Could the morning visit come "
            "a little earlier, so that she is ready by 10?",
            now=at(3, 18, 40),
        )
        services.mark_needs_action(asking, self.coordinator, now=at(2, 9, 10))
        services.send_message(
            person,
            self.coordinator,
            Side.OFFICE,
            "Thank you, we have noted it. We will tell you by tomorrow whether Thursday's "
            "visit can start at 8:30.",
            now=at(2, 9, 15),
        )
        services.send_message(
            person,
            carer,
            Side.CARER,
            "I can come at 8:30 on Thursday. I will make sure she has her health card and "
            "her glasses.",
            now=at(2, 17, 30),
        )
        services.send_message(
            person,
            family,
            Side.CIRCLE,
            "Thank you both! She has almost finished the cream for her heels; we will bring a "
            "new tube on Saturday.",
            now=at(1, 20, 5),
        )
        return {"messages": 4}
