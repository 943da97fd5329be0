"""Recording visits: check-in/out rules, verification, idempotent uploads, incidents."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare import localise
from coopcare.care import services as care_services
from coopcare.care.models import ConsentKind, Verification
from coopcare.cooperatives.models import Role
from coopcare.visits import services
from coopcare.visits.models import StepOutcome, VisitRecord, VisitStatus
from tests import factories

STEPS = "Wash\nDress\nBreakfast"


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Ana", last_name="Pop")


@pytest.fixture
def visit(coop, carer):
    person = factories.person_cared_for(coop, full_name="Rosa Bianchi")
    return factories.visit(person, [carer], steps=STEPS)


def arrive(visit, carer, minutes=0, **kw):
    kw.setdefault("now", visit.ends_at)
    at = visit.starts_at + timedelta(minutes=minutes)
    return services.check_in(visit, carer, client_id=kw.pop("client_id", uuid4()), at=at, **kw)


def leave(visit, carer, minutes=45, steps=None, **kw):
    kw.setdefault("now", visit.starts_at + timedelta(minutes=minutes + 1))
    steps = steps or [{"step": s, "done": True} for s in STEPS.splitlines()]
    at = visit.starts_at + timedelta(minutes=minutes)
    return services.check_out(
        visit, carer, client_id=kw.pop("client_id", uuid4()), at=at, steps=steps, **kw
    )


def test_a_visit_checked_in_and_out_holds_the_six_evv_items(visit, carer):
    """US 21st Century Cures Act §12006: type of service, person receiving, date, location,
    person providing, start and end time are always in a visit record."""
    arrive(visit, carer)
    record = leave(visit, carer, notes="Ate well.").record
    evv = record.evv()
    assert set(evv) == {
        "type_of_service",
        "person_receiving",
        "date",
        "location",
        "person_providing",
        "start",
        "end",
    }
    assert all(evv.values())
    assert evv["type_of_service"] == "Morning care"
    assert evv["person_receiving"] == "Rosa Bianchi"
    assert evv["person_providing"] == "Ana Pop"
    assert evv["location"] == "Via Zamboni 33, Bologna"
    assert record.minutes == 45
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert [o.step for o in record.outcomes.all()] == ["Wash", "Dress", "Breakfast"]


def test_a_resent_check_in_returns_the_same_record(visit, carer):
    client_id = uuid4()
    first = arrive(visit, carer, client_id=client_id)
    again = arrive(visit, carer, client_id=client_id)
    assert first.created and not again.created
    assert again.record.pk == first.record.pk
    assert VisitRecord.objects.count() == 1


def test_a_resent_check_out_returns_the_same_record(visit, carer):
    arrive(visit, carer)
    client_id = uuid4()
    first = leave(visit, carer, client_id=client_id)
    again = leave(visit, carer, client_id=client_id)
    assert first.created and not again.created
    assert StepOutcome.objects.count() == 3


def test_a_late_upload_is_accepted_and_flagged(visit, carer):
    recorded = arrive(visit, carer, now=visit.starts_at + timedelta(days=2))
    assert recorded.created and recorded.record.uploaded_late
    on_time = leave(visit, carer, now=visit.starts_at + timedelta(minutes=46))
    assert on_time.record.uploaded_late  # the visit stays flagged


def test_an_upload_on_time_is_not_flagged(visit, carer):
    assert not arrive(visit, carer, now=visit.starts_at + timedelta(minutes=1)).record.uploaded_late


def test_check_out_before_check_in_is_refused_and_nothing_is_written(visit, carer):
    arrive(visit, carer, minutes=10)
    with pytest.raises(ValidationError, match="must be after check-in"):
        leave(visit, carer, minutes=5)
    record = VisitRecord.objects.get()
    assert record.checked_out_at is None and not record.outcomes.exists()


def test_check_out_without_check_in_is_refused(visit, carer):
    with pytest.raises(ValidationError, match="Check in"):
        leave(visit, carer)
    assert not VisitRecord.objects.exists()


def test_an_unknown_step_is_refused_and_names_the_real_ones(visit, carer):
    arrive(visit, carer)
    steps = [{"step": "Hoover", "done": True}]
    with pytest.raises(ValidationError, match=r"Hoover.*Wash, Dress, Breakfast"):
        leave(visit, carer, steps=steps)
    assert VisitRecord.objects.get().checked_out_at is None


def test_every_step_is_reported_and_a_step_not_done_needs_a_reason(visit, carer):
    arrive(visit, carer)
    with pytest.raises(ValidationError, match="Breakfast"):
        leave(visit, carer, steps=[{"step": "Wash", "done": True}, {"step": "Dress", "done": 1}])
    no_reason = [
        {"step": "Wash", "done": True},
        {"step": "Dress", "done": True},
        {"step": "Breakfast", "done": False},
    ]
    with pytest.raises(ValidationError, match="why “Breakfast”"):
        leave(visit, carer, steps=no_reason)
    no_reason[2]["reason"] = "Had eaten already"
    record = leave(visit, carer, steps=no_reason).record
    assert record.outcomes.get(step="Breakfast").reason == "Had eaten already"


def test_only_a_rostered_carer_checks_in(coop, visit):
    other = factories.user_with_role(coop, Role.CARER)
    with pytest.raises(ValidationError, match="not rostered"):
        arrive(visit, other)


def test_a_time_in_the_future_or_far_from_the_plan_is_refused(visit, carer):
    with pytest.raises(ValidationError, match="future"):
        arrive(visit, carer, minutes=30, now=visit.starts_at)
    # Six hours either side of the plan (visits.rules.FAR_FROM_PLAN), said on the
    # cooperative's clock: a visit from 09:00 to 09:45 takes check-ins from 03:00 to 15:45.
    with pytest.raises(services.OutsideCheckInWindow) as refused:
        arrive(visit, carer, minutes=-8 * 60)
    assert refused.value.code == "check_in_far_from_plan"
    assert refused.value.allowed_from == visit.starts_at - timedelta(hours=6)
    assert refused.value.allowed_until == visit.ends_at + timedelta(hours=6)
    start = localise.clock(refused.value.allowed_from)
    end = localise.clock(refused.value.allowed_until)
    assert f"{start} until" in refused.value.messages[0]
    assert f"{end};" in refused.value.messages[0]
    assert not VisitRecord.objects.exists()


def test_an_upload_id_cannot_be_reused_for_another_visit(coop, visit, carer):
    client_id = uuid4()
    arrive(visit, carer, client_id=client_id)
    later = factories.visit(visit.person, [carer], day=date(2026, 11, 21))
    with pytest.raises(ValidationError, match="already used"):
        arrive(later, carer, client_id=client_id, now=later.ends_at)


def test_a_cancelled_visit_cannot_be_checked_in(visit, carer):
    visit.status = VisitStatus.CANCELLED
    visit.save()
    with pytest.raises(ValidationError, match="cancelled"):
        arrive(visit, carer)


def test_double_handed_visit_is_done_when_both_carers_checked_out(coop, carer):
    second = factories.user_with_role(coop, Role.CARER)
    person = factories.person_cared_for(coop)
    visit = factories.visit(person, [carer, second], double_handed=True)
    arrive(visit, carer)
    arrive(visit, second, minutes=1)
    leave(visit, carer, steps=[{"step": "Morning care", "done": True}])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS
    leave(visit, second, steps=[{"step": "Morning care", "done": True}])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert visit.records.count() == 2


# -- verification: the person chooses; location only with consent (DESIGN.md) ------------


def test_confirmation_by_tap_or_by_the_persons_code(visit, carer):
    arrive(visit, carer)
    with pytest.raises(ValidationError, match="code"):
        leave(visit, carer, code="000000" if visit.person.confirmation_code != "000000" else "1")
    record = leave(visit, carer, code=visit.person.confirmation_code).record
    assert record.verified_how == "code"


def test_confirmation_by_tap(visit, carer):
    arrive(visit, carer)
    assert leave(visit, carer, tapped=True).record.verified_how == "tap"


def test_without_a_confirmation_the_visit_waits_and_a_phone_call_verifies_it(
    visit, carer, coordinator
):
    arrive(visit, carer)
    record = leave(visit, carer).record
    assert record.verified_how == ""
    services.confirm_by_phone(record, coordinator)
    record.refresh_from_db()
    assert (record.verified_how, record.verified_by) == ("phone", coordinator)
    with pytest.raises(ValidationError, match="already verified"):
        services.confirm_by_phone(record, coordinator)


def test_location_is_not_stored_without_consent(visit, carer):
    """DESIGN.md: location is recorded only with the consent of the person cared for."""
    recorded = arrive(visit, carer, latitude=44.496, longitude=11.352)
    assert not recorded.location_kept
    assert recorded.record.check_in_latitude is None


def test_with_consent_location_at_check_in_and_out_verifies_the_visit(visit, carer):
    person = visit.person
    care_services.give_consent(person, ConsentKind.LOCATION, "Rosa Bianchi", date(2026, 11, 1))
    care_services.choose_verification(person, Verification.LOCATION)
    here = {"latitude": 44.4961, "longitude": 11.3521}  # about 15 m from home
    assert arrive(visit, carer, **here).location_kept
    record = leave(visit, carer, **here).record
    assert record.check_out_latitude == Decimal("44.496100")
    assert record.verified_how == "location"


def test_location_far_from_home_does_not_verify(visit, carer):
    person = visit.person
    care_services.give_consent(person, ConsentKind.LOCATION, "Rosa Bianchi", date(2026, 11, 1))
    care_services.choose_verification(person, Verification.LOCATION)
    arrive(visit, carer, latitude=44.496, longitude=11.352)
    record = leave(visit, carer, latitude=44.51, longitude=11.30).record  # about 4 km away
    assert record.verified_how == ""


def test_at_a_home_not_placed_there_is_no_distance_to_check(visit, carer, coordinator):
    # The carer checks in and out as anywhere else; with no place to measure from, location
    # never verifies the visit: it waits for a coordinator, as a phone call does.
    person = visit.person
    care_services.give_consent(person, ConsentKind.LOCATION, "Rosa Bianchi", date(2026, 11, 1))
    care_services.choose_verification(person, Verification.LOCATION)
    care_services.edit_person(person, coordinator, latitude=None, longitude=None)
    visit.person.refresh_from_db()
    assert arrive(visit, carer, latitude=44.496, longitude=11.352).location_kept
    record = leave(visit, carer, latitude=44.496, longitude=11.352).record
    assert record.checked_out_at is not None and record.verified_how == ""


# -- missed visits and incidents ---------------------------------------------------------


def test_mark_missed_needs_a_reason_and_no_record(visit, carer):
    with pytest.raises(ValidationError, match="why"):
        services.mark_missed(visit, " ")
    services.mark_missed(visit, "Admitted to hospital")
    visit.refresh_from_db()
    assert (visit.status, visit.status_reason) == ("missed", "Admitted to hospital")
    with pytest.raises(ValidationError):
        services.mark_missed(visit, "again")


def test_incident_reported_and_closed(visit, carer):
    incident = services.report_incident(
        visit,
        carer,
        occurred_at=visit.starts_at,
        kind="fall",
        severity="medium",
        description="Found on the floor, conscious",
        action_taken="Called 118",
    )
    assert incident.cooperative_id == visit.cooperative_id
    with pytest.raises(ValidationError, match="what was done"):
        services.close_incident(incident, date(2026, 11, 21), "")
    services.close_incident(incident, date(2026, 11, 21), "GP visit, no fracture")
    with pytest.raises(ValidationError, match="already closed"):
        services.close_incident(incident, date(2026, 11, 22), "again")


@pytest.mark.parametrize(
    "day, utc_start",
    [
        # Winter (CET, UTC+1): 00:30 on 20 November in Rome is 23:30 UTC on 19 November.
        (date(2026, 11, 20), "2026-11-19T23:30:00+00:00"),
        # Summer (CEST, UTC+2): 00:30 on 15 July in Rome is 22:30 UTC on 14 July.
        (date(2026, 7, 15), "2026-07-14T22:30:00+00:00"),
    ],
)
def test_the_evv_date_is_the_cooperatives_local_date(after_midnight, day, utc_start):
    """US 21st Century Cures Act §12006 (42 U.S.C. 1396b(l)(5)) lists the date of service among
    the six verification items. A visit at 00:30 in Rome was given on that Rome day, although
    its moment, stored in UTC, falls on the day before: the date is read on the cooperative's
    clock, even while another time zone is active (an API client's, say)."""
    record = after_midnight(day)
    assert record.checked_in_at.isoformat() == utc_start  # as stored: the UTC day before
    with timezone.override("UTC"):
        evv = record.evv()
    assert evv["date"] == day.isoformat()
    assert evv["start"].startswith(f"{day.isoformat()}T00:30:00+0")  # +01:00 or +02:00
    assert evv["end"].startswith(f"{day.isoformat()}T01:10:00+0")
    assert record.evv()["date"] == day.isoformat()
