"""The coordinator's slowest pages on the demo cooperative: how long each takes to serve.

    python -m benchmarks.pages [--runs 15] [--seed 1] [--db PATH] [--profile NAME]

Seeds the demo federation (as ``coopcare demo`` does) into a fresh SQLite database in a
temporary directory, or uses the demo already seeded in ``--db``. Then, logged in as
``coordinator`` through Django's test client (no network, no web server: the time is the
app's), serves each page once (the first request, which draws the report's charts) and then
``--runs`` times more, and prints the time of the first, the median, the 95th percentile and
the slowest of the others, the median processor time of the others (``time.process_time``:
SQLite runs in the same process, so it counts the database too, and it depends less than the
time on what else the machine runs), the number of database queries of one request and the
load average before and after: continuity of
care (the roster's four weeks), working time (breaches past and planned) and the annual
social report (target: each under 300 ms). ``--profile NAME`` prints where one request to
the page NAME spends its time instead (cProfile: the 30 costliest calls of coopcare's own
code, with what they call).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

PAGES = {
    "continuity": "rostering:continuity",
    "working_time": "work:working_time",
    "report": "impact:report_now",
}
TARGET_MS = 300


class Counted(list):
    """Database queries run while it wraps the connection (``execute_wrapper``): with DEBUG
    off, the connection keeps none, and each request starts by forgetting them anyway."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="requests timed per page")
    parser.add_argument("--seed", type=int, default=1, help="the demo's random seed")
    parser.add_argument("--db", type=Path, help="a SQLite file the demo is already seeded in")
    parser.add_argument("--profile", choices=PAGES, help="profile one request to this page")
    args = parser.parse_args()
    # The test client asks for "testserver" over plain HTTP, with production settings.
    os.environ |= {"DEBUG": "", "COOPCARE_PLAIN_HTTP": "1", "ALLOWED_HOSTS": "testserver"}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopcare.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + uuid.uuid4().hex)
    with tempfile.TemporaryDirectory() as folder:
        database = args.db.resolve() if args.db else Path(folder) / "pages.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        # The demo's documents go with the database, not into the working directory's media/.
        os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")
        import django

        django.setup()
        if not args.db:
            from django.core.management import call_command

            from coopcare.demo import seed as demo

            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            demo.seed(args.seed, date.today())
            print(f"Demo seeded in {time.perf_counter() - started:.0f} s")
        return run(args)


def run(args) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from coopcare.cooperatives.models import Cooperative
    from coopcare.demo import seed as demo
    from coopcare.visits.models import Visit

    coop = Cooperative.objects.get(name=demo.MAIN.name)
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    urls = {name: reverse(url, kwargs={"coop": coop.slug}) for name, url in PAGES.items()}
    if args.profile:
        client.get(urls[args.profile])
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(urls[args.profile])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("coopcare", 30)
        return 0
    visits = Visit.objects.filter(cooperative=coop).count()
    print(
        f"{coop.name}: {visits:,} visits; {args.runs} requests a page after the first, "
        f"as coordinator (target: each under {TARGET_MS} ms)\n"
    )
    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(
        f"  {'page':<14} {'first ms':>8} {'median ms':>9} {'p95 ms':>7} {'max ms':>7} "
        f"{'cpu ms':>7} {'queries':>7}"
    )
    for name, url in urls.items():
        queries = Counted()
        began = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = client.get(url)
        first = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            print(f"{url} answered {response.status_code}.", file=sys.stderr)
            return 1
        times, processor = [], []
        for _ in range(args.runs):
            began, used = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            processor.append((time.process_time() - used) * 1000)
        times.sort()
        p95 = times[max(round(len(times) * 0.95) - 1, 0)]
        median = statistics.median(times)
        print(
            f"  {name:<14} {first:8.0f} {median:9.0f} {p95:7.0f} {times[-1]:7.0f} "
            f"{statistics.median(processor):7.0f} {len(queries):7}"
        )
    print(f"\nLoad average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
