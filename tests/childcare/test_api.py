"""The childcare API: the same refusals as the door, as JSON with their codes; a guardian's
own children only; a room's state now."""

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.childcare.models import ChildRecordRead, RefusedCollection

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _base(centre) -> str:
    return f"/api/cooperatives/{centre.coop.slug}/childcare"


def test_sign_in_and_a_refused_sign_out(client, centre):
    auth = _auth(centre.worker)
    child = f"{_base(centre)}/children/{centre.amira.pk}"
    signed = client.post(
        f"{child}/sign-in", {"adult_id": centre.omar.pk}, content_type="application/json", **auth
    )
    assert signed.status_code == 201
    twice = client.post(
        f"{child}/sign-in", {"adult_id": centre.omar.pk}, content_type="application/json", **auth
    )
    assert twice.status_code == 400 and twice.json()["code"] == "already_signed_in"
    refused = client.post(
        f"{child}/sign-out", {"person_name": "Mark Jones"}, content_type="application/json", **auth
    )
    assert refused.status_code == 400 and refused.json()["code"] == "not_authorised"
    assert RefusedCollection.objects.count() == 1
    listed = client.get(f"{_base(centre)}/refusals", **auth).json()
    assert listed[0]["person_name"] == "Mark Jones"
    out = client.post(
        f"{child}/sign-out", {"adult_id": centre.omar.pk}, content_type="application/json", **auth
    )
    assert out.status_code == 200 and out.json()["collected_by_id"] == centre.omar.pk
    day = client.get(f"{_base(centre)}/attendance", {"day": str(timezone.localdate())}, **auth)
    assert [a["child_id"] for a in day.json()] == [centre.amira.pk]


def test_a_guardian_reads_only_their_own_child(client, centre):
    auth = _auth(centre.hana_user)
    listed = client.get(f"{_base(centre)}/children", **auth).json()
    assert [c["id"] for c in listed] == [centre.amira.pk]
    own = client.get(f"{_base(centre)}/children/{centre.amira.pk}", **auth)
    assert own.json()["allergies"] == "Peanuts"
    assert ChildRecordRead.objects.get().via == "api"
    other = client.get(f"{_base(centre)}/children/{centre.leo.pk}", **auth)
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    room = client.get(f"{_base(centre)}/rooms/{centre.babies.pk}/now", **auth)
    assert room.status_code == 403


def test_a_room_now_and_the_ratios(client, centre):
    auth = _auth(centre.coordinator)
    now = client.get(f"{_base(centre)}/rooms/{centre.babies.pk}/now", **auth).json()
    assert now["children_present"] == [] and now["over_ratio"] is False
    ratios = client.get(f"{_base(centre)}/ratios", **auth).json()
    assert ratios[0]["children_per_adult"] == 3 and ratios[0]["own"] is False
    bad = client.post(
        f"{_base(centre)}/ratios",
        {"from_months": 24, "to_months": 12, "children_per_adult": 4, "reason": "x"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "age_band_invalid"
