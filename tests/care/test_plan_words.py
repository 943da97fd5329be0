"""The person's page shows a care plan in words: how often each task repeats, the skills it
needs and the day it applies from, in the reader's language, never the RRULE or skill words."""

from datetime import date

from coopcare.accounts.models import Profile
from tests import factories


def test_the_plan_reads_in_words_in_italian(client, coop, coordinator):
    Profile.objects.create(user=coordinator, language="it")
    person = factories.person_cared_for(coop)
    factories.care_plan(
        person,
        valid_from=date(2026, 11, 21),
        rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        skills="first_aid,hoist",
    )
    factories.log_in(client, coordinator)
    page = client.get(f"/c/{coop.slug}/people/{person.pk}/").content.decode()
    assert "21 nov 2026" in page
    # The rule and the skill words stay only in the coordinator's form to edit the plan.
    start = page.index("<strong>Morning care</strong>")
    task = page[start : page.index("</li>", start)]
    assert "da lunedì a venerdì alle 09:00" in task
    assert "primo soccorso e sollevatore" in task
    assert "FREQ" not in task and "first_aid" not in task
