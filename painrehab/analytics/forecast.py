"""Waiting-time forecast: pure placement of a queue into planned cohorts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlannedCohort:
    cohort_id: int
    start: date
    free_places: int


@dataclass(frozen=True)
class Placement:
    key: int
    cohort_id: int | None
    expected_start: date | None  # None: no planned cohort has a place left


def place_queue(
    queue: Sequence[int], cohorts: Sequence[PlannedCohort]
) -> list[Placement]:
    """Give each waiting patient (`queue`, already in decision order) the
    earliest planned cohort with a free place; later patients fill later
    cohorts. Patients beyond the planned places get no date."""
    places = [
        (c.start, c.cohort_id) for c in sorted(cohorts, key=lambda c: (c.start, c.cohort_id))
        for _ in range(max(c.free_places, 0))
    ]  # fmt: skip
    result = []
    for i, key in enumerate(queue):
        if i < len(places):
            start, cohort_id = places[i]
            result.append(Placement(key, cohort_id, start))
        else:
            result.append(Placement(key, None, None))
    return result
