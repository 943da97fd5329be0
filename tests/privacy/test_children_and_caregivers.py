"""Rights requests about a child at a childcare centre (made by their guardian, GDPR art. 8
and recital 38) and about a family caregiver: the export of what is held on them, and their
erasure, which keeps what the law keeps."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coopcare.accounts.models import ApiToken
from coopcare.childcare import access as childcare_access
from coopcare.childcare import services as childcare
from coopcare.childcare.models import (
    Attendance,
    AuthorisedAdult,
    Child,
    ChildConsent,
    ChildRecordRead,
    Guardian,
    Observation,
)
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.privacy import access, services
from coopcare.privacy.models import RequestStatus
from coopcare.respite import services as respite
from coopcare.respite.models import Caregiver, CaregiverRead, SupportPlan
from coopcare.retention.models import Anonymised
from coopcare.visits.zones import on_cooperative_clock
from tests import factories
from tests.childcare import conftest as childcare_conftest

LONDON = ZoneInfo("Europe/London")


def clock(moment, cooperative) -> str:
    return on_cooperative_clock(moment, cooperative).isoformat()


pytestmark = pytest.mark.django_db
centre = childcare_conftest.centre


def ask(centre, kind, received_on=date(2026, 11, 2), **subject):
    return services.receive_request(
        centre.coop,
        kind=kind,
        by=centre.coordinator,
        requester_name="Hana Patel",
        received_on=received_on,
        **subject,
    )


@pytest.fixture
def amira_day(centre):
    """Amira's first day: brought by Hana, collected by her grandfather Omar, a stranger
    refused; an observation; photos consented to; her health notes read."""
    hana = centre.amira.adults.get(guardian=centre.hana)
    childcare.sign_in(
        centre.amira, adult=hana, by=centre.worker, at=datetime(2026, 3, 2, 8, 30, tzinfo=LONDON)
    )
    with pytest.raises(ValidationError):
        childcare.sign_out(
            centre.amira,
            adult=None,
            person_name="Dave Smith",
            by=centre.worker,
            at=datetime(2026, 3, 2, 16, 0, tzinfo=LONDON),
        )
    childcare.sign_out(
        centre.amira,
        adult=centre.omar,
        by=centre.worker,
        at=datetime(2026, 3, 2, 16, 30, tzinfo=LONDON),
    )
    childcare.observe(
        centre.amira,
        observed_on=date(2026, 3, 2),
        area="physical",
        text="Pulled herself up to stand",
        by=centre.worker,
    )
    childcare.give_consent(
        centre.amira,
        kind="photos",
        guardian=centre.hana,
        given_on=date(2026, 1, 5),
        by=centre.coordinator,
    )
    childcare_access.log_read(centre.worker, centre.amira, "health")
    return centre.amira


def test_a_childs_export_holds_everything_the_centre_holds_on_them(centre, amira_day):
    made = ask(centre, "access", child=amira_day)

    data = access.answer_data(centre.coordinator, made)

    child = data["child"]
    assert child["record"]["full_name"] == "Amira Patel"
    assert child["record"]["allergies"] == "Peanuts"
    assert child["record"]["room"] == "Babies"
    assert [g["full_name"] for g in child["guardians"]] == ["Hana Patel"]
    assert {a["full_name"] for a in child["authorised_adults"]} == {"Hana Patel", "Omar Patel"}
    assert [(c["kind"], c["given_by"]) for c in child["consents"]] == [("photos", "Hana Patel")]
    # Moments on the cooperative's clock, as the export of a person cared for gives them.
    assert child["attendance"] == [
        {
            "day": "2026-03-02",
            "room": "Babies",
            "signed_in_at": clock(datetime(2026, 3, 2, 8, 30, tzinfo=LONDON), centre.coop),
            "brought_by": "Hana Patel",
            "signed_out_at": clock(datetime(2026, 3, 2, 16, 30, tzinfo=LONDON), centre.coop),
            "collected_by": "Omar Patel",
        }
    ]
    assert [o["text"] for o in child["observations"]] == ["Pulled herself up to stand"]
    assert [r["who_asked"] for r in child["refused_collections"]] == ["Dave Smith"]
    assert [r["what"] for r in child["record_reads"]] == ["health"]
    assert "Leo Brown" not in json.dumps(data)
    # The export is itself a read of the child's record, logged.
    assert ChildRecordRead.objects.filter(
        child=amira_day, user=centre.coordinator, record=access.EXPORT
    ).exists()


def test_a_child_still_at_the_centre_is_not_erased(centre, amira_day):
    made = ask(centre, "erasure", child=amira_day)

    with pytest.raises(ValidationError) as refused:
        services.answer_request(made, by=centre.coordinator, answer="Please erase.")

    assert refused.value.code == "child_still_attending"
    amira_day.refresh_from_db()
    assert (amira_day.allergies, amira_day.health_notes) == ("Peanuts", "Eczema: cream after lunch")
    made.refresh_from_db()
    assert made.status == RequestStatus.RECEIVED
    assert not Anonymised.objects.exists()


def test_a_child_who_left_is_erased_but_the_register_the_law_keeps(centre, amira_day):
    # Amira left on 31 March 2026; England's childcare records' default is three years from
    # the last day, so on 2 November 2026 the register is kept until 31 March 2029.
    Child.objects.filter(pk=amira_day.pk).update(leaves_on=date(2026, 3, 31))
    made = ask(centre, "erasure", child=amira_day)

    services.answer_request(made, by=centre.coordinator, answer="Erased, but the register.")

    amira_day.refresh_from_db()
    assert (amira_day.allergies, amira_day.health_notes) == ("", "")
    assert not Observation.objects.filter(child=amira_day).exists()
    assert AuthorisedAdult.objects.get(pk=centre.omar.pk).identity_note == ""
    # The register stays, with the name it needs.
    assert amira_day.full_name == "Amira Patel"
    assert Attendance.objects.get(child=amira_day).collected_by.full_name == "Omar Patel"
    assert ChildConsent.objects.filter(child=amira_day).exists()
    # Hana has no other child at the centre: her name, phone and login go, and her role.
    centre.hana.refresh_from_db()
    assert (centre.hana.full_name, centre.hana.phone, centre.hana.user) == ("", "", None)
    assert not CooperativeRole.objects.filter(user=centre.hana_user, role=Role.CIRCLE).exists()
    assert Anonymised.objects.get(child=amira_day).why.endswith("Erased, but the register.")
    made.refresh_from_db()
    step = made.steps.get(step=RequestStatus.ANSWERED)
    assert "2029-03-31" in step.text and "17(3)(b)" in step.text
    # Leo keeps everything.
    assert Child.objects.get(pk=centre.leo.pk).full_name == "Leo Brown"

    again = ask(centre, "erasure", child=amira_day)
    with pytest.raises(ValidationError) as refused:
        services.answer_request(again, by=centre.coordinator, answer="Again.")
    assert refused.value.code == "already_anonymised"


def test_past_the_period_a_childs_erasure_takes_all_of_it(centre, amira_day):
    Child.objects.filter(pk=amira_day.pk).update(leaves_on=date(2022, 7, 29))
    made = ask(centre, "erasure", child=amira_day)

    services.answer_request(made, by=centre.coordinator, answer="Erased.")

    amira_day.refresh_from_db()
    assert (amira_day.full_name, amira_day.born_on) == ("", date(2025, 6, 1))
    assert AuthorisedAdult.objects.get(pk=centre.omar.pk).full_name == ""
    assert not ChildRecordRead.objects.filter(child=amira_day).exists()
    assert Attendance.objects.filter(child=amira_day).exists()


def test_a_childs_erasure_without_a_reason_writes_nothing(centre, amira_day):
    from coopcare.retention import services as retention

    Child.objects.filter(pk=amira_day.pk).update(leaves_on=date(2026, 3, 31))

    with pytest.raises(ValidationError) as refused:
        retention.erase_child(amira_day, by=centre.coordinator, reason="  ")

    assert refused.value.code == "erasure_reason_missing"
    amira_day.refresh_from_db()
    assert amira_day.allergies == "Peanuts"
    assert Observation.objects.filter(child=amira_day).exists()


@pytest.fixture
def lucia(centre):
    centre.coop.runs_respite = True
    centre.coop.save(update_fields=["runs_respite"])
    user = factories.user_with_role(centre.coop, Role.CIRCLE, username="lucia")
    found = respite.register_caregiver(
        centre.coop,
        full_name="Lucia Bianchi",
        cares_for_whom="Her mother, who has dementia",
        hours_caring_a_week=40,
        consent_given_on=date(2026, 1, 5),
        since=date(2026, 1, 5),
        asks_group=True,
        notes="Back pain from lifting",
        user=user,
    )
    respite.new_support_plan(
        found,
        valid_from=date(2026, 2, 1),
        goals="One evening a week of her own",
        respite_hours_a_month=8,
        by=centre.coordinator,
    )
    return found


def test_a_caregivers_export_holds_their_record_plans_and_reads(centre, lucia):
    from coopcare.respite import access as respite_access

    respite_access.log_read(centre.coordinator, lucia)
    made = ask(centre, "portability", caregiver=lucia)

    data = access.answer_data(centre.coordinator, made, via="api")

    mine = data["family_caregiver"]
    assert mine["record"]["full_name"] == "Lucia Bianchi"
    assert mine["record"]["notes"] == "Back pain from lifting"
    assert [p["goals"] for p in mine["support_plans"]] == ["One evening a week of her own"]
    assert [r["what"] for r in mine["record_reads"]] == ["record"]
    assert CaregiverRead.objects.filter(caregiver=lucia, record=access.EXPORT, via="api").exists()


def test_a_caregivers_erasure_forgets_them_and_ends_their_support(centre, lucia):
    made = ask(centre, "erasure", caregiver=lucia)

    services.answer_request(made, by=centre.coordinator, answer="Erased.")

    lucia.refresh_from_db()
    assert (lucia.full_name, lucia.notes, lucia.user) == ("", "", None)
    assert lucia.ended_on is not None
    assert SupportPlan.objects.get(caregiver=lucia).goals == ""
    assert Anonymised.objects.filter(caregiver=lucia).exists()
    assert Caregiver.objects.filter(pk=lucia.pk).exists()


def test_a_restriction_of_a_childs_records_is_not_recorded_as_done(centre, amira_day):
    made = ask(centre, "restriction", child=amira_day)
    with pytest.raises(ValidationError) as refused:
        services.answer_request(made, by=centre.coordinator, answer="Restricted.")
    assert refused.value.code == "restriction_person_cared_for_only"


def test_the_api_records_a_childs_request_and_downloads_its_export(client, centre, amira_day):
    _token, raw = ApiToken.issue(centre.coordinator, "test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    made = client.post(
        f"/api/cooperatives/{centre.coop.slug}/rights-requests",
        {
            "kind": "access",
            "child_id": amira_day.pk,
            "requester_name": "Hana Patel",
            "received_on": "2026-11-02",
        },
        content_type="application/json",
        **headers,
    )
    assert made.status_code == 201, made.content
    assert made.json()["child_id"] == amira_day.pk
    request_id = made.json()["id"]

    export = client.get(
        f"/api/cooperatives/{centre.coop.slug}/rights-requests/{request_id}/export", **headers
    )
    assert export.status_code == 200
    assert export.json()["child"]["record"]["full_name"] == "Amira Patel"

    other = factories.CooperativeFactory(slug="elsewhere")
    stranger = factories.user_with_role(other, Role.COORDINATOR)
    _token, raw = ApiToken.issue(stranger, "test")
    wrong = client.post(
        f"/api/cooperatives/{other.slug}/rights-requests",
        {
            "kind": "access",
            "child_id": amira_day.pk,
            "requester_name": "Hana Patel",
            "received_on": "2026-11-02",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert wrong.status_code == 404


def test_the_page_records_a_childs_request(client, centre, amira_day):
    factories.log_in(client, centre.coordinator)
    answer = client.post(
        reverse("privacy:receive", args=[centre.coop.slug]),
        {
            "kind": "access",
            "child": amira_day.pk,
            "requester_name": "Hana Patel",
            "received_on": "2026-11-02",
        },
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"])
    assert "Amira Patel" in page.content.decode()


def test_a_guardian_sees_who_read_their_child_and_makes_a_request(client, centre, amira_day):
    factories.log_in(client, centre.hana_user)
    url = reverse("privacy:child", args=[centre.coop.slug, amira_day.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert "health" in page.content.decode()
    assert ChildRecordRead.objects.filter(
        child=amira_day, user=centre.hana_user, record=access.READ_LOG
    ).exists()
    sent = client.post(url, {"kind": "access", "details": "All of Amira's records."})
    assert sent.status_code == 302
    made = amira_day.rights_requests.get()
    assert (made.requester_name, made.requested_by) == ("Hana Patel", centre.hana_user)
    # Leo's father is no guardian of Amira's.
    leo_user = factories.user_with_role(centre.coop, Role.CIRCLE, username="sam")
    Guardian.objects.filter(pk=centre.leo_father.pk).update(user=leo_user)
    factories.log_in(client, leo_user)
    assert client.get(url).status_code == 404
