"""A medicine's stock: tracked by a coordinator, received, counted against the balance
expected from the doses given, an incident when a count is off beyond the tolerance, the
medicines running low, kept as written; on the pages and the API, with who may do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care_services
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.kept import Refused
from coopcare.medication import queries, services
from coopcare.medication.models import StockEntry, StockTracking
from coopcare.visits.models import Incident
from tests import factories
from tests.medication.conftest import prescription


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def give(visit, medicine, carer):
    [due] = queries.doses_due(visit)
    return services.record_dose(visit, medicine, by=carer, outcome="given", due_at=due.due_at)


@pytest.fixture
def tracked(due_now, coordinator):
    """Ramipril counted in tablets (one a dose), 28 counted two hours ago, 28 received from
    the pharmacy an hour ago."""
    services.track_stock(due_now, by=coordinator, unit="tablets")
    now = timezone.now()
    services.count_stock(due_now, by=coordinator, quantity=Decimal(28), at=now - timedelta(hours=2))
    services.receive_stock(
        due_now,
        by=coordinator,
        quantity=Decimal(28),
        supplier="pharmacy",
        at=now - timedelta(hours=1),
    )
    return due_now


def test_the_balance_is_the_count_plus_received_less_the_doses_given(tracked, checked_in, carer):
    assert queries.stock(tracked.stock).expected == Decimal(56)
    give(checked_in, tracked, carer)
    found = queries.stock(StockTracking.objects.get())
    assert found.expected == Decimal(55)
    # One dose a day: 55 days left, not low.
    assert found.days_left == Decimal(55) and not found.low


def test_a_count_that_matches_raises_nothing(tracked, checked_in, carer):
    give(checked_in, tracked, carer)
    entry = services.count_stock(tracked, by=carer, quantity=Decimal(55))
    assert (entry.expected, entry.difference, entry.incident) == (Decimal(55), 0, None)
    assert not Incident.objects.exists()


def test_a_count_off_needs_why_and_beyond_the_tolerance_raises_a_medication_incident(
    tracked, carer, visit
):
    with pytest.raises(ValidationError) as refused:
        services.count_stock(tracked, by=carer, quantity=Decimal(50))
    assert codes(refused.value) == ["stock_difference_unexplained"]
    assert StockEntry.objects.count() == 2 and not Incident.objects.exists()
    entry = services.count_stock(tracked, by=carer, quantity=Decimal(50), reason="Strip missing")
    assert entry.difference == Decimal(-6)
    incident = Incident.objects.get()
    assert entry.incident == incident
    assert (incident.kind, incident.person, incident.reported_by) == (
        "medication",
        tracked.person,
        carer,
    )
    assert "50 tablets counted, 56 expected" in incident.description
    # The new count is the balance from now on: a correction is a new count.
    assert queries.stock(tracked.stock).expected == Decimal(50)


def test_a_difference_within_the_tolerance_raises_no_incident(tracked, coordinator):
    services.track_stock(tracked, by=coordinator, unit="tablets", tolerance=Decimal(1))
    services.count_stock(tracked, by=coordinator, quantity=Decimal(55), reason="Half lost")
    assert not Incident.objects.exists()


def test_a_dose_in_another_unit_needs_the_units_per_dose(person, coordinator):
    medicine = services.add_medicine(
        person, by=coordinator, **prescription(dose_amount=Decimal(10), dose_unit="mg")
    )
    with pytest.raises(ValidationError) as refused:
        services.track_stock(medicine, by=coordinator, unit="tablets")
    assert codes(refused.value) == ["stock_units_differ"]
    assert not StockTracking.objects.exists()
    tracking = services.track_stock(
        medicine, by=coordinator, unit="tablets", units_per_dose=Decimal(2), low_days=10
    )
    services.count_stock(medicine, by=coordinator, quantity=Decimal(14))
    # 14 tablets at 2 a dose, one dose a day: 7 days, under the 10 that warn.
    found = queries.stock(tracking)
    assert (found.expected, found.days_left, found.low) == (Decimal(14), Decimal(7), True)
    people = person.__class__.objects.filter(pk=person.pk)
    assert queries.running_low(person.cooperative, people) == [found]


def test_the_medicines_running_low_are_read_in_the_same_queries_however_many(person, coordinator):
    people = person.__class__.objects.filter(pk=person.pk)

    def low_medicine(name):
        medicine = services.add_medicine(person, by=coordinator, **prescription(name=name))
        services.track_stock(medicine, by=coordinator, unit="tablets", low_days=10)
        services.count_stock(medicine, by=coordinator, quantity=Decimal(3))

    def queries_to_list():
        with CaptureQueriesContext(connection) as read:
            found = queries.running_low(person.cooperative, people)
        return len(found), len(read)

    low_medicine("Ramipril")
    one, queries_for_one = queries_to_list()
    low_medicine("Bisoprolol")
    low_medicine("Furosemide")
    three, queries_for_three = queries_to_list()
    assert (one, three) == (1, 3)
    assert queries_for_three == queries_for_one


def test_stock_of_a_medicine_not_tracked_and_bad_entries_are_refused(due_now, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.receive_stock(due_now, by=coordinator, quantity=Decimal(1), supplier="pharmacy")
    assert codes(refused.value) == ["stock_not_tracked"]
    services.track_stock(due_now, by=coordinator, unit="tablets")
    with pytest.raises(ValidationError) as refused:
        services.receive_stock(due_now, by=coordinator, quantity=Decimal(0), supplier="shop")
    assert codes(refused.value) == ["stock_quantity_invalid", "stock_supplier_unknown"]
    with pytest.raises(ValidationError) as refused:
        services.count_stock(
            due_now, by=coordinator, quantity=Decimal(3), at=timezone.now() + timedelta(hours=1)
        )
    assert codes(refused.value) == ["stock_in_future"]
    services.count_stock(due_now, by=coordinator, quantity=Decimal(3))
    with pytest.raises(ValidationError) as refused:
        services.receive_stock(
            due_now,
            by=coordinator,
            quantity=Decimal(3),
            supplier="pharmacy",
            at=timezone.now() - timedelta(days=1),
        )
    assert codes(refused.value) == ["stock_before_last_count"]
    assert StockEntry.objects.count() == 1


def test_the_opening_count_starts_the_balance(due_now, coordinator):
    tracking = services.track_stock(due_now, by=coordinator, unit="tablets")
    services.receive_stock(due_now, by=coordinator, quantity=Decimal(28), supplier="pharmacy")
    assert queries.stock(tracking).expected is None
    opening = services.count_stock(due_now, by=coordinator, quantity=Decimal(40))
    assert (opening.expected, opening.incident) == (None, None)
    assert queries.stock(tracking).expected == Decimal(40)


def test_stock_entries_are_kept_as_written(tracked):
    entry = StockEntry.objects.first()
    with pytest.raises(Refused) as refused:
        entry.delete()
    assert refused.value.messages == ["Stock entries cannot be changed; record a new count."]
    with pytest.raises(Refused):
        StockEntry.objects.update(quantity=Decimal(0))


def test_the_pages_track_receive_and_count(client, coordinator, due_now):
    factories.log_in(client, coordinator)
    page = f"/c/cura/medication/medicines/{due_now.pk}/"
    base = f"{page}stock/"
    assert "not tracked" in client.get(page).content.decode()
    refused = client.post(
        f"{base}track/", {"track-unit": "ml", "track-low_days": 7, "track-tolerance": 0}
    )
    assert refused.status_code == 400
    assert "say how many ml one dose takes" in refused.content.decode()
    tracked = client.post(
        f"{base}track/", {"track-unit": "tablets", "track-low_days": 7, "track-tolerance": 0}
    )
    assert tracked.status_code == 302
    assert "Count the stock to start its balance" in client.get(page).content.decode()
    assert client.post(f"{base}count/", {"count-quantity": "0"}).status_code == 302
    assert (
        client.post(
            f"{base}receive/", {"receive-quantity": "5", "receive-supplier": "family"}
        ).status_code
        == 302
    )
    off = client.post(f"{base}count/", {"count-quantity": "3"})
    assert off.status_code == 400 and "say why" in off.content.decode()
    assert (
        client.post(
            f"{base}count/", {"count-quantity": "3", "count-reason": "Two dropped"}
        ).status_code
        == 302
    )
    shown = client.get(page).content.decode()
    assert "Two dropped" in shown and "incident raised" in shown
    assert client.get(f"{base}count/").status_code == 405
    index = client.get("/c/cura/medication/").content.decode()
    assert "Ramipril 5 mg" in index  # 3 tablets, one a day: running low
    assert CareRecordRead.objects.filter(record="medicine stock running low").exists()


def test_a_carer_counts_but_neither_tracks_nor_receives(client, carer, visit, tracked):
    factories.log_in(client, carer)
    base = f"/c/cura/medication/medicines/{tracked.pk}/stock/"
    page = client.get(f"/c/cura/medication/medicines/{tracked.pk}/").content.decode()
    assert "Record the count" in page and "Record what was received" not in page
    assert client.post(f"{base}receive/", {"receive-quantity": "5"}).status_code == 403
    assert client.post(f"{base}track/", {"track-unit": "x"}).status_code == 403
    assert client.post(f"{base}count/", {"count-quantity": "56"}).status_code == 302
    other = factories.user_with_role(tracked.cooperative, Role.CARER, username="other")
    factories.log_in(client, other)
    assert client.post(f"{base}count/", {"count-quantity": "56"}).status_code == 404
    assert StockEntry.objects.count() == 3


def call(client, user, path, body=None, method="post"):
    _token, raw = ApiToken.issue(user, "phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if body is None:
        return client.get(path, **auth)
    return getattr(client, method)(path, body, content_type="application/json", **auth)


def test_the_api_tracks_receives_counts_and_lists(client, coordinator, carer, visit, due_now):
    base = f"/api/cooperatives/cura/medicines/{due_now.pk}/stock"
    assert call(client, coordinator, base).status_code == 404
    refused = call(client, coordinator, base, {"unit": "ml"}, method="put")
    assert refused.status_code == 400 and refused.json()["code"] == "stock_units_differ"
    assert call(client, carer, base, {"unit": "tablets"}, method="put").status_code == 403
    put = call(client, coordinator, base, {"unit": "tablets", "low_days": 7}, method="put")
    assert put.status_code == 200 and put.json()["expected"] is None
    opening = call(client, coordinator, f"{base}/counts", {"quantity": "0"})
    assert opening.status_code == 201 and opening.json()["expected"] is None
    received = call(
        client, coordinator, f"{base}/received", {"quantity": "4", "supplier": "pharmacy"}
    )
    assert received.status_code == 201
    assert (
        call(
            client, carer, f"{base}/received", {"quantity": "4", "supplier": "pharmacy"}
        ).status_code
        == 403
    )
    off = call(client, carer, f"{base}/counts", {"quantity": "3"})
    assert off.status_code == 400 and off.json()["code"] == "stock_difference_unexplained"
    counted = call(client, carer, f"{base}/counts", {"quantity": "3", "reason": "One lost"})
    assert counted.status_code == 201 and counted.json()["incident_id"] is not None
    shown = call(client, carer, base).json()
    assert [e["kind"] for e in shown["entries"]] == ["counted", "received", "counted"]
    assert CareRecordRead.objects.filter(
        user=carer, record=f"stock of medicine {due_now.pk}", via="api"
    ).exists()
    low = call(client, coordinator, "/api/cooperatives/cura/medication/running-low").json()
    assert [s["medicine_id"] for s in low] == [due_now.pk]
    assert call(client, carer, "/api/cooperatives/cura/medication/running-low").status_code == 403


def test_a_circle_member_granted_the_care_plan_reads_the_stock_only(client, coop, person, tracked):
    member = factories.user_with_role(coop, Role.CIRCLE, username="son")
    care_services.add_to_circle(
        person,
        user=member,
        full_name="Marco Bianchi",
        relationship="child",
        may_see_care_plan=True,
        granted_by="person",
        granted_on=date(2026, 1, 1),
    )
    base = f"/api/cooperatives/cura/medicines/{tracked.pk}/stock"
    assert call(client, member, base).json()["expected"] == "56.000"
    assert call(client, member, f"{base}/counts", {"quantity": "56"}).status_code == 403
