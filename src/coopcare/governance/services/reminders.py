"""Reminders: an email to each member entitled to an online vote closing soon who has
not yet voted, once per vote."""

from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.governance.models import Election, Motion, QuestionStatus, VoteReminder
from coopcare.governance.services.statutes import entitled_members


def send_reminders(now: datetime | None = None, within: timedelta = timedelta(hours=48)) -> int:
    """Email each member entitled to an online vote closing within ``within`` who has not yet
    voted, once per vote. Returns how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    for model, field in ((Motion, "motion"), (Election, "election")):
        due = model.objects.filter(
            status=QuestionStatus.OPEN,
            assembly__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + within,
        ).select_related("cooperative")
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
            )
            for member in members:
                with transaction.atomic():
                    VoteReminder.objects.create(**{field: question}, member=member, sent_at=now)
                    send_mail(
                        _("Reminder: vote on “%(title)s”") % {"title": question.title},
                        render_to_string(
                            "governance/reminder.txt", {"question": question, "member": member}
                        ),
                        None,
                        [member.email],
                    )
                sent += 1
    return sent
