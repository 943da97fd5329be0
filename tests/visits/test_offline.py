"""The carer's day offline: the service worker is served within the cooperative's day pages
(its scope no wider), to carers only, and logging out tells the browser to wipe what it kept."""

from coopcare.cooperatives.models import Role
from tests import factories


def test_the_worker_is_served_at_the_day_pages_to_carers(client, coop, coordinator):
    carer = factories.user_with_role(coop, Role.CARER)
    url = f"/c/{coop.slug}/today/worker.js"
    factories.log_in(client, carer)
    worker = client.get(url)
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Cache-Control"] == "no-cache"
    body = worker.content.decode()
    assert "Offline copy, saved at %(time)s" in body
    assert "caches.open(CACHE)" in body
    # The page registers the worker for its own path: the worker sits in it, so its scope is
    # the day pages and nothing else of the site.
    assert client.get(f"/c/{coop.slug}/today/").status_code == 200
    factories.log_in(client, coordinator)
    assert client.get(url).status_code == 403
    other = factories.CooperativeFactory(slug="altra")
    assert client.get(f"/c/{other.slug}/today/worker.js").status_code == 404


def test_logging_out_wipes_the_offline_copies(client, coop):
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
