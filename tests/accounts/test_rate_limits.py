"""Limits on guessing and flooding: lockout per account and address, failures per address
across accounts (password spraying), and API requests per user and per address."""

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from coopcare.accounts import ratelimit
from coopcare.accounts.models import ApiToken
from coopcare.accounts.ratelimit import Rate, client_ip, parse_rate
from coopcare.cooperatives.models import Role
from tests import factories

HOME = {"REMOTE_ADDR": "198.51.100.7"}
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture(autouse=True)
def _fresh_counters(monkeypatch):
    """Counters live in the cache, which outlives a test; and the clock stands still in the
    middle of a window, so that no test crosses a window's edge (where a count starts over)."""
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_800_000_030.0)
    cache.clear()
    yield
    cache.clear()


def log_in(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, **address)


def test_a_stranger_elsewhere_cannot_lock_a_coordinator_out(client, coop, settings):
    factories.user_with_role(coop, Role.COORDINATOR, username="coord")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "coord", "guess", ELSEWHERE)
    assert log_in(client, "coord", "pw", ELSEWHERE).status_code == 429  # locked there
    response = log_in(client, "coord", "pw", HOME)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_one_password_tried_on_every_account_is_stopped(client, coop, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = "3/h"
    for name in ("ana", "ben", "carla", "dario"):
        factories.user_with_role(coop, Role.CARER, username=name)
    for name in ("ana", "ben", "carla"):  # one try each: far below the per-account lockout
        assert log_in(client, name, "Summer2026!", ELSEWHERE).status_code == 200
    refused = log_in(client, "dario", "pw", ELSEWHERE)  # even the right password
    assert refused.status_code == 429 and b"Too many attempts" in refused.content
    assert "_auth_user_id" not in client.session
    # The admin's login form is guarded too.
    client.post("/admin/login/", {"username": "dario", "password": "pw"}, **ELSEWHERE)
    assert "_auth_user_id" not in client.session
    # Other addresses are not affected.
    assert log_in(client, "dario", "pw", HOME).status_code == 302


def test_a_shared_office_survives_a_few_typos(client, coop, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = "30/30m"
    for name in ("ana", "ben"):
        factories.user_with_role(coop, Role.CARER, username=name)
        log_in(client, name, "typo", HOME)
        log_in(client, name, "typo", HOME)
    assert log_in(client, "ana", "pw", HOME).status_code == 302


def test_reset_requests_count_against_the_address(client, coop, settings, mailoutbox):
    settings.LOGIN_FAILURES_PER_ADDRESS = "2/h"
    factories.user_with_role(coop, Role.CARER, username="ana", email="ana@example.org")
    for _ in range(2):
        sent = client.post("/accounts/password_reset/", {"email": "ana@example.org"}, **HOME)
        assert sent.status_code == 302
    flood = client.post("/accounts/password_reset/", {"email": "ana@example.org"}, **HOME)
    assert flood.status_code == 429
    assert len(mailoutbox) == 2


def test_the_client_address_behind_a_proxy_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    settings.COOPCARE_BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"  # a client cannot pick its address
    settings.COOPCARE_BEHIND_PROXY = True
    assert client_ip(request) == "198.51.100.7"  # what the client claimed (1.2.3.4) is ignored


@pytest.fixture
def token(coop):
    _token, raw = ApiToken.issue(factories.user_with_role(coop, Role.BOARD), "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_limits_each_user(client, coop, settings, token):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/cooperatives", **token, **HOME).status_code == 200
    refused = client.get("/api/cooperatives", **token, **ELSEWHERE)  # per user, anywhere
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Someone else is not slowed down by them.
    _other, raw = ApiToken.issue(factories.user_with_role(coop, Role.BOARD), "other")
    other = client.get("/api/cooperatives", HTTP_AUTHORIZATION=f"Bearer {raw}", **HOME)
    assert other.status_code == 200


def test_the_api_limits_each_address_even_without_valid_credentials(client, coop, settings, token):
    settings.API_RATE_LIMIT_PER_ADDRESS = "3/m"
    for _ in range(3):
        guess = client.get("/api/cooperatives", HTTP_AUTHORIZATION="Bearer guess", **HOME)
        assert guess.status_code == 401
    refused = client.get("/api/cooperatives", **token, **HOME)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and int(refused["Retry-After"]) >= 1
    assert client.get("/api/cooperatives", **token, **ELSEWHERE).status_code == 200


def test_rates_are_read_and_checked_at_start_up(settings):
    assert parse_rate("600/m") == Rate(600, 60)
    assert parse_rate("30/30m") == Rate(30, 1800)
    assert parse_rate("1000/day") == Rate(1000, 86400)
    with pytest.raises(ImproperlyConfigured):
        parse_rate("lots")
    settings.API_RATE_LIMIT = "600 a minute"
    assert "coopcare.E001" in [error.id for error in run_checks()]


def test_a_request_without_an_address_has_none_not_a_word(settings):
    """django-axes stores the address in an IP address column: PostgreSQL refuses a word such
    as 'unknown', which a login made in code (no REMOTE_ADDR) used to give it."""
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) is None
    settings.COOPCARE_BEHIND_PROXY = True
    garbage = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, not-an-address")
    assert client_ip(garbage) is None


def test_a_login_made_in_code_is_logged_without_an_address(client, coop):
    user = factories.user_with_role(coop, Role.BOARD)
    factories.log_in(client, user)
    assert client.get("/accounts/").status_code == 200


def test_a_login_forced_without_naming_a_backend_keeps_its_user(client, coop):
    """Django's ``force_login`` binds the session to the first backend that can restore a user;
    the address limit restores nobody, so it must not offer to (the impact benchmark's phones
    were all sent to the login page)."""
    user = factories.user_with_role(coop, Role.CARER)
    client.force_login(user)
    assert client.get(f"/c/{coop.slug}/today/").status_code == 200
