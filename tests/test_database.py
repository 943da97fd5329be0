"""The database under concurrent writes: SQLite's options make writers queue, and a request
that still finds the database locked gets 503 with Retry-After, not 500."""

import json
import threading
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.utils import OperationalError
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from coopcare.accounts.models import ApiToken
from coopcare.cooperatives.models import Role
from coopcare.database import RETRY_AFTER, is_locked, sqlite_options
from coopcare.visits import api as visits_api
from tests import factories


def locked(request):
    raise OperationalError("database is locked")


def broken(request):
    raise OperationalError("no such table: visits_visit")


def fine(request):
    return HttpResponse("ok")


# The views above, at addresses like the app's and the API's (ROOT_URLCONF in the tests).
urlpatterns = [
    path("c/cura/today/", locked),
    path("api/cooperatives/cura/check-ins", locked),
    path("broken/", broken),
    path("fine/", fine),
]

with_middleware = override_settings(ROOT_URLCONF=__name__)


@with_middleware
def test_a_locked_database_answers_a_page_503_with_retry_after(client, db):
    response = client.get("/c/cura/today/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "try again in a few seconds" in page
    assert "locked" not in page and "OperationalError" not in page


@with_middleware
def test_a_locked_database_answers_the_api_503_in_json(client, db):
    response = client.post("/api/cooperatives/cura/check-ins", {}, content_type="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    body = json.loads(response.content)
    assert body["code"] == "busy" and "try again" in body["detail"]


@with_middleware
def test_a_client_asking_for_json_gets_json(client, db):
    response = client.get("/c/cura/today/", headers={"Accept": "application/json"})
    assert response.status_code == 503 and json.loads(response.content)["code"] == "busy"


@with_middleware
def test_other_database_errors_are_not_hidden(client, db):
    with pytest.raises(OperationalError, match="no such table"):
        client.get("/broken/")
    assert client.get("/fine/").status_code == 200


def test_the_site_answers_a_locked_database_through_its_middleware():
    assert "coopcare.database.LockedDatabaseMiddleware" in settings.MIDDLEWARE


def test_the_api_answers_a_locked_database_503_too(client, coop, monkeypatch):
    """The API's own handlers answer every exception, so the middleware never sees the API's:
    its handler for database errors says 503 too."""
    _token, raw = ApiToken.issue(factories.user_with_role(coop, Role.COORDINATOR), "t")

    def stuck(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(visits_api, "visits_on_days", stuck)
    response = client.get("/api/cooperatives/cura/visits", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 503 and response["Retry-After"] == str(RETRY_AFTER)
    assert response.json()["code"] == "busy"


def test_is_locked():
    assert is_locked(OperationalError("database is locked"))
    assert is_locked(OperationalError("database table is locked: visits_visit"))
    assert not is_locked(OperationalError("disk I/O error"))
    assert not is_locked(RuntimeError("database is locked"))


# -- two connections on one SQLite file ---------------------------------------------------------

ALIAS = "sqlite_file"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """Open a fresh SQLite file with the given options under ``ALIAS`` (each thread gets its
    own connection to it, as each web request and the worker do)."""

    @contextmanager
    def opened(options: dict):
        connections.settings[ALIAS] = {
            **connections.settings["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "coopcare.sqlite3"),
            "OPTIONS": options,
            "CONN_MAX_AGE": 0,
            "TEST": {"NAME": None},
        }
        try:
            with django_db_blocker.unblock():
                with connections[ALIAS].cursor() as cursor:
                    cursor.execute("CREATE TABLE record (id INTEGER PRIMARY KEY, who TEXT)")
                yield
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]

    return opened


def test_the_options_are_those_of_a_connection(sqlite_file):
    with sqlite_file(sqlite_options()), connections[ALIAS].cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
        assert connections[ALIAS].transaction_mode == "IMMEDIATE"


def _write(who: str, read_first: bool = False, hold: float = 0, holding=None) -> None:
    """One write transaction on its own connection, as a request or the worker makes it;
    ``holding`` is set once it holds the write lock."""
    try:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            if read_first:  # as a check-in does: look at the visit, then write the record
                cursor.execute("SELECT count(*) FROM record").fetchone()
            cursor.execute("INSERT INTO record (who) VALUES (%s)", [who])
            if holding is not None:
                holding.set()
            time.sleep(hold)
    finally:
        connections[ALIAS].close()


def _check_ins_while_a_roster_is_written(
    count: int, batches: int, hold: float, pause: float
) -> list:
    """``count`` check-ins at once while another connection writes ``batches`` transactions
    of ``hold`` seconds with ``pause`` between them; what each check-in met (None: it saved)."""
    writing = threading.Event()
    outcomes = []

    def roster():
        for n in range(batches):
            _write(f"roster {n}", hold=hold, holding=writing)
            time.sleep(pause)

    def check_in(n):
        writing.wait()
        try:
            _write(f"check-in {n}", read_first=True)
            outcomes.append(None)
        except OperationalError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=roster)]
    threads += [threading.Thread(target=check_in, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_check_ins_queue_behind_a_roster_being_written(sqlite_file):
    with sqlite_file(sqlite_options()):
        outcomes = _check_ins_while_a_roster_is_written(20, batches=4, hold=0.3, pause=0.1)
        assert outcomes == [None] * 20
        with connections[ALIAS].cursor() as cursor:
            assert cursor.execute("SELECT count(*) FROM record").fetchone()[0] == 24


@pytest.mark.parametrize(
    "options",
    [
        # Waiting less than the writer holds the lock (as 5 s did against a long write).
        {**sqlite_options(), "timeout": 0.2},
        # DEFERRED: a check-in that read before the roster's commit cannot write after it.
        {key: value for key, value in sqlite_options().items() if key != "transaction_mode"},
    ],
    ids=["short-timeout", "deferred"],
)
def test_without_those_options_check_ins_fail_locked(sqlite_file, options):
    with sqlite_file(options):
        outcomes = _check_ins_while_a_roster_is_written(5, batches=2, hold=0.6, pause=0.1)
        assert any(error is not None and is_locked(error) for error in outcomes)
