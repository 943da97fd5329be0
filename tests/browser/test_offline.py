"""The carer's day without signal, in Chromium: the day page is kept by the service worker, a
check-in and check-out made offline wait on the phone and reach the server, in order, when the
signal returns, and so does an incident, once; a queue whose session ended waits for the carer
to log in again; and logging out leaves nothing of it on the phone."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coopcare.cooperatives.models import Role
from coopcare.visits.models import Incident, VisitRecord
from tests import factories

NAME = "Lucia Ferri"


def test_an_offline_check_in_waits_and_is_sent_when_the_signal_returns(open_as, coop):
    carer = factories.user_with_role(coop, Role.CARER, username="carla")
    person = factories.person_cared_for(coop, full_name=NAME)
    # A visit that started ten minutes ago, so a check-in now is on time.
    start = timezone.localtime() - timedelta(minutes=10)
    visit = factories.visit(
        person, [carer], day=start.date(), start_time=start.time().replace(microsecond=0)
    )
    page = open_as(carer, 390)
    path = reverse("visits:today", args=[coop.slug])
    assert page.goto(path).status == 200
    # The service worker has kept today and the next days.
    page.locator("html[data-offline-kept='3']").wait_for(state="attached")

    page.context.set_offline(True)
    page.reload()
    page.get_by_text("Offline copy, saved at").wait_for()
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("Waiting to be sent (1)").wait_for()
    page.get_by_text(f"Check-in: {NAME}").wait_for()
    # The check-out opens behind it: the steps done, a note, then check out, still offline.
    steps = page.locator("form[data-after] [data-step]")
    for n in range(steps.count()):
        steps.nth(n).check()
    page.get_by_label("Notes on the visit, for the record").fill("Ate all her breakfast.")
    page.get_by_role("button", name="Check out").click()
    page.get_by_text("Waiting to be sent (2)").wait_for()
    assert not VisitRecord.objects.filter(visit=visit).exists()

    page.context.set_offline(False)
    page.get_by_text("Checked in ", exact=False).and_(page.get_by_text(", out ")).wait_for()
    record = VisitRecord.objects.get(visit=visit, carer=carer)
    assert record.checked_in_at is not None and record.checked_out_at is not None
    assert record.notes == "Ate all her breakfast."
    assert all(o.done for o in record.outcomes.all())
    assert page.locator("[data-waiting] li").count() == 0

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/?logged_out=1")
    assert page.evaluate("caches.keys()") == []
    databases = page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    assert "coopcare-offline" not in databases


def test_a_queue_waits_for_the_carer_to_log_in_again(open_as, coop):
    carer = factories.user_with_role(coop, Role.CARER, username="carla")
    person = factories.person_cared_for(coop, full_name=NAME)
    start = timezone.localtime() - timedelta(minutes=10)
    visit = factories.visit(
        person, [carer], day=start.date(), start_time=start.time().replace(microsecond=0)
    )
    page = open_as(carer, 390)
    assert page.goto(reverse("visits:today", args=[coop.slug])).status == 200
    page.context.set_offline(True)
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("Waiting to be sent (1)").wait_for()

    # The session ends while the phone is out of signal.
    Session.objects.all().delete()
    page.context.set_offline(False)
    page.get_by_text("Your session has ended: log in again").wait_for()
    login = page.locator("[data-login-needed] a")
    assert login.inner_text() == "Log in"
    assert login.get_attribute("href").startswith("/accounts/login/?next=")
    assert page.get_by_text("Waiting to be sent (1)").is_visible()
    assert not VisitRecord.objects.filter(visit=visit).exists()


def test_an_incident_reported_offline_is_sent_once_when_the_signal_returns(open_as, coop):
    carer = factories.user_with_role(coop, Role.CARER, username="carla")
    person = factories.person_cared_for(coop, full_name=NAME)
    start = timezone.localtime() - timedelta(minutes=10)
    visit = factories.visit(
        person, [carer], day=start.date(), start_time=start.time().replace(microsecond=0)
    )
    page = open_as(carer, 390)
    assert page.goto(reverse("visits:today", args=[coop.slug])).status == 200
    page.context.set_offline(True)
    page.get_by_text("Report an incident").click()
    # The time starts as the phone's (set when the form's toggle event fires, after the click
    # returns, so the check waits for it); the carer fills in what happened.
    expect(page.get_by_label("when it happened")).not_to_have_value("")
    page.get_by_label("what happened").select_option("fall")
    page.get_by_label("severity").select_option("medium")
    page.get_by_label("description").fill("Slipped on the bathroom mat, no injury.")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Waiting to be sent (1)").wait_for()
    page.get_by_text(f"Incident: {NAME}").wait_for()
    assert not Incident.objects.exists()

    page.context.set_offline(False)
    page.locator("[data-waiting-title][hidden]").wait_for(state="attached")
    incident = Incident.objects.get(visit=visit)
    assert incident.reported_by == carer
    assert incident.description == "Slipped on the bathroom mat, no injury."
    assert incident.client_id is not None
    assert abs(incident.occurred_at - timezone.now()) < timedelta(minutes=5)
