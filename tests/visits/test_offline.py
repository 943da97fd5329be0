"""The carer's day offline: one service worker for the site keeps the day pages (and nothing
else of care data), the day page is an installable app for carers, says which day it shows and
which days to keep, and logging out tells the browser to wipe what it kept."""

import json
from datetime import timedelta

from django.utils import timezone

from coopcare.cooperatives.models import Role
from tests import factories


def test_the_site_worker_keeps_the_day_pages_beside_push(client, db):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Cache-Control"] == "no-cache"
    body = worker.content.decode()
    assert 'addEventListener("push"' in body
    assert 'addEventListener("fetch"' in body
    # Only the day pages are cached, and for 72 hours at most.
    assert r"const DAY_PATH = /^\/c\/[^/]+\/today\/$/;" in body
    assert "const KEEP_HOURS = 72;" in body
    assert "Offline copy, saved at %(time)s" in body


def test_the_worker_banner_is_in_the_visitors_language(client, db):
    body = client.get("/sw.js", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Offline copy" not in body


def test_the_day_page_links_its_manifest_and_names_the_days_to_keep(client, coop):
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    today = timezone.localdate()
    url = f"/c/{coop.slug}/today/"
    page = client.get(url)
    assert page.status_code == 200
    assert page["X-Coopcare-Day"] == today.isoformat()
    html = page.content.decode()
    assert f'<link rel="manifest" href="{url}manifest.webmanifest">' in html
    days = [f"{url}?day={today + timedelta(days=n)}" for n in range(3)]
    assert json.dumps(days) in html
    assert "Waiting to be sent (%(count)s)" in html
    other_day = today + timedelta(days=1)
    assert client.get(f"{url}?day={other_day}")["X-Coopcare-Day"] == other_day.isoformat()


def test_the_offline_forms_name_their_api(client, coop):
    carer = factories.user_with_role(coop, Role.CARER)
    person = factories.person_cared_for(coop, full_name="Lucia Ferri")
    visit = factories.visit(person, [carer], day=timezone.localdate())
    factories.log_in(client, carer)
    html = client.get(f"/c/{coop.slug}/today/").content.decode()
    assert f'data-offline="/api/cooperatives/{coop.slug}/visits/{visit.pk}/check-in"' in html
    assert 'data-label="Check-in: Lucia Ferri"' in html


def test_the_manifest_opens_the_carers_day(client, coop, coordinator):
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    url = f"/c/{coop.slug}/today/manifest.webmanifest"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == f"/c/{coop.slug}/today/"
    assert manifest["scope"] == f"/c/{coop.slug}/today/"
    assert manifest["display"] == "standalone"
    assert (manifest["lang"], manifest["dir"]) == ("ar", "rtl")
    assert manifest["icons"][0]["src"].endswith("coopcare/icon.svg")
    factories.log_in(client, coordinator)
    assert client.get(url).status_code == 403
    other = factories.CooperativeFactory(slug="altra")
    assert client.get(f"/c/{other.slug}/today/manifest.webmanifest").status_code == 404


def test_logging_out_wipes_the_offline_copies_and_queue(client, coop):
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert response["Location"] == "/accounts/login/?logged_out=1"
    assert "_auth_user_id" not in client.session
    # For browsers that ignore the header, the login page it lands on wipes them itself.
    assert "coopcare/forget.js" in client.get(response["Location"]).content.decode()
    assert "coopcare/forget.js" not in client.get("/accounts/login/").content.decode()
