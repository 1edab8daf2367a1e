"""The programme rules as pure functions: group size, absence, intervention
rate and the annual plan. No database, explicit dates."""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

# --- Group size (seed 0 §9.2: usually 4–7; seed 2: 4–6) ----------------------


class Capacity(StrEnum):
    OK = "ok"
    TOO_FEW = "too_few"
    TOO_MANY = "too_many"


@dataclass(frozen=True)
class CapacityCheck:
    participants: int
    minimum: int
    maximum: int

    @property
    def status(self) -> Capacity:
        if self.participants > self.maximum:
            return Capacity.TOO_MANY
        if self.participants < self.minimum:
            return Capacity.TOO_FEW
        return Capacity.OK


def capacity_check(*, participants: int, minimum: int, maximum: int) -> CapacityCheck:
    """How a group of `participants` compares with the template's size:
    fewer than `minimum` warns, more than `maximum` needs an override."""
    return CapacityCheck(participants, minimum, maximum)


# --- Attendance (seed 0 §9.2 "hög närvaro", §12.1 absence) -------------------


@dataclass(frozen=True)
class AbsenceRate:
    """A participant's recorded attendance; excused absence counts as absence,
    since §12.1 asks whether the absence lets the patient benefit at all."""

    present: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def missed(self) -> int:
        return self.absent + self.excused

    @property
    def percent(self) -> int | None:
        """The missed share in whole per cent (rounded half up), None before any record."""
        if not self.recorded:
            return None
        return int(Fraction(self.missed * 100, self.recorded) + Fraction(1, 2))


def over_absence_threshold(rate: AbsenceRate, *, threshold_percent: int) -> bool:
    """True when the missed share is strictly above `threshold_percent`.

    Compared exactly (no rounding): 1 missed of 5 is 20 %, not over 20 %.
    """
    return rate.recorded > 0 and rate.missed * 100 > threshold_percent * rate.recorded


class AbsenceWarning(StrEnum):
    """Whether the written warning before a discharge for absence is due, or
    why not (seed 1 §12: "Patienten får dock i förväg ... skriftlig
    information om detta")."""

    DUE = "due"
    NOT_OVER_THRESHOLD = "not over the absence threshold"
    ATTENDED_SINCE = "attended since"
    ALREADY_WARNED = "already warned"
    DISCHARGED = "discharged"


def absence_warning(  # noqa: PLR0913 - the facts the rule weighs
    *,
    rate: AbsenceRate,
    threshold_percent: int,
    last_missed_on: date | None,
    last_present_on: date | None,
    warned: bool,
    discharged: bool,
) -> AbsenceWarning:
    """The warning is due once the missed share is over the programme's
    threshold, the patient has not come to a session since the last one
    missed, has not been warned already in this episode, and is not
    discharged. Decided by the sweep and again when the warning is sent."""
    if discharged:
        return AbsenceWarning.DISCHARGED
    if warned:
        return AbsenceWarning.ALREADY_WARNED
    if last_missed_on is None or not over_absence_threshold(
        rate, threshold_percent=threshold_percent
    ):
        return AbsenceWarning.NOT_OVER_THRESHOLD
    if last_present_on is not None and last_present_on > last_missed_on:
        return AbsenceWarning.ATTENDED_SINCE
    return AbsenceWarning.DUE


# --- Individual rehabilitation (seed 0 §10.3) ---------------------------------

MIN_INTERVENTIONS_PER_MONTH = 6
DAYS_PER_MONTH = Fraction(1461, 48)  # 365.25 / 12: an average month


class Intensity(StrEnum):
    MEETS = "meets"
    BELOW = "below"
    TOO_EARLY = "too_early"


@dataclass(frozen=True)
class InterventionRate:
    interventions: int
    days: int
    minimum: int

    @property
    def months(self) -> Fraction:
        return Fraction(self.days) / DAYS_PER_MONTH

    @property
    def per_month(self) -> float:
        """The pace: interventions per average month over the period so far."""
        return float(self.interventions / self.months)

    @property
    def status(self) -> Intensity:
        if self.interventions >= self.minimum * self.months:
            return Intensity.MEETS
        if self.months < 1:
            return Intensity.TOO_EARLY
        return Intensity.BELOW


def intervention_rate(
    *,
    held_on: Iterable[date],
    start: date,
    until: date,
    minimum: int = MIN_INTERVENTIONS_PER_MONTH,
) -> InterventionRate:
    """Interventions held from `start` to `until` (both included) against the
    §10.3 minimum of on average `minimum` a month.

    A month is an average month (365.25/12 days). Before a whole month has
    passed the status is TOO_EARLY, unless the pace so far already meets it.
    """
    if until < start:
        raise ValueError("the period ends before it starts")
    count = sum(1 for day in held_on if start <= day <= until)
    return InterventionRate(count, (until - start).days + 1, minimum)


# --- The annual plan (seed 0 §9.2: six five-week programmes a year) ----------


@dataclass(frozen=True)
class Term:
    """The part of the year programmes run in, first to last programme day."""

    first: date
    last: date


def default_terms(year: int) -> tuple[Term, Term]:
    """Spring from the second week of January to midsummer, autumn from mid-August
    to before Christmas: the usual Swedish clinic terms."""
    return (
        Term(date(year, 1, 7), date(year, 6, 18)),
        Term(date(year, 8, 15), date(year, 12, 18)),
    )


@dataclass(frozen=True)
class PlannedProgramme:
    start: date
    end: date  # the last day of the last programme week (a Sunday)
    closed: tuple[date, ...]  # weekdays inside the programme that are holidays


def working_days(monday: date, closed: Collection[date]) -> int:
    """Monday to Friday of the week from `monday`, less the closed days."""
    days = (monday + timedelta(n) for n in range(5))
    return sum(1 for day in days if day not in closed)


def fits(
    *,
    monday: date,
    weeks: int,
    closed: Collection[date],
    first_week_days: int,
    week_days: int,
) -> bool:
    """Every week of a programme from `monday` has the days it needs."""
    return all(
        working_days(monday + timedelta(weeks=n), closed)
        >= (first_week_days if n == 0 else week_days)
        for n in range(weeks)
    )


def plan_year(
    *,
    year: int,
    weeks: int,
    count: int,
    closed: Collection[date],
    terms: tuple[Term, ...] | None = None,
    first_week_days: int = 4,
    week_days: int = 3,
) -> list[PlannedProgramme]:
    """Up to `count` programmes of `weeks` weeks, starting on Mondays, spread
    evenly over the terms, one after another, each whole week with the days it
    needs once the `closed` days (public holidays) are left out.

    The first week needs `first_week_days` (the four enrolment days, seed 0
    §9.3), the others `week_days` (three to four days a week, §9.2). The
    programmes are shared between the terms by their length, spring first;
    fewer are returned when they do not fit.
    """
    terms = terms or default_terms(year)
    mondays = [_mondays(term, weeks) for term in terms]
    shares = _share(count, [len(m) for m in mondays], weeks)
    planned = []
    for term_mondays, share in zip(mondays, shares, strict=True):
        planned += _spread(
            term_mondays,
            share,
            weeks,
            lambda monday: fits(
                monday=monday,
                weeks=weeks,
                closed=closed,
                first_week_days=first_week_days,
                week_days=week_days,
            ),
        )
    return [_planned(monday, weeks, closed) for monday in planned]


def _mondays(term: Term, weeks: int) -> list[date]:
    """Mondays from which a whole programme fits inside the term."""
    monday = term.first + timedelta((7 - term.first.weekday()) % 7)
    found = []
    while monday + timedelta(weeks=weeks - 1, days=4) <= term.last:
        found.append(monday)
        monday += timedelta(weeks=1)
    return found


def _share(count: int, candidates: list[int], weeks: int) -> list[int]:
    """`count` split over the terms in proportion to how many programmes each
    holds back to back (largest remainder; spring first on a tie)."""
    room = [(n - 1) // weeks + 1 if n else 0 for n in candidates]
    total = sum(room)
    count = min(count, total)
    if not count:
        return [0] * len(room)
    exact = [Fraction(count * r, total) for r in room]
    shares = [int(e) for e in exact]
    by_remainder = sorted(range(len(room)), key=lambda i: (-(exact[i] % 1), i))
    for index in by_remainder[: count - sum(shares)]:
        shares[index] += 1
    return shares


def _spread(
    mondays: list[date], share: int, weeks: int, fits_from: Callable[[date], bool]
) -> list[date]:
    """`share` starts among `mondays`, the gaps between programmes as even as
    possible; each start moves to the next Monday that fits when it must."""
    if not share or not mondays:
        return []
    spare = len(mondays) - 1 - (share - 1) * weeks  # free weeks to hand out
    gap = max(spare, 0) // (share - 1) if share > 1 else 0
    starts: list[date] = []
    earliest = mondays[0]
    for number in range(share):
        target = mondays[0] + timedelta(weeks=number * (weeks + gap))
        start = next(
            (m for m in mondays if m >= max(target, earliest) and fits_from(m)), None
        )
        if start is None:
            break
        starts.append(start)
        earliest = start + timedelta(weeks=weeks)
    return starts


def _planned(monday: date, weeks: int, closed: Collection[date]) -> PlannedProgramme:
    end = monday + timedelta(weeks=weeks, days=-1)
    inside = sorted(
        day
        for day in closed
        if monday <= day <= end and day.weekday() < 5  # weekends are no programme days
    )
    return PlannedProgramme(monday, end, tuple(inside))
