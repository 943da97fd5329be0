"""The rostering page's progress bar, in a real browser: once the run is over it opens the
draft, and stays there (a redirect answered to every poll kept restarting the way to it)."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from coopcare.rostering.models import RosterRun, RunStatus
from coopcare.rostering.services import runs
from tests import factories
from tests.rostering.conftest import carer_with, next_weekday


def test_a_run_that_finishes_opens_its_draft(open_as, coop, coordinator):
    day = next_weekday(1)
    carer_with(coop, "ana")
    rosa = factories.person_cared_for(
        coop, full_name="Rosa", latitude=Decimal("44.4940"), longitude=Decimal("11.3430")
    )
    factories.care_plan(rosa, valid_from=date(2026, 1, 1), skills="personal")
    run = runs.start_run(coop, day, day, coordinator, seconds=1)
    roster = run.rosters.get()
    # The page is opened while the run is still at work...
    RosterRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        finished_at=None,
        lease_expires_at=timezone.now() + timedelta(hours=1),
    )
    page = open_as(coordinator, 1024)
    page.goto(reverse("rostering:home", args=[coop.slug]))
    page.wait_for_selector(f'#run-{run.pk}[hx-trigger="every 1s"]')
    # ...and the run ends while the bar polls.
    RosterRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=timezone.now())
    draft = reverse("rostering:roster", args=[coop.slug, roster.pk])
    page.wait_for_url(f"**{draft}", timeout=10_000)
    page.wait_for_load_state("load")
    page.wait_for_timeout(2_500)  # two more seconds of what polling would have done
    assert page.url.endswith(draft)
