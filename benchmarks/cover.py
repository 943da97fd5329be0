"""Cover for a carer off sick, on the demo cooperative: how long the proposal takes.

    python -m benchmarks.cover [--runs 5] [--seconds 2] [--seed 1] [--database PATH]

Seeds the demo federation (as ``coopcare demo`` does: this week's roster planned and
published) into a fresh SQLite database in a temporary directory, makes the carer with the
most visits tomorrow sick for that day, and times ``rostering.services.cover.propose`` several
times (each run a new proposal, as a coordinator pressing "Propose cover" again would). Prints
the median and the range, and what the proposal found: visits covered, left without cover,
other visits moved. ``--seconds`` is the search limit of each pass of the repair.
``--database`` keeps the seeded database at PATH and reuses it on the next run, which then
skips the seeding (minutes) to time the proposal alone.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

NOTE = "benchmarks.cover"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="proposals timed (default 5)")
    parser.add_argument("--seconds", type=float, default=None, help="search limit per pass")
    parser.add_argument("--seed", type=int, default=1, help="the demo's random seed")
    parser.add_argument("--database", type=Path, help="seeded database to keep and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or Path(folder) / "cover.sqlite3"
        args.seeded = database.exists()
        os.environ["DATABASE_URL"] = f"sqlite:///{database.resolve()}"
        # The demo's documents go with the database, not into the working directory's media/.
        os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopcare.settings")
        os.environ.setdefault("SECRET_KEY", "benchmark-only-" + uuid.uuid4().hex)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return run(args)


def run(args) -> int:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from coopcare.cooperatives.models import Cooperative
    from coopcare.demo import seed as demo
    from coopcare.rostering.models import Absence, AbsenceKind
    from coopcare.rostering.services import cover
    from coopcare.rostering.services.availability import add_absence
    from coopcare.visits.models import Visit, VisitCarer
    from coopcare.work.queries import between_days

    started = time.perf_counter()
    if not args.seeded:
        demo.seed(args.seed, date.today())
        took = time.perf_counter() - started
        print(f"Demo seeded (roster planned and published) in {took:.0f} s")
    coop = Cooperative.objects.get(name=demo.MAIN.name)
    tomorrow = date.today() + timedelta(days=1)
    # A reused database's carer sick from an earlier run is back, so the same carer is timed.
    Absence.objects.filter(cooperative=coop, note=NOTE).delete()
    away = Absence.objects.filter(
        cooperative=coop, first_day__lte=tomorrow, last_day__gte=tomorrow
    ).values_list("carer", flat=True)
    busiest = (
        VisitCarer.objects.filter(
            visit__cooperative=coop, **between_days("visit__starts_at", tomorrow, tomorrow)
        )
        .exclude(carer__in=away)
        .values("carer")
        .annotate(visits=Count("visit"))
        .order_by("-visits", "carer")
        .first()
    )
    if busiest is None:
        print("No published visit tomorrow: run it earlier in the week.", file=sys.stderr)
        return 1
    carer = get_user_model().objects.get(pk=busiest["carer"])
    coordinator = get_user_model().objects.get(username="coordinator")
    absence, left = add_absence(
        coop,
        carer,
        {"kind": AbsenceKind.SICKNESS, "first_day": tomorrow, "last_day": tomorrow, "note": NOTE},
    )
    day_visits = Visit.objects.filter(
        cooperative=coop, carers__isnull=False, **between_days("starts_at", tomorrow, tomorrow)
    ).distinct()
    seconds = cover.SECONDS if args.seconds is None else args.seconds
    carers = day_visits.values("carers").distinct().count()
    print(
        f"{coop.name}, {tomorrow}: {day_visits.count()} rostered visits, {carers} carers "
        f"with visits; one carer sick with {left} visits; search limit {seconds:g} s a pass\n"
    )
    print(f"{'run':>3} {'seconds':>8} {'covered':>8} {'no cover':>9} {'moved':>6}")
    times = []
    for number in range(1, args.runs + 1):
        began = time.perf_counter()
        proposal = cover.propose(absence, coordinator, seconds)
        took = time.perf_counter() - began
        times.append(took)
        changes = list(proposal.changes.annotate(given=Count("carers")))
        covered = sum(c.covers and c.given > 0 for c in changes)
        uncovered = sum(c.covers and c.given == 0 for c in changes)
        moved = sum(not c.covers for c in changes)
        print(f"{number:>3} {took:>8.2f} {covered:>8} {uncovered:>9} {moved:>6}")
    print(
        f"\nmedian {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}) over {len(times)} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
