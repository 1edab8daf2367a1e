"""Pure statistics for outcome reports: values in, values out, no database.

Conventions:
- A change is `after - before`. "Improved" depends on the instrument's
  direction (`LOWER_IS_BETTER` / `HIGHER_IS_BETTER`).
- The mean change has a 95 % confidence interval from the t distribution.
  scipy is not installed, so the two-sided 97.5 % t quantile comes from a
  table for df 1–30 (standard values, 3 decimals) and, above 30, from the
  Cornish–Fisher expansion z + (z³+z)/(4·df) + (5z⁵+16z³+3z)/(96·df²), which
  is within 0.001 of the exact value for df > 30.
- The median change has a distribution-free 95 % interval from order
  statistics: the k-th smallest and k-th largest change, with k the largest
  rank such that the binomial(n, ½) probability of the interval missing the
  median is at most 5 % (normal approximation above n = 100). For n < 6 no
  such interval exists and it is `None`.
- The effect size is Cohen's d_z: mean change / SD of the changes (sample
  SD, n−1). Its sign follows the change, not the direction of improvement.
"""

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    LOWER_IS_BETTER = "lower"
    HIGHER_IS_BETTER = "higher"


# Per instrument (and subscale, as "code.subscale"): direction, minimal
# important difference (None where /work/shared/instruments.md gives none) and
# the clinical cut-off where one is published ("case" at or above for
# lower-is-better, at or below for higher-is-better).
@dataclass(frozen=True)
class Measure:
    direction: Direction
    mid: float | None = None
    cut_off: float | None = None


MEASURES: dict[str, Measure] = {
    "nprs": Measure(Direction.LOWER_IS_BETTER, mid=2),  # Farrar 2001: 2 points / 30 %
    "hads.anxiety": Measure(Direction.LOWER_IS_BETTER, mid=1.5, cut_off=11),
    "hads.depression": Measure(Direction.LOWER_IS_BETTER, mid=1.5, cut_off=11),
    "pcs": Measure(Direction.LOWER_IS_BETTER, cut_off=30),
    "tsk": Measure(Direction.LOWER_IS_BETTER, cut_off=38),  # > 37 (Vlaeyen 1995)
    "isi": Measure(Direction.LOWER_IS_BETTER, mid=6),  # Yang 2009
    "eq5d5l.vas": Measure(Direction.HIGHER_IS_BETTER),
    "lisat11": Measure(Direction.HIGHER_IS_BETTER),
    "who5.percentage": Measure(Direction.HIGHER_IS_BETTER, mid=10, cut_off=50),
    "who5": Measure(Direction.HIGHER_IS_BETTER),
}

_T975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365,
    8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145,
    15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080,
    22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
    29: 2.045, 30: 2.042,
}  # fmt: skip
_Z975 = 1.959964


def t_quantile_975(df: int) -> float:
    """The two-sided 95 % critical value of Student's t with `df` degrees of freedom."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if df in _T975:
        return _T975[df]
    z = _Z975
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def median_ci_ranks(n: int) -> tuple[int, int] | None:
    """1-based ranks (k, n+1-k) of a distribution-free ≥ 95 % CI for the median.

    Exact binomial(n, ½) up to n = 100; above, the normal approximation
    k = ⌊(n − 1.96·√n) / 2⌋ (Conover), as the exact sum needs huge integers.
    """
    if n > 100:
        k = math.floor((n - _Z975 * math.sqrt(n)) / 2)
        return (k, n + 1 - k)
    best = None
    cumulative = 0.0
    for k in range(1, n // 2 + 1):
        # the interval [x_(k), x_(n+1-k)] misses the median with probability
        # 2 · P(X ≤ k−1) for X ~ Bin(n, ½)
        cumulative += math.comb(n, k - 1) / 2**n
        if 2 * cumulative > 0.05:
            break
        best = k
    return (best, n + 1 - best) if best else None


@dataclass(frozen=True)
class ChangeSummary:
    n: int
    mean_change: float | None
    mean_ci: tuple[float, float] | None
    median_change: float | None
    median_ci: tuple[float, float] | None
    sd_change: float | None
    effect_size_dz: float | None
    share_improved_mid: float | None
    share_leaving_case: float | None


def improved_by_mid(before: float, after: float, *, measure: Measure) -> bool:
    """True when the change reaches the MID in the better direction."""
    assert measure.mid is not None
    change = after - before
    if measure.direction is Direction.LOWER_IS_BETTER:
        return -change >= measure.mid
    return change >= measure.mid


def is_case(value: float, *, measure: Measure) -> bool:
    assert measure.cut_off is not None
    if measure.direction is Direction.LOWER_IS_BETTER:
        return value >= measure.cut_off
    return value <= measure.cut_off


def paired_change(
    pairs: Iterable[tuple[float | None, float | None]],
    *,
    measure: Measure | None = None,
) -> ChangeSummary:
    """Summary of the change in (before, after) pairs; pairs with a None are dropped."""
    kept = [(b, a) for b, a in pairs if b is not None and a is not None]
    changes = [a - b for b, a in kept]
    n = len(changes)
    if n == 0:
        return ChangeSummary(0, None, None, None, None, None, None, None, None)
    mean = statistics.fmean(changes)
    median = statistics.median(changes)
    sd = statistics.stdev(changes) if n > 1 else None
    mean_ci = None
    if sd is not None:
        half = t_quantile_975(n - 1) * sd / math.sqrt(n)
        mean_ci = (mean - half, mean + half)
    ranks = median_ci_ranks(n)
    ordered = sorted(changes)
    median_ci = (ordered[ranks[0] - 1], ordered[ranks[1] - 1]) if ranks else None
    dz = mean / sd if sd else None
    share_mid = None
    share_case = None
    if measure is not None and measure.mid is not None:
        share_mid = sum(improved_by_mid(b, a, measure=measure) for b, a in kept) / n
    if measure is not None and measure.cut_off is not None:
        cases = [(b, a) for b, a in kept if is_case(b, measure=measure)]
        if cases:
            leaving = sum(not is_case(a, measure=measure) for _, a in cases)
            share_case = leaving / len(cases)
    return ChangeSummary(
        n, mean, mean_ci, median, median_ci, sd, dz, share_mid, share_case
    )


@dataclass(frozen=True)
class SickLeaveChange:
    n: int
    mean_percent_before: float | None
    mean_percent_after: float | None
    mean_change: float | None
    share_returned_to_work: float | None  # of those on sick leave before


def sick_leave_change(pairs: Sequence[tuple[int, int]]) -> SickLeaveChange:
    """Sick-leave degree (0, 25, 50, 75, 100 %) before and after.

    "Returned to work" means on any sick leave before and none after (0 %).
    """
    n = len(pairs)
    if n == 0:
        return SickLeaveChange(0, None, None, None, None)
    before = statistics.fmean(b for b, _ in pairs)
    after = statistics.fmean(a for _, a in pairs)
    on_leave = [(b, a) for b, a in pairs if b > 0]
    returned = sum(a == 0 for _, a in on_leave) / len(on_leave) if on_leave else None
    return SickLeaveChange(n, before, after, after - before, returned)
