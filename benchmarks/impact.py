"""A large cooperative in PostgreSQL: the year's indicators, and carers' phones at 50 at once.

    DATABASE_URL=postgres://... python -m benchmarks.impact [--carers 2000] [--people 5000]
        [--users 50] [--seconds 60] [--keep]

Loads a cooperative of 2,000 carers and 5,000 people cared for, each visited twice a day
since 1 January (about 3 M visits and 3 M visit records by late November), generated inside
PostgreSQL with ``generate_series``. Then prints:

1. the time to compute every indicator of the year (``impact.indicators.compute``);
2. the latency of the carer's "today" page and of the check-in API under 50 carers using
   their phones at once, each waiting a second between requests as a person would, served
   by gunicorn (3 workers x 4 threads) on loopback: p50, p95, max and requests per second.

The check-in of each carer's visit of the moment is new the first time and a resend of the
same client id after (the offline-tolerant path phones take when a network drops), so every
call reads the visit, the carer's roster and the record. The data is removed at the end
unless ``--keep``.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--carers", type=int, default=2000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--users", type=int, default=50, help="carers using the app at once")
    parser.add_argument("--seconds", type=int, default=60, help="length of the load test")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--keep", action="store_true", help="leave the data in the database")
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
    coop, counts = impact_data.load(args.carers, args.people)
    print(
        f"Loaded in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{n:,} {what}" for what, n in counts.items())
    )
    try:
        indicators(coop)
        phones(coop, args.users, args.seconds, args.think)
    finally:
        if not args.keep:
            impact_data.remove(coop)
    return 0


def indicators(coop) -> None:
    from django.utils import timezone

    from coopcare.impact.indicators import INDICATORS

    year = timezone.localdate().year
    start, end = date(year, 1, 1), date(year, 12, 31)
    print(f"\nAnnual indicators {year} (target: all in 10 s)")
    total = 0.0
    for indicator in INDICATORS:
        began = time.perf_counter()
        figure = indicator.compute(coop, start, end)
        took = time.perf_counter() - began
        total += took
        print(f"  {indicator.key:<24} {took:6.2f} s   {figure.value}")
    print(f"  {'all':<24} {total:6.2f} s")


def phones(coop, users: int, seconds: int, think: float) -> None:
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
    server = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "coopcare.wsgi",
            "--workers=3",
            "--threads=4",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env,
    )
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
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait()
    print(
        f"\n{users} carers at once for {seconds} s, {think} s between requests "
        "(target: p95 at most 150 ms)"
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
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            response.read()
            latencies[name].append(time.perf_counter() - began)
            if response.status not in ok:
                failures.append(f"{name} {response.status}")
            time.sleep(think)


if __name__ == "__main__":
    sys.exit(main())
