"""The database under concurrent writes: SQLite's options for several writing processes, and a
calm answer when the database stays locked anyway.

SQLite lets one connection write at a time. The web server's requests and the worker's roster
runs write to the same file, so writers have to wait for each other: these options make them
queue instead of failing, and ``LockedDatabaseMiddleware`` answers 503 with ``Retry-After``
(never a 500) to a request that waited too long.
"""

import logging

from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from coopcare.api_errors import is_api_request, json_error

log = logging.getLogger(__name__)

# Seconds a writer waits for the lock before "database is locked". Long enough for a roster
# run's batch or a publication to commit; short enough for a person to still be waiting.
LOCK_WAIT = 20
# Seconds a client is told to wait before sending a request refused for a locked database.
RETRY_AFTER = 5


def sqlite_options() -> dict:
    """``DATABASES[...]["OPTIONS"]`` for SQLite (Django 5.1 or later)."""
    return {
        # BEGIN IMMEDIATE takes the write lock when a transaction starts, and waits for it. With
        # the default (DEFERRED) a transaction that read first and writes later fails at once
        # if another connection wrote meanwhile, however long the timeout.
        "transaction_mode": "IMMEDIATE",
        # How long a writer waits for another's transaction to end (SQLite's busy timeout).
        "timeout": LOCK_WAIT,
        # Write-ahead log: readers never wait for the writer, nor it for them. NORMAL syncs the
        # log at checkpoints rather than at each commit; in WAL mode that cannot corrupt the
        # database, a power cut can only lose the last commits.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


def is_locked(error: BaseException) -> bool:
    """Whether ``error`` is the database saying it stayed locked ("database is locked",
    "database table is locked"), as against a broken query or a lost connection."""
    return isinstance(error, OperationalError) and "is locked" in str(error).lower()


def wants_json(request: HttpRequest) -> bool:
    """Whether the answer to ``request`` should be JSON: the API's, or a client asking so."""
    accept = request.headers.get("Accept", "")
    return is_api_request(request) or accept.startswith("application/json")


def locked_response(request: HttpRequest) -> HttpResponse:
    """503 Service Unavailable with ``Retry-After``: JSON in the API's shape for the API, a
    short page for people. Nothing in it about the database or the request."""
    detail = _(
        "coopcare is busy saving data at this moment and could not finish your request. "
        "Please try again in a few seconds."
    )
    if wants_json(request):
        response: HttpResponse = json_error(503, "busy", detail)
    else:
        title = _("Busy for a moment")
        page = format_html(
            '<!doctype html><html lang="{}" dir="{}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>{}</title></head><body><h1>{}</h1><p>{}</p></body></html>",
            get_language() or "en",
            "rtl" if get_language_bidi() else "ltr",
            title,
            title,
            detail,
        )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class LockedDatabaseMiddleware:
    """Answers 503 with ``Retry-After`` to a request whose view found the database locked.

    Put it last in ``MIDDLEWARE``: it sees the view's exception first, and its answer still
    goes out through the other middleware (security headers, language). Other errors go on
    to Django's usual handling."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        """The 503 answer for a locked database; None (Django goes on) for anything else."""
        if not is_locked(exception):
            return None
        log.warning("database locked, answered 503: %s %s", request.method, request.path)
        return locked_response(request)
