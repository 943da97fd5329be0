"""Seeing it run: the health check, the Prometheus metrics and who may read them, request ids
and the JSON log lines."""

import json
import logging
from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coopcare import monitoring
from coopcare.rostering.models import RosterRun, RunStatus
from tests import factories


def queued(minutes_ago: int) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="coopcare.rostering.services.runs.plan_roster",
        backend_name="default",
        run_after=timezone.now(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return task


@pytest.mark.django_db
def test_health_answers_the_database_and_the_queue_without_a_login(client):
    queued(minutes_ago=3)
    queued(minutes_ago=1)
    done = queued(minutes_ago=30)
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == body["database"] == "ok"
    assert body["queue"]["depth"] == 2  # the finished task no longer waits
    assert 180 <= body["queue"]["oldest_seconds"] < 240
    assert set(body) == {"status", "database", "queue"}  # nothing about anyone


@pytest.mark.django_db
def test_health_with_an_empty_queue_has_no_oldest_task(client):
    assert client.get("/health/").json()["queue"] == {"depth": 0, "oldest_seconds": None}


@pytest.mark.django_db
def test_health_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def down(now=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(monitoring, "queue_state", down)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_status_and_read_the_queue_and_runs(
    client, coordinator, coop
):
    queued(minutes_ago=2)
    RosterRun.objects.create(
        cooperative=coop,
        first_day=timezone.localdate(),
        last_day=timezone.localdate(),
        seconds_per_day=5,
        requested_by=coordinator,
        status=RunStatus.DONE,
    )
    client.get("/health/")
    client.get("/no/such/page/")

    text = client.get("/metrics").content.decode()

    assert 'coopcare_http_requests_total{method="GET",status="200",view="health"}' in text
    assert 'coopcare_http_requests_total{method="GET",status="404",view="unresolved"}' in text
    assert 'coopcare_http_request_duration_seconds_count{view="health"}' in text
    assert "coopcare_task_queue_depth 1.0" in text
    assert "coopcare_task_queue_oldest_seconds 1" in text  # 120 s and a little
    assert 'coopcare_roster_runs{status="done"} 1.0' in text
    assert 'coopcare_roster_runs{status="queued"} 0.0' in text


@pytest.mark.django_db
def test_metrics_are_refused_to_other_addresses_without_the_token(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    with override_settings(METRICS_ALLOWED_IPS=["203.0.113.0/24"]):
        assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200
        assert client.get("/metrics").status_code == 403  # 127.0.0.1 no longer listed
    with override_settings(METRICS_ALLOWED_IPS=[], METRICS_TOKEN="s3cret-token"):
        assert client.get("/metrics").status_code == 403
        wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess")
        assert wrong.status_code == 403
        right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
        assert right.status_code == 200


@pytest.mark.django_db
@override_settings(COOPCARE_BEHIND_PROXY=True)
def test_behind_the_proxy_the_metrics_go_by_the_client_not_the_proxy(client):
    # Every request comes from the proxy at 127.0.0.1: the client it names is who asks.
    outside = client.get("/metrics", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert outside.status_code == 403


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_one_is_made_otherwise(client):
    given = client.get("/health/", HTTP_X_REQUEST_ID="proxy-7f3a.1")
    assert given["X-Request-ID"] == "proxy-7f3a.1"
    made = client.get("/health/")
    other = client.get("/health/")
    assert len(made["X-Request-ID"]) == 32
    assert made["X-Request-ID"] != other["X-Request-ID"]
    # An id that could forge a log line or a header is replaced.
    forged = client.get("/health/", HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}')
    assert len(forged["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_each_request_is_logged_as_json_with_its_id_and_view_never_its_path(
    client, coordinator, caplog
):
    factories.log_in(client, coordinator)
    formatter = monitoring.JsonLines()
    with caplog.at_level(logging.INFO, logger="coopcare.requests"):
        response = client.get("/calendar/secret-token-abc.ics", HTTP_X_REQUEST_ID="req-42")

    [record] = [r for r in caplog.records if r.name == "coopcare.requests"]
    monitoring.RequestIdFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "req-42"
    assert line["view"] == "calendar:feed"
    assert line["status"] == response.status_code
    assert line["method"] == "GET"
    assert line["level"] == "INFO"
    assert "time" in line and "duration_ms" in line
    assert "secret-token-abc" not in json.dumps(line)
    assert coordinator.username not in json.dumps(line)
    # Django's own line for the 404 is not written: it would name the path.
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_log_lines_outside_a_request_have_no_id(monkeypatch):
    monkeypatch.setattr(
        monitoring, "_request_id", monitoring.contextvars.ContextVar("fresh", default="")
    )
    record = logging.LogRecord(
        "coopcare", logging.WARNING, __file__, 1, "a worker's line", (), None
    )
    monitoring.RequestIdFilter().filter(record)
    assert json.loads(monitoring.JsonLines().format(record))["request_id"] == "-"
