"""Seeing coopcare run: request ids and JSON logs, Prometheus metrics, and the health check.

- Every request gets an id: the reverse proxy's ``X-Request-ID`` when it sends a sane one,
  else a new one. It is on the response's ``X-Request-ID`` header and on every log line written
  while the request is served (``RequestIdFilter``), so a proxy's line, coopcare's lines and a
  person's report ("it said error at 10:02") can be matched.
- Logs are JSON lines (``JsonLines``, python-json-logger) through the standard logging config
  in ``settings.LOGGING``. The line each request ends with names the view, never the path: paths
  hold record ids and the calendar's secret tokens. Nothing here logs who asked or what for.
- ``/metrics`` (Prometheus' text format, through the Prometheus project's ``prometheus-client``)
  counts requests by view and status with their latency, and reads from the database, when
  scraped, the roster runs by status and the task queue's depth and oldest task. Only
  ``METRICS_ALLOWED_IPS`` or a bearer ``METRICS_TOKEN`` may read it.
- ``/health/`` says, without a login and without personal data, whether the database answers
  and how the queue stands: 200 when the database answers, 503 when it does not.
"""

import contextvars
import hmac
import ipaddress
import logging
import re
import time
import uuid
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from coopcare.accounts.ratelimit import client_ip

log = logging.getLogger("coopcare.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# An id taken from the proxy is written into logs and headers: letters, digits and a few
# separators only, so it can neither forge a log line nor split a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
NO_REQUEST = "-"

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

REQUESTS = Counter(
    "coopcare_http_requests",
    "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "coopcare_http_request_duration_seconds",
    "Time from the request reaching the views' middleware to its answer, by view.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def request_id() -> str:
    """The id of the request being served (or last served by this thread), or ``"-"`` where
    there was none (a worker, a command)."""
    return _request_id.get() or NO_REQUEST


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every log record, for the formatter to write."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):  # a record passed to a second handler keeps it
            record.request_id = request_id()
        return True


class JsonLines(JsonFormatter):
    """One JSON object a line: time, level, logger, message, request id, and a traceback when
    there is one. Django's request logger attaches the request itself; it is left out (its
    text is the path)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("timestamp", "time")  # ISO 8601, in UTC
        kwargs.setdefault("rename_fields", {"levelname": "level"})
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)


def view_name(request: HttpRequest) -> str:
    """The URL name of the view that answered (``care:person``), a label that never holds an
    id; ``unresolved`` for an address no view has."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"
    return match.view_name or match._func_path


class RequestMiddleware:
    """Gives the request its id, and once answered counts it, times it and logs one line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        # Set, never reset: Django logs a failed request's line after the middleware has
        # returned, and that line must carry the id too. The next request sets its own.
        _request_id.set(given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex)
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_name(request)
        REQUESTS.labels(view, request.method or "", str(response.status_code)).inc()
        LATENCY.labels(view).observe(elapsed)
        log.info(
            "%s %s %s",
            request.method,
            view,
            response.status_code,
            extra={
                "view": view,
                "method": request.method,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        response[REQUEST_ID_HEADER] = request_id()
        return response


def queue_state(now: datetime | None = None) -> tuple[int, float | None]:
    """The tasks waiting in the queue, and how many seconds the oldest has waited (None when
    none waits)."""
    # Imported here: the logging config loads this module before the models are ready.
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        depth=Count("pk"), oldest=Min("enqueued_at")
    )
    if waiting["oldest"] is None:
        return waiting["depth"], None
    return waiting["depth"], ((now or timezone.now()) - waiting["oldest"]).total_seconds()


class DatabaseCollector(Collector):
    """Figures read from the database when Prometheus scrapes: every process sees the same
    queue, so no process has to keep them."""

    def collect(self):
        """The queue's depth and oldest task, and the roster runs by status."""
        from coopcare.rostering.models import RosterRun, RunStatus

        depth, oldest = queue_state()
        yield GaugeMetricFamily(
            "coopcare_task_queue_depth", "Background tasks waiting for a worker.", value=depth
        )
        yield GaugeMetricFamily(
            "coopcare_task_queue_oldest_seconds",
            "How long the oldest waiting task has waited (0 when none waits).",
            value=oldest or 0,
        )
        runs = GaugeMetricFamily(
            "coopcare_roster_runs", "Roster runs recorded, by status.", labels=["status"]
        )
        counted = dict(RosterRun.objects.values_list("status").annotate(n=Count("pk")).order_by())
        for status in RunStatus.values:
            runs.add_metric([status], counted.get(status, 0))
        yield runs


def _may_read_metrics(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    address = client_ip(request)
    if address is None:
        return False
    found = ipaddress.ip_address(address)
    return any(
        found in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.METRICS_ALLOWED_IPS
    )


def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus metrics, for the addresses and the token the settings allow; 403 for
    anyone else."""
    if not _may_read_metrics(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    if settings.PROMETHEUS_MULTIPROC_DIR:
        # Under several server processes each writes its counts to files in that directory,
        # and any of them answers for all.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
    else:
        registry = REGISTRY
    from_database = CollectorRegistry()
    from_database.register(DatabaseCollector())
    body = generate_latest(registry) + generate_latest(from_database)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def health(request: HttpRequest) -> JsonResponse:
    """Whether this process reaches the database, and the queue's depth and oldest task. No
    login: it says nothing about anyone."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        depth, oldest = queue_state()
    except DatabaseError:
        log.exception("health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "queue": {
                "depth": depth,
                "oldest_seconds": None if oldest is None else round(oldest, 1),
            },
        }
    )
