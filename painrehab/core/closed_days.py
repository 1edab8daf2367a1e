"""Days a Swedish clinic is closed: public holidays and the days off in practice.

Pure apart from the holiday tables of the `holidays` package.
"""

from datetime import date
from functools import lru_cache

import holidays


def swedish_closed_days(first: date, last: date) -> dict[date, str]:
    """Public holidays from `first` to `last` with their Swedish names, plus
    Midsummer Eve, Christmas Eve and New Year's Eve, which are days off in
    practice (the package's "de facto" holidays)."""
    return {
        day: name
        for year in range(first.year, last.year + 1)
        for day, name in _closed_days_of(year)
        if first <= day <= last
    }


@lru_cache(maxsize=64)
def _closed_days_of(year: int) -> tuple[tuple[date, str], ...]:
    """One year's table, built once: the booking check and the demo ask for it
    day by day."""
    table = holidays.country_holidays(
        "SE", years=year, language="sv", categories=(holidays.PUBLIC, "de_facto")
    )
    return tuple(sorted(table.items()))
