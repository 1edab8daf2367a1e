"""Scheduling a cohort from the database: the template's days and activities
are stored as sessions, nobody is double-booked, locked sessions stay, public
holidays are no programme days, and conflicts are named in Swedish."""

from collections import Counter, defaultdict
from datetime import date, time, timedelta
from itertools import combinations

import pytest

from painrehab.audit.models import AuditEvent
from painrehab.programmes.models import (
    Appointment,
    Attendance,
    Room,
    Session,
    SessionStaff,
    StaffAbsence,
    StaffAvailability,
)
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.scheduling import (
    schedule_cohort,
    scheduling_problem,
)
from painrehab.programmes.services.sessions import change_session
from painrehab.programmes.tests.conftest import MONDAY
from painrehab.programmes.tests.factories import aware

TIME_LIMIT = 10.0
ENROLMENT = {
    "enrolment_psychologist": "psychologist",
    "enrolment_physiotherapist": "physiotherapist",
    "enrolment_occupational_therapist": "occupational_therapist",
    "enrolment_physician": "physician",
}


def base(key: str) -> str:
    """The template activity of a demand key ("enrolment_physician-3")."""
    head, _, tail = key.rpartition("-")
    return head if tail.isdigit() else key


def week_of(session: Session) -> int:
    return (session.date - session.cohort.start).days // 7 + 1


def overlap(first: Session, second: Session) -> bool:
    return (
        first.date == second.date
        and first.start < second.end
        and second.start < first.end
    )


def assert_nobody_double_booked(sessions: list[Session]) -> None:
    staff = defaultdict(set)
    for booking in SessionStaff.objects.filter(session__in=sessions):
        staff[booking.session_id].add(booking.user_id)
    for first, second in combinations(sessions, 2):
        if not overlap(first, second):
            continue
        assert not staff[first.pk] & staff[second.pk], (first, second)
        assert first.room_id is None or first.room_id != second.room_id
        if first.cohort_id == second.cohort_id:
            both = {first.attendees, second.attendees}
            assert "all" not in both or "staff" in both, (first, second)


@pytest.fixture
def scheduled(staff, rooms, specialist, decided, cohort_of, coordinator):  # noqa: ANN001, ANN201
    cohort = cohort_of(specialist, decided(4))
    result = schedule_cohort(
        by=coordinator, cohort=cohort, time_limit_seconds=TIME_LIMIT
    )
    assert result.ok, result.conflicts
    return cohort, result


def test_a_five_week_cohort_gets_the_template_days_and_activities(
    scheduled, rooms
) -> None:
    cohort, result = scheduled
    sessions = list(
        cohort.sessions.prefetch_related("staff", "participants").order_by("date")
    )
    assert result.created == len(sessions) == 85
    patient_days = defaultdict(set)
    for session in sessions:
        if session.attendees != "staff":
            patient_days[week_of(session)].add(session.date)
    # Four enrolment days first, then three to four days a week (seed 0 §9.2–9.3);
    # Good Friday (3 April, week 5) is no programme day.
    assert len(patient_days[1]) == 4
    assert all(3 <= len(patient_days[week]) <= 4 for week in (2, 3, 4, 5))
    assert date(2026, 4, 3) not in {s.date for s in sessions}

    counts = Counter(base(s.activity_key) for s in sessions)
    assert counts == {
        **dict.fromkeys(ENROLMENT, 4),
        "acceptance": 4,
        "mindfulness": 4,
        "behaviour_analysis": 2,
        "physical_training": 8,
        "conditioning": 4,
        "pool_training": 4,
        "walking": 4,
        "lesson_training": 2,
        "healthy_activities": 4,
        "body_awareness": 4,
        "everyday_ergonomics": 1,
        "activity_balance": 2,
        "activity_balance_talk": 4,
        "lesson_pain": 1,
        "lesson_stress": 1,
        "return_to_work": 4,
        "relatives_meeting": 1,
        "maintenance_plan": 1,
        "questionnaires": 1,
        "goal_evaluation_psychologist": 4,
        "goal_evaluation_physiotherapist": 4,
        "patient_conference": 5,
    }
    week_1 = {base(s.activity_key) for s in sessions if week_of(s) == 1}
    assert week_1 == {*ENROLMENT, "patient_conference"}
    participants = list(cohort.participants.order_by("pk"))
    for session in sessions:
        given = sorted(booking.profession for booking in session.staff.all())
        assert all(
            booking.minutes == session.minutes for booking in session.staff.all()
        )
        if base(session.activity_key) in ENROLMENT:
            assert given == [ENROLMENT[base(session.activity_key)]]
            assert session.attendees == "individual"
            number = int(session.activity_key.rsplit("-", 1)[1])
            assert list(session.participants.all()) == [participants[number - 1]]
        if session.attendees == "all":
            assert list(session.participants.order_by("pk")) == participants
        if session.activity_key == "pool_training":
            assert session.room == rooms["pool"]
            assert (
                session.date.weekday(),
                session.start >= time(10),
                session.end <= time(12),
            ) == (1, True, True) or (
                session.date.weekday() == 3
                and session.start >= time(13)
                and session.end <= time(15)
            )
        assert time(8) <= session.start
        assert session.end <= time(16)
        assert session.end <= time(12) or session.start >= time(12, 45)
    assert_nobody_double_booked(sessions)


def test_scheduling_is_audited_naming_the_participants(scheduled) -> None:
    cohort, _result = scheduled
    event = AuditEvent.objects.get(what="cohort scheduled: 85 sessions")
    assert sorted(event.patients.values_list("patient_id", flat=True)) == sorted(
        cohort.participants.values_list("episode__patient_id", flat=True)
    )


def test_parallel_cohorts_appointments_and_absence_keep_staff_free(
    scheduled, staff, specialist, decided, cohort_of, coordinator, unit_a
) -> None:
    first, _ = scheduled
    psychologist, physio = staff["psykolog"], staff["fysio2"]
    # The psychologist sees an individual patient all of Tuesday in week 2 of
    # the second cohort; the second physiotherapist is on leave its week 3.
    tuesday = MONDAY + timedelta(weeks=3, days=1)
    Appointment.objects.create(
        unit=unit_a,
        episode=decided(1)[0],
        starts_at=aware(tuesday, 8),
        minutes=480,
        staff=psychologist.user,
        profession="psychologist",
        created_by=coordinator.user,
    )
    leave = MONDAY + timedelta(weeks=4)
    StaffAbsence.objects.create(
        membership=physio, first_day=leave, last_day=leave + timedelta(days=4)
    )
    second = cohort_of(specialist, decided(5), start=MONDAY + timedelta(weeks=2))
    result = schedule_cohort(
        by=coordinator, cohort=second, time_limit_seconds=TIME_LIMIT
    )
    assert result.ok, result.conflicts
    both = list(Session.objects.filter(cohort__in=[first, second]))
    assert_nobody_double_booked(both)
    mine = SessionStaff.objects.filter(session__cohort=second)
    assert not mine.filter(user=psychologist.user, session__date=tuesday).exists()
    assert not mine.filter(
        user=physio.user, session__date__range=(leave, leave + timedelta(days=4))
    ).exists()
    assert mine.filter(user=physio.user).exists()


def test_part_time_hours_are_kept(
    staff, rooms, specialist, decided, cohort_of, coordinator
) -> None:
    # The physician works Monday and Wednesday mornings only.
    StaffAvailability.objects.create(
        membership=staff["lakare"],
        hours={"0": [["08:00", "12:00"]], "2": [["08:00", "12:00"]]},
    )
    cohort = cohort_of(specialist, decided(4))
    result = schedule_cohort(
        by=coordinator, cohort=cohort, time_limit_seconds=TIME_LIMIT
    )
    assert result.ok, result.conflicts
    physician_sessions = Session.objects.filter(
        cohort=cohort, staff__user=staff["lakare"].user
    )
    assert physician_sessions.count() == 4 + 1 + 5  # enrolment, lesson, conference
    for session in physician_sessions:
        assert session.date.weekday() in (0, 2)
        assert session.end <= time(12)


def lock_at_another_time(session: Session, by, psychologist) -> None:  # noqa: ANN001
    """Move `session` by hand to another free time the same day (so the days
    a week stay as they are), outside lunch."""
    starts = [time(8 + n // 4, 15 * (n % 4)) for n in range(32)]
    for start in [s for s in starts if s != session.start]:
        begins = start.hour * 60 + start.minute
        ends = begins + session.minutes
        if ends > 16 * 60 or not (ends <= 12 * 60 or begins >= 12 * 60 + 45):
            continue
        try:
            change_session(
                by=by,
                session=session,
                day=session.date,
                start=start,
                room=session.room,
                place="",
                staff=[psychologist],
            )
        except ProgrammeRefused:
            continue
        return
    raise AssertionError("no free time to move the session to")


def test_locked_sessions_stay_when_scheduling_again(
    scheduled, staff, coordinator
) -> None:
    cohort, _ = scheduled
    acceptance = cohort.sessions.filter(activity_key="acceptance").order_by("date")[0]
    original = acceptance.start
    lock_at_another_time(acceptance, coordinator, staff["psykolog"])
    locked = Session.objects.get(pk=acceptance.pk)
    assert (locked.locked, locked.start != original) == (True, True)
    before = set(cohort.sessions.values_list("pk", flat=True))
    result = schedule_cohort(
        by=coordinator, cohort=cohort, time_limit_seconds=TIME_LIMIT
    )
    assert result.ok, result.conflicts
    assert (result.created, result.kept) == (84, 1)
    kept = Session.objects.get(pk=acceptance.pk)
    assert (kept.date, kept.start, kept.end, kept.room_id, kept.locked) == (
        locked.date,
        locked.start,
        locked.end,
        locked.room_id,
        True,
    )
    assert list(kept.staff.values_list("user_id", flat=True)) == [
        staff["psykolog"].user_id
    ]
    after = set(cohort.sessions.values_list("pk", flat=True))
    assert before & after == {acceptance.pk}
    assert (
        Counter(base(s.activity_key) for s in cohort.sessions.all())["acceptance"] == 4
    )
    assert_nobody_double_booked(list(cohort.sessions.all()))


def test_holidays_are_no_programme_days(
    staff, rooms, specialist, decided, cohort_of, coordinator
) -> None:
    # Week 1 from 30 March holds Good Friday, week 2 Easter Monday.
    cohort = cohort_of(specialist, decided(4), start=date(2026, 3, 30))
    prepared = scheduling_problem(
        cohort=cohort, participants=list(cohort.participants.all())
    )
    (plan,) = prepared.problem.cohorts
    assert {date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 1)} <= plan.closed_on
    assert date(2026, 4, 3) not in plan.programme_days()
    result = schedule_cohort(
        by=coordinator, cohort=cohort, time_limit_seconds=TIME_LIMIT
    )
    assert result.ok, result.conflicts
    days = set(cohort.sessions.values_list("date", flat=True))
    assert not days & {date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 1)}
    week_1 = {d for d in days if d < date(2026, 4, 6)}
    assert week_1 == {
        date(2026, 3, 30),
        date(2026, 3, 31),
        date(2026, 4, 1),
        date(2026, 4, 2),
    }


def test_no_pool_names_the_missing_room_and_stores_nothing(
    staff, rooms, specialist, decided, cohort_of, coordinator
) -> None:
    Room.objects.filter(kind="pool").delete()
    cohort = cohort_of(specialist, decided(4))
    result = schedule_cohort(
        by=coordinator, cohort=cohort, time_limit_seconds=TIME_LIMIT
    )
    assert (result.ok, result.conflicts) == (False, ("Lokal saknas: bassäng",))
    assert cohort.sessions.count() == 0


def test_a_pool_never_open_names_the_pool_hours(
    staff, rooms, specialist, decided, cohort_of, coordinator
) -> None:
    Room.objects.filter(kind="pool").update(opening_hours={})
    cohort = cohort_of(specialist, decided(4))
    result = schedule_cohort(
        by=coordinator, cohort=cohort, time_limit_seconds=TIME_LIMIT
    )
    assert (result.ok, result.conflicts, result.proven) == (
        False,
        ("Bassängens öppettider",),
        True,
    )
    assert cohort.sessions.count() == 0


def test_refused_without_participants_or_after_attendance(
    scheduled, staff, specialist, coordinator
) -> None:
    from painrehab.programmes.services.cohorts import create_cohort

    empty = create_cohort(by=coordinator, template=specialist, start=MONDAY)
    with pytest.raises(ProgrammeRefused) as refused:
        schedule_cohort(by=coordinator, cohort=empty)
    assert refused.value.message == "Lägg till deltagare innan schemat läggs."
    cohort, _ = scheduled
    session = cohort.sessions.filter(attendees="all").first()
    Attendance.objects.create(
        session=session,
        participant=session.participants.first(),
        status="present",
        recorded_by=coordinator.user,
        recorded_at=aware(session.date),
    )
    with pytest.raises(ProgrammeRefused, match="^Närvaro är registrerad i programmet"):
        schedule_cohort(by=coordinator, cohort=cohort)


def test_staff_are_scheduled_only_on_days_their_access_covers(
    staff, rooms, specialist, decided, cohort_of, today, unit_a
) -> None:
    from painrehab.accounts.models import Membership
    from painrehab.core.dates import week_monday
    from painrehab.programmes.tests.factories import member

    start = week_monday(today) + timedelta(weeks=3)
    cohort = cohort_of(specialist, decided(4), start=start)
    days = [cohort.start + timedelta(days=n) for n in range(35)]
    assert days[-1] == cohort.end

    def access(key: str, **days: date) -> Membership:
        Membership.all_periods.filter(pk=staff[key].pk).update(**days)
        return Membership.all_periods.get(pk=staff[key].pk)

    leaving = access("fysio1", valid_until=start + timedelta(days=20))
    joining = access("fysio2", valid_from=start + timedelta(days=14))
    early = access("psykolog", valid_from=today + timedelta(days=1))
    gone = member(unit_a, "kurator2", "social_worker")  # valid today, not then
    Membership.all_periods.filter(pk=gone.pk).update(
        valid_until=start - timedelta(days=1)
    )
    prepared = scheduling_problem(
        cohort=cohort, participants=list(cohort.participants.all())
    )
    by_id = {s.id: s for s in prepared.problem.staff}
    assert str(gone.pk) not in by_id
    assert by_id[str(early.pk)].absent_on == frozenset()
    assert by_id[str(leaving.pk)].absent_on == set(days[21:])
    assert by_id[str(joining.pk)].absent_on == set(days[:14])

    result = schedule_cohort(
        by=staff["koordinator"], cohort=cohort, time_limit_seconds=TIME_LIMIT
    )
    assert result.ok, result.conflicts

    def booked_days(member: Membership) -> set[date]:
        return set(
            SessionStaff.objects.filter(
                session__cohort=cohort, user=member.user
            ).values_list("session__date", flat=True)
        )

    # Each physiotherapist runs sessions, only on days their access covers.
    assert set() < booked_days(leaving) <= set(days[:21])
    assert set() < booked_days(joining) <= set(days[14:])
    assert booked_days(gone) == set()


def test_problem_reads_hours_absences_bookings_and_rooms(
    scheduled, staff, specialist, decided, cohort_of, coordinator, rooms
) -> None:
    first, _ = scheduled
    physio = staff["fysio1"]
    StaffAvailability.objects.create(
        membership=physio, hours={"0": [["08:00", "12:00"]]}
    )
    StaffAvailability.objects.create(membership=staff["kurator"], takes_part=False)
    StaffAbsence.objects.create(
        membership=physio, first_day=MONDAY, last_day=MONDAY + timedelta(days=1)
    )
    cohort = cohort_of(specialist, decided(4))
    prepared = scheduling_problem(
        cohort=cohort, participants=list(cohort.participants.all())
    )
    by_id = {s.id: s for s in prepared.problem.staff}
    assert str(staff["kurator"].pk) not in by_id
    mine = by_id[str(physio.pk)]
    assert {
        day: [(r.start, r.end) for r in ranges]
        for day, ranges in mine.availability.items()
    } == {0: [(time(8), time(12))]}
    assert mine.absent_on == {MONDAY, MONDAY + timedelta(days=1)}
    # The first cohort's sessions of this physiotherapist are busy time here.
    taken = SessionStaff.objects.filter(user=physio.user, session__cohort=first)
    assert len(mine.busy) == taken.count() > 0
    pool = next(r for r in prepared.problem.rooms if r.id == str(rooms["pool"].pk))
    assert pool.opening_hours is not None
    assert sorted(pool.opening_hours) == [1, 3]
    assert len(pool.busy) == first.sessions.filter(room=rooms["pool"]).count() == 4
