"""A coordinator admits a person, assesses, plans and sees visits generated."""

import json
from datetime import date, timedelta

from django.utils import timezone

from coopcare.care import services
from coopcare.care.models import Assessment, CarePlan, PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.visits.models import Visit
from tests import factories
from tests.care.conftest import KATZ_ALL_INDEPENDENT, LAWTON_INDEPENDENT


def test_admit_assess_plan_and_see_visits(client, coop, coordinator):
    factories.log_in(client, coordinator)
    refused = factories.user_with_role(coop, Role.CARER)
    response = client.post(
        f"/c/{coop.slug}/people/new/",
        {
            "full_name": "Giuseppe Zanetti",
            "address": "Via Saragozza 12",
            "city": "Bologna",
            "postcode": "40123",
            "latitude": "44.4905",
            "longitude": "11.3290",
            "languages": "it",
            "carer_gender": "any",
            "funding": "public_body",
            "status": "active",
            "on": "2026-03-01",
            "refused_carers": [refused.pk],
        },
    )
    person = PersonCaredFor.objects.get(full_name="Giuseppe Zanetti")
    assert response.url == f"/c/{coop.slug}/people/{person.pk}/"
    assert list(person.refused_carers.all()) == [refused]

    base = f"/c/{coop.slug}/people/{person.pk}"
    response = client.post(
        f"{base}/assess/",
        {
            "assess-domain": "physical",
            "assess-on": "2026-03-02",
            "assess-scale": "katz_adl",
        }
        | {f"assess-katz_adl__{item}": "dependent" for item in KATZ_ALL_INDEPENDENT}
        | {"assess-katz_adl__feeding": "independent", "assess-katz_adl__continence": "independent"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(person=person).score == 2

    today = timezone.localdate()
    tasks = {
        "tasks-TOTAL_FORMS": "2",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "1",
        "tasks-MAX_NUM_FORMS": "1000",
        "tasks-0-title": "Wash and dress",
        "tasks-0-rrule": "FREQ=DAILY",
        "tasks-0-start_time": "08:30",
        "tasks-0-duration_minutes": "60",
        "tasks-0-double_handed": "on",
        "tasks-0-skills": "hoist",
    }
    response = client.post(
        f"{base}/plan/", {"valid_from": today.isoformat(), "goals": "Stay at home"} | tasks
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visits = Visit.objects.filter(person=person)
    assert visits.count() == 28 and all(v.double_handed for v in visits)
    page = client.get(f"{base}/")
    assert b"Wash and dress" in page.content and len(page.context["upcoming"]) == 20


def test_bad_repeat_rule_is_shown_and_nothing_saved(client, coop, coordinator):
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop)
    response = client.post(
        f"/c/{coop.slug}/people/{person.pk}/plan/",
        {
            "valid_from": "2026-03-01",
            "goals": "x",
            "tasks-TOTAL_FORMS": "1",
            "tasks-INITIAL_FORMS": "0",
            "tasks-0-title": "Lunch",
            "tasks-0-rrule": "FREQ=HOURLY",
            "tasks-0-start_time": "12:00",
            "tasks-0-duration_minutes": "30",
        },
    )
    assert response.status_code == 400
    assert "repeat daily, weekly or monthly" in response.content.decode()
    assert not CarePlan.objects.exists()


def test_a_carer_cannot_be_preferred_and_refused(client, coop, coordinator):
    factories.log_in(client, coordinator)
    carer = factories.user_with_role(coop, Role.CARER)
    response = client.post(
        f"/c/{coop.slug}/people/new/",
        {
            "full_name": "X",
            "address": "Via Lame 1",
            "latitude": "44.5",
            "longitude": "11.3",
            "carer_gender": "any",
            "funding": "private",
            "status": "active",
            "on": "2026-03-01",
            "preferred_carers": [carer.pk],
            "refused_carers": [carer.pk],
        },
    )
    assert b"both preferred and refused" in response.content
    assert not PersonCaredFor.objects.exists()


def test_location_verification_without_consent_is_a_form_error(client, coop, coordinator):
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop)
    response = client.post(
        f"/c/{coop.slug}/people/{person.pk}/verification/", {"verification-method": "location"}
    )
    assert response.status_code == 400 and b"needs the person" in response.content
    person.refresh_from_db()
    assert person.verification == "confirmation"


def test_a_coordinator_pauses_care_on_the_persons_page(client, coop, coordinator):
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        f"/c/{coop.slug}/people/{person.pk}/status/",
        {"status-status": "paused", "status-on": tomorrow.isoformat(), "status-kind": "hospital"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "paused"
    assert person.statuses.last().on == tomorrow


def test_a_pause_that_ends_before_it_starts_is_a_form_error(client, coop, coordinator):
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        f"/c/{coop.slug}/people/{person.pk}/status/",
        {
            "status-status": "paused",
            "status-on": (tomorrow + timedelta(days=3)).isoformat(),
            "status-until": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.status == "active"
    assert not person.statuses.filter(status="paused").exists()


def test_generate_button_plans_four_weeks_once(client, coop, coordinator):
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=timezone.localdate() - timedelta(days=3))
    client.post(f"/c/{coop.slug}/people/generate-visits/")
    client.post(f"/c/{coop.slug}/people/generate-visits/")
    assert (
        Visit.objects.filter(person=person, starts_at__date__gte=timezone.localdate()).count() == 28
    )


def test_export_holds_the_whole_record(client, coop, coordinator):
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop, full_name="Ada Rossi")
    factories.care_plan(person)
    data = json.loads(client.get(f"/c/{coop.slug}/people/{person.pk}/export.json").content)
    assert data["person"]["full_name"] == "Ada Rossi"
    assert data["care_plans"][0]["tasks"][0]["title"] == "Morning care"
    assert {"status_history", "consents", "circle", "assessments", "visits", "record_reads"} <= set(
        data
    )


def test_an_assessment_form_with_an_item_left_out_is_refused(client, coop, coordinator):
    """Katz (1963/1970): the total is the sum of six functions; one left unanswered is not a
    dependence. Before, the form read it as 0 and recorded 5 of 6."""
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop)
    answers = {f"assess-katz_adl__{item}": answer for item, answer in KATZ_ALL_INDEPENDENT.items()}
    del answers["assess-katz_adl__toileting"]
    response = client.post(
        f"/c/{coop.slug}/people/{person.pk}/assess/",
        {"assess-domain": "physical", "assess-on": "2026-03-02", "assess-scale": "katz_adl"}
        | answers,
    )
    assert response.status_code == 400
    form = dict((name, form) for name, _title, form in response.context["action_forms"])["assess"]
    assert "every item is needed" in form.errors["katz_adl__toileting"][0]
    assert not Assessment.objects.exists()


def test_answers_for_a_scale_not_chosen_are_refused(client, coop, coordinator):
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop)
    response = client.post(
        f"/c/{coop.slug}/people/{person.pk}/assess/",
        {"assess-domain": "physical", "assess-on": "2026-03-02", "assess-notes": "Frail."}
        | {f"assess-lawton_iadl__{k}": v for k, v in LAWTON_INDEPENDENT.items()},
    )
    assert response.status_code == 400
    assert "choose it as the scale" in response.content.decode()
    assert not Assessment.objects.exists()


def test_older_incomplete_and_yes_no_assessments_show_no_score(client, coop, coordinator):
    """Assessments recorded before every item was required are kept as recorded, and shown as
    incomplete rather than with a total made of missing items counted as 0."""
    factories.log_in(client, coordinator)
    person = factories.person_cared_for(coop)
    older = dict(person=person, assessor=coordinator, domain="physical", score=None)
    Assessment.objects.create(
        on="2026-01-10", scale="katz_adl", items={"bathing": "independent"}, **older
    )
    Assessment.objects.create(
        on="2026-01-11", scale="lawton_iadl", items={"telephone": True, "shopping": False}, **older
    )
    services.record_assessment(
        person,
        domain="physical",
        on=date(2026, 2, 1),
        assessor=coordinator,
        scale="lawton_iadl",
        items=LAWTON_INDEPENDENT | {"shopping": "small_purchases"},
    )
    html = client.get(f"/c/{coop.slug}/people/{person.pk}/").content.decode()
    assert "Katz ADL: incomplete, no total score" in html
    assert "Lawton IADL: incomplete, no total score" in html
    assert "Lawton IADL: 7 of 8" in html
    assert "Using the telephone: ticked as done independently" in html
    assert "Dressing: not answered" in html
    assert "Shopping: Shops independently for small purchases only." in html
