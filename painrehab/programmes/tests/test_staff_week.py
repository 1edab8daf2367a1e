"""A staff member's week and calendar file show every visit they are booked
on, read from the same sources as the booking check, in a constant number of
queries, and only the member's own unit's patients."""

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painrehab.core.dates import week_monday
from painrehab.pathway.busy import BookingClash, check_time, visit
from painrehab.pathway.models import Booking
from painrehab.patients.tests.factories import PatientFactory
from painrehab.programmes.calendar import local_datetime
from painrehab.programmes.tests.factories import member
from painrehab.steps.referral.services import open_episode


def _monday(today: date) -> date:
    """The Monday of next week: every day of it lies after the fixtures."""
    return week_monday(today) + timedelta(weeks=1)


def _episode(unit, coordinator, **patient):  # noqa: ANN001, ANN003, ANN202
    person = PatientFactory.create(unit=unit, **patient)
    return open_episode(
        patient=person,
        by=coordinator,
        source="referral",
        received_on=timezone.localdate(),
    )


def _book(episode, kind, at, staff, second=None, **fields):  # noqa: ANN001, ANN003, ANN202
    return Booking.objects.create(
        episode=episode,
        unit_id=episode.unit_id,
        kind=kind,
        starts_at=at,
        minutes=60,
        staff=staff.user,
        second_staff=second.user if second else None,
        booked_by=staff.user,
        **fields,
    )


@pytest.fixture
def visits(unit_a, coordinator, physician, staff, today):  # noqa: ANN001, ANN201
    """Next week: Monday 10:00 a new visit with the physician and the
    physiotherapist (the patient needs an Arabic interpreter), Tuesday 13:00
    an investigation visit with the physiotherapist alone."""
    monday = _monday(today)
    first = _episode(
        unit_a,
        coordinator,
        first_name="Mira",
        last_name="Haddad",
        needs_interpreter=True,
        interpreter_language="arabiska",
    )
    second = _episode(unit_a, coordinator, first_name="Olle", last_name="Berg")
    return [
        _book(
            first,
            Booking.Kind.NEW_VISIT,
            local_datetime(monday, time(10)),
            physician,
            staff["fysio1"],
        ),
        _book(
            second,
            Booking.Kind.INVESTIGATION,
            local_datetime(monday + timedelta(days=1), time(13)),
            staff["fysio1"],
        ),
    ]


@pytest.mark.parametrize("who", ["lakare", "fysio1"])
def test_my_week_shows_the_new_visit_with_patient_kind_and_interpreter(
    client_for, staff, visits, today, who
) -> None:
    me = staff[who]
    page = (
        client_for(me)
        .get(f"/program/personal/{me.pk}/vecka/?vecka={_monday(today)}")
        .content.decode()
    )
    assert "10:00–11:00" in page
    assert "Nybesök" in page
    assert "Mira H." in page
    assert "tolk: arabiska" in page
    investigation = "Olle B." in page and "Utredningsbesök" in page
    assert investigation is (who == "fysio1")


def test_a_cancelled_or_other_units_visit_is_not_in_the_week(
    client_for, unit_a, unit_b, coordinator, staff, visits, today
) -> None:
    visits[1].status = Booking.Status.UNIT_CANCELLATION
    visits[1].save()
    # The physiotherapist also works in unit B and has a visit there.
    elsewhere = member(unit_b, "fysio_b", "physiotherapist")
    elsewhere.user = staff["fysio1"].user
    elsewhere.save()
    coordinator_b = member(unit_b, "coordinator_b2", "coordinator_nurse")
    other = _episode(unit_b, coordinator_b, first_name="Greta", last_name="Ek")
    _book(
        other,
        Booking.Kind.INVESTIGATION,
        local_datetime(_monday(today) + timedelta(days=2), time(9)),
        staff["fysio1"],
    )
    me = staff["fysio1"]
    page = (
        client_for(me)
        .get(f"/program/personal/{me.pk}/vecka/?vecka={_monday(today)}")
        .content.decode()
    )
    assert "Mira H." in page
    assert "Olle B." not in page
    assert "Greta E." not in page
    assert "1 bokning den här veckan" in page


def test_the_week_shows_what_the_booking_check_refuses(
    staff, physician, visits, unit_a
) -> None:
    """Whatever the week shows for a staff member clashes with a new booking
    of that staff member at the same time: the two read the same sources."""
    new_visit = visits[0]
    with pytest.raises(BookingClash, match="nybesök"):
        check_time(
            visit(
                unit_id=unit_a.pk,
                starts_at=new_visit.starts_at,
                minutes=30,
                staff=[staff["fysio1"].user_id],
                patient_id=None,
            )
        )


def test_the_staff_week_needs_the_same_queries_for_two_and_twenty_visits(
    client_for, unit_a, coordinator, staff, visits, today, django_assert_num_queries
) -> None:
    me = staff["fysio1"]
    client = client_for(me)
    url = f"/program/personal/{me.pk}/vecka/?vecka={_monday(today)}"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(18):
        episode = _episode(unit_a, coordinator)
        day = _monday(today) + timedelta(days=number % 5)
        _book(
            episode,
            Booking.Kind.INVESTIGATION,
            local_datetime(day, time(8 + number // 5 * 2)),
            me,
            staff["psykolog"],
        )
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "20 bokningar den här veckan" in page


def test_the_staff_calendar_file_holds_the_visits_without_the_patient(
    client_for, staff, visits, today
) -> None:
    me = staff["fysio1"]
    response = client_for(me).get(f"/program/personal/{me.pk}/kalender.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {
        str(event["SUMMARY"]): event.decoded("DTSTART")
        for event in calendar.walk("VEVENT")
    }
    assert set(events) == {"Nybesök", "Utredningsbesök"}
    assert events["Nybesök"] == visits[0].starts_at
    text = response.content.decode()
    assert "Mira" not in text
    assert "Haddad" not in text
    assert isinstance(events["Utredningsbesök"], datetime)
