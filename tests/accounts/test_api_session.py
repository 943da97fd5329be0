"""The API and the second factor: a password alone must not open the API through the session.

The second-factor middleware lets /api/ through (programs cannot enter a code on a page), so
the API itself refuses a session that has not passed its second factor, with a JSON 401."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from coopcare.accounts.models import ApiToken
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member
from tests import factories
from tests.accounts.test_login import current_code

APPLICATION = {
    "full_name": "Khadija Benali",
    "email": "khadija@example.org",
    "shares": 1,
    "applied_on": "2026-02-01",
}


@pytest.fixture
def board_with_app(coop):
    """A board member with a confirmed authenticator app."""
    user = factories.user_with_role(coop, Role.BOARD, username="treasurer")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def apply(client, coop, supporter_class, **headers):
    return client.post(
        f"/api/cooperatives/{coop.slug}/members",
        APPLICATION | {"stakeholder_class_id": supporter_class.pk},
        content_type="application/json",
        **headers,
    )


def test_a_password_alone_opens_nothing_in_the_api(client, coop, supporter_class, board_with_app):
    client.post("/accounts/login/", {"username": "treasurer", "password": "pw"})
    assert "_auth_user_id" in client.session  # logged in, waiting for the code

    read = client.get("/api/cooperatives")
    assert read.status_code == 401
    assert read["Content-Type"].startswith("application/json")
    assert read.json()["code"] == "second_factor_required"
    assert str(coop.slug) not in read.content.decode()

    write = apply(client, coop, supporter_class)
    assert write.status_code == 401 and write.json()["code"] == "second_factor_required"
    assert not Member.objects.exists()


def test_after_the_code_the_session_works_in_the_api(client, coop, supporter_class, board_with_app):
    client.post("/accounts/login/", {"username": "treasurer", "password": "pw"})
    device = TOTPDevice.objects.get(user=board_with_app)
    client.post("/accounts/verify/", {"code": current_code(device)})

    assert client.get("/api/cooperatives").status_code == 200
    assert apply(client, coop, supporter_class).status_code == 201
    assert Member.objects.filter(full_name="Khadija Benali").exists()


def test_a_token_still_works_beside_a_half_logged_in_session(
    client, coop, supporter_class, board_with_app
):
    _token, raw = ApiToken.issue(board_with_app, "script")
    client.post("/accounts/login/", {"username": "treasurer", "password": "pw"})
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/cooperatives", **bearer).status_code == 200
    assert apply(client, coop, supporter_class, **bearer).status_code == 201


def test_users_without_an_app_use_the_api_with_their_session(client, coop):
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    assert client.get("/api/cooperatives").status_code == 200


def test_no_credentials_is_a_json_401_with_a_code(client, db):
    response = client.get("/api/cooperatives")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"
