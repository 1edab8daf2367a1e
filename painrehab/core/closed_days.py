"""Days a Swedish clinic is closed: public holidays and the days off in practice.

Pure apart from the holiday tables of the `holidays` package.
"""

from datetime import date

import holidays


def swedish_closed_days(first: date, last: date) -> dict[date, str]:
    """Public holidays from `first` to `last` with their Swedish names, plus
    Midsummer Eve, Christmas Eve and New Year's Eve, which are days off in
    practice (the package's "de facto" holidays)."""
    table = holidays.country_holidays(
        "SE",
        years=range(first.year, last.year + 1),
        language="sv",
        categories=(holidays.PUBLIC, "de_facto"),
    )
    return {day: name for day, name in sorted(table.items()) if first <= day <= last}
