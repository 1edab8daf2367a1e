"""Dates and calendars: local times and iCalendar (RFC 5545); Swedish
holidays come from core.closed_days."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone


def local_datetime(day: date, moment: time) -> datetime:
    """A date and wall-clock time in the project's time zone, made aware."""
    return timezone.make_aware(datetime.combine(day, moment))


# --- iCalendar ----------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT; times are aware datetimes, written in UTC."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""


def ics_calendar(*, name: str, events: Iterable[CalendarEvent], stamp: datetime) -> str:
    """An iCalendar file: CRLF line ends, text values escaped, long lines folded.

    Times are UTC ("Z"), so no VTIMEZONE is needed; `stamp` is the DTSTAMP of
    every event (when the file was made).
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//painrehab//programmes//SV",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line
    breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into pieces of at most `limit` octets (RFC 5545
    §3.1), never inside a UTF-8 character; continuation lines start with a space."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines carry a leading space, so they hold one octet less.
        room = limit if not pieces else limit - 1
        if size + width > room:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    if timezone.is_naive(moment):
        raise ValueError("calendar times must be aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def week_days(monday: date, days: int = 5) -> list[date]:
    return [monday + timedelta(n) for n in range(days)]
