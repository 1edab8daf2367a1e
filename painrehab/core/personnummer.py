"""Swedish personal identity numbers (personnummer) and coordination numbers.

A pure parser with one error per rule, so that the form can say exactly what
is wrong. The check digit is computed by django-localflavor's Luhn helper.
Numbers are stored in the 12-digit form YYYYMMDDNNNC.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise
from localflavor.se.utils import id_number_checksum

from painrehab.core.refusals import Refused

_PATTERN = re.compile(
    r"^(?P<century>\d{2})?(?P<year>\d{2})(?P<month>\d{2})(?P<day>\d{2})"
    r"(?P<sign>[-+])?(?P<serial>\d{3})(?P<checksum>\d)$"
)

COORDINATION_DAY_OFFSET = 60


class PersonnummerError(Refused, ValueError):
    """Why a personnummer is not valid; `message` is shown to the user. A
    ValueError too: form fields and localflavor treat it as bad input."""

    def __init__(self, code: str, message: StrPromise) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Personnummer:
    number: str  # 12 digits, YYYYMMDDNNNC
    birth_date: date
    is_coordination_number: bool


def parse_personnummer(value: str, *, today: date | None = None) -> Personnummer:
    """Validate a personnummer or samordningsnummer and return its 12-digit form.

    Accepts 10 or 12 digits, with or without '-' (or '+' for 100 years or
    older). Raises PersonnummerError naming the rule that failed.
    """
    today = today or timezone.localdate()
    match = _PATTERN.match(re.sub(r"\s", "", value or ""))
    if match is None:
        raise PersonnummerError(
            "format",
            _("Enter the personal identity number as YYYYMMDD-NNNN or YYMMDD-NNNN."),
        )
    parts = match.groupdict()
    if id_number_checksum(parts) != int(parts["checksum"]):
        raise PersonnummerError(
            "checksum",
            _("The check digit (the last digit) does not match. Check the number."),
        )
    day = int(parts["day"])
    is_coordination = day > COORDINATION_DAY_OFFSET
    if is_coordination:
        day -= COORDINATION_DAY_OFFSET
    year = _full_year(parts, day=day, today=today)
    try:
        born = date(year, int(parts["month"]), day)
    except ValueError:
        raise PersonnummerError(
            "date", _("The number does not contain a valid date of birth.")
        ) from None
    if born > today:
        raise PersonnummerError("future", _("The date of birth lies in the future."))
    number = (
        f"{year:04d}{parts['month']}{parts['day']}{parts['serial']}{parts['checksum']}"
    )
    return Personnummer(
        number=number, birth_date=born, is_coordination_number=is_coordination
    )


def _full_year(parts: dict[str, str | None], *, day: int, today: date) -> int:
    yy = int(parts["year"] or 0)
    if parts["century"] is not None:
        return int(parts["century"]) * 100 + yy
    # Ten digits: the latest year ending in YY whose date is not in the future;
    # '+' means the person has turned 100.
    year = today.year - today.year % 100 + yy
    if (year, int(parts["month"] or 0), day) > (today.year, today.month, today.day):
        year -= 100
    if parts["sign"] == "+":
        year -= 100
    return year


def tax_agency_test_number(*, born: date, female: bool) -> str:
    """A personnummer on the Swedish Tax Agency's test-number scheme.

    The published test numbers pair each birth date with birth number 238
    (women) or 239 (men) and the right check digit; they belong to no one.
    """
    serial = "238" if female else "239"
    parts = {
        "year": f"{born.year % 100:02d}",
        "month": f"{born.month:02d}",
        "day": f"{born.day:02d}",
        "serial": serial,
    }
    return f"{born:%Y%m%d}{serial}{id_number_checksum(parts)}"


def is_test_number(number: str) -> bool:
    """True if a 12-digit number follows the Tax Agency's test-number scheme."""
    try:
        parsed = parse_personnummer(number)
    except PersonnummerError:
        return False
    return parsed.number[8:11] in {"238", "239"} and not parsed.is_coordination_number


def legal_sex(number: str) -> str:
    """The legal sex, "female" or "male", of a stored 12-digit number: the second-last digit
    is even for women, odd for men (also in coordination numbers)."""
    return "male" if int(number[10]) % 2 else "female"
