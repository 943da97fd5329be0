"""The federation's view over many cooperatives of the demo's size: how long it takes.

    [DATABASE_URL=...] python -m benchmarks.federation [--cooperatives 50] [--runs 5]
        [--seed 1] [--keep] [--reuse]

Loads a federation of ``--cooperatives`` home care cooperatives of the demo's sizes
(``benchmarks.federation_data``: 60 carers and 150 people, 14 and 35, 10 and 24, in turn; the
last quarter that has ended and this one so far of visits, records, invoices and payments) in
bulk into the database DATABASE_URL names (a SQLite file or PostgreSQL; by default a SQLite
file in a temporary directory), or with ``--reuse`` measures the federation an earlier run with
``--keep`` left. Then prints what the figures depend on (the database and its version, Python
and Django, the cores and load average) and, for the federation's default period (the last
quarter that has ended), ``--runs`` times after a first:

1. the federation's figures (``impact.federation.figures``: every cooperative's indicators,
   the totals and the medians, the code the page uses): min, median and max, and queries;
   with the median processor time of both (``time.process_time``: SQLite runs in this process,
   so it counts the database too, and it depends less than the time on what else the machine
   runs, PostgreSQL's work excepted);
2. the page itself, served through Django's test client (no network, no web server) for the
   federation's analyst: min, median and max, and queries;
3. the slowest indicators: each computed for every cooperative, as ``figures`` computes it.

Target (issue 27): the federation's view over 50 cooperatives of demo size in at most 5 s.
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

TARGET_S = 5.0


class Counted(list):
    """Database queries run while it wraps the connection (``execute_wrapper``)."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cooperatives", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the first")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--keep", action="store_true", help="leave the data in the database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the federation a run with --keep left"
    )
    args = parser.parse_args()
    # The test client asks for "testserver" over plain HTTP, with production settings.
    os.environ |= {"DEBUG": "", "COOPCARE_PLAIN_HTTP": "1", "ALLOWED_HOSTS": "testserver"}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopcare.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + uuid.uuid4().hex)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'federation.sqlite3'}")
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from benchmarks import federation_data

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        if args.reuse:
            federation, counts = federation_data.kept()
            how = "Kept from an earlier run"
        else:
            federation, counts = federation_data.load(
                args.cooperatives, args.seed, timezone.localdate()
            )
            how = f"Loaded in {time.perf_counter() - started:.0f} s"
        print(f"{how}: " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
        try:
            conditions()
            measure(federation, args.runs)
        finally:
            if not args.keep:
                federation_data.remove()
    return 0


def conditions() -> None:
    """The database and its version, Python's and Django's, the cores and load average."""
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    print(
        f"\n{database}; Python {sys.version.split()[0]}, Django {django.get_version()}\n"
        f"Machine: {os.cpu_count()} cores, load average "
        + " ".join(f"{n:.1f}" for n in os.getloadavg())
    )


def _spread(times: list[float]) -> str:
    return (
        f"min {min(times):6.2f} s  median {statistics.median(times):6.2f} s  "
        f"max {max(times):6.2f} s"
    )


def measure(federation, runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from benchmarks.federation_data import ANALYST
    from coopcare.impact import federation as federation_figures
    from coopcare.impact.indicators import INDICATORS, compute

    period = federation_figures.reporting_periods(timezone.localdate())[0]
    cooperatives = list(federation.cooperatives.order_by("name"))
    print(
        f"\nThe federation's view of {period.key} ({period.start} to {period.end}), "
        f"{len(cooperatives)} cooperatives; {runs} runs after the first "
        f"(issue 27's target: at most {TARGET_S:.0f} s)"
    )

    def figures() -> None:
        federation_figures.figures(federation, period.start, period.end)

    queries = Counted()
    with connection.execute_wrapper(queries):
        figures()
    times, processor = [], []
    for _ in range(runs):
        began, used = time.perf_counter(), time.process_time()
        figures()
        times.append(time.perf_counter() - began)
        processor.append(time.process_time() - used)
    print(
        f"  figures  {_spread(times)}  {len(queries):6,} queries; "
        f"processor median {statistics.median(processor):.2f} s"
    )

    # Served here, each request would log its line among the figures, and whitenoise would
    # warn that no static files were collected.
    logging.getLogger("coopcare.requests").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", "No directory at")
    client = Client()
    client.force_login(get_user_model().objects.get(username=ANALYST))
    url = reverse("federation", kwargs={"federation": federation.slug})
    queries = Counted()
    with connection.execute_wrapper(queries):
        response = client.get(url)
    if response.status_code != 200:
        print(f"{url} answered {response.status_code}.", file=sys.stderr)
        return
    times, processor = [], []
    for _ in range(runs):
        began, used = time.perf_counter(), time.process_time()
        client.get(url)
        times.append(time.perf_counter() - began)
        processor.append(time.process_time() - used)
    print(
        f"  page     {_spread(times)}  {len(queries):6,} queries; "
        f"processor median {statistics.median(processor):.2f} s; "
        f"{len(response.content) // 1024:,} KiB"
    )

    print("\nThe slowest indicators, each for every cooperative (one run):")
    taken = []
    for indicator in INDICATORS:
        queries = Counted()
        began = time.perf_counter()
        with connection.execute_wrapper(queries):
            for coop in cooperatives:
                if indicator.applies(coop):
                    indicator.compute(coop, period.start, period.end)
        taken.append((time.perf_counter() - began, len(queries), indicator.key))
    for took, count, key in sorted(taken, reverse=True)[:8]:
        print(f"  {key:<24} {took:6.2f} s  {count:5,} queries")
    began = time.perf_counter()
    for coop in cooperatives:
        compute(coop, period.start, period.end)
    print(f"  {'all, shared reads once':<24} {time.perf_counter() - began:6.2f} s")
    print("\nLoad average after: " + " ".join(f"{n:.1f}" for n in os.getloadavg()))


if __name__ == "__main__":
    sys.exit(main())
