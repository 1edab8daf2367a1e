"""The pure programme rules: group size, absence threshold, §10.3 intervention
rate and the annual plan. No database."""

from datetime import date, timedelta

import pytest

from painrehab.core.closed_days import swedish_closed_days
from painrehab.core.dates import week_monday
from painrehab.programmes.rules import (
    AbsenceRate,
    Capacity,
    Intensity,
    Term,
    capacity_check,
    fits,
    intervention_rate,
    over_absence_threshold,
    plan_year,
    working_days,
)

# --- Group size -------------------------------------------------------------


@pytest.mark.parametrize(
    ("participants", "minimum", "maximum", "status"),
    [
        (3, 4, 7, Capacity.TOO_FEW),  # specialist programme: fewer warns
        (4, 4, 7, Capacity.OK),
        (7, 4, 7, Capacity.OK),
        (8, 4, 7, Capacity.TOO_MANY),  # more needs an override
        (6, 4, 6, Capacity.OK),  # KRT group, seed 2: 4–6
        (7, 4, 6, Capacity.TOO_MANY),
    ],
)
def test_capacity(participants, minimum, maximum, status) -> None:
    check = capacity_check(participants=participants, minimum=minimum, maximum=maximum)
    assert check.status == status


# --- Absence ----------------------------------------------------------------


def test_absence_rate_counts_absent_and_excused_as_missed() -> None:
    rate = AbsenceRate(present=7, absent=2, excused=1)
    assert (rate.recorded, rate.missed, rate.percent) == (10, 3, 30)
    assert AbsenceRate().percent is None
    assert AbsenceRate(present=2, absent=1).percent == 33
    assert AbsenceRate(present=1, absent=1, excused=1).percent == 67


@pytest.mark.parametrize(
    ("rate", "threshold", "over"),
    [
        (AbsenceRate(present=4, absent=1), 20, False),  # exactly 20 % is not over
        (AbsenceRate(present=3, absent=1), 20, True),  # 25 %
        (AbsenceRate(present=3, excused=1), 20, True),  # excused counts too
        (AbsenceRate(present=7, absent=2), 20, True),  # 22.2 %
        (AbsenceRate(present=9, absent=2), 20, False),  # 18.2 %
        (AbsenceRate(present=10, absent=2), 20, False),  # 16.7 %
        (AbsenceRate(present=3, absent=1), 25, False),
        (AbsenceRate(), 0, False),  # nothing recorded is never over
        (AbsenceRate(present=1), 0, False),
        (AbsenceRate(present=99, absent=1), 0, True),
    ],
)
def test_absence_threshold_is_strictly_over(rate, threshold, over) -> None:
    assert over_absence_threshold(rate, threshold_percent=threshold) is over


# --- At least six interventions a month (seed 0 §10.3) -----------------------

START = date(2026, 1, 1)


def test_twelve_in_sixty_days_meets_six_a_month() -> None:
    held = [START + timedelta(days=5 * n) for n in range(12)]
    rate = intervention_rate(held_on=held, start=START, until=START + timedelta(59))
    assert (rate.interventions, rate.days) == (12, 60)
    assert rate.status == Intensity.MEETS
    assert round(rate.per_month, 2) == 6.09


def test_eleven_in_sixty_days_is_below() -> None:
    held = [START + timedelta(days=5 * n) for n in range(11)]
    rate = intervention_rate(held_on=held, start=START, until=START + timedelta(59))
    assert rate.status == Intensity.BELOW
    assert round(rate.per_month, 2) == 5.58


def test_six_in_an_average_month_is_the_limit() -> None:
    # 30 days are less than an average month (30.44): six meet it; 31 days need 6.11.
    six = [START + timedelta(days=n) for n in range(6)]
    thirty = intervention_rate(held_on=six, start=START, until=START + timedelta(29))
    assert thirty.status == Intensity.MEETS
    month = intervention_rate(held_on=six, start=START, until=START + timedelta(30))
    assert month.status == Intensity.BELOW


def test_before_a_month_it_is_too_early_unless_the_pace_already_meets() -> None:
    two = [START, START + timedelta(3)]
    early = intervention_rate(held_on=two, start=START, until=START + timedelta(20))
    assert early.status == Intensity.TOO_EARLY
    five = [START + timedelta(n) for n in range(5)]
    quick = intervention_rate(held_on=five, start=START, until=START + timedelta(20))
    assert quick.status == Intensity.MEETS


def test_interventions_outside_the_period_do_not_count() -> None:
    held = [START - timedelta(1), START, START + timedelta(40)]
    rate = intervention_rate(held_on=held, start=START, until=START + timedelta(30))
    assert rate.interventions == 1
    with pytest.raises(ValueError, match="ends before it starts"):
        intervention_rate(held_on=[], start=START, until=START - timedelta(1))


# --- The annual plan ---------------------------------------------------------

HOLIDAYS_2026 = swedish_closed_days(date(2026, 1, 1), date(2026, 12, 31))


def test_six_five_week_programmes_in_2026_skip_easter_and_ascension() -> None:
    plan = plan_year(year=2026, weeks=5, count=6, closed=HOLIDAYS_2026)
    assert [(p.start, p.end) for p in plan] == [
        (date(2026, 1, 12), date(2026, 2, 15)),
        (date(2026, 3, 9), date(2026, 4, 12)),
        (date(2026, 5, 4), date(2026, 6, 7)),
        (date(2026, 8, 17), date(2026, 9, 20)),
        (date(2026, 9, 28), date(2026, 11, 1)),
        (date(2026, 11, 9), date(2026, 12, 13)),
    ]
    # Good Friday and Easter Monday fall in the second programme, Ascension
    # Day in the third: they are no programme days.
    assert [p.closed for p in plan] == [
        (),
        (date(2026, 4, 3), date(2026, 4, 6)),
        (date(2026, 5, 14),),
        (),
        (),
        (),
    ]
    assert all(p.start.weekday() == 0 for p in plan)


def test_a_programme_over_midsummer_leaves_out_midsummer_eve() -> None:
    summer = Term(date(2026, 5, 25), date(2026, 6, 30))
    plan = plan_year(year=2026, weeks=5, count=1, closed=HOLIDAYS_2026, terms=(summer,))
    assert [(p.start, p.closed) for p in plan] == [
        (date(2026, 5, 25), (date(2026, 6, 19),))  # 6 June is a Saturday
    ]


def test_a_first_week_without_four_days_moves_the_start() -> None:
    # A made-up closure of Tuesday and Wednesday leaves the first week three
    # days: too few for the four enrolment days, enough for a later week.
    closed = {date(2026, 1, 13), date(2026, 1, 14)}
    term = Term(date(2026, 1, 12), date(2026, 3, 31))
    plan = plan_year(year=2026, weeks=5, count=1, closed=closed, terms=(term,))
    assert plan[0].start == date(2026, 1, 19)
    early = Term(date(2026, 1, 5), date(2026, 3, 31))
    plan = plan_year(year=2026, weeks=5, count=1, closed=closed, terms=(early,))
    assert plan[0].start == date(2026, 1, 5)
    assert plan[0].closed == (date(2026, 1, 13), date(2026, 1, 14))


def test_working_days_and_fits() -> None:
    easter_week = date(2026, 3, 30)
    assert working_days(easter_week, HOLIDAYS_2026) == 4
    assert working_days(date(2026, 4, 6), HOLIDAYS_2026) == 4
    assert fits(
        monday=easter_week,
        weeks=2,
        closed=HOLIDAYS_2026,
        first_week_days=4,
        week_days=3,
    )
    assert not fits(
        monday=easter_week,
        weeks=2,
        closed=HOLIDAYS_2026,
        first_week_days=5,
        week_days=3,
    )


def test_fewer_programmes_when_the_terms_are_full() -> None:
    krt = plan_year(year=2026, weeks=7, count=6, closed=HOLIDAYS_2026)
    assert [p.start for p in krt] == [
        date(2026, 1, 12),
        date(2026, 3, 2),
        date(2026, 4, 20),
        date(2026, 8, 17),
        date(2026, 11, 2),
    ]


def test_week_monday() -> None:
    assert week_monday(date(2026, 3, 8)) == date(2026, 3, 2)
    assert week_monday(date(2026, 3, 2)) == date(2026, 3, 2)
