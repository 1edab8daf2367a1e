"""The shipped templates say what seeds 0 §9.2–9.3 and 2 say, and expand into
activity demands week by week."""

import dataclasses
from collections import Counter, defaultdict
from datetime import date, time, timedelta

from painrehab.programmes.scheduler import (
    PROFESSION_PLURALS,
    Room,
    RoomKind,
    Schedule,
    SchedulingProblem,
    Staff,
    TimeRange,
    propose_schedule,
    weekly_hours,
)
from painrehab.programmes.templates_data import (
    KRT_GROUP,
    SPECIALIST_PROGRAMME,
    TEMPLATES,
    cohort_from_template,
    expand_template,
)

MONDAY = date(2026, 1, 12)


def keys(demands) -> set[str]:
    return {demand.key for demand in demands}


def counts_by_activity(demands) -> Counter[str]:
    """Sessions per template activity, group demands (`key-n`) summed."""
    counts: Counter[str] = Counter()
    for demand in demands:
        counts[demand.key.rsplit("-", 1)[0]] += demand.per_week or 0
    return counts


def test_specialist_programme_expands_into_five_weeks_from_the_start_date() -> None:
    weeks = expand_template(template=SPECIALIST_PROGRAMME, start=MONDAY, participants=6)
    assert [(w.number, w.first_day, w.last_day) for w in weeks] == [
        (n, MONDAY + timedelta(weeks=n - 1), MONDAY + timedelta(weeks=n - 1, days=6))
        for n in range(1, 6)
    ]
    assert [w.day_limits for w in weeks] == [(4, 4), (3, 4), (3, 4), (3, 4), (3, 4)]
    for week in weeks:
        assert {d.weeks for d in week.demands} == {(week.number,)}


def test_enrolment_week_is_individual_appointments_with_the_team() -> None:
    week_1 = expand_template(
        template=SPECIALIST_PROGRAMME, start=MONDAY, participants=6
    )[0]
    patient_demands = [d for d in week_1.demands if not d.staff_only]
    assert all(d.attendees == 1 for d in patient_demands)
    assert counts_by_activity(patient_demands) == {
        "enrolment_psychologist": 6,
        "enrolment_physiotherapist": 6,
        "enrolment_occupational_therapist": 6,
        "enrolment_physician": 6,
    }
    # One participant's appointments share a group, so they never overlap.
    groups = defaultdict(set)
    for demand in patient_demands:
        groups[demand.group].add(demand.key.rsplit("-", 1)[0])
    assert len(groups) == 6
    assert all(len(activities) == 4 for activities in groups.values())


def test_group_weeks_hold_the_section_9_3_activities_with_their_professions() -> None:
    week_2 = expand_template(
        template=SPECIALIST_PROGRAMME, start=MONDAY, participants=6
    )[1]
    responsible = {d.key: d.professions for d in week_2.demands}
    assert responsible["acceptance"] == ("psychologist",)
    assert responsible["mindfulness"] == ("psychologist",)
    assert responsible["behaviour_analysis"] == ("psychologist",)
    assert responsible["physical_training"] == ("physiotherapist",)
    assert responsible["body_awareness"] == ("physiotherapist",)
    assert responsible["pool_training"] == ("physiotherapist",)
    assert responsible["healthy_activities"] == ("sports_leader",)
    assert responsible["activity_balance"] == ("occupational_therapist",)
    assert responsible["lesson_pain"] == ("physician",)
    by_key = {d.key: d for d in week_2.demands}
    assert by_key["physical_training"].per_week == 2
    assert by_key["pool_training"].room_kind == RoomKind.POOL
    assert by_key["patient_conference"].staff_only is True


def test_later_weeks_bring_relatives_work_and_the_programme_end() -> None:
    weeks = expand_template(template=SPECIALIST_PROGRAMME, start=MONDAY, participants=6)
    assert {"relatives_meeting", "maintenance_plan"} <= keys(weeks[3].demands)
    relatives = next(d for d in weeks[3].demands if d.key == "relatives_meeting")
    assert "social_worker" in relatives.professions  # the social worker plans them
    assert counts_by_activity(weeks[4].demands) >= Counter(
        questionnaires=1,
        goal_evaluation_psychologist=6,
        goal_evaluation_physiotherapist=6,
    )
    assert "return_to_work" in counts_by_activity(weeks[2].demands)


def test_krt_is_six_theory_sessions_then_a_month_of_training_in_small_groups() -> None:
    weeks = expand_template(template=KRT_GROUP, start=MONDAY, participants=5)
    theory = counts_by_activity(d for w in weeks[:3] for d in w.demands)
    assert theory == {"krt_theory": 5, "krt_theory_physician": 1}
    for week in weeks[3:]:
        assert [(d.attendees, d.per_week) for d in week.demands] == [(3, 2), (2, 2)]
        assert all(d.professions == ("physiotherapist",) for d in week.demands)
        assert all(d.room_kind == RoomKind.GYM for d in week.demands)
    assert len(weeks) == 7
    assert all(w.day_limits is None for w in weeks)


def test_krt_training_groups_are_two_to_three() -> None:
    for participants, sizes in {4: [2, 2], 5: [3, 2], 6: [3, 3]}.items():
        week_4 = expand_template(
            template=KRT_GROUP, start=MONDAY, participants=participants
        )[3]
        assert [d.attendees for d in week_4.demands] == sizes


def leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for item in value.items() for leaf in leaves(item)]
    if isinstance(value, tuple | list):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]


def test_templates_are_plain_data_for_a_migration() -> None:
    for template in TEMPLATES:
        row = dataclasses.asdict(template)
        assert {type(leaf) for leaf in leaves(row)} <= {str, int, bool, type(None)}
        for activity in template.activities:
            professions = {
                profession
                for spec in activity.professions
                for profession in ((spec,) if isinstance(spec, str) else spec)
            }
            assert professions <= set(PROFESSION_PLURALS), activity.key
            assert activity.source, activity.key


def standard_team() -> tuple[Staff, ...]:
    day = TimeRange(time(8), time(16))
    every_day = weekly_hours(weekdays=range(5), ranges=[day])
    return (
        Staff("physician", "physician", weekly_hours(weekdays=(0, 2, 3), ranges=[day])),
        Staff("psychologist", "psychologist", every_day),
        Staff("physio-1", "physiotherapist", every_day),
        Staff("physio-2", "physiotherapist", weekly_hours(weekdays=range(4), ranges=[day])),
        Staff("ot", "occupational_therapist", every_day),
        Staff("social-worker", "social_worker", weekly_hours(weekdays=(1, 2, 3), ranges=[day])),
        Staff("nurse", "coordinator_nurse", every_day),
        Staff("rehab-coordinator", "rehab_coordinator", every_day),
        Staff("sports-leader", "sports_leader", every_day),
    )  # fmt: skip


def test_specialist_cohort_is_scheduled_four_enrolment_days_then_three_to_four() -> (
    None
):
    cohort = cohort_from_template(
        template=SPECIALIST_PROGRAMME,
        key="vt",
        name="Spring",
        start=MONDAY,
        participants=6,
    )
    pool_hours = {
        1: (TimeRange(time(10), time(12)),),
        3: (TimeRange(time(13), time(15)),),
    }
    rooms = (
        Room("group-room", RoomKind.GROUP_ROOM),
        Room("gym", RoomKind.GYM),
        Room("pool", RoomKind.POOL, opening_hours=pool_hours),
    )
    problem = SchedulingProblem(cohorts=(cohort,), staff=standard_team(), rooms=rooms)
    schedule = propose_schedule(problem=problem, time_limit_seconds=8)
    assert isinstance(schedule, Schedule), schedule
    staff_only = {d.key for d in cohort.demands if d.staff_only}
    days = defaultdict(set)
    for session in schedule.sessions:
        if session.activity_key not in staff_only:
            days[cohort.week_of(session.date)].add(session.date)
    assert {week: len(dates) for week, dates in days.items()}[1] == 4
    assert all(3 <= len(days[week]) <= 4 for week in (2, 3, 4, 5))
    week_1 = {
        s.activity_key.rsplit("-", 1)[0]
        for s in schedule.sessions
        if cohort.week_of(s.date) == 1
    }
    assert week_1 == {
        "enrolment_psychologist",
        "enrolment_physiotherapist",
        "enrolment_occupational_therapist",
        "enrolment_physician",
        "patient_conference",
    }
    assert len(schedule.sessions) == sum(d.per_week or 0 for d in cohort.demands)


def test_krt_group_is_scheduled_physician_last_and_training_on_different_days() -> None:
    cohort = cohort_from_template(
        template=KRT_GROUP, key="krt", name="KRT autumn", start=MONDAY, participants=5
    )
    rooms = (Room("group-room", RoomKind.GROUP_ROOM), Room("gym", RoomKind.GYM))
    problem = SchedulingProblem(cohorts=(cohort,), staff=standard_team(), rooms=rooms)
    schedule = propose_schedule(problem=problem, time_limit_seconds=5)
    assert isinstance(schedule, Schedule), schedule
    theory = [s for s in schedule.sessions if s.activity_key == "krt_theory"]
    physician = [
        s for s in schedule.sessions if s.activity_key == "krt_theory_physician"
    ]
    assert len(theory) == 5
    assert len(physician) == 1
    assert all(
        (s.date, s.end) <= (physician[0].date, physician[0].start) for s in theory
    )
    training_days = defaultdict(list)
    for session in schedule.sessions:
        if session.activity_key.startswith("krt_training-"):
            week = cohort.week_of(session.date)
            training_days[(session.activity_key, week)].append(session.date)
    assert sorted({week for _, week in training_days}) == [4, 5, 6, 7]
    assert all(len(set(dates)) == 2 == len(dates) for dates in training_days.values())
