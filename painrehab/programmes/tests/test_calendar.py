"""Swedish holidays and the iCalendar writer, read back by an independent parser."""

from datetime import UTC, date, datetime, time

import icalendar
import pytest

from painrehab.core.closed_days import swedish_closed_days
from painrehab.programmes.calendar import (
    CalendarEvent,
    escape_text,
    fold,
    ics_calendar,
    local_datetime,
)


def test_swedish_closed_days_of_spring_2026() -> None:
    assert swedish_closed_days(date(2026, 3, 1), date(2026, 6, 30)) == {
        date(2026, 4, 3): "Långfredagen",
        date(2026, 4, 5): "Påskdagen",
        date(2026, 4, 6): "Annandag påsk",
        date(2026, 5, 1): "Första maj",
        date(2026, 5, 14): "Kristi himmelsfärdsdag",
        date(2026, 5, 24): "Pingstdagen",
        date(2026, 6, 6): "Nationaldagen",
        date(2026, 6, 19): "Midsommarafton",
        date(2026, 6, 20): "Midsommardagen",
    }


def test_christmas_and_new_year_eves_are_closed_across_the_year_end() -> None:
    days = swedish_closed_days(date(2026, 12, 20), date(2027, 1, 7))
    assert list(days) == [
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 6),
    ]


def test_text_values_are_escaped() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_folding_keeps_75_octets_and_whole_characters() -> None:
    line = "SUMMARY:" + "å" * 60  # 8 + 120 octets
    folded = fold(line)
    pieces = folded.split("\r\n")
    # 8 + 33 × 2 = 74 octets: a 34th "å" would cross 75, and is not split.
    assert [len(p.encode()) for p in pieces] == [74, 55]
    assert pieces[1].startswith(" ")
    assert "".join(p.removeprefix(" ") for p in pieces) == line


EVENTS = [
    CalendarEvent(
        uid="session-1@painrehab",
        start=local_datetime(date(2026, 3, 2), time(8, 0)),
        end=local_datetime(date(2026, 3, 2), time(9, 0)),
        summary="Aktivitetsbalans – vanor, rutiner och struktur",
        location="Grupprummet; plan 2",
        description="Program vår, vecka 10. Fia Fysio, Petra Psykolog",
    ),
    CalendarEvent(
        uid="session-2@painrehab",
        start=local_datetime(date(2026, 6, 1), time(13, 15)),
        end=local_datetime(date(2026, 6, 1), time(14, 0)),
        summary="Bassängträning i grupp",
    ),
]


def test_calendar_has_crlf_lines_and_parses_with_the_right_times() -> None:
    stamp = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
    text = ics_calendar(name="Program, vår; 2026", events=EVENTS, stamp=stamp)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    # Stockholm is UTC+1 in March and UTC+2 in June.
    assert "DTSTART:20260302T070000Z\r\n" in text
    assert "DTSTART:20260601T111500Z\r\n" in text
    assert "SUMMARY:Aktivitetsbalans – vanor\\, rutiner och struktur\r\n" in text
    assert "LOCATION:Grupprummet\\; plan 2\r\n" in text

    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    first = events[0]
    assert first.decoded("DTSTART") == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    assert first.decoded("DTEND") == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert str(first["SUMMARY"]) == "Aktivitetsbalans – vanor, rutiner och struktur"
    assert str(first["LOCATION"]) == "Grupprummet; plan 2"
    assert (
        str(first["DESCRIPTION"]) == "Program vår, vecka 10. Fia Fysio, Petra Psykolog"
    )
    assert str(first["UID"]) == "session-1@painrehab"
    assert "X-WR-CALNAME:Program\\, vår\\; 2026\r\n" in text
    assert events[1].decoded("DTSTART") == datetime(2026, 6, 1, 11, 15, tzinfo=UTC)
    assert "LOCATION" not in events[1]


def test_naive_times_are_refused() -> None:
    naive = CalendarEvent(
        uid="x",
        start=datetime(2026, 3, 2, 8),  # noqa: DTZ001 - the case under test
        end=datetime(2026, 3, 2, 9),  # noqa: DTZ001
        summary="x",
    )
    with pytest.raises(ValueError, match="aware"):
        ics_calendar(name="x", events=[naive], stamp=datetime.now(UTC))
