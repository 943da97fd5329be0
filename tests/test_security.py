"""Security properties of the whole site: production defaults (HTTPS, cookies, HSTS and a
clean ``check --deploy``), JSON from the API whatever happens, and a Content-Security-Policy
that forbids inline script on every page."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from coopcare import urls
from coopcare.cooperatives.models import Role
from tests import factories

SRC = Path(__file__).resolve().parent.parent / "src"
PRODUCTION = {
    "DEBUG": "",
    "SECRET_KEY": "k7#Qv9!mZ2@pL4$wX8^tR1&yN6*bC3(dF5)hJ0_gS-eU+aO=iY",
    "ALLOWED_HOSTS": "cura.example.org",
}
OURS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "COOPCARE_INSECURE_DEV_KEY",
    "COOPCARE_PLAIN_HTTP",
    "COOPCARE_BEHIND_PROXY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "DJANGO_SETTINGS_MODULE",
)


def production_env(**extra) -> dict:
    """The environment of a production server: none of the test suite's settings."""
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    return env | PRODUCTION | extra


def load_settings(monkeypatch, **extra):
    """coopcare/settings.py as a fresh module, read under a production environment."""
    for name in OURS:
        monkeypatch.delenv(name, raising=False)
    for name, value in (PRODUCTION | extra).items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "production_settings", SRC / "coopcare/settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- Production defaults --------------------------------------------------------------------


def test_production_defaults_are_https_only(monkeypatch):
    prod = load_settings(monkeypatch)
    assert prod.SECURE_SSL_REDIRECT
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_HSTS_SECONDS == 365 * 24 * 60 * 60
    assert prod.SECURE_HSTS_INCLUDE_SUBDOMAINS and not prod.SECURE_HSTS_PRELOAD
    assert not hasattr(prod, "SECURE_PROXY_SSL_HEADER")  # clients cannot claim HTTPS


def test_behind_a_proxy_its_https_header_is_trusted(monkeypatch):
    prod = load_settings(monkeypatch, COOPCARE_BEHIND_PROXY="1")
    assert prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert prod.SECURE_SSL_REDIRECT


def test_one_switch_for_a_plain_http_install(monkeypatch):
    prod = load_settings(monkeypatch, COOPCARE_PLAIN_HTTP="1", SECURE_HSTS_INCLUDE_SUBDOMAINS="0")
    assert not prod.SECURE_SSL_REDIRECT and prod.SECURE_HSTS_SECONDS == 0
    assert not prod.SESSION_COOKIE_SECURE and not prod.CSRF_COOKIE_SECURE
    assert not prod.SECURE_HSTS_INCLUDE_SUBDOMAINS


def test_development_is_plain_http(monkeypatch):
    dev = load_settings(monkeypatch, DEBUG="1")
    assert not dev.SECURE_SSL_REDIRECT and not dev.SESSION_COOKIE_SECURE


def deploy_check(tmp_path, **extra) -> subprocess.CompletedProcess:
    env = production_env(
        DJANGO_SETTINGS_MODULE="coopcare.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONPATH=str(SRC),
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("extra", [{}, {"COOPCARE_BEHIND_PROXY": "1"}])
def test_check_deploy_finds_nothing_with_production_settings(tmp_path, extra):
    result = deploy_check(tmp_path, **extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_a_plain_http_install(tmp_path):
    result = deploy_check(tmp_path, COOPCARE_PLAIN_HTTP="1")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout  # no redirect to HTTPS


def test_secure_cookies_in_the_test_settings_too(client, coop, settings):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    response = client.post(
        "/accounts/login/",
        {"username": factories.user_with_role(coop, Role.CARER).username, "password": "pw"},
    )
    assert response.cookies["sessionid"]["secure"]


def test_https_requests_get_hsts(client, db):
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# --- The API answers JSON, whatever happens ------------------------------------------------


def test_an_unknown_api_address_is_a_json_404(client, db):
    for path in ("/api/nothing-here", "/api/cooperatives/x/nothing/", "/api/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert b"<html" in client.get("/nothing-here/").content.lower()  # pages stay pages


@pytest.mark.parametrize("debug", [False, True])
def test_an_unhandled_error_in_the_api_is_a_json_500_without_traceback(
    coop, settings, monkeypatch, debug
):
    settings.DEBUG = debug
    user = factories.user_with_role(coop, Role.BOARD)

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("coopcare.cooperatives.api.cooperatives_of", broken)
    client = Client(raise_request_exception=False)
    factories.log_in(client, user)
    response = client.get("/api/cooperatives")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"
    assert b"secret internals" not in response.content and b"Traceback" not in response.content


def test_an_error_outside_the_api_views_is_json_under_api_too():
    request = RequestFactory().get("/api/cooperatives")
    response = urls.server_error(request)
    assert response.status_code == 500 and b'"code": "server_error"' in response.content
    page = urls.server_error(RequestFactory().get("/c/cura/"))
    assert page["Content-Type"].startswith("text/html")


def test_a_method_a_path_does_not_have_is_a_json_405(client, coop):
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    response = client.delete("/api/cooperatives")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed" and "GET" in response["Allow"]


def test_a_request_django_cannot_read_is_a_json_400_under_api(client, db):
    response = client.get("/api/cooperatives", HTTP_HOST="evil.example")
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def test_a_session_request_without_its_csrf_token_is_a_json_403(coop):
    client = Client(enforce_csrf_checks=True)
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    response = client.post(
        f"/api/cooperatives/{coop.slug}/members", {}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"


def test_broken_rules_carry_a_code(client, coop, settings):
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    response = client.post(
        f"/api/cooperatives/{coop.slug}/members", {}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


# --- Content-Security-Policy ---------------------------------------------------------------


def script_sources(policy: str) -> str:
    return re.search(r"script-src ([^;]*)", policy).group(1)


def test_every_page_forbids_inline_script(client, coop):
    anonymous = [
        "/accounts/login/",
        "/accounts/password_reset/",
        "/no-such-page/",
        "/api/docs",
        "/admin/login/",
    ]
    coordinator = factories.user_with_role(coop, Role.COORDINATOR, Role.BOARD)
    logged_in = [
        "/",
        "/accounts/",
        "/accounts/password_change/",
        "/accounts/two-factor/",
        "/accounts/tokens/",
        f"/c/{coop.slug}/",
    ]
    pages = [(path, client.get(path)) for path in anonymous]
    factories.log_in(client, coordinator)
    pages += [(path, client.get(path)) for path in logged_in]
    for path, response in pages:
        assert response["Content-Type"].startswith("text/html"), path
        policy = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in script_sources(policy), path
        assert "'unsafe-eval'" not in script_sources(policy), path
        for directive in (
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "default-src 'self'",
        ):
            assert directive in policy, (path, directive)
        # No script on these pages is inline: each comes from a file the policy allows.
        for attributes, body in re.findall(
            r"<script([^>]*)>(.*?)</script>", response.content.decode(), re.S
        ):
            assert "src=" in attributes or 'type="application/json"' in attributes, (path, body)


def test_the_api_docs_load_their_scripts_from_static_files(client, db):
    page = client.get("/api/docs").content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in page
    assert "validatorUrl" in page  # the online validator (another site) is switched off


TEMPLATES = sorted((SRC / "coopcare").rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=|javascript:""", re.I)
# htmx evaluates code for hx-vars, "js:" values and trigger filters (click[ctrlKey]), which the
# policy blocks as it does not allow 'unsafe-eval'.
HTMX_EVAL = re.compile(r"""hx-vars|hx-vals\s*=\s*["']\s*js:|hx-trigger\s*=\s*["'][^"']*\[""", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_has_inline_script(template):
    """Inline script would be blocked by the browsers: it must go to a static file."""
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_HANDLER.search(text)
    assert not HTMX_EVAL.search(text)


def test_the_htmx_tag_loads_a_file():
    html = Template("{% load django_htmx %}{% htmx_script %}").render(Context())
    assert re.fullmatch(r'(<script src="[^"]+" defer></script>)+', html.strip())
