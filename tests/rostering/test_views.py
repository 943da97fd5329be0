"""The coordinator's way from plans to a published week, and the carer's phone pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from coopcare import localise
from coopcare.rostering import calendar
from coopcare.rostering.models import (
    Absence,
    Assignment,
    Availability,
    Roster,
    RosterRequest,
    RosterRun,
)
from coopcare.visits.services import add_carer
from tests import factories
from tests.rostering.conftest import visits_on


def url(name, *args):
    return reverse(f"rostering:{name}", args=["cura", *args])


@pytest.fixture
def coordinator_client(client, coordinator):
    return factories.log_in(client, coordinator)


def run_week(client, day):
    return client.post(
        url("home"),
        {
            "first_day": day.isoformat(),
            "last_day": (day + timedelta(days=1)).isoformat(),
            "seconds": 1,
        },
    )


def open_draft(client, run):
    """What the browser does once the run is over: the last poll, then the one request its
    answer makes."""
    htmx = {"HX-Request": "true"}
    polled = client.get(url("run", run.pk), headers=htmx)
    assert polled.status_code == 200 and "HX-Redirect" not in polled
    body = polled.content.decode()
    # The finished bar polls no more; it asks once for the way to the draft.
    assert "every 1s" not in body and "hx-trigger" in body
    assert body.count('hx-trigger="load"') == 1
    return client.get(url("run", run.pk) + "?open", headers=htmx)


def test_a_finished_run_stops_polling_and_opens_its_draft_once(
    coordinator_client, ana, people, day
):
    run_week(coordinator_client, day)
    run = RosterRun.objects.get()
    roster = Roster.objects.get()
    opened = open_draft(coordinator_client, run)
    assert opened.status_code == 200
    assert opened["HX-Redirect"] == url("roster", roster.pk)
    # The same run listed on the rostering page links to its draft without going there.
    home = coordinator_client.get(url("home")).content.decode()
    assert url("roster", roster.pk) in home and 'hx-trigger="load"' not in home
    # Without htmx the bar is a plain page with the link.
    plain = coordinator_client.get(url("run", run.pk) + "?open")
    assert plain.status_code == 200 and "HX-Redirect" not in plain
    assert 'hx-trigger="load"' not in plain.content.decode()


def test_a_run_still_at_work_keeps_polling(coordinator_client, ana, people, day):
    run_week(coordinator_client, day)
    run = RosterRun.objects.get()
    from django.utils import timezone

    RosterRun.objects.filter(pk=run.pk).update(
        status="running", finished_at=None, lease_expires_at=timezone.now() + timedelta(hours=1)
    )
    polled = coordinator_client.get(url("run", run.pk) + "?open", headers={"HX-Request": "true"})
    assert "HX-Redirect" not in polled
    assert 'hx-trigger="every 1s"' in polled.content.decode()


def test_from_plans_to_a_published_roster_in_a_few_clicks(
    coordinator_client, ana, ben, people, day
):
    response = run_week(coordinator_client, day)
    assert response.status_code == 302
    run = RosterRun.objects.get()
    # The progress bar, polled by htmx, sends the browser to the draft once it is ready.
    roster = Roster.objects.get()
    opened = open_draft(coordinator_client, run)
    assert opened["HX-Redirect"] == url("roster", roster.pk)
    page = coordinator_client.get(url("roster", roster.pk) + f"?day={day.isoformat()}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Rosa" in body and "Marco" in body and "Hours against contracts" in body
    assert "Every visit has its carers." in body
    assert "No breach of the working-time rules." in body
    published = coordinator_client.post(url("publish", roster.pk), follow=True)
    assert "Published: " in published.content.decode()
    assert visits_on(people[0], day).carers.exists()


def test_bad_periods_are_shown_on_the_form(coordinator_client, ana, people):
    from django.utils import timezone

    yesterday = timezone.localdate() - timedelta(days=1)
    response = coordinator_client.post(
        url("home"), {"first_day": yesterday, "last_day": yesterday, "seconds": 1}
    )
    assert response.status_code == 200
    assert "This period is over" in response.content.decode()
    assert not RosterRun.objects.exists()


def test_a_run_in_progress_shows_its_bar_and_can_be_cancelled(coordinator_client, coop, day):
    run = RosterRun.objects.create(
        cooperative=coop,
        first_day=day,
        last_day=day,
        seconds_per_day=5,
        status="running",
        progress=40,
    )
    bar = coordinator_client.get(url("run", run.pk), headers={"HX-Request": "true"})
    assert b'value="40"' in bar.content and b'hx-trigger="every 1s"' in bar.content
    coordinator_client.post(url("run_cancel", run.pk), headers={"HX-Request": "true"})
    run.refresh_from_db()
    assert run.cancel_requested


def test_a_manual_edit_shows_the_broken_rules_on_the_form(
    coordinator_client, coop, ana, ben, people, day
):
    run_week(coordinator_client, day)
    roster = Roster.objects.get()
    rosa = people[0]
    rosa.refused_carers.add(ana)
    visit = visits_on(rosa, day)
    response = coordinator_client.post(
        url("visit", roster.pk, visit.pk), {"carer": ana.pk, "override_reason": ""}
    )
    assert response.status_code == 200
    assert "Rosa has refused Ana Test as a carer." in response.content.decode()


def test_a_visit_is_given_to_a_carer_chosen_by_name(
    coordinator, coordinator_client, coop, ana, ben, people, day
):
    run_week(coordinator_client, day)
    roster = Roster.objects.get()
    page = coordinator_client.get(url("visit", roster.pk, visits_on(people[0], day).pk))
    body = page.content.decode()
    assert f'<option value="{ana.pk}">Ana Test</option>' in body
    assert body.index("Ana Test</option>") < body.index("Ben Test</option>")
    assert 'data-choose="id_carer"' in body
    coordinator_client.post(url("publish", roster.pk))
    page = coordinator_client.get(url("roster", roster.pk)).content.decode()
    assert f"by {coordinator.get_full_name()}" in page and "by coord" not in page


def test_carers_requests_reach_the_coordinators(
    client, coordinator, coordinator_client, coop, ana, ben, people, day
):
    run_week(coordinator_client, day)
    coordinator_client.post(url("publish", Roster.objects.get().pk))
    visit = visits_on(people[0], day)
    mine = visit.carers.get()
    carer_client = factories.log_in(client.__class__(), mine)
    page = carer_client.get(url("mine"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Why me?" in body and "Rosa" in body
    assert calendar.feed_of(coop, mine).token in body
    carer_client.post(url("ask", visit.pk, "contest"), {f"v{visit.pk}-reason": "Too early for me"})
    asked = RosterRequest.objects.get()
    listed = coordinator_client.get(url("requests"))
    assert "Too early for me" in listed.content.decode()
    coordinator_client.post(url("decide", asked.pk), {f"r{asked.pk}-note": "OK", "accept": "1"})
    asked.refresh_from_db()
    assert asked.status == "accepted" and not visit.carers.exists()


def test_a_carer_sets_usual_hours_and_days_away(client, coop, coordinator_client, ana, day):
    carer_client = factories.log_in(client.__class__(), ana)
    page = url("my_availability")
    carer_client.post(page, {"slot-weekday": 2, "slot-starts": "08:00", "slot-ends": "13:00"})
    bad = carer_client.post(page, {"slot-weekday": 2, "slot-starts": "12:00", "slot-ends": "14:00"})
    assert "This overlaps your hours" in bad.content.decode()
    carer_client.post(
        page,
        {"absence-kind": "leave", "absence-first_day": day, "absence-last_day": day},
    )
    assert Availability.objects.filter(carer=ana).count() == 1
    assert Absence.objects.filter(carer=ana, kind="leave").exists()
    grid = coordinator_client.get(url("availability") + f"?week={day.isoformat()}")
    assert "away (leave)" in grid.content.decode()
    assert "08:00–13:00" in grid.content.decode()


def test_continuity_and_hours_pages(coordinator_client, coop, ana, people, day):
    visit = visits_on(people[0], day)
    add_carer(visit, ana)
    continuity = coordinator_client.get(url("continuity") + f"?week={day.isoformat()}")
    assert continuity.status_code == 200 and "Rosa" in continuity.content.decode()
    hours = coordinator_client.get(url("hours") + f"?week={day.isoformat()}")
    assert "Ana Test" in hours.content.decode() and "45 min" in hours.content.decode()


def test_carers_cannot_open_the_coordinators_pages(client, ana):
    carer_client = factories.log_in(client, ana)
    assert carer_client.get(url("home")).status_code == 403


def test_the_roster_email_writes_each_visit_as_the_carers_roster_page_does(
    client, coordinator_client, coop, ana, people, day, django_capture_on_commit_callbacks
):
    """The email of a published roster and the carer's own roster page write the same visit
    the same way, the reader's language with the cooperative's country (an Italian
    cooperative read in English: "Tue, 8 Dec" and "09:00–09:45"), the roster's days as every
    page writes a day, and the email links back to that page."""
    visit = visits_on(people[0], day)
    roster = Roster.objects.create(cooperative=coop, first_day=day, last_day=day)
    Assignment.objects.create(roster=roster, visit=visit, carer=ana)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("publish", roster.pk))
    (message,) = mail.outbox
    with translation.override("en"), localise.in_region(coop.country):
        weekday = localise.short_day(visit.starts_at)
        times = f"{localise.clock(visit.starts_at)}–{localise.clock(visit.ends_at)}"
        first = localise.day(day)
    assert f"- {weekday}, {times}" in message.body
    assert f"The roster from {first} to {first} is published." in message.body
    assert first in message.subject
    assert message.body.strip().endswith(f"http://testserver{url('mine')}")
    factories.log_in(client, ana)
    page = client.get(url("mine")).content.decode()
    assert weekday in page and times in page
