"""The childcare pages: the door refuses anyone not authorised with a clear message and shows
the refusal to the staff; a guardian sees only their own children; health reads are logged;
the room warns when over its ratio; a cooperative without a centre has none of these pages."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from coopcare.childcare import services
from coopcare.childcare.models import Attendance, ChildRecordRead, RefusedCollection
from coopcare.cooperatives.models import Role
from tests import factories


def _url(centre, name, *args):
    return reverse(f"childcare:{name}", args=[centre.coop.slug, *args])


def test_the_door_signs_in_and_out_and_refuses_a_stranger(client, centre):
    factories.log_in(client, centre.worker)
    assert client.get(_url(centre, "door")).status_code == 200
    page = client.get(_url(centre, "door_child", centre.amira.pk))
    assert "Omar Patel" in page.content.decode()
    signed = client.post(_url(centre, "sign_in", centre.amira.pk), {"adult": centre.omar.pk})
    assert signed.status_code == 302
    refused = client.post(
        _url(centre, "sign_out", centre.amira.pk), {"person_name": "Mark Jones"}, follow=True
    )
    assert refused.status_code == 400
    assert "not authorised" in refused.content.decode()
    assert Attendance.objects.get().signed_out_at is None
    assert RefusedCollection.objects.get().person_name == "Mark Jones"
    assert "Mark Jones" in client.get(_url(centre, "centre")).content.decode()
    out = client.post(_url(centre, "sign_out", centre.amira.pk), {"adult": centre.omar.pk})
    assert out.status_code == 302
    assert Attendance.objects.get().collected_by == centre.omar


def test_a_guardian_sees_only_their_own_child_and_the_read_is_logged(client, centre):
    factories.log_in(client, centre.hana_user)
    page = client.get(_url(centre, "centre")).content.decode()
    assert "Amira Patel" in page and "Leo Brown" not in page
    own = client.get(_url(centre, "child", centre.amira.pk))
    assert own.status_code == 200 and "Peanuts" in own.content.decode()
    assert ChildRecordRead.objects.get(child=centre.amira).user == centre.hana_user
    assert client.get(_url(centre, "child", centre.leo.pk)).status_code == 404
    assert client.get(_url(centre, "door")).status_code == 403
    assert client.get(_url(centre, "room", centre.babies.pk)).status_code == 403


def test_a_worker_of_another_cooperative_sees_nothing(client, centre):
    other = factories.CooperativeFactory(runs_childcare=True)
    stranger = factories.user_with_role(other, Role.CARER, Role.COORDINATOR)
    factories.log_in(client, stranger)
    assert client.get(_url(centre, "child", centre.amira.pk)).status_code == 404
    own_url = reverse("childcare:child", args=[other.slug, centre.amira.pk])
    assert client.get(own_url).status_code == 404
    assert not ChildRecordRead.objects.exists()


def test_the_room_warns_when_over_its_ratio(client, centre):
    factories.log_in(client, centre.coordinator)
    now = timezone.now()
    for n in range(4):
        baby = services.enrol(
            centre.coop,
            full_name=f"Baby {n}",
            born_on=timezone.localdate() - timedelta(days=200),
            enrolled_on=timezone.localdate(),
            room=centre.babies,
        )
        adult = services.authorise_adult(baby, full_name="X", relation="aunt", by=centre.worker)
        services.sign_in(baby, adult=adult, by=centre.worker, at=now - timedelta(minutes=5))
    services.roster(
        centre.babies,
        worker=centre.worker,
        starts_at=now - timedelta(minutes=10),
        ends_at=min(now + timedelta(hours=1), now.replace(hour=23, minute=59)),
    )
    part = client.get(_url(centre, "room_now", centre.babies.pk))
    assert part.status_code == 200
    html = part.content.decode()
    assert "Over ratio" in html and 'hx-trigger="every 30s"' in html
    assert "Over ratio" in client.get(_url(centre, "room", centre.babies.pk)).content.decode()


def test_the_office_enrols_adds_adults_and_sets_a_ratio(client, centre):
    factories.log_in(client, centre.coordinator)
    enrolled = client.post(
        _url(centre, "enrol"),
        {
            "full_name": "Maya Shah",
            "born_on": "2025-02-01",
            "room": centre.babies.pk,
            "enrolled_on": "2026-09-01",
        },
    )
    assert enrolled.status_code == 302
    maya = centre.babies.children.get(full_name="Maya Shah")
    assert (
        client.post(_url(centre, "add_guardian", maya.pk), {"full_name": "Priya Shah"}).status_code
        == 302
    )
    assert maya.adults.get().full_name == "Priya Shah"
    bad = client.post(
        _url(centre, "ratios"), {"from_months": 24, "to_months": 12, "children_per_adult": 4}
    )
    assert bad.status_code == 400
    good = client.post(
        _url(centre, "ratios"),
        {"from_months": 24, "to_months": 36, "children_per_adult": 4, "reason": "Our own rule"},
    )
    assert good.status_code == 302
    assert "Our own rule" in client.get(_url(centre, "ratios")).content.decode()


def test_a_cooperative_without_a_centre_has_no_childcare_pages(client, centre):
    centre.coop.runs_childcare = False
    centre.coop.save()
    factories.log_in(client, centre.coordinator)
    assert client.get(_url(centre, "centre")).status_code == 404
