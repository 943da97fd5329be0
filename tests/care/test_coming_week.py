"""Who is coming this week: for the person's circle, each planned visit of the next 7 days by
day, with its time and each carer's first name and photo (if the carer agrees) or initials,
nothing else about them; on the circle page, the circle member's dashboard and the API."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services
from coopcare.care.queries import coming_this_week
from coopcare.cooperatives.models import Role
from coopcare.work.services import photos
from tests import factories
from tests.work.images import picture


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def week(coop):
    """Giulia (who agrees her photo is shown) comes in three days, Marco (no photo) and Sara
    (a photo she keeps to the office) together in two days; tomorrow's visit has no carer yet,
    and the one in nine days is beyond the week. The daughter is granted the visits, the
    neighbour only the care plan."""
    giulia = factories.user_with_role(coop, Role.CARER, first_name="Giulia", last_name="Bassi")
    marco = factories.user_with_role(coop, Role.CARER, first_name="Marco", last_name="Neri")
    sara = factories.user_with_role(coop, Role.CARER, first_name="Sara", last_name="Conti")
    person = factories.person_cared_for(coop, full_name="Ada Lovati")
    today = timezone.localdate()
    factories.care_plan(person, valid_from=today)
    factories.visit(person, carers=[giulia], day=today + timedelta(days=3))
    factories.visit(person, carers=[sara, marco], day=today + timedelta(days=2))
    factories.visit(person, day=today + timedelta(days=1))
    factories.visit(person, carers=[giulia], day=today + timedelta(days=9))
    photos.set_photo(coop, giulia, picture())
    photos.show_photo(coop, giulia, True)
    photos.set_photo(coop, sara, picture())
    members = {}
    for username, sees_visits in (("daughter", True), ("neighbour", False)):
        members[username] = factories.user_with_role(coop, Role.CIRCLE, username=username)
        services.add_to_circle(
            person,
            user=members[username],
            full_name=username.title(),
            relationship="family",
            may_see_visits=sees_visits,
            may_see_care_plan=True,
            granted_by="Ada",
            granted_on=date(2026, 1, 1),
        )
    return {"person": person, "giulia": giulia, "marco": marco, "sara": sara, **members}


def test_the_week_is_day_by_day_with_first_names_and_initials(week):
    today = timezone.localdate()
    days = coming_this_week(week["person"], timezone.now())
    assert [day.day for day in days] == [today + timedelta(days=n) for n in (1, 2, 3)]
    assert days[0].visits[0].carers == []
    together = days[1].visits[0].carers
    assert [(c.first_name, c.initials) for c in together] == [("Marco", "MN"), ("Sara", "SC")]
    assert [c.first_name for c in days[2].visits[0].carers] == ["Giulia"]


def test_the_circle_page_shows_the_photo_only_of_who_agreed(client, coop, week):
    factories.log_in(client, week["daughter"])
    page = client.get(f"/c/{coop.slug}/circle/{week['person'].pk}/").content.decode()
    assert "Who is coming this week" in page
    assert f"/work/carers/{week['giulia'].pk}/photo/" in page
    assert f"/work/carers/{week['sara'].pk}/photo/" not in page
    assert ">SC<" in page and ">MN<" in page
    # The photo shown is one the daughter may fetch.
    assert client.get(f"/c/{coop.slug}/work/carers/{week['giulia'].pk}/photo/").status_code == 200


def test_a_member_not_granted_the_visits_does_not_see_the_week(client, coop, week):
    factories.log_in(client, week["neighbour"])
    page = client.get(f"/c/{coop.slug}/circle/{week['person'].pk}/").content.decode()
    assert "Who is coming this week" not in page
    dashboard = client.get(f"/c/{coop.slug}/").content.decode()
    assert "Giulia" not in dashboard


def test_the_neighbours_dashboard_has_no_empty_heading_of_the_week(client, coop, week):
    # Granted the care plan but no person's visits: neither the week nor its heading.
    factories.log_in(client, week["neighbour"])
    dashboard = client.get(f"/c/{coop.slug}/").content.decode()
    assert "Ada Lovati" in dashboard  # the person they support is still listed
    assert "Who is coming this week" not in dashboard


def test_the_circles_coming_visits_name_carers_by_first_name_only(client, coop, week):
    factories.log_in(client, week["daughter"])
    page = client.get(f"/c/{coop.slug}/circle/{week['person'].pk}/").content.decode()
    assert "Coming visits" in page
    assert "Giulia" in page and "Sara" in page and "Marco" in page
    for surname in ("Bassi", "Neri", "Conti"):
        assert surname not in page


def test_the_coordinator_still_sees_carers_full_names(client, coop, week):
    factories.log_in(client, factories.user_with_role(coop, Role.COORDINATOR))
    page = client.get(f"/c/{coop.slug}/people/{week['person'].pk}/").content.decode()
    assert "Giulia Bassi" in page and "Sara Conti" in page


def test_the_dashboard_shows_each_persons_week(client, coop, week):
    factories.log_in(client, week["daughter"])
    dashboard = client.get(f"/c/{coop.slug}/").content.decode()
    assert "Who is coming this week" in dashboard
    assert "Giulia" in dashboard and f"/work/carers/{week['giulia'].pk}/photo/" in dashboard


def test_the_api_gives_the_week_and_which_photos_may_be_shown(client, coop, week):
    _token, raw = ApiToken.issue(week["daughter"], "phone")
    answer = client.get(
        f"/api/cooperatives/{coop.slug}/people/{week['person'].pk}/circle/carers",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    ).json()
    carers = [c for day in answer["coming_week"] for v in day["visits"] for c in v["carers"]]
    assert [(c["first_name"], c["photo"]) for c in carers] == [
        ("Marco", False),
        ("Sara", False),
        ("Giulia", True),
    ]
    assert {c["first_name"]: c["photo"] for c in answer["carers"]}["Giulia"] is True
    _token, neighbour = ApiToken.issue(week["neighbour"], "phone")
    answer = client.get(
        f"/api/cooperatives/{coop.slug}/people/{week['person'].pk}/circle/carers",
        HTTP_AUTHORIZATION=f"Bearer {neighbour}",
    ).json()
    assert answer["coming_week"] == []
