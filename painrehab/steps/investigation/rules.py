"""When a booked visit may be marked held, and when a booked visit is past
and waits for the clinic to say how it went. Plain functions of their inputs."""

from datetime import date

from painrehab.pathway.models import Booking


def may_mark_held(*, kind: str, status: str, visit_on: date, today: date) -> bool:
    """An investigation visit still booked may be marked held from its day on.
    A new or return visit is held when its record is written (new_visit)."""
    return (
        kind == Booking.Kind.INVESTIGATION
        and status == Booking.Status.BOOKED
        and visit_on <= today
    )


def is_overdue(*, status: str, visit_on: date, today: date) -> bool:
    """A visit whose day has gone by and is still only booked: neither marked
    held nor recorded as missed or cancelled."""
    return status == Booking.Status.BOOKED and visit_on < today
