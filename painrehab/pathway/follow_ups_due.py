"""Which follow-up items an episode has due, and on which days each is listed.

The worklist lists a follow-up item (`worklist._follow_ups`) from the day it
opens within the 14-day horizon until it is recorded, while the episode is in
follow-up. After discharge only the 12-month items stay (`AFTER_DISCHARGE`),
and only for a while: the episode was discharged within the last
`AFTER_DISCHARGE_MONTHS`, and rehabilitation ended at a time that puts a
12-month item within the horizon and not more than `work.OVERDUE_MONTHS` past
its window.

`due_follow_ups` turns that rule into rows that do not depend on the day they
are read: each item with its window and the first and last day it is listed
(`listed_from`, `listed_until`). An item is then on the list on `today` exactly
when `listed_from <= today <= listed_until` and it is not recorded, so the
worklist reads it in one indexed query. Pure functions, no database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from painrehab.core.windows import (
    AFTER_DISCHARGE,
    AFTER_DISCHARGE_MONTHS,
    Track,
    add_months,
    follow_up_schedule,
)
from painrehab.pathway import work
from painrehab.pathway.states import State

# No last day: listed for as long as the episode stays in follow-up.
NO_END = date.max


@dataclass(frozen=True)
class DueItem:
    """One follow-up item of one episode, with the days it is listed."""

    key: str
    role: str
    opens_on: date
    closes_on: date
    listed_from: date
    listed_until: date


def due_follow_ups(
    *,
    state: str,
    track: Track | str,
    reference_on: date | None,
    ended_on: date | None,
    closed_on: date | None,
) -> list[DueItem]:
    """The follow-up items an episode in `state` can have on a worklist.

    `ended_on` is the day rehabilitation ended (the episode last entered
    follow-up), `reference_on` the day its schedule counts from (the same,
    except for KRT: `krt_follow_up_reference`), `closed_on` the day of
    discharge. Empty outside follow-up and discharge, and until both days are
    known; after discharge only the 12-month items, with their last day."""
    if state not in (State.FOLLOW_UP, State.DISCHARGED):
        return []
    if ended_on is None or reference_on is None:
        return []
    discharged = state == State.DISCHARGED
    if discharged and closed_on is None:
        return []
    items = []
    for item in follow_up_schedule(ended_on=reference_on, track=track):
        if discharged and item.key not in AFTER_DISCHARGE:
            continue
        first = item.window.opens_on - timedelta(days=work.HORIZON_DAYS)
        last = NO_END
        if discharged:
            assert closed_on is not None  # none returned an empty list above
            first = _first_day(first, lambda t: _ended_early_enough(ended_on, t))
            # Each condition holds on its own guess, so both on the earlier one.
            guess = min(
                add_months(closed_on, AFTER_DISCHARGE_MONTHS),
                add_months(ended_on, AFTER_DISCHARGE_MONTHS + work.OVERDUE_MONTHS),
            )
            last = _last_day(
                guess, lambda t: _discharged_recently(ended_on, closed_on, t)
            )
        items.append(
            DueItem(
                key=item.key,
                role=item.role,
                opens_on=item.window.opens_on,
                closes_on=item.window.closes_on,
                listed_from=first,
                listed_until=last,
            )
        )
    return items


def _ended_early_enough(ended_on: date, today: date) -> bool:
    """Rehabilitation ended early enough for a 12-month item to reach the horizon."""
    return ended_on <= add_months(work.horizon(today), -12)


def _discharged_recently(ended_on: date, closed_on: date, today: date) -> bool:
    """Discharged within `AFTER_DISCHARGE_MONTHS`, and rehabilitation ended
    not more than `work.OVERDUE_MONTHS` before that span."""
    earliest = add_months(today, -AFTER_DISCHARGE_MONTHS)
    return closed_on >= earliest and ended_on >= add_months(
        earliest, -work.OVERDUE_MONTHS
    )


def _first_day(start: date, holds: Callable[[date], bool]) -> date:
    """The first day from `start` on which `holds`; it holds on every later day."""
    day = start
    while not holds(day):
        day += timedelta(days=1)
    return day


def _last_day(guess: date, holds: Callable[[date], bool]) -> date:
    """The last day on which `holds`, near `guess`; it holds on every earlier day."""
    day = guess
    while not holds(day):
        day -= timedelta(days=1)
    while holds(day + timedelta(days=1)):
        day += timedelta(days=1)
    return day
