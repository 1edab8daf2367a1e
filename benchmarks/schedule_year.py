"""Schedule a year: six five-week programmes sharing 9 staff and 3 rooms.

Run from the repository root: `.venv/bin/python benchmarks/schedule_year.py`
(`--overlap` starts the cohorts three weeks apart so that two always run at
the same time; `--time-limit 20` sets the solver's limit in seconds).
Prints the wall time, the objective and its gap to the best bound. The bar is
under 30 s with two workers on a two-core machine (seed 0 §9.2: six
programmes a year of five weeks, 3–4 days a week, 08:00–16:00).
"""

import argparse
import os
import time as stopwatch
from datetime import date, time, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painrehab.settings")
django.setup()

from painrehab.programmes.scheduler import (  # noqa: E402 (after django.setup)
    Infeasible,
    Room,
    RoomKind,
    SchedulingProblem,
    Staff,
    TimeRange,
    propose_schedule,
    weekly_hours,
)
from painrehab.programmes.templates_data import (  # noqa: E402
    SPECIALIST_PROGRAMME,
    cohort_from_template,
)

DAY = TimeRange(time(8, 0), time(16, 0))
MORNINGS = TimeRange(time(8, 0), time(12, 0))
SPRING_AND_AUTUMN = [date(2026, 1, 12), date(2026, 3, 2), date(2026, 4, 20)] + [
    date(2026, 8, 24),
    date(2026, 10, 5),
    date(2026, 11, 16),
]


def team() -> tuple[Staff, ...]:
    """Nine staff, several part-time, with a week of leave here and there."""
    every_day = weekly_hours(weekdays=range(5), ranges=[DAY])
    leave = frozenset(date(2026, 3, 9) + timedelta(n) for n in range(5))
    return (
        Staff("physician", "physician", weekly_hours(weekdays=(0, 2, 3), ranges=[DAY])),
        Staff("psychologist", "psychologist", every_day),
        Staff("physio-1", "physiotherapist", every_day),
        Staff("physio-2", "physiotherapist", weekly_hours(weekdays=range(4), ranges=[DAY]), absent_on=leave),
        Staff("ot", "occupational_therapist", every_day),
        Staff("social-worker", "social_worker", weekly_hours(weekdays=(1, 2, 3), ranges=[DAY])),
        Staff("nurse", "coordinator_nurse", every_day),
        Staff("rehab-coordinator", "rehab_coordinator", weekly_hours(weekdays=(0, 1, 2), ranges=[MORNINGS])),
        Staff("sports-leader", "sports_leader", weekly_hours(weekdays=range(4), ranges=[DAY])),
    )  # fmt: skip


def premises() -> tuple[Room, ...]:
    """A group room, a gym, and a pool open two afternoons and a morning."""
    pool_hours = {
        1: (TimeRange(time(10, 0), time(12, 0)),),
        3: (TimeRange(time(13, 0), time(15, 0)),),
    }
    return (
        Room("group-room", RoomKind.GROUP_ROOM),
        Room("gym", RoomKind.GYM),
        Room("pool", RoomKind.POOL, opening_hours=pool_hours),
    )


def year(*, overlap: bool) -> SchedulingProblem:
    starts = SPRING_AND_AUTUMN
    if overlap:
        starts = [date(2026, 1, 12) + timedelta(weeks=3 * n) for n in range(6)]
    cohorts = tuple(
        cohort_from_template(
            template=SPECIALIST_PROGRAMME,
            key=f"2026-{number}",
            name=f"Programme {number} 2026",
            start=start,
            participants=6,
        )
        for number, start in enumerate(starts, start=1)
    )
    return SchedulingProblem(cohorts=cohorts, staff=team(), rooms=premises())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overlap", action="store_true")
    parser.add_argument("--time-limit", type=float, default=20.0)
    arguments = parser.parse_args()
    problem = year(overlap=arguments.overlap)
    began = stopwatch.perf_counter()
    result = propose_schedule(
        problem=problem, time_limit_seconds=arguments.time_limit, num_workers=2
    )
    elapsed = stopwatch.perf_counter() - began
    stats = result.stats
    print(f"cohorts: {len(problem.cohorts)}, staff: {len(problem.staff)}, rooms: 3")
    print(f"status: {stats.status}, solver wall time: {stats.wall_time:.2f} s")
    print(f"total wall time (build + solve): {elapsed:.2f} s")
    if isinstance(result, Infeasible):
        print("no schedule:", "; ".join(str(c) for c in result.conflicts))
        return
    print(f"sessions: {len(result.sessions)}")
    print(f"objective: {stats.objective}, best bound: {stats.best_bound}")
    print(f"gap: {100 * (stats.gap or 0.0):.2f} %")


if __name__ == "__main__":
    main()
