"""The waiting-time clocks, absences and the invitation date (no database).

Expected dates are counted by hand in the comments, so that the rule and the
test do not share arithmetic.
"""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painrehab.pathway.clocks import (
    Absence,
    AbsenceKind,
    ClockStatus,
    Pause,
    absence_count,
    clock_status,
    days_waited,
    goal_date,
    guarantee_date,
    invitation_due_on,
    is_paused,
    no_show_count,
    should_flag_for_discharge,
)

# Received 10 January 2024 (a leap year). Day 60: 10 Jan -> 10 Feb is 31 days,
# 10 Feb -> 10 Mar is 29 days, so 10 March. Day 90: 30 days later, 9 April.
RECEIVED = date(2024, 1, 10)
DAY_60 = date(2024, 3, 10)
DAY_61 = date(2024, 3, 11)
DAY_90 = date(2024, 4, 9)
DAY_91 = date(2024, 4, 10)


# --- Without pauses: the four boundary days ---------------------------------


def test_dates_without_pauses_are_60_and_90_days_after_receipt():
    assert goal_date(received=RECEIVED) == DAY_60
    assert guarantee_date(received=RECEIVED) == DAY_90


def test_dates_in_a_year_without_29_february():
    # 10 Jan 2023 -> 10 Mar 2023 is 31 + 28 = 59 days: day 60 is 11 March;
    # day 90 is 30 days later, 10 April.
    assert goal_date(received=date(2023, 1, 10)) == date(2023, 3, 11)
    assert guarantee_date(received=date(2023, 1, 10)) == date(2023, 4, 10)


@pytest.mark.parametrize(
    ("today", "waited"),
    [
        (RECEIVED, 0),
        (date(2024, 1, 11), 1),
        (DAY_60, 60),
        (DAY_61, 61),
        (DAY_90, 90),
        (DAY_91, 91),
    ],
)
def test_the_day_received_is_day_zero(today, waited):
    assert days_waited(received=RECEIVED, today=today) == waited


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (RECEIVED, ClockStatus.WITHIN_GOAL),
        (DAY_60, ClockStatus.WITHIN_GOAL),
        (DAY_61, ClockStatus.PAST_GOAL),
        # 25 March is 15 days before 9 April: not yet "soon"
        (date(2024, 3, 25), ClockStatus.PAST_GOAL),
        # 26 March is 14 days before 9 April
        (date(2024, 3, 26), ClockStatus.SOON_PAST_GUARANTEE),
        (DAY_90, ClockStatus.SOON_PAST_GUARANTEE),
        (DAY_91, ClockStatus.PAST_GUARANTEE),
        (date(2025, 1, 1), ClockStatus.PAST_GUARANTEE),
    ],
)
def test_status_at_the_boundary_days(today, status):
    assert clock_status(received=RECEIVED, today=today) == status


def test_soon_days_is_configurable():
    # 1 April is 8 days before 9 April
    assert (
        clock_status(received=RECEIVED, today=date(2024, 4, 1), soon_days=7)
        == ClockStatus.PAST_GOAL
    )
    assert (
        clock_status(received=RECEIVED, today=date(2024, 4, 1), soon_days=8)
        == ClockStatus.SOON_PAST_GUARANTEE
    )
    # soon_days 0: only the guarantee day itself is "soon"
    assert (
        clock_status(received=RECEIVED, today=date(2024, 4, 8), soon_days=0)
        == ClockStatus.PAST_GOAL
    )
    assert (
        clock_status(received=RECEIVED, today=DAY_90, soon_days=0)
        == ClockStatus.SOON_PAST_GUARANTEE
    )


def test_a_soon_window_wider_than_the_gap_makes_day_61_soon():
    # day 61 is 10 March + 1; 9 April is 29 days away
    assert (
        clock_status(received=RECEIVED, today=DAY_61, soon_days=29)
        == ClockStatus.SOON_PAST_GUARANTEE
    )


def test_today_before_receipt_is_refused():
    with pytest.raises(ValueError, match="before the referral was received"):
        days_waited(received=RECEIVED, today=date(2024, 1, 9))


# --- Patient-chosen waiting --------------------------------------------------

FEB_1_TO_10 = Pause(date(2024, 2, 1), date(2024, 2, 10))  # 10 days, both included


def test_a_pause_moves_both_dates_by_its_length():
    # 10 paused days: 10 March + 10 = 20 March, 9 April + 10 = 19 April
    assert goal_date(received=RECEIVED, pauses=[FEB_1_TO_10]) == date(2024, 3, 20)
    assert guarantee_date(received=RECEIVED, pauses=[FEB_1_TO_10]) == date(2024, 4, 19)


@pytest.mark.parametrize(
    ("today", "waited"),
    [
        (date(2024, 1, 31), 21),  # 11–31 January
        (date(2024, 2, 1), 21),  # first paused day does not count
        (date(2024, 2, 5), 21),
        (date(2024, 2, 10), 21),  # last paused day does not count
        (date(2024, 2, 11), 22),
        (date(2024, 3, 20), 60),
        (date(2024, 3, 21), 61),
    ],
)
def test_paused_days_are_not_days_waited(today, waited):
    assert days_waited(received=RECEIVED, today=today, pauses=[FEB_1_TO_10]) == waited


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (DAY_60, ClockStatus.WITHIN_GOAL),
        (DAY_61, ClockStatus.WITHIN_GOAL),  # day 51 of waiting
        (date(2024, 3, 20), ClockStatus.WITHIN_GOAL),
        (date(2024, 3, 21), ClockStatus.PAST_GOAL),
        (date(2024, 4, 5), ClockStatus.SOON_PAST_GUARANTEE),  # 14 days to 19 April
        (date(2024, 4, 19), ClockStatus.SOON_PAST_GUARANTEE),
        (date(2024, 4, 20), ClockStatus.PAST_GUARANTEE),
    ],
)
def test_a_pause_postpones_every_status(today, status):
    assert clock_status(received=RECEIVED, today=today, pauses=[FEB_1_TO_10]) == status


def test_a_planned_pause_moves_the_dates_but_not_the_days_already_waited():
    today = date(2024, 1, 20)
    assert days_waited(received=RECEIVED, today=today, pauses=[FEB_1_TO_10]) == 10
    assert goal_date(received=RECEIVED, pauses=[FEB_1_TO_10]) == date(2024, 3, 20)


@pytest.mark.parametrize(
    ("pauses", "paused_days"),
    [
        # overlapping: 1–10 and 5–15 February cover 1–15, 15 days
        ([FEB_1_TO_10, Pause(date(2024, 2, 5), date(2024, 2, 15))], 15),
        # the same, given in the other order
        ([Pause(date(2024, 2, 5), date(2024, 2, 15)), FEB_1_TO_10], 15),
        # the same pause recorded twice
        ([FEB_1_TO_10, FEB_1_TO_10], 10),
        # one inside the other
        (
            [
                Pause(date(2024, 2, 1), date(2024, 2, 20)),
                Pause(date(2024, 2, 5), date(2024, 2, 6)),
            ],
            20,
        ),
        # adjacent: 1–5 and 6–10 February, 10 days
        (
            [
                Pause(date(2024, 2, 1), date(2024, 2, 5)),
                Pause(date(2024, 2, 6), date(2024, 2, 10)),
            ],
            10,
        ),
        # apart: 1–5 February and 1–5 March, 10 days
        (
            [
                Pause(date(2024, 2, 1), date(2024, 2, 5)),
                Pause(date(2024, 3, 1), date(2024, 3, 5)),
            ],
            10,
        ),
        # one day
        ([Pause(date(2024, 2, 1), date(2024, 2, 1))], 1),
    ],
)
def test_overlapping_pauses_are_counted_once(pauses, paused_days):
    assert goal_date(received=RECEIVED, pauses=pauses) == DAY_60 + timedelta(
        days=paused_days
    )
    assert guarantee_date(received=RECEIVED, pauses=pauses) == DAY_90 + timedelta(
        days=paused_days
    )
    assert days_waited(received=RECEIVED, today=date(2024, 6, 1), pauses=pauses) == (
        (date(2024, 6, 1) - RECEIVED).days - paused_days
    )


@pytest.mark.parametrize(
    ("pause", "paused_days"),
    [
        # 1–15 January: only 11–15 January are after receipt
        (Pause(date(2024, 1, 1), date(2024, 1, 15)), 5),
        # from the day received: the day received is day 0 anyway
        (Pause(RECEIVED, date(2024, 1, 12)), 2),
        # wholly before receipt
        (Pause(date(2023, 12, 1), RECEIVED), 0),
    ],
)
def test_pause_days_before_or_on_receipt_are_ignored(pause, paused_days):
    assert goal_date(received=RECEIVED, pauses=[pause]) == DAY_60 + timedelta(
        days=paused_days
    )


def test_a_pause_right_after_day_60_keeps_the_goal_until_it_ends():
    pause = Pause(date(2024, 3, 11), date(2024, 3, 15))  # 5 days after day 60
    assert goal_date(received=RECEIVED, pauses=[pause]) == date(2024, 3, 15)
    assert guarantee_date(received=RECEIVED, pauses=[pause]) == date(2024, 4, 14)
    assert (
        clock_status(received=RECEIVED, today=date(2024, 3, 15), pauses=[pause])
        == ClockStatus.WITHIN_GOAL
    )
    assert (
        clock_status(received=RECEIVED, today=date(2024, 3, 16), pauses=[pause])
        == ClockStatus.PAST_GOAL
    )


def test_a_pause_from_day_62_leaves_the_goal_date_and_moves_the_guarantee():
    pause = Pause(date(2024, 3, 12), date(2024, 3, 15))  # 4 days, after day 61
    assert goal_date(received=RECEIVED, pauses=[pause]) == DAY_60
    assert guarantee_date(received=RECEIVED, pauses=[pause]) == date(2024, 4, 13)
    assert (
        clock_status(received=RECEIVED, today=DAY_61, pauses=[pause])
        == ClockStatus.PAST_GOAL
    )


def test_a_pause_from_day_92_leaves_the_guarantee_date():
    pause = Pause(date(2024, 4, 11), date(2024, 4, 30))
    assert guarantee_date(received=RECEIVED, pauses=[pause]) == DAY_90


def test_an_ongoing_pause_stops_the_clock_and_leaves_no_date():
    pause = Pause(date(2024, 2, 1))
    # 11–31 January counted, nothing after
    assert (
        days_waited(received=RECEIVED, today=date(2024, 12, 31), pauses=[pause]) == 21
    )
    assert goal_date(received=RECEIVED, pauses=[pause]) is None
    assert guarantee_date(received=RECEIVED, pauses=[pause]) is None
    assert (
        clock_status(received=RECEIVED, today=date(2024, 12, 31), pauses=[pause])
        == ClockStatus.WITHIN_GOAL
    )


def test_an_ongoing_pause_after_day_60_keeps_the_goal_date_and_hides_the_guarantee():
    pause = Pause(date(2024, 3, 30))
    assert goal_date(received=RECEIVED, pauses=[pause]) == DAY_60
    assert guarantee_date(received=RECEIVED, pauses=[pause]) is None
    # 1 April: 79 days waited (to 29 March). Without the pause this would be
    # "soon" (8 days to 9 April); with the clock held it is past the goal only.
    assert days_waited(received=RECEIVED, today=date(2024, 4, 1), pauses=[pause]) == 79
    assert (
        clock_status(received=RECEIVED, today=date(2024, 4, 1), pauses=[pause])
        == ClockStatus.PAST_GOAL
    )
    assert (
        clock_status(received=RECEIVED, today=date(2024, 4, 1))
        == ClockStatus.SOON_PAST_GUARANTEE
    )


def test_an_ongoing_pause_swallows_later_pauses():
    pauses = [Pause(date(2024, 2, 1)), Pause(date(2024, 3, 1), date(2024, 3, 5))]
    assert days_waited(received=RECEIVED, today=date(2024, 6, 1), pauses=pauses) == 21


def test_an_earlier_pause_listed_after_an_ongoing_one_still_counts():
    ongoing_from_march = [Pause(date(2024, 3, 1))]
    plus_an_earlier_ended = [
        Pause(date(2024, 3, 1)),
        Pause(date(2024, 2, 1), date(2024, 2, 10)),
    ]
    # 11 Jan – 29 Feb is 50 days, minus 10 paused
    assert (
        days_waited(
            received=RECEIVED, today=date(2024, 6, 1), pauses=ongoing_from_march
        )
        == 50
    )
    assert (
        days_waited(
            received=RECEIVED, today=date(2024, 6, 1), pauses=plus_an_earlier_ended
        )
        == 40
    )


def test_a_pause_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="cannot end"):
        Pause(date(2024, 2, 10), date(2024, 2, 9))


def test_is_paused_includes_both_ends_and_ongoing_pauses():
    assert is_paused(today=date(2024, 1, 31), pauses=[FEB_1_TO_10]) is False
    assert is_paused(today=date(2024, 2, 1), pauses=[FEB_1_TO_10]) is True
    assert is_paused(today=date(2024, 2, 10), pauses=[FEB_1_TO_10]) is True
    assert is_paused(today=date(2024, 2, 11), pauses=[FEB_1_TO_10]) is False
    assert is_paused(today=date(2030, 1, 1), pauses=[Pause(date(2024, 2, 1))]) is True
    assert is_paused(today=date(2024, 1, 31), pauses=[Pause(date(2024, 2, 1))]) is False


# --- Properties ---------------------------------------------------------------

_days = st.integers(min_value=-20, max_value=200)
_pauses = st.lists(
    st.builds(
        lambda start, length: Pause(
            RECEIVED + timedelta(days=start),
            None if length is None else RECEIVED + timedelta(days=start + length),
        ),
        start=_days,
        # -1 stands for an ongoing pause
        length=st.integers(min_value=-1, max_value=40).map(
            lambda n: None if n < 0 else n
        ),
    ),
    max_size=4,
)
_property = settings(
    database=None,
    max_examples=200,
    # the autouse settings fixture of conftest.py is the same on every example
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _counted_by_hand(today: date, pauses: list[Pause]) -> int:
    """Walk the calendar one day at a time: the reference for days_waited."""
    count = 0
    day = RECEIVED + timedelta(days=1)
    while day <= today:
        if not is_paused(today=day, pauses=pauses):
            count += 1
        day += timedelta(days=1)
    return count


@_property
@given(pauses=_pauses, offset=st.integers(min_value=0, max_value=260))
def test_days_waited_matches_a_day_by_day_count(pauses, offset):
    today = RECEIVED + timedelta(days=offset)
    assert days_waited(
        received=RECEIVED, today=today, pauses=pauses
    ) == _counted_by_hand(today, pauses)


@_property
@given(
    pauses=_pauses,
    first=st.integers(min_value=0, max_value=260),
    step=st.integers(min_value=0, max_value=60),
)
def test_days_waited_never_decreases_as_today_advances(pauses, first, step):
    earlier = RECEIVED + timedelta(days=first)
    later = earlier + timedelta(days=step)
    assert days_waited(received=RECEIVED, today=earlier, pauses=pauses) <= days_waited(
        received=RECEIVED, today=later, pauses=pauses
    )


def _as_comparable(day: date | None) -> date:
    return date.max if day is None else day


@_property
@given(pauses=_pauses, extra=_pauses)
def test_a_pause_never_makes_a_date_earlier(pauses, extra):
    for deadline in (goal_date, guarantee_date):
        before = _as_comparable(deadline(received=RECEIVED, pauses=pauses))
        after = _as_comparable(deadline(received=RECEIVED, pauses=pauses + extra))
        assert after >= before


@_property
@given(pauses=_pauses, offset=st.integers(min_value=0, max_value=260))
def test_the_dates_are_the_last_days_within_60_and_90_days_waited(pauses, offset):
    today = RECEIVED + timedelta(days=offset)
    waited = days_waited(received=RECEIVED, today=today, pauses=pauses)
    goal = _as_comparable(goal_date(received=RECEIVED, pauses=pauses))
    guarantee = _as_comparable(guarantee_date(received=RECEIVED, pauses=pauses))
    assert (today <= goal) is (waited <= 60)
    assert (today <= guarantee) is (waited <= 90)


@_property
@given(pauses=_pauses)
def test_the_order_of_pauses_does_not_matter(pauses):
    assert guarantee_date(received=RECEIVED, pauses=pauses) == guarantee_date(
        received=RECEIVED, pauses=list(reversed(pauses))
    )


# --- No-shows and cancellations (seed 1 §12) ---------------------------------


def _absence(day: int, kind: AbsenceKind) -> Absence:
    return Absence(on=date(2024, 3, day), kind=kind)


NO_SHOW = AbsenceKind.NO_SHOW
PATIENT = AbsenceKind.PATIENT_CANCELLATION
UNIT = AbsenceKind.UNIT_CANCELLATION


def test_no_show_count_counts_only_no_shows():
    events = [
        _absence(1, NO_SHOW),
        _absence(5, PATIENT),
        _absence(7, UNIT),
        _absence(9, NO_SHOW),
    ]
    assert no_show_count(events) == 2
    assert no_show_count([]) == 0


def test_absence_count_adds_the_patients_cancellations_but_not_the_units():
    events = [
        _absence(1, NO_SHOW),
        _absence(5, PATIENT),
        _absence(7, UNIT),
        _absence(9, UNIT),
    ]
    assert absence_count(events) == 2


def test_counts_since_a_date_include_that_date():
    events = [_absence(1, NO_SHOW), _absence(5, NO_SHOW), _absence(9, PATIENT)]
    assert no_show_count(events, since=date(2024, 3, 5)) == 1
    assert absence_count(events, since=date(2024, 3, 5)) == 2
    assert absence_count(events, since=date(2024, 3, 10)) == 0


@pytest.mark.parametrize(
    ("events", "flagged"),
    [
        ([], False),
        ([_absence(1, NO_SHOW)], False),
        ([_absence(1, PATIENT)], False),
        ([_absence(1, NO_SHOW), _absence(2, NO_SHOW)], True),
        ([_absence(1, NO_SHOW), _absence(2, PATIENT)], True),
        ([_absence(1, PATIENT), _absence(2, PATIENT)], True),
        ([_absence(1, NO_SHOW), _absence(2, UNIT), _absence(3, UNIT)], False),
    ],
)
def test_two_absences_flag_for_discharge_by_default(events, flagged):
    assert should_flag_for_discharge(events) is flagged


def test_the_absence_limit_is_configurable():
    events = [_absence(1, NO_SHOW), _absence(2, PATIENT)]
    assert should_flag_for_discharge(events, limit=3) is False
    assert should_flag_for_discharge(events + [_absence(3, NO_SHOW)], limit=3) is True
    assert should_flag_for_discharge(events[:1], limit=1) is True


def test_the_flag_can_count_from_a_date():
    events = [_absence(1, NO_SHOW), _absence(20, NO_SHOW)]
    assert should_flag_for_discharge(events, since=date(2024, 3, 2)) is False


def test_an_absence_limit_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        should_flag_for_discharge([], limit=0)


# --- The invitation (seed 1 §5.2) ---------------------------------------------


@pytest.mark.parametrize(
    ("visit_on", "due_on"),
    [
        # 15 March 2024: back 15 days is 29 February, 13 more is 16 February
        (date(2024, 3, 15), date(2024, 2, 16)),
        # 15 March 2023: back 15 days is 28 February, 13 more is 15 February
        (date(2023, 3, 15), date(2023, 2, 15)),
        # across the new year: 10 January back 28 days is 13 December
        (date(2025, 1, 10), date(2024, 12, 13)),
    ],
)
def test_the_invitation_is_due_four_weeks_before_the_visit(visit_on, due_on):
    assert invitation_due_on(visit_on=visit_on) == due_on


def test_the_invitation_lead_time_is_configurable():
    assert invitation_due_on(visit_on=date(2024, 3, 15), days_before=21) == date(
        2024, 2, 23
    )
