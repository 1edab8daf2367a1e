"""NPRS change between two ratings, against the chronic-pain MCID.

Farrar et al. 2001 (pubmed 11690728): a reduction of about 2 points or about
30 % is clinically important. NPRS itself is scored by the generic engine.
"""

from dataclasses import dataclass

MCID_POINTS = 2
MCID_PERCENT = 30.0


@dataclass(frozen=True, slots=True)
class PainChange:
    points: int
    percent: float | None  # None when the baseline is 0
    meets_points_mcid: bool
    meets_percent_mcid: bool


def pain_change(baseline: int, follow_up: int) -> PainChange:
    """Change from baseline to follow-up (negative = less pain).

    Guarantees: the point criterion is a reduction of at least 2 points and
    the percent criterion a reduction of at least 30 % of the baseline.
    Raises ValueError for a rating outside 0-10.
    """
    for name, value in (("baseline", baseline), ("follow_up", follow_up)):
        if value.__class__ is not int or not 0 <= value <= 10:
            raise ValueError(f"nprs {name}: {value!r} is not an integer 0-10")
    points = follow_up - baseline
    percent = None if baseline == 0 else 100.0 * points / baseline
    return PainChange(
        points=points,
        percent=percent,
        meets_points_mcid=points <= -MCID_POINTS,
        meets_percent_mcid=percent is not None and percent <= -MCID_PERCENT,
    )
