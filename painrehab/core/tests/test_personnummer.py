from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from painrehab.core.personnummer import (
    PersonnummerError,
    is_test_number,
    parse_personnummer,
    tax_agency_test_number,
)

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("198501012382", "198501012382"),
        ("19850101-2382", "198501012382"),
        ("850101-2382", "198501012382"),
        ("8501012382", "198501012382"),
        ("200001012392", "200001012392"),
        ("000101-2392", "200001012392"),
        (" 19850101 - 2382 ", "198501012382"),
    ],
)
def test_valid_numbers_in_every_common_format_store_twelve_digits(typed, stored):
    assert parse_personnummer(typed, today=TODAY).number == stored


def test_wrong_check_digit_is_refused_as_such():
    with pytest.raises(PersonnummerError) as error:
        parse_personnummer("198501012383", today=TODAY)
    assert error.value.code == "checksum"


def test_impossible_date_is_refused_as_such():
    # 1985-02-30 with a check digit that is right for those digits
    number = tax_agency_test_number(born=date(1985, 2, 28), female=True)
    digits = "19850230" + number[8:11]
    from localflavor.se.utils import id_number_checksum

    check = id_number_checksum(
        {"year": "85", "month": "02", "day": "30", "serial": number[8:11]}
    )
    with pytest.raises(PersonnummerError) as error:
        parse_personnummer(digits + str(check), today=TODAY)
    assert error.value.code == "date"


def test_samordningsnummer_adds_sixty_to_the_day():
    from localflavor.se.utils import id_number_checksum

    check = id_number_checksum(
        {"year": "85", "month": "01", "day": "61", "serial": "238"}
    )
    parsed = parse_personnummer(f"19850161238{check}", today=TODAY)
    assert parsed.is_coordination_number is True
    assert parsed.birth_date == date(1985, 1, 1)


def test_ten_digits_take_the_latest_century_not_in_the_future():
    assert parse_personnummer(
        "2611232382"[:6]
        + "-"
        + tax_agency_test_number(born=date(2026, 11, 23), female=True)[8:],
        today=TODAY,
    ).birth_date == date(2026, 11, 23)
    born_1926 = tax_agency_test_number(born=date(1926, 11, 25), female=True)
    assert parse_personnummer(born_1926[2:], today=TODAY).birth_date == date(
        1926, 11, 25
    )


def test_plus_sign_means_a_hundred_years_or_older():
    number = tax_agency_test_number(born=date(1920, 5, 5), female=False)
    assert parse_personnummer(
        number[2:8] + "+" + number[8:], today=TODAY
    ).birth_date == date(1920, 5, 5)


def test_future_birth_date_is_refused():
    number = tax_agency_test_number(born=date(2026, 12, 1), female=True)
    with pytest.raises(PersonnummerError) as error:
        parse_personnummer(number, today=TODAY)
    assert error.value.code == "future"


def test_without_a_given_day_the_birth_date_is_checked_against_stockholms_date(
    travel, today
):
    # 00:30 on New Year's Day in Stockholm is still 31 December in UTC: a child
    # born today in Stockholm is not "born in the future".
    new_year = date(today.year + 1, 1, 1)
    travel(datetime.combine(new_year, time(0, 30), tzinfo=ZoneInfo("Europe/Stockholm")))
    number = tax_agency_test_number(born=new_year, female=True)
    assert parse_personnummer(number).birth_date == new_year


@pytest.mark.parametrize(
    "typed", ["", "abc", "19850101", "1985010123821", "85-0101-2382"]
)
def test_malformed_input_is_refused_with_the_format_message(typed):
    with pytest.raises(PersonnummerError) as error:
        parse_personnummer(typed, today=TODAY)
    assert error.value.code == "format"


def test_swedish_message_names_the_check_digit():
    from django.utils import translation

    with translation.override("sv"), pytest.raises(PersonnummerError) as error:
        parse_personnummer("198501012383", today=TODAY)
    with translation.override("sv"):
        assert (
            str(error.value.message)
            == "Kontrollsiffran (sista siffran) stämmer inte. Kontrollera numret."
        )


def test_tax_agency_examples_are_test_numbers():
    assert tax_agency_test_number(born=date(1985, 1, 1), female=True) == "198501012382"
    assert tax_agency_test_number(born=date(2000, 1, 1), female=False) == "200001012392"
    assert is_test_number("198501012382") is True
    from localflavor.se.utils import id_number_checksum

    check = id_number_checksum(
        {"year": "85", "month": "01", "day": "01", "serial": "123"}
    )
    assert is_test_number(f"19850101123{check}") is False
