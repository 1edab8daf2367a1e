from datetime import date

import pytest

from painrehab.core.dates import age_on, week_monday


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (date(2023, 2, 27), 22),
        (date(2023, 2, 28), 23),  # a non-leap year: the birthday is the 28th
        (date(2023, 3, 1), 23),
        (date(2024, 2, 28), 23),  # a leap year: the birthday is the 29th
        (date(2024, 2, 29), 24),
    ],
)
def test_a_29_february_birthday_counts_on_28_february_in_other_years(on, age):
    assert age_on(date(2000, 2, 29), on=on) == age


def test_age_the_day_before_and_on_an_ordinary_birthday():
    assert age_on(date(1980, 6, 1), on=date(2024, 5, 31)) == 43
    assert age_on(date(1980, 6, 1), on=date(2024, 6, 1)) == 44


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 3, 2), date(2026, 3, 2)),  # a Monday is its own
        (date(2026, 3, 8), date(2026, 3, 2)),  # Sunday belongs to the week before
        (date(2026, 1, 1), date(2025, 12, 29)),  # across a year's end
    ],
)
def test_week_monday(day, monday):
    assert week_monday(day) == monday
