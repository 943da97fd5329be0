"""The person and their circle choose the team: on the circle's page and through the API, a
member granted the choice (or the legal representative) keeps or refuses the carers who came
or are coming; the planner reads the choice, the record's history keeps who chose."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import services
from coopcare.care.models import CareRecordRead, PersonChange
from coopcare.care.queries import team_of
from coopcare.cooperatives.models import Role
from coopcare.rostering.planning import _choices
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    """A person with Giulia coming in three days, Marco who came (a cover visit) a week ago,
    Sara who never came, and the person's daughter in their circle, granted the choice."""
    coop = factories.CooperativeFactory()
    giulia = factories.user_with_role(coop, Role.CARER, first_name="Giulia", last_name="Bassi")
    marco = factories.user_with_role(coop, Role.CARER, first_name="Marco", last_name="Neri")
    sara = factories.user_with_role(coop, Role.CARER, first_name="Sara", last_name="Conti")
    person = factories.person_cared_for(coop)
    today = timezone.localdate()
    factories.care_plan(person, valid_from=today - timedelta(days=7))
    past = factories.visit(person, carers=[marco], day=today - timedelta(days=7))
    factories.recorded_visit(past, marco)
    coming = factories.visit(person, carers=[giulia], day=today + timedelta(days=3))
    daughter = factories.user_with_role(coop, Role.CIRCLE, username="daughter")
    grant = services.add_to_circle(
        person,
        user=daughter,
        full_name="Daughter",
        relationship="family",
        may_see_visits=True,
        may_choose_carers=True,
        granted_by="Person",
        granted_on=date(2026, 1, 1),
    )
    return {
        "coop": coop,
        "person": person,
        "giulia": giulia,
        "marco": marco,
        "sara": sara,
        "grant": grant,
        "daughter": daughter,
        "coming": coming,
    }


def test_the_team_is_who_comes_this_week_and_who_came(team):
    carers = team_of(team["person"], timezone.now())
    assert [(c.first_name, c.choice) for c in carers] == [("Giulia", ""), ("Marco", "")]
    assert carers[0].coming == [team["coming"].starts_at]
    assert carers[1].last_visit == timezone.localdate() - timedelta(days=7)


def test_keeping_a_cover_carer_makes_them_preferred_and_the_history_says_who(team):
    services.choose_carer(team["grant"], team["marco"].pk, "preferred")
    person = team["person"]
    assert list(person.preferred_carers.all()) == [team["marco"]]
    change = PersonChange.objects.get(person=person, field="preferred_carers")
    assert change.edit.user == team["daughter"]
    assert change.new == "Marco Neri"


def test_a_refusal_needs_no_reason_and_the_planner_reads_it(team):
    services.choose_carer(team["grant"], team["giulia"].pk, "refused")
    person = team["person"]
    assert _choices([team["coming"]])[person.pk] == (set(), {team["giulia"].pk})
    # The published visit stays as it was: the coordinator sees the refusal and decides.
    assert list(team["coming"].carers.all()) == [team["giulia"]]


def test_clearing_a_choice_leaves_the_others(team):
    services.choose_carers(
        team["grant"], preferred=[team["marco"]], refused=[team["giulia"]], via="web"
    )
    services.choose_carer(team["grant"], team["giulia"].pk, "")
    person = team["person"]
    assert list(person.preferred_carers.all()) == [team["marco"]]
    assert not person.refused_carers.exists()


def test_a_carer_the_person_never_met_cannot_be_named(team):
    with pytest.raises(ValidationError) as raised:
        services.choose_carer(team["grant"], team["sara"].pk, "refused")
    assert raised.value.error_list[0].code == "carer_not_met"
    assert not team["person"].refused_carers.exists()


def test_only_a_member_granted_the_choice_or_the_legal_representative_may_choose(team):
    grant = team["grant"]
    grant.may_choose_carers = False
    with pytest.raises(PermissionDenied):
        services.choose_carer(grant, team["marco"].pk, "preferred")
    grant.relationship = "legal_representative"
    services.choose_carer(grant, team["marco"].pk, "preferred")
    assert team["person"].preferred_carers.exists()


def test_the_circle_page_shows_first_names_and_changes_a_choice(client, team):
    factories.log_in(client, team["daughter"])
    url = f"/c/{team['coop'].slug}/circle/{team['person'].pk}/"
    page = client.get(url).content.decode()
    section = page.split("Your carers", 1)[1].split("<h2", 1)[0]
    assert "Giulia" in section and "Marco" in section
    assert "Bassi" not in section and "Neri" not in section
    assert "Not this carer" in section
    assert CareRecordRead.objects.filter(user=team["daughter"], record="circle view").exists()
    response = client.post(url + "carers/", {"carer": team["giulia"].pk, "choice": "refused"})
    assert response.status_code == 302
    assert list(team["person"].refused_carers.all()) == [team["giulia"]]


def test_a_member_without_the_grant_sees_the_team_but_no_buttons(client, team):
    grant = team["grant"]
    grant.may_choose_carers = False
    grant.save()
    factories.log_in(client, team["daughter"])
    url = f"/c/{team['coop'].slug}/circle/{team['person'].pk}/"
    page = client.get(url).content.decode()
    assert "Giulia" in page and "Not this carer" not in page
    response = client.post(url + "carers/", {"carer": team["giulia"].pk, "choice": "refused"})
    assert response.status_code == 403
    assert not team["person"].refused_carers.exists()


def test_a_bad_choice_on_the_page_is_said_and_saves_nothing(client, team):
    factories.log_in(client, team["daughter"])
    url = f"/c/{team['coop'].slug}/circle/{team['person'].pk}/carers/"
    response = client.post(url, {"carer": team["sara"].pk, "choice": "refused"}, follow=True)
    assert "only carers who have come or are coming" in response.content.decode()
    assert not team["person"].refused_carers.exists()


def test_the_api_reads_and_sets_the_choices(client, team):
    _token, raw = ApiToken.issue(team["daughter"], "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/cooperatives/{team['coop'].slug}/people/{team['person'].pk}/circle/carers"
    read = client.get(url, **auth).json()
    assert read["may_choose"] is True
    assert [c["first_name"] for c in read["carers"]] == ["Giulia", "Marco"]
    body = {"preferred": [team["marco"].pk], "refused": [team["giulia"].pk]}
    changed = client.put(url, body, content_type="application/json", **auth).json()
    assert {c["first_name"]: c["choice"] for c in changed["carers"]} == {
        "Giulia": "refused",
        "Marco": "preferred",
    }
    unknown = client.put(
        url,
        {"preferred": [team["sara"].pk], "refused": []},
        content_type="application/json",
        **auth,
    )
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "carer_not_met"
    both = {"preferred": [team["marco"].pk], "refused": [team["marco"].pk]}
    clash = client.put(url, both, content_type="application/json", **auth)
    assert clash.json()["code"] == "carer_preferred_and_refused"


def test_the_api_refuses_a_member_without_the_grant(client, team):
    grant = team["grant"]
    grant.may_choose_carers = False
    grant.save()
    _token, raw = ApiToken.issue(team["daughter"], "test")
    url = f"/api/cooperatives/{team['coop'].slug}/people/{team['person'].pk}/circle/carers"
    response = client.put(
        url,
        {"preferred": [team["marco"].pk], "refused": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not team["person"].preferred_carers.exists()
