"""Login: Argon2 hashing, lockout after repeated failures, the optional TOTP second factor."""

import importlib
import re

from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coopcare.cooperatives.models import Role
from coopcare.cooperatives.services import add_login
from tests import factories


def test_production_settings_hash_passwords_with_argon2():
    production = importlib.import_module("coopcare.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    import argon2  # noqa: F401 - the hasher's library is installed


def test_login_with_the_right_password(client, coop):
    factories.user_with_role(coop, Role.CARER, username="rosa")
    response = client.post("/accounts/login/", {"username": "rosa", "password": "pw"})
    assert response.status_code == 302
    assert client.get("/").url == f"/c/{coop.slug}/"


def test_lockout_after_repeated_failures(client, coop):
    factories.user_with_role(coop, Role.CARER, username="rosa")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "rosa", "password": "wrong"})
        assert response.status_code == 200
        assert b"correct username and password" in response.content
    response = client.post("/accounts/login/", {"username": "rosa", "password": "wrong"})
    assert response.status_code == 429
    assert b"locked" in response.content
    # Even the right password is refused while locked.
    response = client.post("/accounts/login/", {"username": "rosa", "password": "pw"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def current_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` periods later: a used code cannot be
    replayed, and verification tolerates one period of clock drift)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits, device.drift):06d}"


def test_coordinator_sets_up_totp_and_is_then_asked_for_a_code(client, coop):
    user = factories.user_with_role(coop, Role.COORDINATOR, username="coord")
    client.post("/accounts/login/", {"username": "coord", "password": "pw"})
    page = client.get("/accounts/two-factor/")
    assert b"<svg" in page.content  # the QR code to scan
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post("/accounts/two-factor/", {"code": "000000"})
    assert b"not right" in wrong.content
    device.refresh_from_db()
    device.throttle_reset()  # django-otp delays the next try after a failure
    client.post("/accounts/two-factor/", {"code": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed

    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "coord", "password": "pw"})
    blocked = client.get(f"/c/{coop.slug}/")
    assert blocked.status_code == 302 and blocked.url.startswith("/accounts/verify/")
    # The API answers a session waiting for its code 401 (tests/accounts/test_api_session.py).
    assert client.get("/api/cooperatives").status_code == 401
    bad = client.post("/accounts/verify/", {"code": "123456"})
    assert b"not right" in bad.content
    throttled = client.post("/accounts/verify/", {"code": current_code(device)})
    assert b"Too many wrong codes" in throttled.content
    device.refresh_from_db()
    device.throttle_reset()
    next_code = current_code(device, steps_ahead=1)
    ok = client.post(f"/accounts/verify/?next=/c/{coop.slug}/", {"code": next_code})
    assert ok.status_code == 302 and ok.url == f"/c/{coop.slug}/"
    assert client.get(f"/c/{coop.slug}/").status_code == 200


def test_verify_refuses_to_redirect_off_site(client, coop):
    user = factories.user_with_role(coop, Role.BOARD, username="b")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post("/accounts/login/", {"username": "b", "password": "pw"})
    response = client.post(
        "/accounts/verify/?next=https://evil.example/", {"code": current_code(device)}
    )
    assert response.url == "/"


def test_api_tokens_are_shown_once_and_can_be_revoked(client, coop):
    user = factories.user_with_role(coop, Role.BOARD)
    factories.log_in(client, user)
    response = client.post("/accounts/tokens/", {"name": "payroll script"})
    raw = response.context["new_token"]
    token = user.api_tokens.get()
    assert raw not in str(token.__dict__)  # only its hash is stored
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/cooperatives", **auth).status_code == 200
    assert raw.encode() not in client.get("/accounts/tokens/").content
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    client.logout()
    assert client.get("/api/cooperatives", **auth).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, coop):
    owner_token, _raw = factories.UserFactory().api_tokens.model.issue(factories.UserFactory(), "x")
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    assert client.post(f"/accounts/tokens/{owner_token.pk}/revoke/").status_code == 404
    owner_token.refresh_from_db()
    assert owner_token.revoked_at is None


def _answers(client, username: str) -> list[tuple[int, str]]:
    """What the login page answers to failed logins as ``username``, up to the lockout (the
    page's CSRF tokens and script nonces, new each time, left out)."""
    answers = []
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
        body = re.sub(r'[A-Za-z0-9]{64}|nonce="[^"]*"', "", response.content.decode())
        answers.append((response.status_code, body.replace(username, "USERNAME")))
    return answers


def test_a_login_of_another_cooperative_answers_as_one_that_does_not_exist(
    client, coop, monkeypatch
):
    """Wording, lockout and work done are the same whether the email is unknown, the login of
    someone in another cooperative, or a login made without a password (an imported carer's):
    nothing tells a stranger which emails have a login anywhere."""
    elsewhere = factories.CooperativeFactory()
    factories.user_with_role(elsewhere, Role.CARER, username="rosa@example.org")
    add_login(elsewhere, email="ana@example.org", first_name="Ana", last_name="B", role="carer")
    hashed = []
    encode = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher, "encode", lambda self, *a, **k: hashed.append(1) or encode(self, *a, **k)
    )
    seen = {}
    for username in ("nobody@example.org", "rosa@example.org", "ana@example.org"):
        hashed.clear()
        seen[username] = (_answers(client, username), len(hashed))
    nobody, rosa, ana = seen.values()
    assert nobody == rosa == ana
    answers, hashes = nobody
    limit = settings.AXES_FAILURE_LIMIT
    assert [status for status, _body in answers] == [200] * (limit - 1) + [429, 429]
    assert (
        b"correct username and password"
        in client.post(
            "/accounts/login/", {"username": "someone@example.org", "password": "wrong"}
        ).content
    )
    # Each failure that counts towards the lockout hashed the password once, known user or not.
    assert hashes == limit
