"""A large cooperative in PostgreSQL: the year's indicators, and carers' phones at once.

    DATABASE_URL=postgres://... python -m benchmarks.impact [--carers 2000] [--people 5000]
        [--users 50 [200 ...]] [--seconds 60] [--workers 3] [--threads 4] [--keep] [--reuse]

Loads a cooperative of 2,000 carers and 5,000 people cared for, each visited twice a day
since 1 January (about 3 M visits and 3 M visit records by late November), generated inside
PostgreSQL with ``generate_series``, then analysed. Then prints:

0. what the figures depend on: PostgreSQL's version and planner settings, when the visit
   tables were analysed, the cores and load average, gunicorn's workers and threads;

1. the time to compute every indicator of the year (``impact.indicators.compute``), and the
   whole social report (``impact.report.build``);
2. one carer's "today" page alone, served in this process: its time, how much of it the
   database took, and its slowest queries; then the median processor time of one today page
   and of one check-in API call, each served ``PROCESSOR_RUNS`` times in this process after a
   warm-up (``time.process_time``: PostgreSQL runs apart, so it is the app's own work, and
   it depends far less than the wall times on what else the machine runs);
3. the latency of the carer's "today" page and of the check-in API under 50 carers (or each
   number ``--users`` gives) using their phones at once, each waiting a second between
   requests as a person would, served by gunicorn (3 workers x 4 threads, or ``--workers``
   and ``--threads``) on loopback: p50, p95, max, requests per second, failures, and the
   share of the cores the phones and gunicorn used meanwhile. gunicorn's log (a line per
   request) goes to a file it names.

The check-in of each carer's visit of the moment is new the first time and a resend of the
same client id after (the offline-tolerant path phones take when a network drops), so every
call reads the visit, the carer's roster and the record. The data is removed at the end
unless ``--keep``; ``--reuse`` measures the cooperative a run with ``--keep`` left, without
loading it again (the load is most of a run's time at full size).
"""

import argparse
import http.client
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from datetime import date
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--carers", type=int, default=2000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument(
        "--users", type=int, nargs="+", default=[50], help="carers using the app at once"
    )
    parser.add_argument("--seconds", type=int, default=60, help="length of the load test")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn's worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads of each worker")
    parser.add_argument("--keep", action="store_true", help="leave the data in the database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the data a run with --keep left"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("benchmarks.impact needs DATABASE_URL pointing at PostgreSQL.", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopcare.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + uuid.uuid4().hex)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from benchmarks import impact_data

    started = time.perf_counter()
    if args.reuse:
        coop, counts = impact_data.kept()
        how = "Kept from an earlier run"
    else:
        coop, counts = impact_data.load(args.carers, args.people)
        how = f"Loaded in {time.perf_counter() - started:.0f} s"
    print(f"{how}: " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
    try:
        conditions(args.workers, args.threads)
        indicators(coop)
        where_the_time_goes(coop)
        processor_time(coop)
        for users in args.users:
            phones(coop, users, args.seconds, args.think, args.workers, args.threads)
    finally:
        if not args.keep:
            impact_data.remove(coop)
    return 0


# What the figures depend on: the same benchmark ran four times slower on a PostgreSQL with
# its packaged defaults, without statistics on the loaded tables, or beside other work.
SETTINGS = (
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "random_page_cost",
    "jit",
    "max_parallel_workers_per_gather",
)


def conditions(workers: int, threads: int) -> None:
    """Print the PostgreSQL version and settings, when the loaded tables were last analysed,
    and the machine's cores and load average."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        shown = []
        for name in SETTINGS:
            cursor.execute(f"SHOW {name}")
            shown.append(f"{name}={cursor.fetchone()[0]}")
        cursor.execute(
            "SELECT relname, greatest(last_analyze, last_autoanalyze) FROM pg_stat_user_tables"
            " WHERE relname IN ('visits_visit', 'visits_visit_carers', 'visits_visitrecord')"
            " ORDER BY relname"
        )
        analysed = ", ".join(f"{table} {at:%H:%M:%S}" if at else f"{table} never"
                             for table, at in cursor.fetchall())  # fmt: skip
    print(f"\nPostgreSQL {version}: " + ", ".join(shown))
    print(f"Statistics (ANALYZE after loading): {analysed}")
    print(
        f"Machine: {os.cpu_count()} cores, load average "
        + " ".join(f"{n:.1f}" for n in os.getloadavg())
        + f"; gunicorn {workers} workers x {threads} threads"
    )


def indicators(coop) -> None:
    from django.utils import timezone

    # survey_satisfaction imports the federation's module, and with it the charts' library:
    # seconds of importing, once, that are no indicator's.
    import coopcare.impact.federation  # noqa: F401
    from coopcare.impact import report
    from coopcare.impact.indicators import INDICATORS

    year = timezone.localdate().year
    start, end = date(year, 1, 1), date(year, 12, 31)
    print(f"\nAnnual indicators {year} (target: each in 2 s)")
    total = 0.0
    for indicator in INDICATORS:
        began = time.perf_counter()
        figure = indicator.compute(coop, start, end)
        took = time.perf_counter() - began
        total += took
        print(f"  {indicator.key:<24} {took:6.2f} s   {figure.value}")
    print(f"  {'all':<24} {total:6.2f} s")
    # The whole social report as its page builds it for a reader who sees billing: every
    # indicator, what several read shared once, the hours by month and the charts.
    began = time.perf_counter()
    report.build(coop, year, timezone.localdate(), billing=True)
    took = time.perf_counter() - began
    print(f"  {'social report':<24} {took:6.2f} s   (target: 5 s)")


def where_the_time_goes(coop) -> None:
    """One carer's "today" page served in this process, alone: its time, its queries and
    their time in the database, and the slowest of them (the rest is Python and the
    template)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.impact_data import SLUG

    # Served here, the page would log its line among the figures, and whitenoise would warn
    # that no static files were collected.
    logging.getLogger("coopcare.requests").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", "No directory at")
    carer = get_user_model().objects.filter(username__startswith=f"{SLUG}-carer").first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(carer, backend="django.contrib.auth.backends.ModelBackend")
    path = f"/c/{coop.slug}/today/"
    client.get(path, secure=True)  # the session's first page also reads what it remembers
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        status = client.get(path, secure=True).status_code
        took = time.perf_counter() - began
    in_sql = sum(float(q["time"]) for q in queries)
    print(
        f"\nOne carer's today page alone ({status}): {took * 1000:.0f} ms, {len(queries)}"
        f" queries taking {in_sql * 1000:.0f} ms in the database; the slowest:"
    )
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
        tables, _where, condition = query["sql"].partition(" FROM ")[2].partition(" WHERE ")
        print(f"  {float(query['time']) * 1000:5.0f} ms  FROM {tables[:90]}")
        print(f"  {'':8} WHERE {condition[:90]}")


# Requests timed per path by ``processor_time``, after ``WARM_UP`` untimed ones.
PROCESSOR_RUNS, WARM_UP = 200, 20


def processor_time(coop) -> None:
    """The median processor time of one carer's today page and of one check-in API call (a
    resend of the same client id after the first, as under load), served in this process with
    production settings: what each request costs the server's cores, whatever the load."""
    from django.test import Client

    from benchmarks import impact_data

    phone = impact_data.phones(coop, 1)[0]
    page = Client(HTTP_HOST="localhost")
    page.cookies["sessionid"] = phone.cookie
    api = Client(HTTP_HOST="localhost")
    body = {"client_id": phone.client_id, "at": phone.at.isoformat()}
    calls = {
        "today page": lambda: page.get(f"/c/{coop.slug}/today/", secure=True),
        "check-in API": lambda: api.post(
            f"/api/cooperatives/{coop.slug}/visits/{phone.visit_id}/check-in",
            body,
            content_type="application/json",
            secure=True,
            HTTP_AUTHORIZATION=f"Bearer {phone.token}",
        ),
    }
    print(f"\nProcessor time of one request served here ({PROCESSOR_RUNS} after {WARM_UP}):")
    for name, call in calls.items():
        for _ in range(WARM_UP):
            call()
        used = []
        for _ in range(PROCESSOR_RUNS):
            began = time.process_time()
            status = call().status_code
            used.append(time.process_time() - began)
        print(f"  {name:<14} median {statistics.median(used) * 1000:5.1f} ms ({status})")


def phones(coop, users: int, seconds: int, think: float, workers: int, threads: int) -> None:
    from benchmarks import impact_data

    sessions = impact_data.phones(coop, users)
    port = 8765
    # Pages only: no collected static files to serve, and no need for whitenoise to say so.
    # Production settings, served over plain HTTP on loopback (no TLS in front of gunicorn).
    # The simulated phones all come from 127.0.0.1, where in life each has its own address:
    # the per-address limits are raised so that they measure the app, not the limiter.
    env = os.environ | {
        "DEBUG": "",
        "COOPCARE_PLAIN_HTTP": "1",
        "API_RATE_LIMIT_PER_ADDRESS": "1000000/m",
        "LOGIN_FAILURES_PER_ADDRESS": "1000000/m",
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    log = tempfile.NamedTemporaryFile(prefix="impact-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115 - gunicorn writes it until the end
    server = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "coopcare.wsgi",
            f"--workers={workers}",
            f"--threads={threads}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env,
        stderr=log,
    )
    print(f"\n(gunicorn's log: {log.name})")
    try:
        _wait_for(port)
        # Each worker loads the app on its first requests: warm them all before measuring.
        for _ in range(12):
            _wait_for(port, f"/c/{coop.slug}/today/")
        latencies = {"today page": [], "check-in API": []}
        failures: list[str] = []
        stop = time.monotonic() + seconds
        threads = [
            threading.Thread(
                target=_carer, args=(port, coop.slug, s, stop, think, latencies, failures)
            )
            for s in sessions
        ]
        began, cpu_began = time.monotonic(), time.process_time()
        server_began = _cpu_seconds(server.pid)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        # The simulated phones share the cores with the server and the database.
        phones_cpu = time.process_time() - cpu_began
        server_cpu = _cpu_seconds(server.pid) - server_began
        load = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait()
        log.close()
    print(
        f"\n{users} carers at once for {seconds} s, {think} s between requests "
        "(issue 27's targets: p95 at most 100 ms for the page, 60 ms for the API)"
    )
    print(f"  {'':<14} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for name, times in latencies.items():
        ms = sorted(t * 1000 for t in times)
        p95 = ms[int(len(ms) * 0.95) - 1] if ms else float("nan")
        print(f"  {name:<14} {len(ms):>8} {statistics.median(ms):7.0f} {p95:7.0f} {ms[-1]:7.0f}")
    done = sum(len(t) for t in latencies.values())
    print(
        f"  {done / elapsed:.1f} requests a second; {len(failures)} failed"
        + (f" (first: {failures[0]})" if failures else "")
    )
    cores = os.cpu_count() or 1
    print(
        f"  CPU of the {cores} cores: the simulated phones {phones_cpu / elapsed / cores:.0%},"
        f" gunicorn {server_cpu / elapsed / cores:.0%}; load average {load:.1f} at the end"
    )


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` and its children (gunicorn and its workers),
    from Linux's /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += _cpu_seconds(int(child))
    # utime and stime, the 14th and 15th fields, after the command's closing parenthesis.
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return total + (int(fields[11]) + int(fields[12])) / ticks


def _wait_for(port: int, path: str = "/accounts/login/") -> None:
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _carer(port, slug, session, stop, think, latencies, failures) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cookie = {"Cookie": f"sessionid={session.cookie}"}
    api = {"Authorization": f"Bearer {session.token}", "Content-Type": "application/json"}
    body = (
        '{"client_id": "%s", "at": "%s"}' % (session.client_id, session.at.isoformat())  # noqa: UP031
    )
    while time.monotonic() < stop:
        for name, method, path, headers, data, ok in (
            ("today page", "GET", f"/c/{slug}/today/", cookie, None, {200}),
            ("check-in API", "POST", f"/api/cooperatives/{slug}/visits/{session.visit_id}/check-in",
             api, body, {200, 201}),
        ):  # fmt: skip
            began = time.perf_counter()
            try:
                connection.request(method, path, body=data, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                # A request that timed out or whose worker gunicorn killed is a failure to
                # count, not the end of this phone: it connects again.
                failures.append(f"{name} {type(error).__name__}")
                connection.close()
            else:
                latencies[name].append(time.perf_counter() - began)
                if response.status not in ok:
                    failures.append(f"{name} {response.status}")
            time.sleep(think)


if __name__ == "__main__":
    sys.exit(main())
