"""Handover notes: written at check-out or from the visit card, shown at the next visits of
the other carers until each has checked out of one, read from the card, marked no longer
relevant by a coordinator, listed on the follow-up page when nobody read them."""

from datetime import date, timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services as care
from coopcare.care.export import person_data
from coopcare.care.models import CareRecordRead, Relationship
from coopcare.cooperatives.models import Role
from coopcare.visits import queries, services
from coopcare.visits.models import HandoverAcknowledgement, HandoverNote
from coopcare.visits.zones import on_cooperative_clock
from tests import factories

PHARMACY = "The pharmacy delivers on Thursday"


@pytest.fixture
def ana(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Ana", last_name="Pop")


@pytest.fixture
def ben(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Ben", last_name="Ross")


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Rosa Bianchi")


def visit_on(person, carer, days_from_today: int):
    """The person's daily visit (09:00 unless ``begun_today`` set another time)
    ``days_from_today`` away on the cooperative's clock, rostered to ``carer``."""
    # The cooperative's today, not the server's: they differ around midnight.
    day = on_cooperative_clock(timezone.now(), person.cooperative).date() + timedelta(
        days=days_from_today
    )
    if not person.plans.exists():
        factories.care_plan(person, valid_from=day - timedelta(days=30))
    return factories.visit(person, [carer], day=day)


def begun_today(person, carer):
    """The person's visit of today that began up to an hour ago (at midnight at the earliest),
    so that it can be checked out now, whatever the time of day."""
    now = on_cooperative_clock(timezone.now(), person.cooperative)
    began = max(now - timedelta(hours=1), now.replace(hour=0, minute=0))
    factories.care_plan(
        person,
        valid_from=now.date() - timedelta(days=30),
        start_time=began.time().replace(second=0, microsecond=0),
    )
    return visit_on(person, carer, 0)


@pytest.fixture
def handed_over(person, ana):
    """Ana visited Rosa yesterday and left a note at check-out."""
    yesterday = visit_on(person, ana, -1)
    factories.recorded_visit(yesterday, ana, handover=PHARMACY)
    return HandoverNote.objects.get()


def api(client, user, method, path, body=None):
    _token, raw = ApiToken.issue(user, "phone")
    return getattr(client, method)(
        f"/api/cooperatives/cura{path}",
        body or {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_a_note_left_at_check_out_is_kept_with_the_person_writer_time_and_visit(
    person, ana, handed_over
):
    visit = person.visits.get(starts_at__date=timezone.localdate() - timedelta(days=1))
    record = visit.records.get()
    assert (handed_over.person, handed_over.written_by, handed_over.visit) == (person, ana, visit)
    assert handed_over.text == PHARMACY
    assert handed_over.written_at == record.checked_out_at
    # The note for the next carer is apart from the notes of the visit's record.
    assert record.notes == ""


def test_the_check_out_page_takes_the_note_for_the_next_carer(client, coop, person, ana):
    today = begun_today(person, ana)
    services.check_in(today, ana, client_id=uuid4(), at=today.starts_at, now=today.starts_at)
    factories.log_in(client, ana)
    prefix = f"v{today.pk}"
    page = client.get("/c/cura/today/").content.decode()
    assert f'name="{prefix}-handover"' in page and "For the next carer" in page
    answer = client.post(
        f"/c/cura/visits/{today.pk}/check-out/",
        {
            f"{prefix}-client_id": str(uuid4()),
            f"{prefix}-done_0": "on",
            f"{prefix}-notes": "Washed and dressed",
            f"{prefix}-handover": "Mrs Bianchi was low today, please check she ate",
        },
    )
    assert answer.status_code == 302
    note = HandoverNote.objects.get()
    assert (note.visit, note.written_by) == (today, ana)
    assert today.records.get().notes == "Washed and dressed"


def test_a_check_out_with_too_long_a_note_saves_nothing(person, ana):
    today = visit_on(person, ana, 0)
    services.check_in(today, ana, client_id=uuid4(), at=today.starts_at, now=today.starts_at)
    with pytest.raises(ValidationError) as refused:
        services.check_out(
            today,
            ana,
            client_id=uuid4(),
            at=today.starts_at + timedelta(minutes=40),
            steps=[{"step": s, "done": True} for s in today.task.step_list],
            handover="x" * (services.HANDOVER_MAX_LENGTH + 1),
            now=today.starts_at + timedelta(minutes=41),
        )
    assert refused.value.code == "handover_too_long"
    assert not HandoverNote.objects.exists()
    assert today.records.get().checked_out_at is None


def test_the_next_carer_sees_the_note_on_their_card_and_the_read_is_logged(
    client, person, ben, handed_over
):
    visit_on(person, ben, 0)
    factories.log_in(client, ben)
    html = client.get("/c/cura/today/").content.decode()
    assert PHARMACY in html and "Ana Pop" in html and "I have read it" in html
    assert CareRecordRead.objects.filter(user=ben, person=person, record="handover").exists()


def test_the_writer_does_not_see_their_own_note_as_a_handover(person, ana, handed_over):
    today = visit_on(person, ana, 0)
    assert queries.handover_for(ana, [today]) == {today.pk: []}


def test_a_note_is_shown_until_the_carer_has_checked_out_of_their_next_visit(
    person, ben, handed_over
):
    today, tomorrow = visit_on(person, ben, 0), visit_on(person, ben, 1)
    assert queries.handover_for(ben, [today, tomorrow]) == {
        today.pk: [handed_over],
        tomorrow.pk: [handed_over],
    }
    factories.recorded_visit(today, ben)
    shown = queries.handover_for(ben, [today, tomorrow])
    # Today's card still shows what was handed over to it; the next visit no longer does.
    assert shown == {today.pk: [handed_over], tomorrow.pk: []}


def test_a_note_older_than_the_look_back_is_not_shown(person, ana, ben):
    long_ago = visit_on(person, ana, -(queries.HANDOVER_LOOKBACK.days + 1))
    factories.recorded_visit(long_ago, ana, handover=PHARMACY)
    today = visit_on(person, ben, 0)
    assert queries.handover_for(ben, [today]) == {today.pk: []}


def test_a_note_marked_no_longer_relevant_is_no_longer_shown_but_kept(
    client, person, ben, coordinator, handed_over
):
    today = visit_on(person, ben, 0)
    factories.log_in(client, coordinator)
    answer = client.post(f"/c/cura/handover/{handed_over.pk}/retire/")
    assert answer.status_code == 302
    handed_over.refresh_from_db()
    assert handed_over.retired_by == coordinator and handed_over.retired_at is not None
    assert queries.handover_for(ben, [today]) == {today.pk: []}
    again = api(client, coordinator, "post", f"/handover-notes/{handed_over.pk}/no-longer-relevant")
    assert (again.status_code, again.json()["code"]) == (400, "handover_already_retired")
    page = client.get(f"/c/cura/people/{person.pk}/").content.decode()
    assert PHARMACY in page and "no longer relevant" in page


def test_the_carer_reads_a_note_from_the_card_with_htmx_and_the_person_page_says_who(
    client, person, ben, coordinator, handed_over
):
    visit_on(person, ben, 0)
    factories.log_in(client, ben)
    url = f"/c/cura/handover/{handed_over.pk}/read/"
    answer = client.post(url, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert f'id="handover-{handed_over.pk}"' in answer.content.decode()
    assert "I have read it" not in answer.content.decode()
    first = HandoverAcknowledgement.objects.get(note=handed_over, carer=ben).at
    client.post(url, HTTP_HX_REQUEST="true")
    assert HandoverAcknowledgement.objects.get(note=handed_over, carer=ben).at == first
    factories.log_in(client, coordinator)
    page = client.get(f"/c/cura/people/{person.pk}/").content.decode()
    assert "Read by Ben Ross" in page
    assert CareRecordRead.objects.filter(user=coordinator, record="handover").exists()


def test_a_carer_cannot_mark_their_own_note_read(ana, handed_over):
    with pytest.raises(ValidationError) as refused:
        services.acknowledge_handover(handed_over, ana)
    assert refused.value.code == "handover_note_own"


def test_a_carer_outside_their_hours_around_a_visit_is_refused(client, coop, person, handed_over):
    later = factories.user_with_role(coop, Role.CARER)
    visit_on(person, later, 5)  # a visit with Rosa, but not within 24 hours
    assert api(client, later, "get", f"/people/{person.pk}/handover-notes").status_code == 404
    written = api(client, later, "post", f"/people/{person.pk}/handover-notes", {"text": "Hi"})
    assert written.status_code == 404
    read = api(client, later, "post", f"/handover-notes/{handed_over.pk}/acknowledgement")
    assert read.status_code == 404
    factories.log_in(client, later)
    assert client.post(f"/c/cura/handover/{handed_over.pk}/read/").status_code == 404
    assert HandoverNote.objects.count() == 1
    assert not HandoverAcknowledgement.objects.exists()


def test_a_circle_member_reads_the_notes_only_when_granted_the_visit_notes(
    client, coop, person, handed_over
):
    relative = factories.user_with_role(coop, Role.CIRCLE)
    grant = care.add_to_circle(
        person,
        user=relative,
        full_name="Anna Bianchi",
        relationship=Relationship.FAMILY,
        granted_by="Rosa Bianchi",
        granted_on=date(2026, 1, 1),
        may_see_visits=True,
    )
    path = f"/people/{person.pk}/handover-notes"
    assert api(client, relative, "get", path).status_code == 404
    factories.log_in(client, relative)
    assert PHARMACY not in client.get(f"/c/cura/circle/{person.pk}/").content.decode()
    grant.may_see_notes = True
    grant.save()
    answer = api(client, relative, "get", path)
    assert answer.status_code == 200
    assert [n["text"] for n in answer.json()] == [PHARMACY]
    assert CareRecordRead.objects.filter(user=relative, record="handover", via="api").exists()
    # Reading is all the grant gives.
    written = api(client, relative, "post", path, {"text": "From the family"})
    assert written.status_code == 403
    factories.log_in(client, relative)
    page = client.get(f"/c/cura/circle/{person.pk}/").content.decode()
    assert PHARMACY in page and "Leave a note for the next carer" not in page


def test_the_api_writes_lists_and_reads_notes(client, person, ana, ben, coordinator):
    today = visit_on(person, ben, 0)
    path = f"/people/{person.pk}/handover-notes"
    blank = api(client, ben, "post", path, {"text": "   "})
    assert (blank.status_code, blank.json()["code"]) == (400, "handover_text_missing")
    written = api(client, ben, "post", path, {"text": "Mrs Bianchi was low today"})
    assert written.status_code == 201
    # A carer's note without a visit goes with their visit within the hours around it.
    assert written.json()["visit_id"] == today.pk
    by_office = api(client, coordinator, "post", path, {"text": PHARMACY})
    assert by_office.status_code == 201 and by_office.json()["visit_id"] is None
    note_id = by_office.json()["id"]
    read = api(client, ben, "post", f"/handover-notes/{note_id}/acknowledgement")
    assert read.status_code == 200
    assert [a["carer_name"] for a in read.json()["acknowledgements"]] == ["Ben Ross"]
    listed = api(client, coordinator, "get", path).json()
    assert [n["text"] for n in listed] == [PHARMACY, "Mrs Bianchi was low today"]
    retire = api(client, ben, "post", f"/handover-notes/{note_id}/no-longer-relevant")
    assert retire.status_code == 403


def test_a_check_out_through_the_api_leaves_one_note_even_when_resent(client, person, ana):
    today = begun_today(person, ana)
    services.check_in(today, ana, client_id=uuid4(), at=today.starts_at, now=today.starts_at)
    body = {
        "client_id": str(uuid4()),
        "at": timezone.now().isoformat(),
        "steps": [{"step": s, "done": True} for s in today.task.step_list],
        "handover": PHARMACY,
    }
    path = f"/visits/{today.pk}/check-out"
    assert api(client, ana, "post", path, body).status_code == 201
    assert api(client, ana, "post", path, body).status_code == 200
    assert HandoverNote.objects.get().text == PHARMACY


def test_a_carer_writes_a_note_from_the_visit_card(client, person, ben):
    today = visit_on(person, ben, 0)
    factories.log_in(client, ben)
    url = f"/c/cura/visits/{today.pk}/handover/"
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 400 and not HandoverNote.objects.exists()
    assert client.post(url, {"text": PHARMACY}).status_code == 302
    note = HandoverNote.objects.get()
    assert (note.visit, note.written_by, note.person) == (today, ben, person)


def test_a_coordinator_writes_a_note_from_the_persons_page(client, person, coordinator):
    factories.log_in(client, coordinator)
    page = client.get(f"/c/cura/people/{person.pk}/").content.decode()
    assert f"/c/cura/people/{person.pk}/handover/new/" in page
    answer = client.post(f"/c/cura/people/{person.pk}/handover/new/", {"text": PHARMACY})
    assert answer.status_code == 302
    note = HandoverNote.objects.get()
    assert (note.written_by, note.visit) == (coordinator, None)


def test_the_follow_up_page_lists_a_note_nobody_read_after_the_next_visit(
    client, person, ana, ben, coordinator
):
    two_days_ago = visit_on(person, ana, -2)
    factories.recorded_visit(two_days_ago, ana, handover=PHARMACY)
    note = HandoverNote.objects.get()
    now = timezone.now()
    # Nobody has visited since: not a missed handover yet.
    assert list(queries.missed_handovers(person.cooperative, now)) == []
    factories.recorded_visit(visit_on(person, ben, -1), ben)
    assert list(queries.missed_handovers(person.cooperative, now)) == [note]
    factories.log_in(client, coordinator)
    assert PHARMACY in client.get("/c/cura/visits/follow-up/").content.decode()
    services.acknowledge_handover(note, ben)
    assert list(queries.missed_handovers(person.cooperative, now)) == []


def test_the_persons_data_holds_their_handover_notes(person, ben, handed_over):
    services.acknowledge_handover(handed_over, ben, now=timezone.now())
    data = person_data(person)
    (note,) = data["handover_notes"]
    assert (note["text"], note["written_by"]) == (PHARMACY, "Ana Pop")
    assert [r["by"] for r in note["read_by"]] == ["Ben Ross"]
    assert note["no_longer_relevant_since"] is None
    assert note["at_visit"].startswith(str(timezone.localdate() - timedelta(days=1)))
