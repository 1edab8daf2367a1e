"""The scheduler keeps every rule of seed 0 §9.2, or names the ones that clash.

No database: plain dataclasses in, sessions out. Each rule is checked on the
output itself, pairwise, rather than trusted to the model.
"""

from collections import Counter
from dataclasses import replace
from datetime import date, time, timedelta
from itertools import combinations
from typing import Any

import pytest
from django.utils import translation

from painrehab.accounts.permissions import Profession
from painrehab.programmes.scheduler import (
    PROFESSION_PLURALS,
    ActivityDemand,
    Cohort,
    Infeasible,
    LockedSession,
    ProposedSession,
    Room,
    RoomKind,
    Rule,
    Rules,
    Schedule,
    SchedulingProblem,
    Staff,
    TimeRange,
    lock_session,
    propose_schedule,
    weekly_hours,
)

MONDAY = date(2026, 3, 2)
DAY = TimeRange(time(8), time(16))
MORNING = TimeRange(time(8), time(12))
POOL_HOURS = {1: (TimeRange(time(10), time(12)),), 3: (TimeRange(time(13), time(15)),)}
TIME_LIMIT = 5.0


def demands() -> tuple[ActivityDemand, ...]:
    """A two-week miniature of the seed 0 §9.3 content."""
    talks = tuple(
        ActivityDemand(
            key=f"talk-{n}",
            name=f"Talk with the psychologist ({n})",
            professions=("psychologist",),
            minutes=30,
            per_week=1,
            weeks=(1,),
            room_kind=RoomKind.NONE,
            attendees=1,
            group=f"participant {n}",
        )
        for n in range(1, 5)
    )
    return (
        ActivityDemand(
            key="training",
            name="Graded physical training",
            professions=("physiotherapist",),
            minutes=60,
            per_week=2,
            room_kind=RoomKind.GYM,
            prefer_morning=True,
        ),
        ActivityDemand(
            key="pool",
            name="Pool training",
            professions=("physiotherapist",),
            minutes=45,
            per_week=1,
            room_kind=RoomKind.POOL,
        ),
        ActivityDemand(
            key="acceptance",
            name="Acceptance",
            professions=("psychologist",),
            minutes=60,
            per_week=2,
        ),
        ActivityDemand(
            key="lesson",
            name="Lesson: pain and activity",
            professions=("physician", "occupational_therapist"),
            minutes=60,
            total=1,
            weeks=(2,),
        ),
        ActivityDemand(
            key="walk",
            name="Nordic walking",
            professions=(("sports_leader", "physiotherapist"),),
            minutes=60,
            per_week=1,
            room_kind=RoomKind.NONE,
        ),
        ActivityDemand(
            key="conference",
            name="Patient conference",
            professions=("physician", "psychologist", "physiotherapist"),
            minutes=30,
            per_week=1,
            room_kind=RoomKind.NONE,
            attendees=0,
        ),
        *talks,
    )


def cohort(key: str = "spring", start: date = MONDAY) -> Cohort:
    return Cohort(
        key=key,
        name=f"Programme {key}",
        start=start,
        end=start + timedelta(days=11),
        demands=demands(),
        participants=4,
    )


def team() -> tuple[Staff, ...]:
    return (
        Staff("physio-a", "physiotherapist", weekly_hours(weekdays=range(5), ranges=[DAY])),
        Staff("physio-b", "physiotherapist", weekly_hours(weekdays=(1, 3), ranges=[MORNING])),
        Staff("psychologist", "psychologist", weekly_hours(weekdays=range(4), ranges=[DAY])),
        Staff("physician", "physician", weekly_hours(weekdays=(0, 2), ranges=[DAY])),
        Staff("ot", "occupational_therapist", weekly_hours(weekdays=range(5), ranges=[MORNING])),
        Staff("sports", "sports_leader", weekly_hours(weekdays=range(5), ranges=[DAY])),
    )  # fmt: skip


def rooms() -> tuple[Room, ...]:
    return (
        Room("group-room", RoomKind.GROUP_ROOM),
        Room("gym", RoomKind.GYM),
        Room("pool", RoomKind.POOL, opening_hours=POOL_HOURS),
    )


def problem(**changes: Any) -> SchedulingProblem:
    base = SchedulingProblem(cohorts=(cohort(),), staff=team(), rooms=rooms())
    return replace(base, **changes)


def solve(
    scheduling_problem: SchedulingProblem, time_limit_seconds: float = TIME_LIMIT
) -> Schedule | Infeasible:
    return propose_schedule(
        problem=scheduling_problem, time_limit_seconds=time_limit_seconds
    )


def overlap(first: ProposedSession, second: ProposedSession) -> bool:
    same_day = first.date == second.date
    return same_day and first.start < second.end and second.start < first.end


def demand_of(session: ProposedSession, scheduling_problem: SchedulingProblem):
    cohort_ = next(c for c in scheduling_problem.cohorts if c.key == session.cohort_key)
    return next(d for d in cohort_.demands if d.key == session.activity_key)


@pytest.fixture(scope="module")
def small() -> tuple[SchedulingProblem, Schedule]:
    scheduling_problem = problem()
    result = solve(scheduling_problem)
    assert isinstance(result, Schedule), result
    return scheduling_problem, result


# --- A feasible case keeps every rule ---------------------------------------


def test_small_programme_is_scheduled_optimally(small) -> None:
    _, schedule = small
    assert schedule.stats.status == "OPTIMAL"
    assert schedule.stats.gap == 0.0


def test_every_activity_occurs_as_often_as_demanded(small) -> None:
    _, schedule = small
    counts = Counter(s.activity_key for s in schedule.sessions)
    expected = {"training": 4, "pool": 2, "acceptance": 4, "lesson": 1, "walk": 2}
    expected |= {"conference": 2, "talk-1": 1, "talk-2": 1, "talk-3": 1, "talk-4": 1}
    assert counts == expected


def test_nobody_on_the_staff_is_double_booked(small) -> None:
    _, schedule = small
    for first, second in combinations(schedule.sessions, 2):
        if set(first.staff_ids) & set(second.staff_ids):
            assert not overlap(first, second), (first, second)


def test_no_room_is_double_booked(small) -> None:
    _, schedule = small
    for first, second in combinations(schedule.sessions, 2):
        if first.room_id is not None and first.room_id == second.room_id:
            assert not overlap(first, second), (first, second)


def test_the_cohort_is_in_one_group_activity_at_a_time(small) -> None:
    scheduling_problem, schedule = small
    for first, second in combinations(schedule.sessions, 2):
        a, b = (
            demand_of(first, scheduling_problem),
            demand_of(second, scheduling_problem),
        )
        if a.staff_only or b.staff_only:
            continue
        if a.all_participants or b.all_participants or (a.group and a.group == b.group):
            assert not overlap(first, second), (first, second)


def test_each_activity_has_staff_of_the_right_professions(small) -> None:
    scheduling_problem, schedule = small
    profession = {s.id: s.profession for s in scheduling_problem.staff}
    for session in schedule.sessions:
        demand = demand_of(session, scheduling_problem)
        given = [profession[staff_id] for staff_id in session.staff_ids]
        assert len(set(session.staff_ids)) == len(demand.professions)
        for spec, staff_profession in zip(demand.professions, given, strict=True):
            allowed = (spec,) if isinstance(spec, str) else spec
            assert staff_profession in allowed, session


def test_sessions_keep_to_the_patient_day_and_leave_lunch_free(small) -> None:
    _, schedule = small
    lunch = TimeRange(time(12), time(12, 45))
    for session in schedule.sessions:
        assert time(8) <= session.start, session
        assert session.end <= time(16), session
        assert session.end <= lunch.start or session.start >= lunch.end, session


def test_staff_work_only_within_their_hours(small) -> None:
    scheduling_problem, schedule = small
    staff = {s.id: s for s in scheduling_problem.staff}
    for session in schedule.sessions:
        for staff_id in session.staff_ids:
            ranges = staff[staff_id].availability.get(session.date.weekday(), ())
            assert any(
                r.start <= session.start and session.end <= r.end for r in ranges
            )


def test_pool_sessions_fall_within_pool_hours(small) -> None:
    _, schedule = small
    pool = [s for s in schedule.sessions if s.room_id == "pool"]
    assert len(pool) == 2
    for session in pool:
        ranges = POOL_HOURS.get(session.date.weekday(), ())
        assert any(r.start <= session.start and session.end <= r.end for r in ranges)


def test_participants_come_three_to_four_days_a_week(small) -> None:
    scheduling_problem, schedule = small
    days: dict[int, set[date]] = {1: set(), 2: set()}
    for session in schedule.sessions:
        if not demand_of(session, scheduling_problem).staff_only:
            days[(session.date - MONDAY).days // 7 + 1].add(session.date)
    assert {week: 3 <= len(dates) <= 4 for week, dates in days.items()} == {
        1: True,
        2: True,
    }


def test_repeated_training_goes_on_different_days(small) -> None:
    _, schedule = small
    training = [s.date for s in schedule.sessions if s.activity_key == "training"]
    assert len(set(training)) == 4


def test_training_that_prefers_mornings_starts_at_eight(small) -> None:
    _, schedule = small
    starts = {s.start for s in schedule.sessions if s.activity_key == "training"}
    assert starts == {time(8)}


def test_cohorts_at_the_same_time_share_staff_and_rooms_without_double_booking() -> (
    None
):
    later = cohort("autumn", MONDAY + timedelta(days=7))
    far = cohort("winter", MONDAY + timedelta(days=56))
    scheduling_problem = problem(cohorts=(cohort(), later, far))
    # Solved in about 0.5 s; the margin is for a machine busy with other work
    # (it found nothing in its share of 5 s with five test runs on two cores).
    schedule = solve(scheduling_problem, time_limit_seconds=30)
    assert isinstance(schedule, Schedule), schedule
    assert Counter(s.cohort_key for s in schedule.sessions) == {
        "spring": 19,
        "autumn": 19,
        "winter": 19,
    }
    for first, second in combinations(schedule.sessions, 2):
        shared_staff = set(first.staff_ids) & set(second.staff_ids)
        shared_room = first.room_id is not None and first.room_id == second.room_id
        if shared_staff or shared_room:
            assert not overlap(first, second), (first, second)


# --- Infeasible cases name the rules that conflict --------------------------


def test_pool_never_open_names_pool_hours() -> None:
    closed_pool = Room("pool", RoomKind.POOL, opening_hours={})
    result = solve(problem(rooms=(*rooms()[:2], closed_pool)))
    assert isinstance(result, Infeasible)
    assert result.proven is True
    assert [(c.rule, c.subject) for c in result.conflicts] == [
        (Rule.ROOM_HOURS, "pool")
    ]
    with translation.override("en"):
        assert [str(c) for c in result.conflicts] == ["Pool hours"]


def test_only_physiotherapist_absent_every_week_names_their_availability() -> None:
    every_day = frozenset(MONDAY + timedelta(days=n) for n in range(14))
    absent = replace(team()[0], absent_on=every_day)
    result = solve(problem(staff=(absent, *team()[2:])))
    assert isinstance(result, Infeasible)
    assert [(c.rule, c.subject) for c in result.conflicts] == [
        (Rule.STAFF_AVAILABILITY, "physiotherapist")
    ]
    with translation.override("en"):
        assert str(result.conflicts[0]) == "Staff availability: physiotherapists"


def test_too_much_for_four_days_names_both_days_a_week_and_lunch() -> None:
    # Five four-hour group activities: each fills a morning, so they need five
    # days unless lunch is dropped (two a day) or a fifth day is allowed.
    heavy = tuple(
        ActivityDemand(
            key=f"heavy-{n}",
            name=f"Heavy {n}",
            professions=("sports_leader",),
            minutes=240,
            per_week=1,
            room_kind=RoomKind.NONE,
        )
        for n in range(5)
    )
    week = Cohort("one", "One week", MONDAY, MONDAY + timedelta(days=4), heavy)
    result = solve(problem(cohorts=(week,)))
    assert isinstance(result, Infeasible)
    assert {c.rule for c in result.conflicts} == {Rule.DAYS_PER_WEEK, Rule.LUNCH_BREAK}
    with translation.override("en"):
        assert "3–4 days a week: One week" in [str(c) for c in result.conflicts]


def test_missing_pool_is_named_before_solving() -> None:
    result = solve(problem(rooms=rooms()[:2]))
    assert isinstance(result, Infeasible)
    assert result.stats.status == "PRECHECK"
    assert [(c.rule, c.subject) for c in result.conflicts] == [
        (Rule.ROOM_MISSING, "pool")
    ]


def test_missing_profession_is_named_before_solving() -> None:
    without_physician = tuple(s for s in team() if s.profession != "physician")
    result = solve(problem(staff=without_physician))
    assert isinstance(result, Infeasible)
    assert [(c.rule, c.subject) for c in result.conflicts] == [
        (Rule.STAFF_MISSING, "physician")
    ]
    with translation.override("en"):
        assert str(result.conflicts[0]) == "Staff missing: physicians"


# --- Time booked elsewhere and closed days ------------------------------------


def test_time_booked_elsewhere_is_kept_free() -> None:
    # The only full-time physiotherapist is booked all Monday and Wednesday
    # mornings of week 1 by another cohort; physio-b's own hours overlap the
    # booking on Tuesday (merged, not a conflict).
    monday, tuesday, wednesday = (MONDAY + timedelta(days=n) for n in range(3))
    busy_a = (
        (monday, TimeRange(time(8), time(12))),
        (wednesday, TimeRange(time(8), time(12))),
    )
    busy_b = ((tuesday, TimeRange(time(11), time(13))),)
    staff = (
        replace(team()[0], busy=busy_a),
        replace(team()[1], busy=busy_b),
        *team()[2:],
    )
    scheduling_problem = problem(staff=staff)
    schedule = solve(scheduling_problem)
    assert isinstance(schedule, Schedule), schedule
    booked = {"physio-a": busy_a, "physio-b": busy_b}
    for session in schedule.sessions:
        for staff_id in session.staff_ids:
            for day, taken in booked.get(staff_id, ()):
                clash = session.date == day and (
                    session.start < taken.end and taken.start < session.end
                )
                assert not clash, (staff_id, session)


def test_busy_room_is_kept_free() -> None:
    # Another cohort has the pool on Tuesday of week 1: this cohort's week-1
    # pool training must go on Thursday.
    tuesday = MONDAY + timedelta(days=1)
    pool = replace(rooms()[2], busy=((tuesday, TimeRange(time(10), time(12))),))
    schedule = solve(problem(rooms=(*rooms()[:2], pool)))
    assert isinstance(schedule, Schedule), schedule
    week_1_pool = [
        s
        for s in schedule.sessions
        if s.activity_key == "pool" and s.date < MONDAY + timedelta(days=7)
    ]
    assert [s.date.weekday() for s in week_1_pool] == [3]


def test_closed_days_are_no_programme_days() -> None:
    # A public holiday on Thursday of week 1 takes the pool's only hours that
    # week: the pool training goes on Tuesday.
    thursday = MONDAY + timedelta(days=3)
    closed = replace(cohort(), closed_on=frozenset({thursday}))
    assert thursday not in closed.programme_days()
    schedule = solve(problem(cohorts=(closed,)))
    assert isinstance(schedule, Schedule), schedule
    assert thursday not in {s.date for s in schedule.sessions}
    week_1_pool = [
        s
        for s in schedule.sessions
        if s.activity_key == "pool" and s.date < MONDAY + timedelta(days=7)
    ]
    assert [s.date.weekday() for s in week_1_pool] == [1]


# --- Locked sessions ---------------------------------------------------------


def test_locked_sessions_are_kept_exactly_after_re_solving(small) -> None:
    scheduling_problem, schedule = small
    pool = next(s for s in schedule.sessions if s.activity_key == "pool")
    moved_pool = replace(pool, start=time(10, 30), end=time(11, 15))
    if pool.date.weekday() == 3:  # Thursday: the pool is open 13–15
        moved_pool = replace(pool, start=time(14), end=time(14, 45))
    acceptance = next(
        s
        for s in schedule.sessions
        if s.activity_key == "acceptance" and s.date != pool.date
    )
    locks = (lock_session(session=moved_pool), lock_session(session=acceptance))
    # Re-solve after a change elsewhere: the occupational therapist is away a day.
    ot_away = replace(team()[4], absent_on=frozenset({MONDAY + timedelta(days=7)}))
    changed = replace(
        scheduling_problem, staff=(*team()[:4], ot_away, team()[5]), locked=locks
    )
    result = solve(changed)
    assert isinstance(result, Schedule), result
    locked = [s for s in result.sessions if s.locked]
    assert locked == sorted(
        [replace(moved_pool, locked=True), replace(acceptance, locked=True)],
        key=lambda s: (s.date, s.start),
    )
    assert Counter(s.activity_key for s in result.sessions) == Counter(
        s.activity_key for s in schedule.sessions
    )
    for first, second in combinations(result.sessions, 2):
        if set(first.staff_ids) & set(second.staff_ids):
            assert not overlap(first, second), (first, second)


def test_locked_session_over_lunch_names_the_lock_and_lunch() -> None:
    lock = LockedSession(
        "spring", "acceptance", MONDAY, time(11, 30), ("psychologist",)
    )
    result = solve(problem(locked=(lock,)))
    assert isinstance(result, Infeasible)
    assert {c.rule for c in result.conflicts} == {Rule.LOCKED_SESSION, Rule.LUNCH_BREAK}
    with translation.override("en"):
        assert "Locked session: Acceptance on 2026-03-02 at 11:30" in [
            str(c) for c in result.conflicts
        ]


def test_locked_session_after_the_patient_day_is_named_before_solving() -> None:
    lock = LockedSession(
        "spring", "acceptance", MONDAY, time(15, 30), ("psychologist",)
    )
    result = solve(problem(locked=(lock,)))
    assert isinstance(result, Infeasible)
    assert [c.rule for c in result.conflicts] == [Rule.LOCKED_SESSION]


def test_locked_session_with_the_wrong_profession_is_named() -> None:
    lock = LockedSession("spring", "acceptance", MONDAY, time(9), ("sports",))
    result = solve(problem(locked=(lock,)))
    assert isinstance(result, Infeasible)
    assert [c.rule for c in result.conflicts] == [Rule.LOCKED_SESSION]
    assert result.conflicts[0].subject == "0:profession"


# --- Input ------------------------------------------------------------------


def test_schedulable_professions_are_the_team_professions_but_the_secretary() -> None:
    assert set(PROFESSION_PLURALS) == set(Profession.values) - {"secretary"}


def test_demand_needs_either_a_weekly_or_a_total_count() -> None:
    with pytest.raises(ValueError, match="exactly one of per_week and total"):
        ActivityDemand(key="x", name="X", professions=(), minutes=30)
    with pytest.raises(ValueError, match="exactly one of per_week and total"):
        ActivityDemand(
            key="x", name="X", professions=(), minutes=30, per_week=1, total=2
        )


def test_unknown_profession_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown profession 'nurse'"):
        Staff("x", "nurse", {})


def test_patient_day_must_be_whole_slots() -> None:
    with pytest.raises(ValueError, match="whole number of slots"):
        Rules(day_end=time(15, 50))
