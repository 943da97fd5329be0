"""The read replica: the impact pages' reads go to it when one is set up, and nothing else
does; writes and migrations never."""

import pytest
from django.db import connections, router
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from coopcare import replica
from coopcare.cooperatives.models import Cooperative, Role
from tests import factories


@pytest.fixture
def replica_set_up(monkeypatch, settings):
    """The impact app's views read from the replica (tests/settings.py has one); each read's
    choice is recorded and the read itself still goes to the test database, inside the test's
    transaction."""
    settings.REPLICA_READ_VIEWS = ["coopcare.impact."]
    chosen: list[str | None] = []
    decide = replica.ReplicaRouter.db_for_read

    def record(self, model, **hints):
        chosen.append(decide(self, model, **hints))
        return None

    monkeypatch.setattr(replica.ReplicaRouter, "db_for_read", record)
    return chosen


def test_without_a_replica_every_read_goes_to_the_default_database(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: False)
    token = replica._reading_from_replica.set(True)
    try:
        assert router.db_for_read(Cooperative) == "default"
    finally:
        replica._reading_from_replica.reset(token)


def test_writes_and_migrations_never_go_to_the_replica():
    token = replica._reading_from_replica.set(True)
    try:
        assert router.db_for_read(Cooperative) == "replica"
        assert router.db_for_write(Cooperative) == "default"
    finally:
        replica._reading_from_replica.reset(token)
    assert router.allow_migrate("default", "cooperatives")
    assert not router.allow_migrate("replica", "cooperatives")


@pytest.mark.django_db
def test_an_impact_page_reads_from_the_replica(client, coordinator, coop, replica_set_up):
    factories.log_in(client, coordinator)
    replica_set_up.clear()  # the login's own reads
    assert client.get(f"/c/{coop.slug}/impact/definitions/").status_code == 200
    assert "replica" in replica_set_up
    # The session and the login are read by the middleware before the view, on the primary.
    assert replica_set_up[0] is None


@pytest.mark.django_db
def test_other_pages_and_the_api_read_from_the_primary(client, coordinator, coop, replica_set_up):
    factories.log_in(client, coordinator)
    replica_set_up.clear()
    assert client.get(f"/c/{coop.slug}/people/").status_code == 200
    assert client.get(f"/api/cooperatives/{coop.slug}/people").status_code == 200
    assert replica_set_up
    assert set(replica_set_up) == {None}
    # After an impact page, the next request is back on the primary.
    client.get(f"/c/{coop.slug}/impact/definitions/")
    replica_set_up.clear()
    client.get(f"/c/{coop.slug}/people/")
    assert set(replica_set_up) == {None}


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@override_settings(REPLICA_READ_VIEWS=["coopcare.impact."])
def test_with_a_replica_the_impact_pages_queries_go_to_it_and_the_rest_to_the_primary(client):
    coop = factories.CooperativeFactory(name="Cura Insieme", slug="cura")
    coordinator = factories.user_with_role(coop, Role.COORDINATOR, username="coord")
    factories.log_in(client, coordinator)
    live_replica = connections[replica.REPLICA]

    with (
        CaptureQueriesContext(live_replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get(f"/c/{coop.slug}/impact/").status_code == 200
    assert on_replica.captured_queries
    # The session and the login were read before the view, on the primary; nothing written.
    assert on_primary.captured_queries
    assert not [q for q in on_replica.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]

    with CaptureQueriesContext(live_replica) as on_replica:
        assert client.get(f"/c/{coop.slug}/people/").status_code == 200
    assert not on_replica.captured_queries
