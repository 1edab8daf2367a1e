"""Accessibility figures for a unit and month (seed 1 §5.2): pure functions of values.

Waiting days run from the referral's arrival to the new visit, without the
patient-chosen waiting, as national waiting-time reporting counts them.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from painrehab.pathway.clocks import GOAL_DAYS, GUARANTEE_DAYS


@dataclass(frozen=True)
class WaitFigures:
    visits: int
    within_goal: int
    within_guarantee: int
    median_days: float | None
    p90_days: int | None

    @property
    def share_within_goal(self) -> float | None:
        return self.within_goal / self.visits if self.visits else None

    @property
    def share_within_guarantee(self) -> float | None:
        return self.within_guarantee / self.visits if self.visits else None


def nearest_rank_percentile(values: Sequence[int], percent: float) -> int | None:
    """The smallest value with at least `percent` % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def wait_figures(waits: Sequence[int]) -> WaitFigures:
    """Share within 60 and 90 days, median and 90th percentile of waiting days."""
    return WaitFigures(
        visits=len(waits),
        within_goal=sum(1 for w in waits if w <= GOAL_DAYS),
        within_guarantee=sum(1 for w in waits if w <= GUARANTEE_DAYS),
        median_days=median(waits) if waits else None,
        p90_days=nearest_rank_percentile(waits, 90),
    )
