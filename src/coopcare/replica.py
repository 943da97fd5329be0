"""A read replica for the impact pages: the indicators, the social report and the federation's
view read a great deal and write nothing, so an installation that sets ``DATABASE_REPLICA_URL``
sends their reads to a replica of PostgreSQL and keeps that load off the primary.

``ReplicaReadsMiddleware`` marks the time a view of ``REPLICA_READ_VIEWS`` runs; while it
runs, ``ReplicaRouter`` sends reads to the ``replica`` database. Everything else, and every
write (there or anywhere), goes to ``default``. Without ``DATABASE_REPLICA_URL`` there is no
``replica`` database and the router sends nothing anywhere.

A replica is a little behind its primary (streaming replication: usually under a second). The
impact pages show periods that have ended, so a second's lag changes nothing they show.
"""

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"

_reading_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_from_replica", default=False
)


def replica_configured() -> bool:
    """Whether the settings name a ``replica`` database."""
    return REPLICA in connections.settings


class ReplicaRouter:
    """Reads of a view in ``REPLICA_READ_VIEWS`` go to the replica; the rest is Django's
    default. Migrations run on ``default`` only: the replica copies its schema."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Both databases hold the same rows: an object read from the replica may be linked to
        # one from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Runs the views named in ``REPLICA_READ_VIEWS`` (module prefixes) with their reads sent
    to the replica; the reads of the middleware before them (the session, the login) stay on
    the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_reads", None)
            if token is not None:
                _reading_from_replica.reset(token)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        """Turn replica reads on for a view of ``REPLICA_READ_VIEWS``, until its answer."""
        module = getattr(view, "__module__", "") or ""
        if module.startswith(tuple(settings.REPLICA_READ_VIEWS)):
            request._replica_reads = _reading_from_replica.set(True)  # type: ignore[attr-defined]
