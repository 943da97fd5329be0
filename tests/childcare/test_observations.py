"""Observations of a child's development and learning: a worker records them in an EYFS area;
the guardians see those shared, and only while they consent to the sharing; every showing is
logged; the API refuses as the pages do, with codes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.childcare import rules, services
from coopcare.childcare.models import Area, ChildRecordRead, Observation
from tests import factories

pytestmark = pytest.mark.django_db


def _url(centre, name, *args):
    return reverse(f"childcare:{name}", args=[centre.coop.slug, *args])


def _auth(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _consent(centre):
    return services.give_consent(
        centre.amira,
        kind="observations",
        guardian=centre.hana,
        given_on=date(2026, 1, 5),
        by=centre.coordinator,
    )


def _observe(centre, text, share=False, area=Area.PHYSICAL):
    return services.observe(
        centre.amira,
        observed_on=timezone.localdate(),
        area=area,
        text=text,
        by=centre.worker,
        share=share,
    )


def test_the_eyfs_has_seven_areas_and_an_observation_is_of_a_day_come():
    """EYFS statutory framework (DfE, 2024), section 1: "There are seven areas of learning and
    development"; three prime areas (communication and language, physical development,
    personal social and emotional development) and four specific areas (literacy,
    mathematics, understanding the world, expressive arts and design). Worked example: on
    10 March 2026 an observation of that day or before is accepted, one of 11 March is not."""
    assert len(Area.choices) == 7
    today = date(2026, 3, 10)
    assert rules.check_observation(today, today) == []
    assert rules.check_observation(date(2026, 3, 1), today) == []
    [problem] = rules.check_observation(date(2026, 3, 11), today)
    assert problem.code == "dated_in_future"


def test_sharing_needs_a_consent_in_force():
    """GDPR art. 6(1)(a) and 7(3): sharing rests on the guardian's consent, withdrawn as
    easily as given. Worked example: with a consent in force sharing is accepted; with none,
    refused with ``sharing_not_consented``."""
    assert rules.check_sharing(True) == []
    [problem] = rules.check_sharing(False)
    assert problem.code == "sharing_not_consented"


def test_sharing_without_consent_is_refused_and_saves_nothing(centre):
    with pytest.raises(ValidationError) as refused:
        _observe(centre, "Walked across the room holding on", share=True)
    assert refused.value.error_list[0].code == "sharing_not_consented"
    assert not Observation.objects.exists()
    kept = _observe(centre, "Walked across the room holding on")
    with pytest.raises(ValidationError) as again:
        services.share_observation(kept, by=centre.worker)
    assert again.value.error_list[0].code == "sharing_not_consented"
    kept.refresh_from_db()
    assert kept.shared_at is None


def test_a_shared_observation_is_shared_once(centre):
    _consent(centre)
    shared = services.share_observation(_observe(centre, "Stacked three cups"), by=centre.worker)
    assert shared.shared_at is not None and shared.shared_by == centre.worker
    with pytest.raises(ValidationError) as twice:
        services.share_observation(shared, by=centre.worker)
    assert twice.value.error_list[0].code == "observation_already_shared"


def test_a_guardian_sees_only_shared_observations_while_they_consent(client, centre):
    consent = _consent(centre)
    _observe(centre, "Pointed at the ducks and said 'duck'", share=True, area=Area.COMMUNICATION)
    _observe(centre, "Unsettled at drop-off; a note for the key person")
    factories.log_in(client, centre.hana_user)
    page = client.get(_url(centre, "child", centre.amira.pk)).content.decode()
    assert "Pointed at the ducks" in page
    assert "Unsettled at drop-off" not in page
    assert ChildRecordRead.objects.filter(record="observations", user=centre.hana_user).exists()
    services.withdraw_consent(consent, on=timezone.localdate(), by=centre.coordinator)
    page = client.get(_url(centre, "child", centre.amira.pk)).content.decode()
    assert "Pointed at the ducks" not in page


def test_staff_record_and_share_on_the_childs_page(client, centre):
    factories.log_in(client, centre.worker)
    refused = client.post(
        _url(centre, "observe", centre.amira.pk),
        {
            "observed_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "area": "literacy",
            "text": "Turned the pages of a board book",
        },
    )
    assert refused.status_code == 400
    assert "It cannot be dated in the future." in refused.content.decode()
    assert not Observation.objects.exists()
    saved = client.post(
        _url(centre, "observe", centre.amira.pk),
        {
            "observed_on": timezone.localdate().isoformat(),
            "area": "literacy",
            "text": "Turned the pages of a board book",
        },
    )
    assert saved.status_code == 302
    kept = Observation.objects.get()
    not_consented = client.post(_url(centre, "share_observation", kept.pk), follow=True)
    assert "No consent to share observations" in not_consented.content.decode()
    _consent(centre)
    client.post(_url(centre, "share_observation", kept.pk))
    kept.refresh_from_db()
    assert kept.shared_at is not None
    page = client.get(_url(centre, "child", centre.amira.pk)).content.decode()
    assert "Turned the pages" in page


def test_a_guardian_cannot_record_nor_share(client, centre):
    kept = _observe(centre, "Climbed the soft steps")
    factories.log_in(client, centre.hana_user)
    assert client.post(_url(centre, "share_observation", kept.pk)).status_code == 403
    posted = client.post(
        _url(centre, "observe", centre.amira.pk),
        {"observed_on": "2026-01-10", "area": "arts", "text": "X"},
    )
    assert posted.status_code == 403
    assert Observation.objects.count() == 1


def test_the_api_records_shares_and_shows_a_guardian_their_own(client, centre):
    base = f"/api/cooperatives/{centre.coop.slug}/childcare"
    staff = _auth(centre.worker)
    body = {
        "observed_on": str(timezone.localdate()),
        "area": "mathematics",
        "text": "Counted to three with the blocks",
        "share": True,
    }
    refused = client.post(
        f"{base}/children/{centre.amira.pk}/observations",
        body,
        content_type="application/json",
        **staff,
    )
    assert refused.status_code == 400 and refused.json()["code"] == "sharing_not_consented"
    _consent(centre)
    made = client.post(
        f"{base}/children/{centre.amira.pk}/observations",
        body,
        content_type="application/json",
        **staff,
    )
    assert made.status_code == 201 and made.json()["shared_at"] is not None
    kept = _observe(centre, "Not for sharing yet")
    guardian = _auth(centre.hana_user)
    own = client.get(f"{base}/children/{centre.amira.pk}/observations", **guardian).json()
    assert [o["text"] for o in own] == ["Counted to three with the blocks"]
    assert ChildRecordRead.objects.filter(record="observations", via="api").exists()
    other = client.get(f"{base}/children/{centre.leo.pk}/observations", **guardian)
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    forbidden = client.post(f"{base}/observations/{kept.pk}/share", **guardian)
    assert forbidden.status_code == 403
    shared = client.post(f"{base}/observations/{kept.pk}/share", **staff)
    assert shared.status_code == 200 and shared.json()["shared_at"] is not None
    twice = client.post(f"{base}/observations/{kept.pk}/share", **staff)
    assert twice.status_code == 400 and twice.json()["code"] == "observation_already_shared"
