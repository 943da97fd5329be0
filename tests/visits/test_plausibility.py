"""Sanity at the door: implausible visit records are kept but flagged, held back from counting
as verified until a coordinator accepts the carer's reason; a check-in refused as too early or
too late says the hours it is taken in; location that does not verify says what to do instead."""

from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care_services
from coopcare.care.models import ConsentKind, Verification
from coopcare.cooperatives.models import Role
from coopcare.visits import rules, services
from coopcare.visits.models import Implausible, VisitRecord, VisitStatus
from tests import factories

STEPS = "Wash\nDress"
NOON = datetime(2026, 11, 20, 12, 30, tzinfo=timezone.get_fixed_timezone(60))


# -- the rules, with their worked examples ---------------------------------------------------


def test_a_visit_far_shorter_than_planned_is_implausible():
    """visits.rules.too_short: "a 30-minute visit checked out in the minute of its check-in
    (under 5 minutes), or a 2-hour visit done in 20 minutes (under a quarter, 30 minutes), is
    implausible; a 45-minute visit done in 40 minutes is not"."""
    assert rules.too_short(NOON, NOON + timedelta(seconds=40), timedelta(minutes=30))
    assert rules.too_short(NOON, NOON + timedelta(minutes=20), timedelta(hours=2))
    assert not rules.too_short(NOON, NOON + timedelta(minutes=40), timedelta(minutes=45))
    # The bounds: a quarter of two hours is 30 minutes, and 5 minutes is enough for a visit
    # planned for 15 (a quarter is under 4).
    assert not rules.too_short(NOON, NOON + timedelta(minutes=30), timedelta(hours=2))
    assert not rules.too_short(NOON, NOON + timedelta(minutes=5), timedelta(minutes=15))
    assert rules.too_short(NOON, NOON + timedelta(minutes=4), timedelta(minutes=15))


def test_an_event_far_outside_the_visit_is_implausible():
    """visits.rules.outside_visit: "on a visit from 12:30 to 13:15 an incident at 00:53 is
    implausible, one at 14:30 is not"."""
    span = (NOON, NOON + timedelta(minutes=45))
    assert rules.outside_visit(NOON.replace(hour=0, minute=53), span)
    assert not rules.outside_visit(NOON.replace(hour=14, minute=30), span)
    # Two hours either side (EVENT_MARGIN): 10:30 is in, 10:29 out.
    assert not rules.outside_visit(NOON.replace(hour=10, minute=30), span)
    assert rules.outside_visit(NOON.replace(hour=10, minute=29), span)


def test_the_reasons_of_an_implausible_record():
    planned = (NOON, NOON + timedelta(minutes=30))
    assert rules.implausible(
        planned=planned,
        checked_in_at=NOON,
        checked_out_at=NOON + timedelta(seconds=50),
        events=[NOON.replace(hour=0, minute=53)],
    ) == [Implausible.TOO_SHORT, Implausible.EVENT_OUTSIDE_VISIT]
    assert (
        rules.implausible(
            planned=planned,
            checked_in_at=NOON + timedelta(minutes=2),
            checked_out_at=NOON + timedelta(minutes=31),
            events=[NOON + timedelta(minutes=10)],
        )
        == []
    )
    # A record still open is not too short; its span runs from the check-in.
    assert (
        rules.implausible(planned=planned, checked_in_at=NOON, checked_out_at=None, events=[]) == []
    )


def test_the_check_in_window_is_six_hours_either_side_of_the_plan():
    """visits.rules.check_in_window: from FAR_FROM_PLAN before the start to FAR_FROM_PLAN
    after the end; a visit at 12:30–13:15 takes check-ins from 06:30 to 19:15."""
    assert rules.check_in_window(NOON, NOON + timedelta(minutes=45)) == (
        NOON.replace(hour=6),
        NOON.replace(hour=19, minute=15),
    )


def test_why_location_does_not_verify():
    home = (44.496, 11.352)
    assert rules.location_problem(None, 44.496, 11.352) == rules.LocationProblem.HOME_NOT_PLACED
    assert rules.location_problem(home, None, None) == rules.LocationProblem.NOT_SHARED
    assert rules.location_problem(home, 44.51, 11.30) == rules.LocationProblem.FAR_FROM_HOME
    assert rules.location_problem(home, 44.4961, 11.3521) is None


# -- the services ------------------------------------------------------------------------------


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Ana", last_name="Pop")


@pytest.fixture
def visit(coop, carer):
    """Rosa's 45-minute visit at 09:00 on 20 November 2026, confirmed by a tap."""
    person = factories.person_cared_for(coop, full_name="Rosa Bianchi")
    return factories.visit(person, [carer], steps=STEPS)


def arrive(visit, carer, minutes=0, **kw):
    kw.setdefault("now", visit.ends_at + timedelta(minutes=30))
    at = visit.starts_at + timedelta(minutes=minutes)
    return services.check_in(visit, carer, client_id=uuid4(), at=at, **kw)


def leave(visit, carer, minutes=45, **kw):
    kw.setdefault("now", visit.ends_at + timedelta(minutes=30))
    kw.setdefault("tapped", True)
    steps = [{"step": s, "done": True} for s in STEPS.splitlines()]
    at = visit.starts_at + timedelta(minutes=minutes)
    return services.check_out(visit, carer, client_id=uuid4(), at=at, steps=steps, **kw)


def test_a_check_out_a_minute_after_check_in_is_kept_but_not_verified(visit, carer):
    arrive(visit, carer)
    record = leave(visit, carer, minutes=1).record
    record.refresh_from_db()
    # Kept as the phone sent it, the visit done, the person's tap recorded...
    assert record.checked_out_at == visit.starts_at + timedelta(minutes=1)
    assert record.verified_how == "tap"
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    # ...but flagged, and not verified: billing and budgets read verified_at.
    assert record.implausible_codes == [Implausible.TOO_SHORT]
    assert record.verified_at is None and record.held_back


def test_a_plausible_visit_is_verified_at_once(visit, carer):
    arrive(visit, carer)
    record = leave(visit, carer, minutes=40).record
    assert record.implausible == "" and record.verified_at is not None


def test_the_carer_gives_a_reason_and_a_coordinator_accepts_the_record(visit, carer, coordinator):
    arrive(visit, carer)
    record = leave(visit, carer, minutes=3).record
    with pytest.raises(ValidationError) as no_reason:
        services.accept_record(record, coordinator)
    assert no_reason.value.code == "carer_reason_missing"
    other = factories.user_with_role(visit.cooperative, Role.CARER)
    with pytest.raises(ValidationError) as not_theirs:
        services.explain_record(record, other, "I was there")
    assert not_theirs.value.code == "not_your_record"
    with pytest.raises(ValidationError) as empty:
        services.explain_record(record, carer, "  ")
    assert empty.value.code == "implausible_reason_missing"

    services.explain_record(record, carer, "Rosa was taken to hospital as I arrived.")
    accepted = services.accept_record(record, coordinator)
    accepted.refresh_from_db()
    assert accepted.accepted_by == coordinator and accepted.accepted_at is not None
    assert accepted.verified_at == accepted.accepted_at
    with pytest.raises(ValidationError) as again:
        services.accept_record(accepted, coordinator)
    assert again.value.code == "record_already_accepted"
    with pytest.raises(ValidationError) as late:
        services.explain_record(accepted, carer, "Another word")
    assert late.value.code == "record_already_accepted"


def test_a_plausible_record_has_nothing_to_accept(visit, carer, coordinator):
    arrive(visit, carer)
    record = leave(visit, carer, minutes=40, reason="All fine").record
    with pytest.raises(ValidationError) as refused:
        services.accept_record(record, coordinator)
    assert refused.value.code == "record_not_implausible"


def test_the_reason_can_come_with_the_check_out(visit, carer):
    arrive(visit, carer)
    record = leave(visit, carer, minutes=2, reason="Rosa sent me away.").record
    assert record.carer_reason == "Rosa sent me away." and record.held_back


def test_an_incident_far_outside_the_visit_flags_the_record(visit, carer):
    arrive(visit, carer)
    record = leave(visit, carer, minutes=40).record
    assert record.verified_at is not None
    # An incident at 00:53 the same day on the 09:00 visit: recorded at the wrong visit or
    # with the wrong time. It is kept; the record now waits for a coordinator.
    services.report_incident(
        visit,
        carer,
        occurred_at=visit.starts_at.replace(hour=0, minute=53),
        kind="fall",
        severity="medium",
        description="Found on the floor",
    )
    record.refresh_from_db()
    assert record.implausible_codes == [Implausible.EVENT_OUTSIDE_VISIT]
    assert record.verified_at is None


def test_a_phone_call_does_not_verify_an_implausible_record_before_it_is_accepted(
    visit, carer, coordinator
):
    care_services.choose_verification(visit.person, Verification.PHONE)
    arrive(visit, carer)
    record = leave(visit, carer, minutes=2, reason="Rosa was out.").record
    confirmed = services.confirm_by_phone(record, coordinator)
    assert confirmed.verified_how == "phone" and confirmed.verified_at is None
    assert services.accept_record(confirmed, coordinator).verified_at is not None


def test_a_check_in_too_early_says_from_when_it_is_taken(visit, carer):
    with pytest.raises(services.OutsideCheckInWindow) as refused:
        arrive(visit, carer, minutes=-7 * 60)
    error = refused.value
    assert error.code == "check_in_far_from_plan"
    assert (error.allowed_from, error.allowed_until) == (
        visit.starts_at - rules.FAR_FROM_PLAN,
        visit.ends_at + rules.FAR_FROM_PLAN,
    )
    assert not VisitRecord.objects.exists()


def _location_chosen(person):
    care_services.give_consent(person, ConsentKind.LOCATION, "Rosa Bianchi", date(2026, 11, 1))
    care_services.choose_verification(person, Verification.LOCATION)


def test_location_far_from_home_tells_the_carer_to_call_the_office(visit, carer):
    _location_chosen(visit.person)
    arrived = arrive(visit, carer, latitude=44.51, longitude=11.30)  # about 4 km away
    assert "more than 250 m" in arrived.advice and "Call the office" in arrived.advice
    left = leave(visit, carer, latitude=44.496, longitude=11.352)
    assert left.record.verified_how == "" and "Call the office" in left.advice


def test_no_location_sent_tells_the_carer_to_turn_it_on(visit, carer):
    _location_chosen(visit.person)
    assert "turn location on" in arrive(visit, carer).advice


def test_location_near_home_needs_no_advice(visit, carer):
    _location_chosen(visit.person)
    here = {"latitude": 44.4961, "longitude": 11.3521}
    assert arrive(visit, carer, **here).advice == ""
    assert leave(visit, carer, **here).advice == ""


def test_another_verification_gets_no_location_advice(visit, carer):
    assert arrive(visit, carer).advice == ""


# -- the API -----------------------------------------------------------------------------------


def call(client, user, path, body=None):
    _token, raw = ApiToken.issue(user, "phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if body is None:
        return client.get(path, **auth)
    return client.post(path, body, content_type="application/json", **auth)


@pytest.fixture
def soon(coop, carer):
    """A visit that begins in seven hours: too early to check in to now."""
    begins = timezone.localtime() + timedelta(hours=7)
    person = factories.person_cared_for(coop)
    return factories.visit(
        person,
        [carer],
        day=begins.date(),
        start_time=begins.time().replace(second=0, microsecond=0),
        steps=STEPS,
    )


def test_the_api_says_when_check_in_is_taken(client, soon, carer):
    path = f"/api/cooperatives/cura/visits/{soon.pk}/check-in"
    response = call(client, carer, path, {"client_id": str(uuid4()), "at": timezone.now()})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "check_in_far_from_plan"
    allowed_from = datetime.fromisoformat(body["allowed_from"])
    assert allowed_from == soon.starts_at - rules.FAR_FROM_PLAN
    assert datetime.fromisoformat(body["allowed_until"]) == soon.ends_at + rules.FAR_FROM_PLAN
    # On the cooperative's clock, with its offset.
    assert allowed_from.utcoffset() == timezone.localtime(soon.starts_at).utcoffset()
    assert body["detail"] in body["errors"]
    assert not VisitRecord.objects.exists()


@pytest.fixture
def under_way(coop, carer):
    """A visit that began an hour ago."""
    began = timezone.localtime() - timedelta(hours=1)
    person = factories.person_cared_for(coop)
    return factories.visit(
        person,
        [carer],
        day=began.date(),
        start_time=began.time().replace(second=0, microsecond=0),
        steps=STEPS,
    )


def test_an_implausible_record_through_the_api(client, under_way, carer, coordinator):
    visits = f"/api/cooperatives/cura/visits/{under_way.pk}"
    checked_in = under_way.starts_at + timedelta(minutes=1)
    call(client, carer, f"{visits}/check-in", {"client_id": str(uuid4()), "at": checked_in})
    body = {
        "client_id": str(uuid4()),
        "at": checked_in + timedelta(seconds=30),
        "steps": [{"step": s, "done": True} for s in STEPS.splitlines()],
        "tapped": True,
    }
    out = call(client, carer, f"{visits}/check-out", body).json()["record"]
    assert out["implausible"] == ["too_short"]
    assert out["verified_how"] == "tap" and out["verified_at"] is None
    records = "/api/cooperatives/cura/records"
    refused = call(client, coordinator, f"{records}/{out['id']}/acceptance", {})
    assert refused.json()["code"] == "carer_reason_missing"
    explained = call(client, carer, f"{records}/{out['id']}/reason", {"reason": "Tapped twice."})
    assert explained.status_code == 200
    assert explained.json()["carer_reason"] == "Tapped twice."
    # Only the coordinators accept; only the record's carer explains.
    assert call(client, carer, f"{records}/{out['id']}/acceptance", {}).status_code == 403
    reason = {"reason": "I was there."}
    assert call(client, coordinator, f"{records}/{out['id']}/reason", reason).status_code == 403
    accepted = call(client, coordinator, f"{records}/{out['id']}/acceptance", {}).json()
    assert accepted["accepted_by_id"] == coordinator.pk and accepted["verified_at"]


# -- the pages ---------------------------------------------------------------------------------


def test_the_follow_up_page_lists_implausible_records_with_the_carers_reason(
    client, under_way, carer, coordinator
):
    arrive(under_way, carer)
    record = leave(under_way, carer, minutes=2, reason="Rosa was taken to hospital.").record
    client.force_login(coordinator)
    page = client.get(reverse("visits:follow_up", args=["cura"]))
    html = page.content.decode()
    assert "Implausible records" in html
    assert "far shorter than planned" in html
    assert "Rosa was taken to hospital." in html
    accept = reverse("visits:accept_record", args=["cura", record.pk])
    assert accept in html
    assert client.post(accept).status_code == 302
    record.refresh_from_db()
    assert record.accepted_by == coordinator and record.verified_at is not None


def test_the_carer_gives_the_reason_on_the_visit_card(client, visit, carer):
    arrive(visit, carer)
    record = leave(visit, carer, minutes=2).record
    client.force_login(carer)
    day = timezone.localdate(visit.starts_at)
    card = client.get(reverse("visits:today", args=["cura"]) + f"?day={day}")
    explain = reverse("visits:explain_record", args=["cura", record.pk])
    assert explain in card.content.decode()
    response = client.post(explain, {f"r{record.pk}-reason": "The person asked me to go."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.carer_reason == "The person asked me to go."
