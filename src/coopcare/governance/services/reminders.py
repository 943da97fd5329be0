"""Reminders: an email to each member entitled to an online vote closing soon who has
not yet voted, once per vote. The members were told when it opened (``voting.open_vote``);
a reminder is for a vote that has been open longer than the time before its close it is
sent."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopcare.governance.models import Election, Motion, QuestionStatus, VoteReminder
from coopcare.governance.services.statutes import entitled_members
from coopcare.notify import Notice, Topic, send, to_member


def send_reminders(now: datetime | None = None, within: timedelta = timedelta(hours=48)) -> int:
    """Email each member entitled to an online vote closing within ``within`` who has not yet
    voted, once per vote. Returns how many reminders were recorded, each sent once its
    record is saved."""
    now = now or timezone.now()
    sent = 0
    for model, field in ((Motion, "motion"), (Election, "election")):
        due = model.objects.filter(
            status=QuestionStatus.OPEN,
            assembly__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + within,
        )
        # A vote whose whole window is shorter than ``within`` has no reminder: the notice
        # that told its members it opened (``voting.open_vote``) gave its closing time.
        due = due.filter(opens_at__lte=F("closes_at") - within).select_related("cooperative")
        for question in due:
            voted = question.roll.values_list("member_id", flat=True)
            reminded = VoteReminder.objects.filter(**{field: question}).values_list(
                "member_id", flat=True
            )
            members = (
                entitled_members(question.cooperative, None, question)
                .exclude(pk__in=voted)
                .exclude(pk__in=reminded)
                .exclude(email="")
                .select_related("user__profile")
            )
            for member in members:
                # One transaction per member: the record of a reminder is kept with its own
                # email, which goes once the record is saved, and no other's fate touches it.
                with transaction.atomic():
                    VoteReminder.objects.create(**{field: question}, member=member, sent_at=now)
                    sent += send(
                        [
                            Notice(
                                to_member(member),
                                _("Reminder: vote on “%(title)s”"),
                                "governance/reminder.txt",
                                {"question": question, "member": member},
                                {"title": question.title},
                                topic=Topic.VOTE,
                                # Sent by the hourly job, outside any page of the cooperative.
                                region=question.cooperative.country,
                            )
                        ]
                    )
    return sent
