"""Choosing the forms of care a cooperative runs: the page and the API for its board and
coordinators, each change kept with who made it, and the navigation that follows."""

import pytest
from django.core.exceptions import ValidationError

from coopcare.accounts.models import ApiToken
from coopcare.cooperatives import services
from coopcare.cooperatives.models import Cooperative, FormOfCareChange, Role
from tests import factories


@pytest.fixture
def coop(db):
    return factories.CooperativeFactory(slug="alba")


@pytest.fixture
def coordinator(coop):
    return factories.user_with_role(coop, Role.COORDINATOR, first_name="Ada", last_name="Neri")


def api_headers(user) -> dict:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_switching_a_form_on_and_another_off_keeps_both_changes(coop, coordinator):
    changes = services.choose_forms_of_care(
        coop, by=coordinator, runs_childcare=True, runs_home_care=False, runs_respite=False
    )
    assert [(c.form, c.runs, c.by) for c in changes] == [
        ("runs_home_care", False, coordinator),
        ("runs_childcare", True, coordinator),
    ]
    coop.refresh_from_db()
    assert coop.runs_childcare and not coop.runs_home_care


def test_a_cooperative_runs_at_least_one_form_of_care(coop, coordinator):
    with pytest.raises(ValidationError) as error:
        services.choose_forms_of_care(coop, by=coordinator, runs_home_care=False)
    assert [e.code for e in error.value.error_list] == ["no_form_of_care"]
    assert Cooperative.objects.get(pk=coop.pk).runs_home_care
    assert not FormOfCareChange.objects.exists()


def test_the_page_explains_each_form_and_keeps_who_chose(client, coop, coordinator):
    factories.log_in(client, coordinator)
    url = f"/c/{coop.slug}/forms-of-care/"
    page = client.get(url).content.decode()
    assert "A childcare centre: rooms, children, the door, staff and ratios." in page
    # The home-care pages are in the navigation; the centre's is not yet.
    assert f"/c/{coop.slug}/people/" in page and f"/c/{coop.slug}/childcare/" not in page
    answer = client.post(url, {"runs_childcare": "on"})
    assert answer.status_code == 302
    page = client.get(url).content.decode()
    assert "Ada Neri" in page and f"/c/{coop.slug}/childcare/" in page
    # Home care switched off (its box left empty): its pages leave the navigation.
    assert f"/c/{coop.slug}/people/" not in page


def test_switching_every_form_off_on_the_page_says_why_and_saves_nothing(client, coop, coordinator):
    factories.log_in(client, coordinator)
    page = client.post(f"/c/{coop.slug}/forms-of-care/", {}).content.decode()
    assert "A cooperative runs at least one form of care." in page
    assert Cooperative.objects.get(pk=coop.pk).runs_home_care


def test_a_carer_or_a_member_does_not_choose(client, coop):
    factories.log_in(client, factories.user_with_role(coop, Role.CARER))
    assert client.get(f"/c/{coop.slug}/forms-of-care/").status_code == 403


def test_the_api(client, coop, coordinator):
    headers = api_headers(coordinator)
    url = f"/api/cooperatives/{coop.slug}/forms-of-care"
    assert client.get(url, **headers).json()["runs_home_care"] is True
    answer = client.patch(
        url, {"runs_respite": True}, content_type="application/json", **headers
    ).json()
    assert answer["runs_respite"] is True and answer["runs_home_care"] is True
    [change] = client.get(f"{url}/changes", **headers).json()
    assert (change["form"], change["runs"], change["by"]) == ("runs_respite", True, "Ada Neri")
    refused = client.patch(
        url,
        {"runs_home_care": False, "runs_respite": False},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 400 and refused.json()["code"] == "no_form_of_care"
    carer = factories.user_with_role(coop, Role.CARER)
    assert client.get(url, **api_headers(carer)).status_code == 403
