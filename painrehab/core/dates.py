"""Small date rules shared by the apps: pure functions, no clock, no database."""

from datetime import date, timedelta

from painrehab.core.windows import add_months


def age_on(birth_date: date, *, on: date) -> int:
    """Age in completed years on `on`.

    A 29 February birthday falls on 28 February in other years, the same
    clamping as `add_months`: born 2000-02-29, one is 18 on 2018-02-28.
    """
    years = on.year - birth_date.year
    if add_months(birth_date, 12 * years) > on:
        years -= 1
    return years


def week_monday(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())
