"""A carer's day on a phone-width page, and the coordinators' follow-up page."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from coopcare import localise
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.visits.models import Incident, VisitRecord, VisitStatus
from tests import factories


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Ana")


@pytest.fixture
def visit(coop, carer):
    began = timezone.localtime() - timedelta(minutes=30)
    person = factories.person_cared_for(coop, full_name="Rosa Bianchi")
    return factories.visit(
        person,
        [carer],
        day=began.date(),
        start_time=began.time().replace(second=0, microsecond=0),
        steps="Wash\nDress",
    )


def form_field(html: str, name: str) -> str:
    start = html.index(f'name="{name}" value="') + len(f'name="{name}" value="')
    return html[start : html.index('"', start)]


def test_a_carer_does_a_visit_on_the_today_page(client, coop, carer, visit):
    factories.log_in(client, carer)
    day = timezone.localdate(visit.starts_at)
    page = client.get(f"/c/cura/today/?day={day}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rosa Bianchi" in html and "Check in" in html
    prefix = f"v{visit.pk}"
    client_id = form_field(html, f"{prefix}-client_id")
    checked_in = client.post(
        f"/c/cura/visits/{visit.pk}/check-in/", {f"{prefix}-client_id": client_id}
    )
    assert checked_in.status_code == 302
    # a double tap sends the same form again: still one record
    client.post(f"/c/cura/visits/{visit.pk}/check-in/", {f"{prefix}-client_id": client_id})
    assert VisitRecord.objects.count() == 1

    html = client.get(f"/c/cura/today/?day={day}").content.decode()
    assert "Check out" in html and "Wash" in html
    out_id = form_field(html, f"{prefix}-client_id")
    refused = client.post(
        f"/c/cura/visits/{visit.pk}/check-out/",
        {f"{prefix}-client_id": out_id, f"{prefix}-done_0": "on"},
    )
    assert refused.status_code == 400
    assert "Say why “Dress” was not done." in refused.content.decode()
    assert VisitRecord.objects.get().checked_out_at is None

    done = client.post(
        f"/c/cura/visits/{visit.pk}/check-out/",
        {
            f"{prefix}-client_id": out_id,
            f"{prefix}-done_0": "on",
            f"{prefix}-reason_1": "Stayed in bed, felt cold",
            f"{prefix}-notes": "Check the heating",
            f"{prefix}-tapped": "on",
        },
    )
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    record = VisitRecord.objects.get()
    assert (record.notes, record.verified_how) == ("Check the heating", "tap")
    html = client.get(f"/c/cura/today/?day={day}").content.decode()
    assert "Stayed in bed, felt cold" in html
    assert CareRecordRead.objects.filter(user=carer, record="today").exists()


def test_another_carer_cannot_check_in_to_my_visit(client, coop, visit):
    other = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, other)
    response = client.post(f"/c/cura/visits/{visit.pk}/check-in/", {"x": "1"})
    assert response.status_code == 404
    assert "Rosa Bianchi" not in client.get("/c/cura/today/").content.decode()


def test_carer_reports_an_incident(client, carer, visit):
    factories.log_in(client, carer)
    assert client.get(f"/c/cura/visits/{visit.pk}/incident/").status_code == 200
    bad = client.post(f"/c/cura/visits/{visit.pk}/incident/", {"kind": "fall"})
    assert bad.status_code == 400 and not Incident.objects.exists()
    response = client.post(
        f"/c/cura/visits/{visit.pk}/incident/",
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "fall",
            "severity": "medium",
            "description": "Slipped getting up, unhurt",
        },
    )
    assert response.status_code == 302
    assert Incident.objects.get().reported_by == carer


def test_an_incident_dated_outside_1900_to_2100_is_a_form_error(client, carer, visit):
    """The year 9999 once answered 500 (the date arithmetic after it overflowed)."""
    factories.log_in(client, carer)
    for moment in ("9999-12-31T23:59", "0001-01-01T00:00"):
        response = client.post(
            f"/c/cura/visits/{visit.pk}/incident/",
            {"occurred_at": moment, "kind": "fall", "severity": "low", "description": "x"},
        )
        assert response.status_code == 400
        assert "between the years 1900 and 2100" in response.content.decode()
    assert not Incident.objects.exists()


def test_follow_up_page_verifies_by_phone_marks_missed_and_closes(
    client, coop, coordinator, carer, visit
):
    record = factories.recorded_visit(
        visit, carer, steps=[{"step": "Wash", "done": True}, {"step": "Dress", "done": True}]
    )
    other_person = factories.person_cared_for(coop)
    earlier = factories.visit(other_person, [carer], day=timezone.localdate() - timedelta(days=2))
    factories.log_in(client, coordinator)
    html = client.get("/c/cura/visits/follow-up/").content.decode()
    assert "Confirmed by phone" in html and "Mark missed" in html

    client.post(f"/c/cura/records/{record.pk}/confirm/")
    record.refresh_from_db()
    assert record.verified_how == "phone"

    refused = client.post(f"/c/cura/visits/{earlier.pk}/missed/", {"reason": ""})
    assert refused.status_code == 400
    client.post(f"/c/cura/visits/{earlier.pk}/missed/", {"reason": "In hospital"})
    earlier.refresh_from_db()
    assert earlier.status == VisitStatus.MISSED


def test_the_carer_dashboard_shows_the_day(client, carer, visit):
    factories.log_in(client, carer)
    html = client.get("/c/cura/").content.decode()
    assert "My visits" in html


def test_follow_up_page_dates_a_visit_after_midnight_on_the_local_day(
    client, coordinator, after_midnight
):
    """US 21st Century Cures Act §12006: the date is one of the verification items. A visit at
    00:30 in Rome, awaiting verification, is listed on its Rome day, not the UTC day before."""
    day = timezone.localdate() - timedelta(days=2)
    record = after_midnight(day)
    factories.log_in(client, coordinator)
    page = client.get("/c/cura/visits/follow-up/")
    assert list(page.context["unverified"]) == [record]
    with translation.override("en"), localise.in_region("IT"):
        assert localise.short_day(day) + ", 00:30" in page.content.decode()
