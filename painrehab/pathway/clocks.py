"""Waiting-time clocks, absences and the invitation date: pure rules over dates.

Counting (seed 1 §5.2): the day the referral was received is day 0; each later
calendar day that is not patient-chosen waiting counts one day waited. The
team's accessibility goal is a new visit within 60 days, the national care
guarantee (vårdgaranti, "tre månader") within 90 days:

- day 60 is still within the goal, day 61 is past it;
- day 90 is still within the guarantee, day 91 is past it.

Patient-chosen waiting (patientvald väntan) is a list of `Pause`s, both ends
included, `end=None` while it goes on. Paused days do not count as days waited
and so move the goal and guarantee dates later; days covered by several
overlapping pauses are excluded once. Pause days on or before the day received
are ignored.

A clock stops at the new visit: pass the visit date as `today` once it has
taken place. Nothing here reads the clock; the caller passes every date.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

GOAL_DAYS = 60  # the team's accessibility goal, seed 1 §5.2
GUARANTEE_DAYS = 90  # the national care guarantee, seed 1 §5.2 ("tre månader")
SOON_DAYS = 14  # how far ahead "soon past the guarantee" looks
INVITATION_DAYS_BEFORE = 28  # "cirka fyra veckor före nybesök", seed 1 §5.2
ABSENCE_LIMIT = 2  # "vid upprepade tillfällen", seed 1 §12

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Pause:
    """Patient-chosen waiting from `start` to `end`, both days included.

    `end` is None while the pause goes on. Guarantees `start <= end`.
    """

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"A pause cannot end ({self.end}) before it starts ({self.start})."
            )


class ClockStatus(models.TextChoices):
    WITHIN_GOAL = (
        "within_goal",
        format_lazy(_("Within the {days}-day goal"), days=GOAL_DAYS),
    )
    PAST_GOAL = "past_goal", format_lazy(_("Past the {days}-day goal"), days=GOAL_DAYS)
    SOON_PAST_GUARANTEE = "soon_past_guarantee", _("Care guarantee soon exceeded")
    PAST_GUARANTEE = "past_guarantee", _("Past the care guarantee")


def _merged(
    pauses: Iterable[Pause], *, received: date
) -> list[tuple[date, date | None]]:
    """The paused days after `received` as sorted, disjoint, non-adjacent runs."""
    first_counted = received + ONE_DAY
    runs: list[tuple[date, date | None]] = []
    clipped = sorted(
        (
            (max(p.start, first_counted), p.end)
            for p in pauses
            if p.end is None or p.end >= first_counted
        ),
        key=lambda run: run[0],
    )
    for start, end in clipped:
        if runs:
            last_start, last_end = runs[-1]
            if last_end is None:
                break  # an ongoing pause already covers every later day
            if start <= last_end + ONE_DAY:
                merged_end = None if end is None else max(end, last_end)
                runs[-1] = (last_start, merged_end)
                continue
        runs.append((start, end))
    return runs


def days_waited(*, received: date, today: date, pauses: Iterable[Pause] = ()) -> int:
    """Days waited on `today`: the days after `received` up to and including
    `today` that are not paused.

    Guarantees 0 on the day received, never negative, never decreasing as
    `today` advances. `today` before `received` is an error.
    """
    if today < received:
        raise ValueError(f"{today} is before the referral was received ({received}).")
    paused = 0
    for start, end in _merged(pauses, received=received):
        if start > today:
            break
        last = today if end is None else min(end, today)
        paused += (last - start).days + 1
    return (today - received).days - paused


def _nth_counted_day(*, received: date, pauses: Iterable[Pause], n: int) -> date | None:
    """The date on which `n` days have been waited, or None if an ongoing pause
    comes first."""
    cursor = received  # the last day accounted for
    for start, end in _merged(pauses, received=received):
        counted_before_pause = (start - cursor).days - 1
        if n <= counted_before_pause:
            break
        n -= counted_before_pause
        if end is None:
            return None
        cursor = end
    return cursor + timedelta(days=n)


def _last_day_within(
    *, received: date, pauses: Iterable[Pause], limit: int
) -> date | None:
    first_day_over = _nth_counted_day(received=received, pauses=pauses, n=limit + 1)
    return None if first_day_over is None else first_day_over - ONE_DAY


def goal_date(*, received: date, pauses: Iterable[Pause] = ()) -> date | None:
    """The last day on which the 60-day goal is still met.

    Guarantees: `today <= goal_date` exactly when `days_waited(today) <= 60`.
    Without pauses it is `received + 60 days`. None while an ongoing pause
    holds the clock before the goal is reached (no date can be given yet).
    """
    return _last_day_within(received=received, pauses=pauses, limit=GOAL_DAYS)


def guarantee_date(*, received: date, pauses: Iterable[Pause] = ()) -> date | None:
    """The last day on which the 90-day care guarantee is still met.

    Guarantees: `today <= guarantee_date` exactly when `days_waited(today) <= 90`.
    Without pauses it is `received + 90 days`; a pause never makes it earlier.
    None while an ongoing pause holds the clock before the guarantee is reached.
    """
    return _last_day_within(received=received, pauses=pauses, limit=GUARANTEE_DAYS)


def clock_status(
    *,
    received: date,
    today: date,
    pauses: Iterable[Pause] = (),
    soon_days: int = SOON_DAYS,
) -> ClockStatus:
    """Where a waiting patient stands on `today`.

    WITHIN_GOAL up to day 60; PAST_GUARANTEE from day 91; in between
    SOON_PAST_GUARANTEE when the guarantee date is at most `soon_days` calendar
    days after `today`, else PAST_GOAL. When an open-ended pause holds the clock
    before the guarantee is reached, the guarantee date is unknown and the
    status stays PAST_GOAL.
    """
    pauses = tuple(pauses)
    waited = days_waited(received=received, today=today, pauses=pauses)
    if waited <= GOAL_DAYS:
        return ClockStatus.WITHIN_GOAL
    if waited > GUARANTEE_DAYS:
        return ClockStatus.PAST_GUARANTEE
    last_day = guarantee_date(received=received, pauses=pauses)
    if last_day is not None and (last_day - today).days <= soon_days:
        return ClockStatus.SOON_PAST_GUARANTEE
    return ClockStatus.PAST_GOAL


def is_paused(*, today: date, pauses: Iterable[Pause]) -> bool:
    """True when `today` falls within one of the pauses."""
    return any(p.start <= today and (p.end is None or today <= p.end) for p in pauses)


# --- Absence: no-shows and cancellations (seed 1 §12) -----------------------


class AbsenceKind(models.TextChoices):
    NO_SHOW = "no_show", _("Did not attend")  # uteblivit
    PATIENT_CANCELLATION = (
        "patient_cancellation",
        _("Cancelled by the patient"),
    )  # återbud
    UNIT_CANCELLATION = "unit_cancellation", _("Cancelled by the unit")


# Seed 1 §12: "Om patienten uteblir eller lämnar återbud vid upprepade
# tillfällen ... avslutas också kontakten" — both the patient's no-shows and the
# patient's own cancellations count; cancellations by the unit never do.
COUNTED_ABSENCES: frozenset[AbsenceKind] = frozenset(
    {AbsenceKind.NO_SHOW, AbsenceKind.PATIENT_CANCELLATION}
)


@dataclass(frozen=True)
class Absence:
    """One booked contact the patient missed, or one cancelled."""

    on: date
    kind: AbsenceKind


def no_show_count(events: Iterable[Absence], *, since: date | None = None) -> int:
    """How many times the patient did not attend (on or after `since`, if given)."""
    return sum(
        1
        for e in events
        if e.kind == AbsenceKind.NO_SHOW and (since is None or e.on >= since)
    )


def absence_count(events: Iterable[Absence], *, since: date | None = None) -> int:
    """No-shows plus the patient's own cancellations (on or after `since`, if
    given); the unit's cancellations are never counted."""
    return sum(
        1
        for e in events
        if e.kind in COUNTED_ABSENCES and (since is None or e.on >= since)
    )


def should_flag_for_discharge(
    events: Iterable[Absence], *, limit: int = ABSENCE_LIMIT, since: date | None = None
) -> bool:
    """True once the counted absences reach `limit` (default 2: "repeated").

    The flag asks the team to discuss discharge; it does not discharge. The
    patient must have been told beforehand (seed 1 §12), which the caller checks.
    """
    if limit < 1:
        raise ValueError("The absence limit must be at least 1.")
    return absence_count(events, since=since) >= limit


# --- The invitation ----------------------------------------------------------


def invitation_due_on(
    *, visit_on: date, days_before: int = INVITATION_DAYS_BEFORE
) -> date:
    """The day the invitation, registry questionnaires and written information
    should go out: four weeks (28 days) before the booked visit (seed 1 §5.2).

    A due date already past when the visit is booked means: send at once.
    """
    return visit_on - timedelta(days=days_before)
