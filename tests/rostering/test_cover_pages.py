"""Cover for days away on the pages and through the API: a carer reports sick, a coordinator
proposes cover on the absence's page and accepts some of it; the board lists what waits."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from coopcare.care.models import CareRecordRead
from coopcare.rostering.models import Absence, AbsenceKind, CoverProposal, RosterRequest
from coopcare.rostering.services import cover
from coopcare.rostering.services.requests import ask
from tests import factories
from tests.governance.test_api import bearer
from tests.rostering.conftest import away, published_with, visits_on

API = "/api/cooperatives/cura"


def url(name, *args):
    return reverse(f"rostering:{name}", args=["cura", *args])


@pytest.fixture
def coordinator_client(client, coordinator):
    return factories.log_in(client, coordinator)


@pytest.fixture
def two_visits(coop, coordinator, ana, people, day):
    """Ana has Rosa at 9:00 and Marco at 10:00 on the published day."""
    rosa, marco = (visits_on(p, day) for p in people)
    published_with(coop, coordinator, day, {rosa: [ana], marco: [ana]})
    return rosa, marco


def test_a_carer_reports_sick_from_their_roster(client, ana, day):
    factories.log_in(client, ana)
    assert "I'm sick" in client.get(url("mine")).content.decode()
    answer = client.post(url("report_sick"), {"sick-last_day": day.isoformat()}, follow=True)
    assert "Get well" in answer.content.decode()
    absence = Absence.objects.get(carer=ana)
    assert absence.kind == AbsenceKind.SICKNESS and absence.last_day == day
    again = client.post(url("report_sick"), {"sick-last_day": day.isoformat()}, follow=True)
    assert "already recorded" in again.content.decode()
    assert Absence.objects.filter(carer=ana).count() == 1


def test_a_coordinator_records_a_carer_sick_proposes_and_accepts_some_cover(
    coordinator_client, coordinator, ana, ben, two_visits, day, django_capture_on_commit_callbacks
):
    rosa, marco = two_visits
    recorded = coordinator_client.post(
        url("sick_for_carer"), {"sick-carer": ana.pk, "sick-last_day": day.isoformat()}
    )
    absence = Absence.objects.get(carer=ana)
    assert recorded.url == url("absence", absence.pk)
    page = coordinator_client.get(url("absence", absence.pk)).content.decode()
    assert "Propose cover" in page and "Rosa" in page and "Marco" in page
    proposed = coordinator_client.post(url("propose_cover", absence.pk), follow=True)
    assert "nothing changes until you accept" in proposed.content.decode()
    proposal = CoverProposal.objects.get()
    for_rosa = proposal.changes.get(visit=rosa)
    assert list(for_rosa.carers.all()) == [ben]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = coordinator_client.post(
            url("accept_cover", absence.pk, proposal.pk),
            {"changes": [for_rosa.pk], "override_reason": "Ana is ill"},
            follow=True,
        )
    body = accepted.content.decode()
    assert "Accepted: 1 visits changed" in body
    assert "Tell by phone:" in body  # Rosa has no circle to email
    assert set(rosa.carers.all()) == {ben} and set(marco.carers.all()) == {ana}
    assert {m.to[0] for m in mail.outbox} == {"ana@example.org", "ben@example.org"}
    assert CareRecordRead.objects.filter(user=coordinator, record="cover").exists()


def test_accepting_without_a_reason_for_soft_rules_changes_nothing(
    coop, coordinator_client, coordinator, ana, ben, two_visits, day
):
    rosa, _marco = two_visits
    absence = away(coop, ana, day)
    proposal = cover.propose(absence, coordinator, 1, 50)
    change = proposal.changes.get(visit=rosa)
    answer = coordinator_client.post(
        url("accept_cover", absence.pk, proposal.pk), {"changes": [change.pk]}, follow=True
    )
    assert "Give a reason to go ahead anyway" in answer.content.decode()
    assert set(rosa.carers.all()) == {ana}


def test_the_cover_pages_are_for_coordinators_of_the_cooperative(
    coop, client, ana, two_visits, day
):
    absence = away(coop, ana, day)
    factories.log_in(client, ana)
    assert client.get(url("absence", absence.pk)).status_code == 403
    assert client.post(url("propose_cover", absence.pk)).status_code == 403
    assert client.get(url("board")).status_code == 403
    other = factories.CooperativeFactory(slug="altra")
    stranger = factories.user_with_role(other, "coordinator", username="stranger")
    factories.log_in(client, stranger)
    assert client.get(url("absence", absence.pk)).status_code == 404


def test_the_board_lists_what_waits_soonest_visit_first_with_where_to_handle_it(
    coop, coordinator_client, coordinator, ana, ben, two_visits, day
):
    rosa, marco = two_visits
    contest = ask(coop, marco, ana, "contest", "Too far")
    absence = away(coop, ana, day)
    lia = factories.person_cared_for(coop, full_name="Lia")
    factories.care_plan(lia, valid_from=date(2026, 1, 1))
    open_visit = visits_on(lia, day)
    published = rosa.assignments.get().roster
    published.unplaced.create(visit=open_visit, reasons=[["none", {}]])
    page = coordinator_client.get(url("board")).content.decode()
    assert "Ana Test is away: 2 visits without their carer" in page
    rows = coordinator_client.get(f"{API}/board", **bearer(coordinator)).json()
    # Lia's open visit and Rosa's, which Ana leaves, are both at 9:00: the older question
    # (the roster, made before the absence) comes first; Marco's contested visit is at 10:00.
    assert [r["kind"] for r in rows] == ["open_visit", "absence", "request"]
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["absence"]["absence_id"] == absence.pk and by_kind["absence"]["visits"] == 2
    assert by_kind["absence"]["link"].endswith(url("absence", absence.pk))
    assert by_kind["request"]["request_id"] == contest.pk
    assert by_kind["request"]["link"].endswith(url("requests"))
    assert by_kind["open_visit"]["visit_id"] == open_visit.pk
    assert by_kind["open_visit"]["link"].endswith(url("visit", published.pk, open_visit.pk))
    assert url("absence", absence.pk) in page and url("requests") in page
    assert RosterRequest.objects.get() == contest


def test_cover_through_the_api(client, coop, coordinator, ana, ben, two_visits, day):
    rosa, marco = two_visits
    auth = bearer(coordinator)
    sick = client.post(
        f"{API}/sick-reports",
        {"last_day": day.isoformat(), "carer": "ana"},
        content_type="application/json",
        **auth,
    )
    assert sick.status_code == 201 and sick.json()["visits_left"] == 2
    absence_id = sick.json()["id"]
    made = client.post(f"{API}/absences/{absence_id}/cover-proposals", **auth)
    assert made.status_code == 201
    proposal = made.json()
    assert {c["visit_id"] for c in proposal["changes"]} == {rosa.pk, marco.pk}
    assert all(
        c["carers"] == ["ben"] and c["carers_before"] == ["ana"] for c in proposal["changes"]
    )
    read = client.get(f"{API}/cover-proposals/{proposal['id']}", **auth).json()
    assert read == proposal
    first = proposal["changes"][0]
    refused = client.post(
        f"{API}/cover-proposals/{proposal['id']}/accept",
        {"changes": [first["id"]]},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400 and refused.json()["code"] == "rule_broken"
    done = client.post(
        f"{API}/cover-proposals/{proposal['id']}/accept",
        {"changes": [first["id"]], "override_reason": "Ana is ill"},
        content_type="application/json",
        **auth,
    )
    assert done.status_code == 200
    assert done.json()["visits"] == [first["visit_id"]] and done.json()["carers_told"] == 2
    again = client.post(
        f"{API}/cover-proposals/{proposal['id']}/accept",
        {"changes": [first["id"]], "override_reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 400 and again.json()["code"] == "nothing_chosen"


def test_a_carer_reports_only_themselves_sick_through_the_api(client, ana, ben, day):
    mine = client.post(
        f"{API}/sick-reports",
        {"last_day": day.isoformat()},
        content_type="application/json",
        **bearer(ana),
    )
    assert mine.status_code == 201 and mine.json()["carer"] == "ana"
    theirs = client.post(
        f"{API}/sick-reports",
        {"last_day": day.isoformat(), "carer": "ben"},
        content_type="application/json",
        **bearer(ana),
    )
    assert theirs.status_code == 403
    assert not Absence.objects.filter(carer=ben).exists()


def test_the_board_reads_the_same_number_of_times_however_many_rows(
    coop, coordinator, ana, ben, people, day
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coopcare.rostering import queries

    rosa, marco = (visits_on(p, day) for p in people)
    published_with(coop, coordinator, day, {rosa: [ana], marco: [ben]})
    ask(coop, rosa, ana, "contest", "Too far")
    away(coop, ana, day)
    with CaptureQueriesContext(connection) as few:
        assert len(queries.board(coop)) == 2
    ask(coop, marco, ben, "swap", "Dentist")
    away(coop, ben, day)
    with CaptureQueriesContext(connection) as more:
        assert len(queries.board(coop)) == 4
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_board_lists_a_person_to_place_with_a_link_to_their_edit_page(
    coop, coordinator_client, coordinator, day
):
    from coopcare.care.services import edit_person

    lia = factories.person_cared_for(coop, full_name="Lia", latitude=None, longitude=None)
    factories.care_plan(lia, valid_from=date(2026, 1, 1))
    first = visits_on(lia, day)
    rows = coordinator_client.get(f"{API}/board", **bearer(coordinator)).json()
    assert [(r["kind"], r["person_id"], r["visits"]) for r in rows] == [("to_place", lia.pk, 1)]
    edit_page = reverse("care:edit", args=["cura", lia.pk])
    assert rows[0]["link"].endswith(edit_page)
    assert rows[0]["starts_at"] == first.starts_at.isoformat().replace("+00:00", "Z")
    page = coordinator_client.get(url("board")).content.decode()
    assert "Lia's home is not placed on the map" in page and edit_page in page
    person_page = coordinator_client.get(reverse("care:person", args=["cura", lia.pk]))
    assert edit_page in person_page.content.decode()
    assert CareRecordRead.objects.filter(person=lia, record="board").exists()

    edit_person(lia, coordinator, latitude="44.4940", longitude="11.3430")
    assert coordinator_client.get(f"{API}/board", **bearer(coordinator)).json() == []


def test_the_board_lists_visits_made_after_publishing_and_drafts_visits_left_out(
    coop, coordinator, ana, two_visits, day
):
    from coopcare.rostering import queries
    from coopcare.rostering.models import Roster

    rosa, _marco = two_visits
    published = rosa.assignments.get().roster
    nuovo = factories.person_cared_for(coop, full_name="Nuovo")
    factories.care_plan(nuovo, valid_from=date(2026, 1, 1))
    made_later = visits_on(nuovo, day)  # in the published days, in no roster
    draft = Roster.objects.create(cooperative=coop, first_day=day, last_day=day)
    draft.unplaced.create(visit=made_later, reasons=[["none", {}]])
    rows = queries.board(coop)
    assert [(r.kind, r.visit, r.roster) for r in rows] == [
        ("open_visit", made_later, published)  # listed once, as the published days' own
    ]
