"""Time the outcome report and the team statistics on the scaled demo clinic.

Run from the repository root:

    .venv/bin/python benchmarks/analytics_report.py [--patients 100000]

With PAINREHAB_DB_HOST (and PAINREHAB_DB_PORT/NAME/USER/PASSWORD) set, it uses
that PostgreSQL database as it is (add `--load` to migrate and load the demo
clinic into it first). Without them it starts a throwaway PostgreSQL cluster
on 127.0.0.1 as scripts/test.sh does, migrates, loads
`load_demo_data --patients N`, runs, and removes the cluster. The demo
clinic has no questionnaire results, so `--load` also gives every episode of
the largest unit NPRS and HADS results at the three registry time points.

Prints the best of three wall times for: the outcome report (every instrument
of the outcomes page, registry series, the largest unit) and the team
statistics for one year. The bar is under 2 s each.
"""

import argparse
import os
import subprocess
import sys
import time as stopwatch
from datetime import date

from harness import django_setup, postgres_cluster


def throwaway_cluster(args: argparse.Namespace) -> int:
    """Start PostgreSQL, run this script against it with --load, stop it."""
    with postgres_cluster() as cluster:
        command = [sys.executable, __file__, "--load", "--patients", str(args.patients)]
        return subprocess.run(command, env=cluster.env, check=False).returncode


def best_of_three(work) -> float:  # noqa: ANN001
    times = []
    for _ in range(3):
        started = stopwatch.perf_counter()
        work()
        times.append(stopwatch.perf_counter() - started)
    return min(times)


def add_results(unit_id: int) -> int:
    """The demo clinic has no questionnaire results: give every episode of the
    unit NPRS and HADS at the three registry time points (deterministic values)."""
    from django.utils import timezone

    from painrehab.pathway.models import Episode
    from painrehab.questionnaires.models import Result

    now = timezone.now()
    rows = []
    for episode_id, opened_on in Episode.objects.filter(unit_id=unit_id).values_list(
        "pk", "opened_on"
    ):
        for step, time_point in enumerate(
            ["registry_before", "registry_end", "registry_12m"]
        ):
            pain = max(0, 8 - step * (episode_id % 4))
            anxiety = max(0, 13 - step * (episode_id % 5))
            for code, total, subscales in [
                ("nprs", pain, {}),
                ("hads", anxiety + 9, {"anxiety": anxiety, "depression": 9}),
            ]:
                rows.append(
                    Result(
                        unit_id=unit_id,
                        episode_id=episode_id,
                        time_point=time_point,
                        code=code,
                        definition_version="1",
                        answers={},
                        total=total,
                        subscales=subscales,
                        valid=True,
                        source="staff_rated",
                        answered_on=opened_on,
                        recorded_at=now,
                    )  # fmt: skip
                )
    Result.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def benchmark(args: argparse.Namespace) -> int:
    django_setup()
    from django.core.management import call_command
    from django.db.models import Count

    if args.load:
        started = stopwatch.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_demo_data", patients=args.patients, verbosity=0)
        print(
            f"loaded {args.patients} patients in {stopwatch.perf_counter() - started:.0f} s"
        )

    from painrehab.analytics.selectors import outcome_report, team_statistics
    from painrehab.analytics.views import INSTRUMENTS
    from painrehab.pathway.models import Episode

    unit_id = (
        Episode.objects.values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["unit_id"]
    )
    year = args.year
    if args.load:
        print(f"added {add_results(unit_id)} questionnaire results")

    def outcomes() -> None:
        for code, subscale in INSTRUMENTS:
            outcome_report(unit=unit_id, code=code, subscale=subscale)

    def statistics() -> None:
        team_statistics(unit=unit_id, start=date(year, 1, 1), end=date(year, 12, 31))

    episodes = Episode.objects.filter(unit_id=unit_id).count()
    print(f"unit {unit_id}: {episodes} episodes")
    for name, work in [("outcome report", outcomes), ("team statistics", statistics)]:
        seconds = best_of_three(work)
        verdict = "ok" if seconds < 2 else "OVER THE 2 s BAR"
        print(f"{name:<16} {seconds:6.2f} s  {verdict}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=date.today().year)  # noqa: DTZ011
    parser.add_argument("--load", action="store_true", help="migrate and load first")
    args = parser.parse_args()
    if not os.environ.get("PAINREHAB_DB_HOST"):
        return throwaway_cluster(args)
    return benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
