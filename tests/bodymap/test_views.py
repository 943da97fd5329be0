"""The body map page: who sees it and who adds to it, the read log, a tap's point or a region,
bad input refused with a message and nothing saved, and the drawing never mirrored in Arabic."""

import re
from datetime import timedelta

from django.utils import timezone

from coopcare.bodymap import outline
from coopcare.bodymap.models import FollowUp, Mark
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.visits.models import Incident
from tests import factories
from tests.bodymap.conftest import circle_member, heel_ulcer

BRUISE = {
    "side": "front",
    "region": "left_forearm",
    "kind": "bruise",
    "description": "Bluish bruise on the forearm.",
}


def url(person, tail=""):
    return f"/c/cura/body-map/people/{person.pk}/{tail}"


def reads(person, user):
    return CareRecordRead.objects.filter(person=person, user=user, record="body map")


def test_a_coordinator_reads_the_map_and_the_read_is_logged(client, person, coordinator):
    heel_ulcer(person, coordinator)
    factories.log_in(client, coordinator)
    response = client.get(url(person))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Red patch that does not blanch" in page
    assert 'href="#mark-1"' in page
    assert reads(person, coordinator).count() == 1


def test_the_care_record_and_the_visit_card_link_to_the_map(client, person, carer, today_visit):
    factories.log_in(client, carer)
    assert url(person).encode() in client.get(f"/c/cura/people/{person.pk}/").content
    card = client.get("/c/cura/today/").content.decode()
    assert f"{url(person)}?visit={today_visit.pk}" in card


def test_a_carer_sees_and_adds_only_around_a_visit(client, person, carer):
    factories.log_in(client, carer)
    assert client.get(url(person)).status_code == 404
    assert client.post(url(person, "marks/"), BRUISE).status_code == 404
    assert not Mark.objects.exists()
    visit = factories.visit(person, [carer], day=timezone.localdate())
    assert client.get(url(person) + f"?visit={visit.pk}").status_code == 200
    response = client.post(url(person, "marks/"), BRUISE | {"x": 158, "y": 207, "visit": visit.pk})
    assert response.status_code == 302
    mark = Mark.objects.get()
    assert (mark.x, mark.y, mark.visit, mark.recorded_by) == (158, 207, visit, carer)
    assert Incident.objects.get().visit == visit


def test_a_carer_whose_visit_was_days_ago_is_refused(client, person, carer, coordinator):
    mark = heel_ulcer(person, coordinator)
    factories.visit(person, [carer], day=timezone.localdate() - timedelta(days=3))
    factories.log_in(client, carer)
    assert client.get(url(person)).status_code == 404
    follow = f"/c/cura/body-map/marks/{mark.pk}/follow-ups/"
    assert client.post(follow, {f"f{mark.pk}-status": "same"}).status_code == 404
    assert not FollowUp.objects.exists()


def test_a_circle_member_granted_the_care_plan_reads_but_does_not_add(client, coop, person):
    granted, not_granted = (factories.user_with_role(coop, Role.CIRCLE) for _ in range(2))
    circle_member(person, granted, may_see_care_plan=True)
    circle_member(person, not_granted, may_see_visits=True)
    factories.log_in(client, not_granted)
    assert client.get(url(person)).status_code == 404
    factories.log_in(client, granted)
    response = client.get(url(person))
    assert response.status_code == 200
    assert b"Add a mark" not in response.content
    assert reads(person, granted).count() == 1
    assert client.post(url(person, "marks/"), BRUISE).status_code == 403
    assert not Mark.objects.exists()


def test_without_a_tap_the_region_places_the_mark(client, person, coordinator):
    factories.log_in(client, coordinator)
    response = client.post(url(person, "marks/"), BRUISE)
    assert response.status_code == 302
    mark = Mark.objects.get()
    assert (mark.x, mark.y) == outline.PLACES["left_forearm"].on("front")


def test_a_tap_off_the_outline_is_refused_with_a_message_and_saves_nothing(
    client, person, coordinator
):
    factories.log_in(client, coordinator)
    response = client.post(url(person, "marks/"), BRUISE | {"x": 5, "y": 5})
    assert response.status_code == 400
    assert "The mark is not on the body: place it inside the outline." in response.content.decode()
    assert not Mark.objects.exists()
    assert not Incident.objects.exists()


def test_a_pressure_ulcer_without_its_category_is_refused(client, person, coordinator):
    factories.log_in(client, coordinator)
    response = client.post(
        url(person, "marks/"), BRUISE | {"kind": "pressure_ulcer", "side": "back"}
    )
    assert response.status_code == 400
    assert "category" in response.content.decode()
    assert not Mark.objects.exists()


def test_a_follow_up_marks_healed_and_the_mark_leaves_the_map(client, person, coordinator):
    mark = heel_ulcer(person, coordinator, at=timezone.now() - timedelta(hours=1))
    factories.log_in(client, coordinator)
    follow = f"/c/cura/body-map/marks/{mark.pk}/follow-ups/"
    bad = client.post(follow, {f"f{mark.pk}-status": "healed", f"f{mark.pk}-length_cm": "2"})
    assert bad.status_code == 400
    assert not FollowUp.objects.exists()
    assert client.post(follow, {f"f{mark.pk}-status": "healed"}).status_code == 302
    page = client.get(url(person)).content.decode()
    assert 'href="#mark-1"' not in page  # off the drawing
    assert 'id="mark-1"' in page  # still in the list


def test_in_arabic_the_page_is_right_to_left_and_the_drawing_is_not_mirrored(
    client, person, coordinator
):
    heel_ulcer(person, coordinator)
    factories.log_in(client, coordinator)
    english = client.get(url(person)).content.decode()
    # On the account page, as the coordinator would: the session remembers the language.
    client.post("/accounts/", {"language": "ar", "gender": "", "desired_weekly_hours": ""})
    arabic = client.get(url(person)).content.decode()
    assert 'dir="rtl"' in arabic
    drawings = re.findall(r"<svg [^>]*>", arabic)
    assert len(drawings) == 2
    assert all('direction="ltr"' in svg and "transform" not in svg for svg in drawings)
    # The same outline and the same mark at the same point as in English.
    assert f'points="{outline.outline_points()}"' in arabic
    dot = re.search(r'<circle cx="\d+" cy="\d+" r="9"/>', english).group()
    assert dot in arabic
    # Under the front view, the person's right is on the reader's left, in Arabic too.
    front = arabic.split('data-side="front"')[1].split("</svg>")[0]
    assert re.search(r'<text class="side-name" x="2" [^>]*text-anchor="start"', front)


def test_a_point_outside_the_drawing_is_refused_with_a_message(client, person, coordinator):
    factories.log_in(client, coordinator)
    response = client.post(url(person, "marks/"), BRUISE | {"x": 900, "y": 5})
    assert response.status_code == 400
    assert "Point across the drawing:" in response.content.decode()
    assert not Mark.objects.exists()
