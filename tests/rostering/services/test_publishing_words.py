"""The roster email writes its days one way, the reader's language's, and links back to the
carer's roster."""

import pytest
from babel.dates import format_date, format_skeleton
from django.core import mail
from django.urls import reverse

from coopcare.accounts.models import Profile
from coopcare.rostering.services import runs
from coopcare.rostering.services.publishing import publish


@pytest.fixture
def draft(coop, coordinator, ana, ben, people, day):
    return runs.start_run(coop, day, day, coordinator, seconds=1).rosters.get()


def test_the_roster_email_writes_days_as_italian_does_and_links_to_the_roster(
    coop, coordinator, draft, ana, day, django_capture_on_commit_callbacks
):
    """Worked example: an Italian carer reads the day 21 November 2026 as "21 nov 2026" in the
    subject and the opening line, and each visit by its weekday, "sab 21 nov, 09:00–09:45", as
    on their roster page; never as 11/21 or 2026-11-21."""
    Profile.objects.create(user=ana, language="it")
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, coordinator, site_url="https://coop.example")
    italian = format_date(day, format="medium", locale="it")
    message = next(m for m in mail.outbox if m.to == [ana.email])
    assert message.subject == f"Le tue visite dal {italian} al {italian}"
    assert italian in message.body.split("\n\n")[1]
    visit_lines = [line for line in message.body.splitlines() if line.startswith("- ")]
    weekday = format_skeleton("MMMEd", day, locale="it")
    assert visit_lines and all(line.startswith(f"- {weekday}, ") for line in visit_lines)
    assert day.isoformat() not in message.body and day.strftime("%d/%m") not in message.body
    assert "https://coop.example" + reverse("rostering:mine", args=[coop.slug]) in message.body
    assert message.body.count("https://coop.example") == 1


def test_without_the_site_address_the_email_has_no_link(
    coordinator, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, coordinator)
    assert mail.outbox and all("http" not in m.body for m in mail.outbox)
