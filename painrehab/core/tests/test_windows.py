"""Date windows, month arithmetic and the follow-up schedules (no database).

Every expected date below is counted by hand; the comments show the counting.
"""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painrehab.accounts.permissions import Profession
from painrehab.core.windows import (
    FOLLOW_UP_SPECS,
    GROUP_SESSION_SPECS,
    WORKLIST_STATUSES,
    FollowUpSpec,
    Offset,
    Track,
    Window,
    WindowStatus,
    add_months,
    follow_up_schedule,
    krt_follow_up_reference,
    krt_training_ends_on,
    window_status,
)

# --- add_months ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: 29 February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 1, 15), 12, date(2025, 1, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 5, 31), 0, date(2024, 5, 31)),
    ],
)
def test_add_months_keeps_the_day_or_falls_back_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_an_offset_adds_months_first_then_days():
    # 31 January + 1 month = 29 February; + 1 day = 1 March (not 2 March)
    assert Offset(months=1, days=1).from_date(date(2024, 1, 31)) == date(2024, 3, 1)
    assert Offset(months=1, days=-7).from_date(date(2024, 1, 31)) == date(2024, 2, 22)
    assert Offset().from_date(date(2024, 1, 31)) == date(2024, 1, 31)


_any_day = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
_property = settings(
    database=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@_property
@given(day=_any_day, months=st.integers(min_value=-240, max_value=240))
def test_add_months_lands_in_the_right_month_on_the_closest_day(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
    if moved.day < day.day:  # clamped: must be the last day of its month
        assert (moved + timedelta(days=1)).day == 1


@_property
@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)).filter(
        lambda d: d.day <= 28
    ),
    months=st.integers(min_value=-240, max_value=240),
)
def test_add_months_round_trips_for_days_every_month_has(day, months):
    assert add_months(add_months(day, months), -months) == day


# --- Window and window_status ---------------------------------------------------

WINDOW = Window(
    opens_on=date(2024, 2, 28), due_on=date(2024, 3, 6), closes_on=date(2024, 3, 13)
)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2024, 2, 27), WindowStatus.NOT_YET_OPEN),
        (date(2024, 2, 28), WindowStatus.OPEN),  # appears on the day it opens
        (date(2024, 3, 6), WindowStatus.OPEN),
        (date(2024, 3, 7), WindowStatus.OPEN),  # past due but not closed
        (date(2024, 3, 13), WindowStatus.OPEN),  # the closing day is still open
        (date(2024, 3, 14), WindowStatus.OVERDUE),  # overdue the day after
        (date(2025, 1, 1), WindowStatus.OVERDUE),
    ],
)
def test_status_turns_at_the_opening_and_closing_days(today, status):
    assert window_status(WINDOW, today=today) == status


@pytest.mark.parametrize(
    "today", [date(2024, 2, 1), date(2024, 2, 28), date(2024, 3, 13), date(2024, 9, 1)]
)
def test_done_and_not_reached_win_over_the_date(today):
    assert window_status(WINDOW, today=today, done=True) == WindowStatus.DONE
    assert (
        window_status(WINDOW, today=today, not_reached=True) == WindowStatus.NOT_REACHED
    )


def test_an_item_cannot_be_both_done_and_not_reached():
    with pytest.raises(ValueError, match="both done and"):
        window_status(WINDOW, today=date(2024, 3, 1), done=True, not_reached=True)


def test_only_open_and_overdue_items_are_on_the_worklist():
    assert WORKLIST_STATUSES == {WindowStatus.OPEN, WindowStatus.OVERDUE}
    on_list = {
        day: window_status(WINDOW, today=day) in WORKLIST_STATUSES
        for day in (date(2024, 2, 27), date(2024, 2, 28), date(2024, 3, 14))
    }
    assert on_list == {
        date(2024, 2, 27): False,
        date(2024, 2, 28): True,
        date(2024, 3, 14): True,
    }
    assert (
        window_status(WINDOW, today=date(2024, 3, 14), done=True)
        not in WORKLIST_STATUSES
    )


@pytest.mark.parametrize(
    ("opens", "due", "closes"),
    [
        (date(2024, 3, 2), date(2024, 3, 1), date(2024, 3, 3)),
        (date(2024, 3, 1), date(2024, 3, 4), date(2024, 3, 3)),
        (date(2024, 3, 3), date(2024, 3, 3), date(2024, 3, 2)),
    ],
)
def test_a_window_out_of_order_is_refused(opens, due, closes):
    with pytest.raises(ValueError, match="must open on or before"):
        Window(opens_on=opens, due_on=due, closes_on=closes)


def test_a_one_day_window_is_allowed_and_contains_its_days():
    day = date(2024, 3, 3)
    one_day = Window(opens_on=day, due_on=day, closes_on=day)
    assert window_status(one_day, today=day) == WindowStatus.OPEN
    assert day in one_day
    assert date(2024, 2, 28) in WINDOW
    assert date(2024, 3, 13) in WINDOW
    assert date(2024, 3, 14) not in WINDOW
    assert "2024-03-01" not in WINDOW


_STATUS_ORDER = [WindowStatus.NOT_YET_OPEN, WindowStatus.OPEN, WindowStatus.OVERDUE]


@_property
@given(
    ended_on=_any_day,
    track=st.sampled_from(list(Track)),
    first=st.integers(min_value=-30, max_value=500),
    step=st.integers(min_value=0, max_value=200),
)
def test_status_only_moves_forward_as_days_pass(ended_on, track, first, step):
    for item in follow_up_schedule(ended_on=ended_on, track=track):
        earlier = ended_on + timedelta(days=first)
        later = earlier + timedelta(days=step)
        before = _STATUS_ORDER.index(window_status(item.window, today=earlier))
        after = _STATUS_ORDER.index(window_status(item.window, today=later))
        assert before <= after


# --- The follow-up schedules (seed 1 §11, seed 2) ---------------------------------


def _dated(ended_on: date, track: Track | str) -> dict[str, tuple[date, date, date]]:
    return {
        item.key: (item.window.opens_on, item.window.due_on, item.window.closes_on)
        for item in follow_up_schedule(ended_on=ended_on, track=track)
    }


@pytest.mark.parametrize(
    ("ended_on", "expected"),
    [
        (
            # an ordinary mid-month end
            date(2024, 3, 15),
            {
                # + 28, 35, 42 days: 12, 19, 26 April
                "contact_4_6_weeks": (
                    date(2024, 4, 12),
                    date(2024, 4, 19),
                    date(2024, 4, 26),
                ),
                # + 3 months; + 3 months and 14 days; + 4 months
                "on_site_3_4_months": (
                    date(2024, 6, 15),
                    date(2024, 6, 29),
                    date(2024, 7, 15),
                ),
                # + 12 months; the same; + 13 months
                "registry_questionnaires_12_months": (
                    date(2025, 3, 15),
                    date(2025, 3, 15),
                    date(2025, 4, 15),
                ),
                # + 12 months and 14 days; + 13 months; + 14 months
                "feedback_12_months": (
                    date(2025, 3, 29),
                    date(2025, 4, 15),
                    date(2025, 5, 15),
                ),
            },
        ),
        (
            # a month end in a leap year
            date(2024, 1, 31),
            {
                # 31 Jan + 28 = 28 Feb; + 35 = 6 March (29 Feb exists); + 42 = 13 March
                "contact_4_6_weeks": (
                    date(2024, 2, 28),
                    date(2024, 3, 6),
                    date(2024, 3, 13),
                ),
                # 31 Jan + 3 months = 30 April; + 14 days = 14 May; + 4 months = 31 May
                "on_site_3_4_months": (
                    date(2024, 4, 30),
                    date(2024, 5, 14),
                    date(2024, 5, 31),
                ),
                # + 13 months: 28 February 2025
                "registry_questionnaires_12_months": (
                    date(2025, 1, 31),
                    date(2025, 1, 31),
                    date(2025, 2, 28),
                ),
                # 31 Jan 2025 + 14 = 14 Feb; + 13 months = 28 Feb; + 14 months = 31 March
                "feedback_12_months": (
                    date(2025, 2, 14),
                    date(2025, 2, 28),
                    date(2025, 3, 31),
                ),
            },
        ),
        (
            # the leap day itself
            date(2024, 2, 29),
            {
                # 29 Feb + 28 = 28 March; + 35 = 4 April; + 42 = 11 April
                "contact_4_6_weeks": (
                    date(2024, 3, 28),
                    date(2024, 4, 4),
                    date(2024, 4, 11),
                ),
                # + 3 months = 29 May; + 14 = 12 June; + 4 months = 29 June
                "on_site_3_4_months": (
                    date(2024, 5, 29),
                    date(2024, 6, 12),
                    date(2024, 6, 29),
                ),
                # + 12 months = 28 Feb 2025 (no 29th); + 13 months = 29 March 2025
                "registry_questionnaires_12_months": (
                    date(2025, 2, 28),
                    date(2025, 2, 28),
                    date(2025, 3, 29),
                ),
                # 28 Feb 2025 + 14 = 14 March; 29 March; + 14 months = 29 April
                "feedback_12_months": (
                    date(2025, 3, 14),
                    date(2025, 3, 29),
                    date(2025, 4, 29),
                ),
            },
        ),
    ],
)
def test_group_programme_follow_ups(ended_on, expected):
    assert _dated(ended_on, Track.GROUP_PROGRAMME) == expected


@pytest.mark.parametrize(
    ("ended_on", "expected"),
    [
        (
            date(2024, 3, 15),
            {
                "individual_3_4_months": (
                    date(2024, 6, 15),
                    date(2024, 6, 29),
                    date(2024, 7, 15),
                ),
                "registry_questionnaires_12_months": (
                    date(2025, 3, 15),
                    date(2025, 3, 15),
                    date(2025, 4, 15),
                ),
                "feedback_12_months": (
                    date(2025, 3, 29),
                    date(2025, 4, 15),
                    date(2025, 5, 15),
                ),
            },
        ),
        (
            # 30 November + 3 months = 29 February 2024 (leap); + 4 months = 30 March
            date(2023, 11, 30),
            {
                "individual_3_4_months": (
                    date(2024, 2, 29),
                    date(2024, 3, 14),
                    date(2024, 3, 30),
                ),
                "registry_questionnaires_12_months": (
                    date(2024, 11, 30),
                    date(2024, 11, 30),
                    date(2024, 12, 30),
                ),
                "feedback_12_months": (
                    date(2024, 12, 14),
                    date(2024, 12, 30),
                    date(2025, 1, 30),
                ),
            },
        ),
        (
            # 30 November 2024 + 3 months = 28 February 2025 (not leap)
            date(2024, 11, 30),
            {
                "individual_3_4_months": (
                    date(2025, 2, 28),
                    date(2025, 3, 14),
                    date(2025, 3, 30),
                ),
                "registry_questionnaires_12_months": (
                    date(2025, 11, 30),
                    date(2025, 11, 30),
                    date(2025, 12, 30),
                ),
                "feedback_12_months": (
                    date(2025, 12, 14),
                    date(2025, 12, 30),
                    date(2026, 1, 30),
                ),
            },
        ),
    ],
)
def test_individual_track_follow_ups(ended_on, expected):
    assert _dated(ended_on, Track.INDIVIDUAL) == expected


@pytest.mark.parametrize(
    ("last_theory", "training_ends", "expected"),
    [
        (
            # training 15 Feb – 15 March; each point ± 7 days
            date(2024, 2, 15),
            date(2024, 3, 15),
            {
                "krt_group_1_month": (
                    date(2024, 3, 8),
                    date(2024, 3, 15),
                    date(2024, 3, 22),
                ),
                "krt_group_2_months": (
                    date(2024, 4, 8),
                    date(2024, 4, 15),
                    date(2024, 4, 22),
                ),
                "krt_group_3_months": (
                    date(2024, 5, 8),
                    date(2024, 5, 15),
                    date(2024, 5, 22),
                ),
                "krt_physiotherapist_3_months": (
                    date(2024, 5, 8),
                    date(2024, 5, 15),
                    date(2024, 5, 22),
                ),
                "krt_psychologist_3_months": (
                    date(2024, 5, 8),
                    date(2024, 5, 15),
                    date(2024, 5, 22),
                ),
            },
        ),
        (
            # leap year: 31 Jan + 1 month = 29 Feb, then 29 March and 29 April
            date(2024, 1, 31),
            date(2024, 2, 29),
            {
                "krt_group_1_month": (
                    date(2024, 2, 22),
                    date(2024, 2, 29),
                    date(2024, 3, 7),
                ),
                "krt_group_2_months": (
                    date(2024, 3, 22),
                    date(2024, 3, 29),
                    date(2024, 4, 5),
                ),
                "krt_group_3_months": (
                    date(2024, 4, 22),
                    date(2024, 4, 29),
                    date(2024, 5, 6),
                ),
                "krt_physiotherapist_3_months": (
                    date(2024, 4, 22),
                    date(2024, 4, 29),
                    date(2024, 5, 6),
                ),
                "krt_psychologist_3_months": (
                    date(2024, 4, 22),
                    date(2024, 4, 29),
                    date(2024, 5, 6),
                ),
            },
        ),
        (
            # not leap: 31 Jan + 1 month = 28 Feb, then 28 March and 28 April
            date(2023, 1, 31),
            date(2023, 2, 28),
            {
                "krt_group_1_month": (
                    date(2023, 2, 21),
                    date(2023, 2, 28),
                    date(2023, 3, 7),
                ),
                "krt_group_2_months": (
                    date(2023, 3, 21),
                    date(2023, 3, 28),
                    date(2023, 4, 4),
                ),
                "krt_group_3_months": (
                    date(2023, 4, 21),
                    date(2023, 4, 28),
                    date(2023, 5, 5),
                ),
                "krt_physiotherapist_3_months": (
                    date(2023, 4, 21),
                    date(2023, 4, 28),
                    date(2023, 5, 5),
                ),
                "krt_psychologist_3_months": (
                    date(2023, 4, 21),
                    date(2023, 4, 28),
                    date(2023, 5, 5),
                ),
            },
        ),
        (
            # across the new year: 30 Nov + 1 month = 30 Dec
            date(2024, 11, 30),
            date(2024, 12, 30),
            {
                "krt_group_1_month": (
                    date(2024, 12, 23),
                    date(2024, 12, 30),
                    date(2025, 1, 6),
                ),
                "krt_group_2_months": (
                    date(2025, 1, 23),
                    date(2025, 1, 30),
                    date(2025, 2, 6),
                ),
                "krt_group_3_months": (
                    date(2025, 2, 21),
                    date(2025, 2, 28),
                    date(2025, 3, 7),
                ),
                "krt_physiotherapist_3_months": (
                    date(2025, 2, 21),
                    date(2025, 2, 28),
                    date(2025, 3, 7),
                ),
                "krt_psychologist_3_months": (
                    date(2025, 2, 21),
                    date(2025, 2, 28),
                    date(2025, 3, 7),
                ),
            },
        ),
    ],
)
def test_krt_follow_ups_count_from_the_end_of_the_training_month(
    last_theory, training_ends, expected
):
    assert krt_training_ends_on(last_theory) == training_ends
    reference = krt_follow_up_reference(
        last_theory_session_on=last_theory, rehabilitation_ended_on=None
    )
    assert reference == training_ends
    assert _dated(reference, Track.KRT) == expected


def test_krt_reference_prefers_the_cohort_and_falls_back_to_the_end():
    ended = date(2024, 6, 10)
    assert krt_follow_up_reference(
        last_theory_session_on=date(2024, 4, 30), rehabilitation_ended_on=ended
    ) == date(2024, 5, 30)
    assert (
        krt_follow_up_reference(
            last_theory_session_on=None, rehabilitation_ended_on=ended
        )
        == ended
    )
    assert (
        krt_follow_up_reference(
            last_theory_session_on=None, rehabilitation_ended_on=None
        )
        is None
    )


def test_krt_group_follow_ups_are_sessions_and_sick_leave_goes_with_the_measurement():
    items = follow_up_schedule(ended_on=date(2024, 3, 15), track=Track.KRT)
    assert [item.key for item in items if item.group_session] == [
        "krt_group_1_month",
        "krt_group_2_months",
        "krt_group_3_months",
    ]
    assert list(GROUP_SESSION_SPECS) == [
        "krt_group_1_month",
        "krt_group_2_months",
        "krt_group_3_months",
    ]
    assert {
        item.key: item.work_status_time_point
        for item in items
        if item.work_status_time_point
    } == {"krt_psychologist_3_months": "3_months"}


def test_schedule_items_keep_the_spec_order():
    keys = [
        item.key
        for item in follow_up_schedule(
            ended_on=date(2024, 3, 15), track=Track.GROUP_PROGRAMME
        )
    ]
    assert keys == [
        "contact_4_6_weeks",
        "on_site_3_4_months",
        "registry_questionnaires_12_months",
        "feedback_12_months",
    ]


@pytest.mark.parametrize(
    ("track", "roles"),
    [
        (
            Track.GROUP_PROGRAMME,
            {
                "contact_4_6_weeks": "coordinator_nurse",
                "on_site_3_4_months": "coordinator_nurse",
                "registry_questionnaires_12_months": "coordinator_nurse",
                "feedback_12_months": "psychologist",
            },
        ),
        (
            Track.INDIVIDUAL,
            {
                "individual_3_4_months": "coordinator_nurse",
                "registry_questionnaires_12_months": "coordinator_nurse",
                "feedback_12_months": "psychologist",
            },
        ),
        (
            Track.KRT,
            {
                "krt_group_1_month": "physiotherapist",
                "krt_group_2_months": "physiotherapist",
                "krt_group_3_months": "physiotherapist",
                "krt_physiotherapist_3_months": "physiotherapist",
                "krt_psychologist_3_months": "psychologist",
            },
        ),
    ],
)
def test_each_follow_up_has_a_responsible_profession(track, roles):
    items = follow_up_schedule(ended_on=date(2024, 3, 15), track=track)
    assert {item.key: item.role for item in items} == roles
    assert {item.role for item in items} <= set(Profession.values)


@pytest.mark.parametrize(
    ("track", "with_questionnaires"),
    [
        (Track.GROUP_PROGRAMME, {"registry_questionnaires_12_months"}),
        (Track.INDIVIDUAL, {"registry_questionnaires_12_months"}),
        (Track.KRT, {"krt_psychologist_3_months"}),
    ],
)
def test_questionnaires_go_with_the_registry_and_krt_measurement_points(
    track, with_questionnaires
):
    items = follow_up_schedule(ended_on=date(2024, 3, 15), track=track)
    assert {
        item.key for item in items if item.with_questionnaires
    } == with_questionnaires


@pytest.mark.parametrize("track", list(Track))
def test_keys_are_unique_and_labels_are_text(track):
    items = follow_up_schedule(ended_on=date(2024, 3, 15), track=track)
    assert len({item.key for item in items}) == len(items)
    assert all(str(item.label) for item in items)


def test_the_track_can_be_given_as_its_stored_value():
    assert _dated(date(2024, 3, 15), "krt") == _dated(date(2024, 3, 15), Track.KRT)
    with pytest.raises(ValueError, match="is not a valid Track"):
        follow_up_schedule(ended_on=date(2024, 3, 15), track="group")


def test_a_unit_can_replace_the_shipped_schedule():
    own = [
        FollowUpSpec(
            key="call_after_2_weeks",
            label="Samtal efter två veckor",
            role="physiotherapist",
            opens=Offset(days=10),
            due=Offset(days=14),
            closes=Offset(days=21),
        )
    ]
    items = follow_up_schedule(ended_on=date(2024, 2, 20), track=Track.KRT, specs=own)
    assert len(items) == 1
    assert items[0].key == "call_after_2_weeks"
    # 20 Feb + 10 = 1 March (leap year); + 14 = 5 March; + 21 = 12 March
    assert items[0].window == Window(
        opens_on=date(2024, 3, 1), due_on=date(2024, 3, 5), closes_on=date(2024, 3, 12)
    )


def test_a_spec_whose_window_is_out_of_order_fails_when_dated():
    broken = FollowUpSpec(
        key="broken",
        label="broken",
        role="psychologist",
        opens=Offset(months=2),
        due=Offset(months=1),
        closes=Offset(months=3),
    )
    with pytest.raises(ValueError, match="must open on or before"):
        follow_up_schedule(ended_on=date(2024, 3, 15), track=Track.KRT, specs=[broken])


@_property
@given(ended_on=_any_day)
def test_every_shipped_window_is_ordered_and_due_after_the_end(ended_on):
    # KRT's 1-month group follow-up is due on the day the training month ends
    # and opens a week before; every other item is due after it.
    for track in FOLLOW_UP_SPECS:
        for item in follow_up_schedule(ended_on=ended_on, track=track):
            assert item.window.opens_on <= item.window.due_on <= item.window.closes_on
            if item.key == "krt_group_1_month":
                assert item.window.due_on == ended_on
            else:
                assert ended_on < item.window.opens_on
