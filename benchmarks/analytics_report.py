"""Time the outcome report and the team statistics on the scaled demo clinic.

Run from the repository root:

    .venv/bin/python benchmarks/analytics_report.py [--patients 100000]

With PAINREHAB_DB_HOST (and PAINREHAB_DB_PORT/NAME/USER/PASSWORD) set, it uses
that PostgreSQL database as it is (add `--load` to migrate and load the demo
clinic into it first). Without them it starts a throwaway PostgreSQL cluster
on 127.0.0.1 as scripts/test.sh does, migrates, loads
`load_demo_data --patients N --history-years 10` (ten years of episodes with
questionnaire answers and scored results), runs, and removes the cluster.

Prints the best of three wall times, for the largest unit, of: the outcome
report (every instrument of the outcomes page plus the sick-leave table,
registry series, all years — the heaviest selection), the same for one year,
and the team statistics for one year; then the same pages as whole HTTP
responses through Django's test client (selectors, template, audit), logged
in as the demo coordinator. The bar is under 2 s each.
"""

import argparse
import os
import subprocess
import sys
import time as stopwatch
from datetime import date
from pathlib import Path

from harness import django_setup, existing_cluster, postgres_cluster


def throwaway_cluster(args: argparse.Namespace) -> int:
    """Start PostgreSQL, run this script against it (with --load unless the
    cluster is one kept by benchmarks/server_times.py --keep), stop it."""
    command = [sys.executable, __file__, "--year", str(args.year)]
    if args.data_dir:
        with existing_cluster(Path(args.data_dir)) as cluster:
            return subprocess.run(command, env=cluster.env, check=False).returncode
    with postgres_cluster() as cluster:
        command += ["--load", "--patients", str(args.patients),
                    "--history-years", str(args.history_years)]  # fmt: skip
        return subprocess.run(command, env=cluster.env, check=False).returncode


def best_of_three(work) -> float:  # noqa: ANN001
    times = []
    for _ in range(3):
        started = stopwatch.perf_counter()
        work()
        times.append(stopwatch.perf_counter() - started)
    return min(times)


def benchmark(args: argparse.Namespace) -> int:
    django_setup()
    from django.core.management import call_command
    from django.db.models import Count

    if args.load:
        started = stopwatch.perf_counter()
        call_command("migrate", verbosity=0)
        call_command(
            "load_demo_data",
            patients=args.patients,
            history_years=args.history_years,
            verbosity=0,
        )
        print(
            f"loaded {args.patients} patients in {stopwatch.perf_counter() - started:.0f} s"
        )

    from django.test import Client

    from painrehab.accounts.models import User
    from painrehab.analytics.selectors import (
        outcome_report,
        sick_leave_report,
        team_statistics,
    )
    from painrehab.analytics.views import INSTRUMENTS
    from painrehab.pathway.models import Episode
    from painrehab.questionnaires.models import Answer, Result

    unit_id = (
        Episode.objects.values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["unit_id"]
    )
    year = args.year

    def outcomes(year: int | None = None) -> None:
        for code, subscale in INSTRUMENTS:
            outcome_report(unit=unit_id, code=code, subscale=subscale, year=year)
        sick_leave_report(unit=unit_id, year=year)

    def statistics() -> None:
        team_statistics(unit=unit_id, start=date(year, 1, 1), end=date(year, 12, 31))

    episodes = Episode.objects.filter(unit_id=unit_id).count()
    print(
        f"database: {Episode.objects.count()} episodes, {Result.objects.count()} "
        f"results, {Answer.objects.count()} answers; unit {unit_id}: {episodes} episodes"
    )
    client = Client()
    client.force_login(User.objects.get(username="koordinator"))

    def page(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    work = [
        ("outcome report, all years", outcomes),
        (f"outcome report, {year}", lambda: outcomes(year)),
        (f"team statistics, {year}", statistics),
        ("GET /statistik/utfall/", lambda: page("/statistik/utfall/")),
        (f"GET /statistik/?year={year}", lambda: page(f"/statistik/?year={year}")),
    ]
    for name, job in work:
        seconds = best_of_three(job)
        verdict = "ok" if seconds < 2 else "OVER THE 2 s BAR"
        print(f"{name:<30} {seconds:6.2f} s  {verdict}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    last_year = date.today().year - 1  # noqa: DTZ011 - the last whole year
    parser.add_argument("--year", type=int, default=last_year)
    parser.add_argument("--history-years", type=int, default=10)
    parser.add_argument("--load", action="store_true", help="migrate and load first")
    parser.add_argument(
        "--data-dir", help="a cluster kept by server_times.py --keep (no reload)"
    )
    args = parser.parse_args()
    if not os.environ.get("PAINREHAB_DB_HOST"):
        return throwaway_cluster(args)
    return benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
