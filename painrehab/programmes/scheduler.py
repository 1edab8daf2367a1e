"""Proposes schedules for group rehabilitation programmes: a thin CP-SAT wrapper.

Pure: plain dataclasses in, a `Schedule` or an `Infeasible` out; no database.
The rules come from seed 0 §9.2 (six five-week programmes a year, three to
four scheduled days a week, 08:00–16:00) and §9.3 (the activities and the
professions responsible for them); the KRT primary-care group is seed 2.

The model, in short:

- Time is a line of slots (15 minutes by default). Day number d (days since
  the earliest cohort start) owns slots d*S … d*S+S-1, S being the patient day
  (08:00–16:00 gives 32 slots). An occurrence starts at `d*S + offset` with
  `offset <= S - size`, so nothing crosses a day boundary or leaves the day.
- Each occurrence of an activity has one literal per candidate day (exactly
  one true), an offset within the day, and for each required profession one
  literal per staff member of that profession (exactly one true); likewise one
  literal per room of the right kind.
- Nobody is double-booked: one NoOverlap per staff member and per room, over
  all cohorts at once; one Cumulative per cohort (capacity: its participants; a
  whole-group activity takes all of it, an individual session one place) and a
  NoOverlap per named sub-group (one participant, one training group).
- Part-time hours, absences, room opening hours and time already booked
  elsewhere (another cohort's sessions, individual appointments) are blocked
  intervals in those NoOverlaps. Public holidays are no programme days.
- Each rule family that a person could relax (lunch, staff hours per
  profession, room hours per kind, days a week per cohort, one session of an
  activity a day, order of activities, each locked session) is guarded by a
  literal. The schedule is solved with all of them true; when that is
  infeasible the model is solved again with them as assumptions, and
  `sufficient_assumptions_for_infeasibility` is shrunk to a minimal set and
  reported by name.
- Objective (optional and soft): minimise, in slots, (a) how late in the day
  the activities marked `prefer_morning` start plus (b) for every cohort and
  programme week the busiest day's whole-group time and (c) the busiest day's
  time in individual and small-group sessions, which spread the programme
  evenly over its days. All weigh one per slot.
- Solving: cohorts whose dates do not overlap cannot compete for anyone, so
  each group of overlapping cohorts is solved on its own, sharing the time
  limit. Each group is first list-scheduled (a fixed search, earliest start
  first), and the optimising solve starts from that schedule as a hint.
"""

import math
import time as monotonic_clock
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from ortools.sat.python import cp_model

# --- Vocabulary -------------------------------------------------------------


class RoomKind(StrEnum):
    GROUP_ROOM = "group_room"
    GYM = "gym"
    POOL = "pool"
    NONE = "none"  # outside, at home or in an office: no room is booked


ROOM_KIND_LABELS: dict[str, Promise] = {
    "group_room": _("group room"),
    "gym": _("gym"),
    "pool": _("pool"),
    "none": _("outside"),
}

# The professions of the team that run programme activities (seed 0 §7), keyed
# by the values of accounts.permissions.Profession; the secretary runs none.
PROFESSION_PLURALS: dict[str, Promise] = {
    "physician": _("physicians"),
    "psychologist": _("psychologists"),
    "physiotherapist": _("physiotherapists"),
    "occupational_therapist": _("occupational therapists"),
    "social_worker": _("social workers"),
    "coordinator_nurse": _("coordinator nurses"),
    "rehab_coordinator": _("rehab coordinators"),
    "sports_leader": _("sports leaders"),
}

# A required profession, or a tuple of professions any of which will do.
ProfessionSpec = str | tuple[str, ...]


class Rule(StrEnum):
    """The rule families a conflict can name."""

    LUNCH_BREAK = "lunch_break"
    STAFF_AVAILABILITY = "staff_availability"
    ROOM_HOURS = "room_hours"
    DAYS_PER_WEEK = "days_per_week"
    ONCE_PER_DAY = "once_per_day"
    ORDER = "order"
    LOCKED_SESSION = "locked_session"
    STAFF_MISSING = "staff_missing"
    ROOM_MISSING = "room_missing"
    PROGRAMME_DAYS = "programme_days"
    PATIENT_DAY = "patient_day"
    CAPACITY = "capacity"
    TIME_LIMIT = "time_limit"


# --- Input ------------------------------------------------------------------


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@dataclass(frozen=True)
class TimeRange:
    """From `start` up to (not including) `end`, within one day."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"time range ends before it starts: {self}")


WeeklyHours = Mapping[int, tuple[TimeRange, ...]]  # weekday (0 = Monday) -> ranges


def weekly_hours(
    *, weekdays: Iterable[int], ranges: Iterable[TimeRange]
) -> dict[int, tuple[TimeRange, ...]]:
    """The same time ranges on each of the given weekdays (0 = Monday)."""
    ranges = tuple(ranges)
    return {weekday: ranges for weekday in weekdays}


@dataclass(frozen=True)
class ActivityDemand:
    """One line of a programme's content: what, who, how long, how often, where.

    Exactly one of `per_week` (in each of `weeks`) and `total` (over `weeks`) is
    set; `weeks` are programme weeks counted from 1, None meaning all of them.
    `attendees` is None when all participants attend, 0 for staff-only work
    (the weekly patient conference) and otherwise the size of the sub-group
    named by `group`. `after` lists activity keys that must all be over first.
    """

    key: str
    name: str
    professions: tuple[ProfessionSpec, ...]
    minutes: int
    per_week: int | None = None
    total: int | None = None
    weeks: tuple[int, ...] | None = None
    room_kind: RoomKind = RoomKind.GROUP_ROOM
    attendees: int | None = None
    group: str = ""
    once_per_day: bool = True
    prefer_morning: bool = False
    after: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.per_week is None) == (self.total is None):
            raise ValueError(f"{self.key}: set exactly one of per_week and total")
        if self.minutes <= 0:
            raise ValueError(f"{self.key}: minutes must be positive")
        for profession in _professions_in(self.professions):
            if profession not in PROFESSION_PLURALS:
                raise ValueError(f"{self.key}: unknown profession {profession!r}")
        object.__setattr__(self, "room_kind", RoomKind(self.room_kind))

    @property
    def all_participants(self) -> bool:
        return self.attendees is None

    @property
    def staff_only(self) -> bool:
        return self.attendees == 0


Busy = tuple[tuple[date, TimeRange], ...]  # (date, time range) booked elsewhere


@dataclass(frozen=True)
class Staff:
    """A team member: profession, part-time weekly hours, absent dates, and
    `busy`: time already booked elsewhere (another cohort, an appointment)."""

    id: str
    profession: str
    availability: WeeklyHours
    absent_on: frozenset[date] = frozenset()
    busy: Busy = ()

    def __post_init__(self) -> None:
        if self.profession not in PROFESSION_PLURALS:
            raise ValueError(f"{self.id}: unknown profession {self.profession!r}")


@dataclass(frozen=True)
class Room:
    """A bookable room; `opening_hours` None means open the whole patient day;
    `busy` is time it is already booked by another cohort."""

    id: str
    kind: RoomKind
    opening_hours: WeeklyHours | None = None
    closed_on: frozenset[date] = frozenset()
    busy: Busy = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RoomKind(self.kind))


@dataclass(frozen=True)
class Cohort:
    """One programme run: its dates, allowed weekdays, size and content.

    Programme week n is the seven days from `start + 7*(n-1)`. The number of
    scheduled days per week is `days_per_week` (seed 0 §9.2: three to four),
    overridden for single weeks by `week_day_limits` (the four enrolment days,
    §9.3), or unlimited when None (the KRT group, seed 2). `closed_on` are
    dates without programme (public holidays) inside the period.
    """

    key: str
    name: str
    start: date
    end: date
    demands: tuple[ActivityDemand, ...]
    participants: int = 6
    weekdays: frozenset[int] = frozenset(range(5))
    days_per_week: tuple[int, int] | None = (3, 4)
    week_day_limits: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    closed_on: frozenset[date] = frozenset()

    def programme_days(self) -> list[date]:
        """Every date from start to end on an allowed weekday and not closed."""
        days = (
            self.start + timedelta(n) for n in range((self.end - self.start).days + 1)
        )
        return [
            day
            for day in days
            if day.weekday() in self.weekdays and day not in self.closed_on
        ]

    def week_of(self, day: date) -> int:
        return (day - self.start).days // 7 + 1

    @property
    def number_of_weeks(self) -> int:
        return self.week_of(self.end)


@dataclass(frozen=True)
class LockedSession:
    """A session fixed by hand; re-solving keeps it exactly as it is.

    It counts towards its activity's demand in the week it falls in; beyond
    the demanded number it is kept as an extra session.
    """

    cohort_key: str
    activity_key: str
    date: date
    start: time
    staff_ids: tuple[str, ...]
    room_id: str | None = None


@dataclass(frozen=True)
class Rules:
    """The patient day and its lunch break (seed 0 §9.2), cut into slots."""

    day_start: time = time(8, 0)
    day_end: time = time(16, 0)
    lunch: TimeRange | None = TimeRange(time(12, 0), time(12, 45))
    slot_minutes: int = 15

    def __post_init__(self) -> None:
        length = _minutes(self.day_end) - _minutes(self.day_start)
        if length <= 0 or length % self.slot_minutes:
            raise ValueError("the patient day must be a whole number of slots")


@dataclass(frozen=True)
class SchedulingProblem:
    """Everything to schedule at once: cohorts share the staff and the rooms."""

    cohorts: tuple[Cohort, ...]
    staff: tuple[Staff, ...]
    rooms: tuple[Room, ...]
    rules: Rules = Rules()
    locked: tuple[LockedSession, ...] = ()


# --- Output -----------------------------------------------------------------


@dataclass(frozen=True)
class ProposedSession:
    """One session of the proposal; `locked` when it was fixed by hand."""

    cohort_key: str
    activity_key: str
    date: date
    start: time
    end: time
    staff_ids: tuple[str, ...]
    room_id: str | None
    locked: bool


@dataclass(frozen=True)
class SolverStats:
    """CP-SAT's status name (or PRECHECK), seconds spent, objective and bound.

    `gap` is |objective - bound| / max(1, |objective|): 0.0 when proven optimal.
    """

    status: str
    wall_time: float
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None


@dataclass(frozen=True)
class Conflict:
    """A rule that takes part in making the problem unsolvable.

    `message` is a lazy translatable text with %(name)s placeholders filled
    from `params`; `str(conflict)` gives it in the active language.
    """

    rule: Rule
    message: Promise
    params: Mapping[str, object] = field(default_factory=dict)
    subject: str = ""

    def __str__(self) -> str:
        return str(self.message) % {
            key: str(value) for key, value in self.params.items()
        }


@dataclass(frozen=True)
class Schedule:
    """A proposal that keeps every rule; sessions in date and time order."""

    sessions: tuple[ProposedSession, ...]
    stats: SolverStats


@dataclass(frozen=True)
class Infeasible:
    """No schedule: the conflicting rules, and whether that is proven.

    `proven` is False when the time limit ran out before a schedule was found
    or ruled out.
    """

    conflicts: tuple[Conflict, ...]
    stats: SolverStats
    proven: bool


# --- Public functions -------------------------------------------------------


def propose_schedule(
    *,
    problem: SchedulingProblem,
    time_limit_seconds: float = 10.0,
    num_workers: int = 2,
    optimise: bool = True,
) -> Schedule | Infeasible:
    """A schedule that keeps every rule and every locked session, or why not.

    Returned sessions: each activity as often as demanded, with one staff
    member per required profession, a room of the right kind, inside the
    patient day and outside lunch, nobody double-booked across all cohorts.
    Unsolvable problems give an `Infeasible` naming a minimal set of
    conflicting rules; only malformed input raises (ValueError).
    """
    _check_inputs(problem)
    if conflicts := _precheck(problem):
        stats = SolverStats("PRECHECK", 0.0)
        return Infeasible(conflicts=tuple(conflicts), stats=stats, proven=True)
    deadline = monotonic_clock.monotonic() + time_limit_seconds
    parts = _independent_parts(problem)
    results = []
    for number, part in enumerate(parts):
        remaining = deadline - monotonic_clock.monotonic()
        budget = remaining / (len(parts) - number)
        results.append(_solve_part(part, budget, num_workers, optimise=optimise))
    return _combine(results)


def lock_session(*, session: ProposedSession) -> LockedSession:
    """The locked form of a proposed session, to keep it when re-solving."""
    return LockedSession(
        cohort_key=session.cohort_key,
        activity_key=session.activity_key,
        date=session.date,
        start=session.start,
        staff_ids=session.staff_ids,
        room_id=session.room_id,
    )


# --- Input checks -----------------------------------------------------------


def _check_inputs(problem: SchedulingProblem) -> None:
    """Raise ValueError for input that no schedule could mean anything for."""
    _require_unique([s.id for s in problem.staff], "staff id")
    _require_unique([r.id for r in problem.rooms], "room id")
    _require_unique([c.key for c in problem.cohorts], "cohort key")
    if not problem.cohorts:
        raise ValueError("no cohorts to schedule")
    for cohort in problem.cohorts:
        keys = {demand.key for demand in cohort.demands}
        for demand in cohort.demands:
            if unknown := set(demand.after) - keys:
                raise ValueError(f"{demand.key}: unknown activities after {unknown}")
    for lock in problem.locked:
        _check_lock(problem, lock)


def _check_lock(problem: SchedulingProblem, lock: LockedSession) -> None:
    cohort = _cohort(problem, lock.cohort_key)
    if not any(d.key == lock.activity_key for d in cohort.demands):
        raise ValueError(f"locked session of unknown activity {lock.activity_key!r}")
    staff_ids = {s.id for s in problem.staff}
    if unknown := set(lock.staff_ids) - staff_ids:
        raise ValueError(f"locked session with unknown staff {unknown}")
    if lock.room_id is not None and lock.room_id not in {r.id for r in problem.rooms}:
        raise ValueError(f"locked session in unknown room {lock.room_id!r}")


def _require_unique(values: list[str], what: str) -> None:
    if len(values) != len(set(values)):
        raise ValueError(f"duplicate {what}")


def _precheck(problem: SchedulingProblem) -> list[Conflict]:
    """Conflicts visible without the solver, each named once."""
    found = [
        *_missing_staff(problem),
        *_missing_rooms(problem),
        *_too_long(problem),
        *_weeks_without_days(problem),
        *_misplaced_locks(problem),
    ]
    unique: dict[tuple[Rule, str], Conflict] = {}
    for conflict in found:
        unique.setdefault((conflict.rule, conflict.subject), conflict)
    return list(unique.values())


def _missing_staff(problem: SchedulingProblem) -> Iterable[Conflict]:
    present = {s.profession for s in problem.staff}
    for demand in _all_demands(problem):
        for spec in demand.professions:
            alternatives = _alternatives(spec)
            if not present & set(alternatives):
                label = _plural_label(alternatives)
                message = _("Staff missing: %(professions)s")
                yield Conflict(
                    Rule.STAFF_MISSING,
                    message,
                    {"professions": label},
                    "|".join(alternatives),
                )


def _missing_rooms(problem: SchedulingProblem) -> Iterable[Conflict]:
    present = {r.kind for r in problem.rooms} | {RoomKind.NONE}
    for demand in _all_demands(problem):
        if demand.room_kind not in present:
            label = ROOM_KIND_LABELS[demand.room_kind]
            message = _("Room missing: %(room_kind)s")
            yield Conflict(
                Rule.ROOM_MISSING, message, {"room_kind": label}, demand.room_kind
            )


def _too_long(problem: SchedulingProblem) -> Iterable[Conflict]:
    timeline = _Timeline(problem.rules, problem.cohorts[0].start)
    for demand in _all_demands(problem):
        if timeline.size(demand.minutes) > timeline.per_day:
            message = _("Longer than the patient day: %(activity)s")
            yield Conflict(
                Rule.PATIENT_DAY, message, {"activity": demand.name}, demand.key
            )


def _weeks_without_days(problem: SchedulingProblem) -> Iterable[Conflict]:
    for cohort in problem.cohorts:
        weeks_with_days = {cohort.week_of(day) for day in cohort.programme_days()}
        for demand in cohort.demands:
            for week in demand.weeks or range(1, cohort.number_of_weeks + 1):
                if week not in weeks_with_days:
                    message = _(
                        "No programme day for %(activity)s in week %(week)s: %(cohort)s"
                    )
                    params = {
                        "activity": demand.name,
                        "week": week,
                        "cohort": cohort.name,
                    }
                    subject = f"{cohort.key}:{demand.key}:{week}"
                    yield Conflict(Rule.PROGRAMME_DAYS, message, params, subject)


def _misplaced_locks(problem: SchedulingProblem) -> Iterable[Conflict]:
    staff = {s.id: s for s in problem.staff}
    for index, lock in enumerate(problem.locked):
        cohort = _cohort(problem, lock.cohort_key)
        demand = _demand(cohort, lock.activity_key)
        params = _lock_params(demand, lock)
        if not _lock_fits_day(problem.rules, cohort, demand, lock):
            message = _(
                "Locked session outside the programme days and hours: "
                "%(activity)s on %(date)s at %(start)s"
            )
            yield Conflict(Rule.LOCKED_SESSION, message, params, f"{index}:place")
        professions = [staff[staff_id].profession for staff_id in lock.staff_ids]
        if not _professions_cover(demand.professions, professions):
            message = _(
                "Locked session with the wrong profession: "
                "%(activity)s on %(date)s at %(start)s"
            )
            yield Conflict(Rule.LOCKED_SESSION, message, params, f"{index}:profession")


def _lock_fits_day(
    rules: Rules, cohort: Cohort, demand: ActivityDemand, lock: LockedSession
) -> bool:
    begins = _minutes(lock.start)
    inside = _minutes(rules.day_start) <= begins
    inside = inside and begins + demand.minutes <= _minutes(rules.day_end)
    return inside and lock.date in cohort.programme_days()


def _professions_cover(required: tuple[ProfessionSpec, ...], given: list[str]) -> bool:
    remaining = list(given)
    for spec in required:
        match = next((p for p in remaining if p in _alternatives(spec)), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


# --- Small helpers ----------------------------------------------------------


def _alternatives(spec: ProfessionSpec) -> tuple[str, ...]:
    return (spec,) if isinstance(spec, str) else tuple(spec)


def _professions_in(specs: tuple[ProfessionSpec, ...]) -> list[str]:
    return [profession for spec in specs for profession in _alternatives(spec)]


def _plural_label(professions: Iterable[str]) -> Promise:
    """The professions' plural names, joined lazily in the active language."""
    labels = [PROFESSION_PLURALS[p] for p in professions]
    return format_lazy(" / ".join(["{}"] * len(labels)), *labels)


def _all_demands(problem: SchedulingProblem) -> Iterable[ActivityDemand]:
    return (demand for cohort in problem.cohorts for demand in cohort.demands)


def _cohort(problem: SchedulingProblem, key: str) -> Cohort:
    for cohort in problem.cohorts:
        if cohort.key == key:
            return cohort
    raise ValueError(f"unknown cohort {key!r}")


def _demand(cohort: Cohort, key: str) -> ActivityDemand:
    return next(d for d in cohort.demands if d.key == key)


def _lock_params(demand: ActivityDemand, lock: LockedSession) -> dict[str, object]:
    start = lock.start.strftime("%H:%M")
    return {"activity": demand.name, "date": lock.date.isoformat(), "start": start}


_Date = date  # inside _Timeline, `date` names its method


@dataclass(frozen=True)
class _Timeline:
    """Slot arithmetic: day numbers from `origin`, slots within the patient day."""

    rules: Rules
    origin: date

    @property
    def per_day(self) -> int:
        length = _minutes(self.rules.day_end) - _minutes(self.rules.day_start)
        return length // self.rules.slot_minutes

    def day(self, on: date) -> int:
        return (on - self.origin).days

    def date(self, day: int) -> date:
        return self.origin + timedelta(day)

    def size(self, minutes: int) -> int:
        return math.ceil(minutes / self.rules.slot_minutes)

    def slot_floor(self, moment: time) -> int:
        minutes = _minutes(moment) - _minutes(self.rules.day_start)
        return min(max(minutes // self.rules.slot_minutes, 0), self.per_day)

    def slot_ceil(self, moment: time) -> int:
        minutes = _minutes(moment) - _minutes(self.rules.day_start)
        return min(max(-(-minutes // self.rules.slot_minutes), 0), self.per_day)

    def clock(self, slot: int) -> time:
        return _clock(_minutes(self.rules.day_start) + slot * self.rules.slot_minutes)

    def blocked(
        self,
        hours: WeeklyHours | None,
        closed: frozenset[_Date],
        day: int,
        busy: Busy = (),
    ) -> list[tuple[int, int]]:
        """The disjoint (start, end) slot ranges of a day outside the given hours
        or booked elsewhere; they share a NoOverlap, so they must not overlap."""
        on = self.date(day)
        if on in closed:
            return [(0, self.per_day)]
        blocked = []
        if hours is not None:
            ranges = hours.get(on.weekday(), ())
            open_slots = sorted(
                (self.slot_ceil(r.start), self.slot_floor(r.end)) for r in ranges
            )
            blocked = _complement(open_slots, self.per_day)
        taken = [
            (self.slot_floor(r.start), self.slot_ceil(r.end))
            for busy_on, r in busy
            if busy_on == on
        ]
        return _merge(blocked + [(b, e) for b, e in taken if b < e])


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges joined into one."""
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(ranges):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _complement(
    open_slots: list[tuple[int, int]], length: int
) -> list[tuple[int, int]]:
    blocked: list[tuple[int, int]] = []
    cursor = 0
    for begin, end in open_slots:
        if begin > cursor:
            blocked.append((cursor, begin))
        cursor = max(cursor, end)
    if cursor < length:
        blocked.append((cursor, length))
    return blocked


# --- The model --------------------------------------------------------------

BoolLiteral = cp_model.IntVar  # a Boolean variable of the model


def _variable(value: cp_model.IntVar | int) -> cp_model.IntVar:
    """The offset or start of an occurrence that is not locked: a variable
    (a locked session's are numbers)."""
    assert isinstance(value, cp_model.IntVar)
    return value


@dataclass
class _Scope:
    """Where and how many occurrences of one demand line go."""

    demand: ActivityDemand
    index: int  # position of the demand in its cohort
    week: int  # programme week, or 0 for a total over several weeks
    days: list[int]
    count: int


@dataclass
class _Occurrence:
    cohort: Cohort
    demand: ActivityDemand
    scope: _Scope
    size: int
    on_day: dict[int, BoolLiteral]
    offset: cp_model.IntVar | int
    start: cp_model.IntVar | int
    roles: list[list[tuple[Staff, BoolLiteral]]]
    rooms: list[tuple[Room, BoolLiteral]]
    lock: LockedSession | None = None
    present: BoolLiteral | None = None  # the lock's guard; None: always present


class _ModelBuilder:
    """Builds the CP-SAT model of a problem; `guards` maps rule keys to literals."""

    def __init__(self, problem: SchedulingProblem, *, optimise: bool) -> None:
        self.problem = problem
        origin = min(cohort.start for cohort in problem.cohorts)
        self.timeline = _Timeline(problem.rules, origin)
        self.model = cp_model.CpModel()
        self.occurrences: list[_Occurrence] = []
        self.guards: dict[tuple[object, ...], tuple[BoolLiteral, Conflict]] = {}
        for cohort in problem.cohorts:
            self._add_cohort(cohort)
        self._forbid_lunch()
        self._book_staff()
        self._book_rooms()
        self._keep_cohorts_apart()
        self._limit_days_per_week()
        self._once_per_day()
        self._keep_order()
        self._break_symmetry()
        if optimise:
            self._set_objective()

    def guard(self, key: tuple[object, ...], conflict: Conflict) -> BoolLiteral:
        """The literal that switches one rule family on, made on first use."""
        if key not in self.guards:
            self.guards[key] = (self.model.new_bool_var(f"rule {key}"), conflict)
        return self.guards[key][0]

    # Occurrences

    def _add_cohort(self, cohort: Cohort) -> None:
        scopes = self._scopes(cohort)
        for index, lock in enumerate(self.problem.locked):
            if lock.cohort_key == cohort.key:
                self._add_locked(cohort, self._claim_scope(scopes, lock), lock, index)
        for scope in scopes:
            for _count in range(scope.count):
                self._add_free(cohort, scope)

    def _scopes(self, cohort: Cohort) -> list[_Scope]:
        days_by_week: dict[int, list[int]] = defaultdict(list)
        for day in cohort.programme_days():
            days_by_week[cohort.week_of(day)].append(self.timeline.day(day))
        scopes = []
        for index, demand in enumerate(cohort.demands):
            weeks = demand.weeks or tuple(range(1, cohort.number_of_weeks + 1))
            if demand.per_week is not None:
                for week in weeks:
                    scopes.append(
                        _Scope(demand, index, week, days_by_week[week], demand.per_week)
                    )
            else:
                days = sorted(d for week in weeks for d in days_by_week[week])
                scopes.append(_Scope(demand, index, 0, days, demand.total or 0))
        return scopes

    def _claim_scope(self, scopes: list[_Scope], lock: LockedSession) -> _Scope:
        """The demand line a locked session counts towards (one fewer to place)."""
        day = self.timeline.day(lock.date)
        same = [s for s in scopes if s.demand.key == lock.activity_key]
        for scope in same:
            if day in scope.days and scope.count > 0:
                scope.count -= 1
                return scope
        return _Scope(same[0].demand, same[0].index, -1, [day], 0)

    def _add_free(self, cohort: Cohort, scope: _Scope) -> None:
        model, per_day = self.model, self.timeline.per_day
        size = self.timeline.size(scope.demand.minutes)
        on_day = {
            day: model.new_bool_var(f"{scope.demand.key} day {day}")
            for day in scope.days
        }
        model.add_exactly_one(on_day.values())
        offset = model.new_int_var(0, per_day - size, f"{scope.demand.key} offset")
        windows = [
            [day * per_day, day * per_day + per_day - size] for day in scope.days
        ]
        domain = cp_model.Domain.from_intervals(windows)
        start = model.new_int_var_from_domain(domain, f"{scope.demand.key} start")
        day_starts = cp_model.LinearExpr.weighted_sum(
            list(on_day.values()), [day * per_day for day in on_day]
        )
        model.add(start == day_starts + offset)
        roles = [self._staff_choice(spec) for spec in scope.demand.professions]
        self._one_role_each(roles)
        rooms = self._room_choice(scope.demand.room_kind)
        occurrence = _Occurrence(
            cohort=cohort,
            demand=scope.demand,
            scope=scope,
            size=size,
            on_day=on_day,
            offset=offset,
            start=start,
            roles=roles,
            rooms=rooms,
        )
        self.occurrences.append(occurrence)

    def _add_locked(
        self, cohort: Cohort, scope: _Scope, lock: LockedSession, index: int
    ) -> None:
        params = _lock_params(scope.demand, lock)
        message = _("Locked session: %(activity)s on %(date)s at %(start)s")
        subject = f"{lock.cohort_key}:{lock.activity_key}:{lock.date}:{lock.start}"
        conflict = Conflict(Rule.LOCKED_SESSION, message, params, subject)
        literal = self.guard(("lock", index), conflict)
        begins = _minutes(lock.start) - _minutes(self.problem.rules.day_start)
        offset = begins // self.problem.rules.slot_minutes
        end_slot = self.timeline.size(begins + scope.demand.minutes)
        day = self.timeline.day(lock.date)
        staff = {s.id: s for s in self.problem.staff}
        rooms = {r.id: r for r in self.problem.rooms}
        occurrence = _Occurrence(
            cohort=cohort,
            demand=scope.demand,
            scope=scope,
            size=end_slot - offset,
            on_day={day: literal},
            offset=offset,
            start=day * self.timeline.per_day + offset,
            roles=[[(staff[staff_id], literal)] for staff_id in lock.staff_ids],
            rooms=[(rooms[lock.room_id], literal)] if lock.room_id else [],
            lock=lock,
            present=literal,
        )
        self.occurrences.append(occurrence)

    def _staff_choice(self, spec: ProfessionSpec) -> list[tuple[Staff, BoolLiteral]]:
        alternatives = _alternatives(spec)
        candidates = [s for s in self.problem.staff if s.profession in alternatives]
        choice = [(s, self.model.new_bool_var(f"staff {s.id}")) for s in candidates]
        self.model.add_exactly_one(literal for _, literal in choice)
        return choice

    def _one_role_each(self, roles: list[list[tuple[Staff, BoolLiteral]]]) -> None:
        by_staff: dict[str, list[BoolLiteral]] = defaultdict(list)
        for role in roles:
            for staff, literal in role:
                by_staff[staff.id].append(literal)
        for literals in by_staff.values():
            if len(literals) > 1:
                self.model.add_at_most_one(literals)

    def _room_choice(self, kind: RoomKind) -> list[tuple[Room, BoolLiteral]]:
        if kind == RoomKind.NONE:
            return []
        candidates = [r for r in self.problem.rooms if r.kind == kind]
        choice = [(r, self.model.new_bool_var(f"room {r.id}")) for r in candidates]
        self.model.add_exactly_one(literal for _, literal in choice)
        return choice

    def _interval(
        self, occurrence: _Occurrence, presence: BoolLiteral | None
    ) -> cp_model.IntervalVar:
        if presence is None:
            return self.model.new_fixed_size_interval_var(
                occurrence.start, occurrence.size, ""
            )
        return self.model.new_optional_fixed_size_interval_var(
            occurrence.start, occurrence.size, presence, ""
        )

    # Rules

    def _forbid_lunch(self) -> None:
        """Nothing is scheduled over lunch, for patients or staff (seed 0 §9.2)."""
        lunch = self.problem.rules.lunch
        if lunch is None:
            return
        begins, ends = (
            self.timeline.slot_floor(lunch.start),
            self.timeline.slot_ceil(lunch.end),
        )
        literal = self.guard(("lunch",), Conflict(Rule.LUNCH_BREAK, _("Lunch break")))
        for occurrence in self.occurrences:
            if occurrence.lock is not None:
                self._forbid_locked_lunch(occurrence, begins, ends, literal)
                continue
            windows = self._lunch_free_offsets(occurrence.size, begins, ends)
            if not windows:
                self.model.add_bool_or([literal.negated()])
                continue
            domain = cp_model.Domain.from_intervals(windows)
            self.model.add_linear_expression_in_domain(
                occurrence.offset, domain
            ).only_enforce_if(literal)

    def _lunch_free_offsets(self, size: int, begins: int, ends: int) -> list[list[int]]:
        windows = []
        if begins - size >= 0:
            windows.append([0, begins - size])
        if self.timeline.per_day - size >= ends:
            windows.append([ends, self.timeline.per_day - size])
        return windows

    def _forbid_locked_lunch(
        self, occurrence: _Occurrence, begins: int, ends: int, literal: BoolLiteral
    ) -> None:
        offset, present = occurrence.offset, occurrence.present
        if not isinstance(offset, int) or present is None:
            return
        if offset < ends and begins < offset + occurrence.size:
            self.model.add_bool_or([literal.negated(), present.negated()])

    def _book_staff(self) -> None:
        """One staff member, one place at a time, only within their hours."""
        intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        days: dict[str, set[int]] = defaultdict(set)
        for occurrence in self.occurrences:
            for role in occurrence.roles:
                for staff, literal in role:
                    intervals[staff.id].append(self._interval(occurrence, literal))
                    days[staff.id].update(occurrence.on_day)
        for staff in self.problem.staff:
            if not intervals[staff.id]:
                continue
            message = _("Staff availability: %(professions)s")
            label = _plural_label([staff.profession])
            conflict = Conflict(
                Rule.STAFF_AVAILABILITY,
                message,
                {"professions": label},
                staff.profession,
            )
            literal = self.guard(("staff", staff.profession), conflict)
            blocked = self._blocked(
                staff.availability, staff.absent_on, days[staff.id], literal, staff.busy
            )
            self.model.add_no_overlap(intervals[staff.id] + blocked)

    def _book_rooms(self) -> None:
        """One session per room at a time, within its opening hours (the pool)."""
        intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        days: dict[str, set[int]] = defaultdict(set)
        for occurrence in self.occurrences:
            for room, literal in occurrence.rooms:
                intervals[room.id].append(self._interval(occurrence, literal))
                days[room.id].update(occurrence.on_day)
        for room in self.problem.rooms:
            if not intervals[room.id]:
                continue
            literal = self.guard(("room", room.kind), _room_hours_conflict(room.kind))
            blocked = self._blocked(
                room.opening_hours, room.closed_on, days[room.id], literal, room.busy
            )
            self.model.add_no_overlap(intervals[room.id] + blocked)

    def _blocked(
        self,
        hours: WeeklyHours | None,
        closed: frozenset[date],
        days: set[int],
        literal: BoolLiteral,
        busy: Busy = (),
    ) -> list[cp_model.IntervalVar]:
        per_day, blocked = self.timeline.per_day, []
        for day in sorted(days):
            for begin, end in self.timeline.blocked(hours, closed, day, busy):
                blocked.append(
                    self.model.new_optional_fixed_size_interval_var(
                        day * per_day + begin, end - begin, literal, ""
                    )
                )
        return blocked

    def _keep_cohorts_apart(self) -> None:
        """A cohort is in one whole-group activity at a time; individuals in parallel."""
        for cohort in self.problem.cohorts:
            mine = [
                o
                for o in self.occurrences
                if o.cohort is cohort and not o.demand.staff_only
            ]
            intervals = [self._interval(o, o.present) for o in mine]
            places = [
                min(o.demand.attendees or cohort.participants, cohort.participants)
                for o in mine
            ]
            self.model.add_cumulative(intervals, places, cohort.participants)
            whole = [
                i
                for i, o in zip(intervals, mine, strict=True)
                if o.demand.all_participants
            ]
            self.model.add_no_overlap(whole)
            groups: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
            for interval, occurrence in zip(intervals, mine, strict=True):
                if occurrence.demand.group:
                    groups[occurrence.demand.group].append(interval)
            for group in groups.values():
                self.model.add_no_overlap(group)

    def _limit_days_per_week(self) -> None:
        """Three to four scheduled days a programme week (seed 0 §9.2)."""
        for cohort in self.problem.cohorts:
            used = self._days_used(cohort)
            weeks: dict[int, list[BoolLiteral]] = defaultdict(list)
            for day, literal in used.items():
                weeks[cohort.week_of(self.timeline.date(day))].append(literal)
            for week, literals in weeks.items():
                limits = cohort.week_day_limits.get(week, cohort.days_per_week)
                if limits is None:
                    continue
                low, high = min(limits[0], len(literals)), limits[1]
                literal = self.guard(
                    ("days", cohort.key, low, high), _days_conflict(cohort, low, high)
                )
                self.model.add(sum(literals) >= low).only_enforce_if(literal)
                self.model.add(sum(literals) <= high).only_enforce_if(literal)

    def _days_used(self, cohort: Cohort) -> dict[int, BoolLiteral]:
        """A literal per candidate day: true exactly when participants come that day."""
        on_day: dict[int, list[BoolLiteral]] = defaultdict(list)
        for occurrence in self.occurrences:
            if occurrence.cohort is cohort and not occurrence.demand.staff_only:
                for day, literal in occurrence.on_day.items():
                    on_day[day].append(literal)
        used = {}
        for day, literals in sorted(on_day.items()):
            used[day] = self.model.new_bool_var(f"{cohort.key} uses day {day}")
            for literal in literals:
                self.model.add_implication(literal, used[day])
            self.model.add_bool_or(literals).only_enforce_if(used[day])
        return used

    def _once_per_day(self) -> None:
        """Repeated sessions of an activity go on different days (2×/week, seed 2)."""
        groups: dict[tuple[object, ...], list[_Occurrence]] = defaultdict(list)
        for o in self.occurrences:
            if o.demand.once_per_day:
                groups[(o.cohort.key, o.demand.key, o.scope.week)].append(o)
        conflict = Conflict(
            Rule.ONCE_PER_DAY, _("At most one session of an activity a day")
        )
        for occurrences in groups.values():
            by_day: dict[int, list[BoolLiteral]] = defaultdict(list)
            for occurrence in occurrences:
                for day, literal in occurrence.on_day.items():
                    by_day[day].append(literal)
            for literals in by_day.values():
                if len(literals) > 1:
                    literal = self.guard(("once_per_day",), conflict)
                    self.model.add(sum(literals) <= 1).only_enforce_if(literal)

    def _keep_order(self) -> None:
        """Activities listed in `after` are over before this one starts."""
        by_key: dict[tuple[str, str], list[_Occurrence]] = defaultdict(list)
        for o in self.occurrences:
            by_key[(o.cohort.key, o.demand.key)].append(o)
        conflict = Conflict(Rule.ORDER, _("Order of activities"))
        for later in self.occurrences:
            for key in later.demand.after:
                for earlier in by_key[(later.cohort.key, key)]:
                    literal = self.guard(("order",), conflict)
                    self._add_precedence(earlier, later, literal)

    def _add_precedence(
        self, earlier: _Occurrence, later: _Occurrence, literal: BoolLiteral
    ) -> None:
        enforce = [literal] + [
            o.present for o in (earlier, later) if o.present is not None
        ]
        if isinstance(earlier.start, int) and isinstance(later.start, int):
            if later.start < earlier.start + earlier.size:
                self.model.add_bool_or([e.negated() for e in enforce])
            return
        self.model.add(later.start >= earlier.start + earlier.size).only_enforce_if(
            enforce
        )

    def _break_symmetry(self) -> None:
        """Occurrences of one demand line are interchangeable: keep them in order."""
        twins: dict[tuple[object, ...], list[_Occurrence]] = defaultdict(list)
        for o in self.occurrences:
            if o.lock is None:
                twins[(o.cohort.key, o.scope.index, o.scope.week)].append(o)
        for occurrences in twins.values():
            for first, second in zip(occurrences, occurrences[1:], strict=False):
                self.model.add(first.start <= second.start)

    def _set_objective(self) -> None:
        """Minimise morning lateness plus each week's busiest whole-group day."""
        late: list[cp_model.IntVar] = [
            _variable(o.offset)
            for o in self.occurrences
            if o.lock is None and o.demand.prefer_morning
        ]
        terms = late + self._weekly_peaks()
        if terms:
            self.model.minimize(sum(terms))

    def _weekly_peaks(self) -> list[cp_model.IntVar]:
        """The busiest day's whole-group slots, and separately the busiest day's
        slots of individual and small-group sessions (the enrolment week is all
        individual appointments), one variable each per cohort and week."""
        weeks: dict[tuple[str, int, bool], list[_Occurrence]] = defaultdict(list)
        for o in self.occurrences:
            if o.demand.staff_only:
                continue
            for week in {self._week(o.cohort, day) for day in o.on_day}:
                weeks[(o.cohort.key, week, o.demand.all_participants)].append(o)
        return [
            self._peak(occurrences[0].cohort, week, occurrences)
            for (_key, week, _whole), occurrences in weeks.items()
        ]

    def _peak(
        self, cohort: Cohort, week: int, occurrences: list[_Occurrence]
    ) -> cp_model.IntVar:
        by_day: dict[int, list[tuple[BoolLiteral, int]]] = defaultdict(list)
        for o in occurrences:
            for day, literal in o.on_day.items():
                if self._week(cohort, day) == week:
                    by_day[day].append((literal, o.size))
        # The slots certain to fall in this week, spread over the most days the
        # week may use, bound the peak from below; the LP cannot see this
        # rounding, and without it proving a schedule optimal takes seconds.
        certain = sum(
            o.size
            for o in occurrences
            if all(self._week(cohort, d) == week for d in o.on_day)
        )
        limits = cohort.week_day_limits.get(week, cohort.days_per_week)
        most_days = min(limits[1], len(by_day)) if limits else len(by_day)
        floor = min(math.ceil(certain / most_days), self.timeline.per_day)
        peak = self.model.new_int_var(floor, self.timeline.per_day, "peak")
        for terms in by_day.values():
            literals, sizes = zip(*terms, strict=True)
            self.model.add(peak >= cp_model.LinearExpr.weighted_sum(literals, sizes))
        return peak

    def _week(self, cohort: Cohort, day: int) -> int:
        return cohort.week_of(self.timeline.date(day))

    # Solution

    def sessions(self, solver: cp_model.CpSolver) -> tuple[ProposedSession, ...]:
        """The solved occurrences, in date and time order."""
        sessions = [self._session(solver, o) for o in self.occurrences]
        return tuple(
            sorted(
                sessions, key=lambda s: (s.date, s.start, s.cohort_key, s.activity_key)
            )
        )

    def _session(
        self, solver: cp_model.CpSolver, occurrence: _Occurrence
    ) -> ProposedSession:
        demand, lock = occurrence.demand, occurrence.lock
        if lock is not None:
            begins = _minutes(lock.start)
            return ProposedSession(
                occurrence.cohort.key,
                demand.key,
                lock.date,
                lock.start,
                _clock(begins + demand.minutes),
                lock.staff_ids,
                lock.room_id,
                True,
            )
        day = next(
            d for d, lit in occurrence.on_day.items() if solver.boolean_value(lit)
        )
        begins = _minutes(self.timeline.clock(solver.value(occurrence.offset)))
        staff_ids = tuple(
            staff.id
            for role in occurrence.roles
            for staff, literal in role
            if solver.boolean_value(literal)
        )
        room_id = next(
            (room.id for room, lit in occurrence.rooms if solver.boolean_value(lit)),
            None,
        )
        return ProposedSession(
            occurrence.cohort.key,
            demand.key,
            self.timeline.date(day),
            _clock(begins),
            _clock(begins + demand.minutes),
            staff_ids,
            room_id,
            False,
        )


def _room_hours_conflict(kind: RoomKind) -> Conflict:
    if kind == RoomKind.POOL:
        return Conflict(Rule.ROOM_HOURS, _("Pool hours"), subject=kind)
    message = _("Opening hours: %(room_kind)s")
    return Conflict(
        Rule.ROOM_HOURS, message, {"room_kind": ROOM_KIND_LABELS[kind]}, kind
    )


def _days_conflict(cohort: Cohort, low: int, high: int) -> Conflict:
    if low == high:
        message = _("%(days)s days a week: %(cohort)s")
        params: dict[str, object] = {"days": low, "cohort": cohort.name}
    else:
        message = _("%(min_days)s–%(max_days)s days a week: %(cohort)s")
        params = {"min_days": low, "max_days": high, "cohort": cohort.name}
    return Conflict(Rule.DAYS_PER_WEEK, message, params, cohort.key)


# --- Solving and explaining -------------------------------------------------


def _independent_parts(problem: SchedulingProblem) -> list[SchedulingProblem]:
    """Groups of cohorts whose dates overlap; different groups share nobody's time.

    Staff and rooms are shared by all cohorts, but two cohorts whose date ranges
    do not meet can never compete for them, so each group is solved on its own.
    """
    groups: list[list[Cohort]] = []
    for cohort in sorted(problem.cohorts, key=lambda c: c.start):
        if groups and cohort.start <= max(c.end for c in groups[-1]):
            groups[-1].append(cohort)
        else:
            groups.append([cohort])
    return [_part(problem, group) for group in groups]


def _part(problem: SchedulingProblem, cohorts: list[Cohort]) -> SchedulingProblem:
    keys = {cohort.key for cohort in cohorts}
    locked = tuple(lock for lock in problem.locked if lock.cohort_key in keys)
    return replace(problem, cohorts=tuple(cohorts), locked=locked)


def _solve_part(
    problem: SchedulingProblem, budget: float, num_workers: int, *, optimise: bool
) -> Schedule | Infeasible:
    """Solve one independent part: a quick first schedule, then optimise from it."""
    started = monotonic_clock.monotonic()
    builder = _ModelBuilder(problem, optimise=optimise)
    builder.model.add_bool_and([literal for literal, _ in builder.guards.values()])
    solver, status = _first_schedule(builder, budget / 4)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if (found and optimise) or status == cp_model.UNKNOWN:
        if found:
            _hint(builder.model, solver)
        remaining = budget - (monotonic_clock.monotonic() - started)
        solver = _solver(remaining, num_workers)
        status = solver.solve(builder.model)
    stats = _stats(solver, status, started=started, has_objective=optimise)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Schedule(sessions=builder.sessions(solver), stats=stats)
    if status == cp_model.INFEASIBLE:
        # Naming the rules may need as long again as proving there is no schedule.
        remaining = budget - (monotonic_clock.monotonic() - started)
        conflicts = _explain(problem, max(remaining, budget / 2), num_workers)
        return Infeasible(conflicts=conflicts, stats=stats, proven=True)
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"invalid scheduling model: {builder.model.validate()}")
    timeout = Conflict(Rule.TIME_LIMIT, _("No schedule found within the time limit"))
    return Infeasible(conflicts=(timeout,), stats=stats, proven=False)


def _first_schedule(
    builder: _ModelBuilder, time_limit_seconds: float
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """List scheduling on a copy of the model: each occurrence at its earliest
    start, earliest day first, whole-group and longer activities first.

    The default workers can take many seconds to find any schedule of a busy
    year; this finds one in about a second, and the optimising solve starts
    from it as a hint.
    """
    model = builder.model.clone()
    free = [o for o in builder.occurrences if o.lock is None]
    free.sort(key=lambda o: (min(o.on_day), not o.demand.all_participants, -o.size))
    model.add_decision_strategy(
        [_variable(o.start) for o in free],
        cp_model.CHOOSE_FIRST,
        cp_model.SELECT_MIN_VALUE,
    )
    solver = _solver(time_limit_seconds, 1)
    solver.parameters.search_branching = cp_model.FIXED_SEARCH
    solver.parameters.stop_after_first_solution = True
    return solver, solver.solve(model)


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable with its value in the solver's solution."""
    for index in range(len(model.proto.variables)):
        variable = model.get_int_var_from_proto_index(index)
        model.add_hint(variable, solver.value(variable))


def _combine(results: list[Schedule | Infeasible]) -> Schedule | Infeasible:
    """One result for the whole problem from the results of its parts."""
    stats = _combined_stats([result.stats for result in results])
    failed = [result for result in results if isinstance(result, Infeasible)]
    if failed:
        named = {(c.rule, c.subject): c for r in failed for c in r.conflicts}
        conflicts = tuple(named.values())
        proven = all(result.proven for result in failed)
        return Infeasible(conflicts=conflicts, stats=stats, proven=proven)
    sessions = sorted(
        (s for r in results if isinstance(r, Schedule) for s in r.sessions),
        key=lambda s: (s.date, s.start, s.cohort_key, s.activity_key),
    )
    return Schedule(sessions=tuple(sessions), stats=stats)


def _combined_stats(parts: list[SolverStats]) -> SolverStats:
    statuses = [part.status for part in parts]
    status = next((s for s in _STATUS_SEVERITY if s in statuses), statuses[0])
    wall_time = sum(part.wall_time for part in parts)
    if any(part.objective is None or part.best_bound is None for part in parts):
        return SolverStats(status, wall_time)
    objective = sum(part.objective or 0.0 for part in parts)
    bound = sum(part.best_bound or 0.0 for part in parts)
    gap = abs(objective - bound) / max(1.0, abs(objective))
    return SolverStats(status, wall_time, objective, bound, gap)


# The status of a combined result is that of its worst part.
_STATUS_SEVERITY = ("MODEL_INVALID", "INFEASIBLE", "UNKNOWN", "FEASIBLE", "OPTIMAL")


def _solver(time_limit_seconds: float, num_workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit_seconds, 0.01)
    solver.parameters.num_workers = num_workers
    return solver


def _stats(
    solver: cp_model.CpSolver,
    status: cp_model.CpSolverStatus,
    *,
    started: float,
    has_objective: bool,
) -> SolverStats:
    name = solver.status_name(status)
    wall_time = monotonic_clock.monotonic() - started
    if not has_objective or status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SolverStats(name, wall_time)
    objective, bound = solver.objective_value, solver.best_objective_bound
    gap = abs(objective - bound) / max(1.0, abs(objective))
    return SolverStats(name, wall_time, objective, bound, gap)


def _explain(
    problem: SchedulingProblem, time_limit_seconds: float, num_workers: int
) -> tuple[Conflict, ...]:
    """A minimal set of guarded rules that cannot all hold, by name."""
    builder = _ModelBuilder(problem, optimise=False)
    by_index = {literal.index: (literal, c) for literal, c in builder.guards.values()}
    deadline = monotonic_clock.monotonic() + time_limit_seconds
    everything = [literal for literal, _ in by_index.values()]
    status, core = _solve_assuming(builder.model, everything, deadline, num_workers)
    if status != cp_model.INFEASIBLE:
        message = _("No schedule exists; the conflicting rules were not found in time")
        return (Conflict(Rule.TIME_LIMIT, message),)
    guards = _shrink(
        builder.model, [by_index[i][0] for i in core], deadline, num_workers
    )
    if not guards:
        message = _("The activities do not fit in the programme days")
        return (Conflict(Rule.CAPACITY, message),)
    return tuple(by_index[literal.index][1] for literal in guards)


def _solve_assuming(
    model: cp_model.CpModel,
    literals: list[BoolLiteral],
    deadline: float,
    num_workers: int,
) -> tuple[cp_model.CpSolverStatus, list[int]]:
    model.clear_assumptions()
    model.add_assumptions(literals)
    solver = _solver(deadline - monotonic_clock.monotonic(), num_workers)
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return status, []
    return status, list(solver.sufficient_assumptions_for_infeasibility())


def _shrink(
    model: cp_model.CpModel, core: list[BoolLiteral], deadline: float, num_workers: int
) -> list[BoolLiteral]:
    """Drop each rule whose removal leaves the problem infeasible (deletion filter)."""
    position = 0
    while position < len(core) and monotonic_clock.monotonic() < deadline:
        trial = core[:position] + core[position + 1 :]
        status, smaller = _solve_assuming(model, trial, deadline, num_workers)
        if status == cp_model.INFEASIBLE:
            kept = set(smaller)
            core = (
                [literal for literal in trial if literal.index in kept]
                if kept
                else trial
            )
        else:
            position += 1
    return core
