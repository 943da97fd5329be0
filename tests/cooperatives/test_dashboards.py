"""Dashboards per role and the cooperative chooser (the federation view: tests/impact)."""

from coopcare.care.models import CareStatus, PersonCaredFor
from coopcare.cooperatives.models import Role
from tests import factories


def test_user_of_one_cooperative_goes_straight_to_its_dashboard(client, coop):
    factories.log_in(client, factories.user_with_role(coop, Role.CARER))
    assert client.get("/").url == f"/c/{coop.slug}/"


def test_user_of_two_cooperatives_chooses(client, coop):
    other = factories.CooperativeFactory()
    user = factories.user_with_role(coop, Role.CARER)
    factories.RoleFactory(user=user, cooperative=other, role=Role.COORDINATOR)
    factories.log_in(client, user)
    page = client.get("/")
    assert page.status_code == 200
    assert coop.name.encode() in page.content and other.name.encode() in page.content


def test_admitted_members_choose_their_cooperative_too_but_applicants_do_not(
    client, coop, supporter_class
):
    user = factories.UserFactory()
    factories.admitted_member(supporter_class, user=user)
    elsewhere = factories.CooperativeFactory()
    factories.RoleFactory(user=user, cooperative=elsewhere, role=Role.CARER)
    applied = factories.CooperativeFactory()
    factories.applicant(factories.StakeholderClassFactory(cooperative=applied), user=user)
    factories.log_in(client, user)
    page = client.get("/")
    assert coop.name.encode() in page.content and elsewhere.name.encode() in page.content
    assert applied.name.encode() not in page.content


def test_anonymous_users_are_sent_to_login(client, coop):
    assert client.get(f"/c/{coop.slug}/").url.startswith("/accounts/login/")


def test_coordinator_dashboard_shows_register_capital_and_care(client, coop, supporter_class):
    factories.admitted_member(supporter_class, shares=2)
    factories.applicant(supporter_class, full_name="Waiting Applicant")
    PersonCaredFor.objects.create(
        cooperative=coop,
        full_name="Teresa",
        address="Via Zamboni 1",
        latitude=44.49,
        longitude=11.35,
        status=CareStatus.ACTIVE,
    )
    factories.log_in(client, factories.user_with_role(coop, Role.COORDINATOR))
    response = client.get(f"/c/{coop.slug}/")
    assert response.context["register"] == {"current": 1, "applicants": 1}
    assert response.context["care"] == {"active": 1, "referrals": 0}
    assert b"Waiting Applicant" in response.content
    assert b"Teresa" not in response.content  # counts only: no care record on the dashboard


def test_member_dashboard_shows_own_shares_only(client, coop, supporter_class):
    user = factories.UserFactory()
    factories.admitted_member(supporter_class, user=user, paid=20)
    factories.log_in(client, user)
    response = client.get(f"/c/{coop.slug}/")
    assert response.context["own_balance"].paid == 20
    assert "register" not in response.context


def test_the_board_reaches_surplus_and_working_time_from_the_menu(client, coop):
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    page = client.get(f"/c/{coop.slug}/").content.decode()
    assert f'href="/c/{coop.slug}/work/surplus/"' in page
    assert f'href="/c/{coop.slug}/work/working-time/"' in page
    assert client.get(f"/c/{coop.slug}/work/surplus/").status_code == 200
    assert client.get(f"/c/{coop.slug}/work/working-time/").status_code == 200


def test_a_member_has_no_menu_link_to_working_time(client, coop, supporter_class):
    user = factories.UserFactory()
    factories.admitted_member(supporter_class, user=user)
    factories.log_in(client, user)
    assert "/work/working-time/" not in client.get(f"/c/{coop.slug}/").content.decode()


def test_the_switch_link_shows_for_a_user_of_two_cooperatives_only(client, coop):
    one = factories.user_with_role(coop, Role.COORDINATOR)
    two = factories.user_with_role(coop, Role.COORDINATOR)
    factories.RoleFactory(user=two, cooperative=factories.CooperativeFactory(), role=Role.CARER)
    switch = b'href="/">Switch</a>'
    assert switch not in factories.log_in(client, one).get(f"/c/{coop.slug}/").content
    assert switch in factories.log_in(client, two).get(f"/c/{coop.slug}/").content
