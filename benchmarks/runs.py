"""Roster runs at scale: several cooperatives' runs at once, on PostgreSQL, with two workers.

    DATABASE_URL=postgres://... python -m benchmarks.runs [--workers 2] [--days 2]
        [--seconds 5] [--seed 1] [--keep]

Makes a new database beside the one ``DATABASE_URL`` names (the role needs CREATEDB), seeds
the demo federation into it (its three cooperatives: 60, 14 and 10 carers; the roster left
unplanned), then asks for a roster run of each cooperative over the next ``--days`` days with
``--seconds`` of search a day, all queued at once, and starts ``--workers`` ``coopcare worker``
processes. When the queue is empty it checks that each run is done and that its task was
taken by one worker, once (django-tasks-db claims a task with ``SELECT ... FOR UPDATE SKIP
LOCKED``, so two workers never take the same row), and prints the wall time from the first
worker's start to the last run's end, and each run's wait in the queue and time to run. The
database is dropped at the end unless ``--keep``.
"""

import argparse
import os
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--days", type=int, default=2, help="days in each run (default 2)")
    parser.add_argument("--seconds", type=int, default=5, help="search seconds a day (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="the demo's random seed")
    parser.add_argument("--keep", action="store_true", help="leave the database behind")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("benchmarks.runs needs DATABASE_URL pointing at PostgreSQL.", file=sys.stderr)
        return 2
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(url)
    name = f"coopcare_bench_runs_{uuid.uuid4().hex[:8]}"
    admin = dict(
        host=server["HOST"] or None,
        port=server["PORT"] or None,
        user=server["USER"] or None,
        password=server["PASSWORD"] or None,
        dbname=server["NAME"],
        autocommit=True,
    )
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopcare.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + uuid.uuid4().hex)
    os.environ["MEDIA_ROOT"] = str(Path("/tmp") / name / "media")  # noqa: S108
    # The demo's notices (applications, assemblies, complaints) are not the point here.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"Kept the database {name}.")
        else:
            with psycopg.connect(**admin) as connection:
                connection.execute(f'DROP DATABASE "{name}"')


def run(args) -> int:
    from django.contrib.auth import get_user_model
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from coopcare.cooperatives.models import Cooperative
    from coopcare.demo import seed as demo
    from coopcare.rostering.models import RosterRun, RunStatus
    from coopcare.rostering.services.runs import start_run

    started = time.perf_counter()
    demo.seed(args.seed, date.today(), roster=False)
    print(f"Demo seeded (three cooperatives, no roster) in {time.perf_counter() - started:.0f} s")
    coordinator = get_user_model().objects.get(username="coordinator")
    first = date.today() + timedelta(days=1)
    last = first + timedelta(days=args.days - 1)
    runs = {}
    for coop in Cooperative.objects.order_by("pk"):
        runs[coop.name] = start_run(coop, first, last, coordinator, args.seconds)
    print(
        f"{len(runs)} roster runs queued, {first}..{last}, {args.seconds} s of search a day; "
        f"{args.workers} workers"
    )

    began = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "coopcare.cli", "worker", "--interval", "0.5", "-v", "0"],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        for _ in range(args.workers)
    ]
    try:
        waiting = RosterRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
        while waiting.exists():
            time.sleep(0.5)
        wall = time.perf_counter() - began
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)

    print()
    print(f"{'cooperative':<22} {'visits':>6} {'status':<8} {'queued s':>8} {'run s':>7}  worker")
    problems = 0
    tasks = {task.args_kwargs["args"][0]: task for task in DBTaskResult.objects.all()}
    for coop_name, queued in runs.items():
        done = RosterRun.objects.get(pk=queued.pk)
        task = tasks[done.pk]
        visits = done.cooperative.visits.filter(
            starts_at__date__gte=first, starts_at__date__lte=last
        ).count()
        once = task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 1
        problems += done.status != RunStatus.DONE or not once
        wait = (done.started_at - done.requested_at).total_seconds()
        took = (done.finished_at - done.started_at).total_seconds()
        print(
            f"{coop_name:<22} {visits:>6} {done.status:<8} {wait:>8.1f} {took:>7.1f}  "
            f"{','.join(task.worker_ids)[:12]}{'' if once else '  (taken more than once!)'}"
        )
    print()
    print(f"wall time {wall:.1f} s for {len(runs)} runs on {args.workers} workers")
    print(f"each task taken by exactly one worker: {'yes' if not problems else 'NO'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
