"""Individual interventions, the §10.3 check on the episode, and staff minutes."""

from datetime import date, time, timedelta

import pytest

from painrehab.audit.models import AuditEvent
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State
from painrehab.programmes.models import Appointment, Session, SessionStaff
from painrehab.programmes.rules import Intensity
from painrehab.programmes.selectors import individual_summary, staff_minutes
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.appointments import (
    book_appointment,
    set_appointment_status,
)
from painrehab.programmes.tests.factories import aware, decided_episode

DECIDED = date(2026, 2, 1)
START = DECIDED + timedelta(days=1)  # the move to individual rehabilitation


@pytest.fixture
def individual(unit_a, physician, coordinator):  # noqa: ANN001, ANN201
    return decided_episode(
        unit=unit_a,
        physician=physician,
        coordinator=coordinator,
        decided_at=aware(DECIDED),
        to=State.INDIVIDUAL_REHABILITATION,
    )


def book_held(episode, by, staff, days):  # noqa: ANN001, ANN202
    for day in days:
        appointment = book_appointment(
            by=by,
            episode=episode,
            staff=staff,
            starts_at=aware(day, 10),
            minutes=45,
            mode="on_site",
            confirmed=True,  # some of the days are weekends
        )
        set_appointment_status(
            by=by, appointment=appointment, status="held", expected_version=1
        )


def test_twelve_held_in_sixty_days_meet_the_section_10_3_rate(
    individual, coordinator, staff
) -> None:
    book_held(
        individual,
        coordinator,
        staff["fysio1"],
        [START + timedelta(days=5 * n) for n in range(12)],
    )
    summary = individual_summary(episode=individual, today=START + timedelta(days=59))
    assert summary.rate is not None
    assert (summary.start, summary.until) == (START, START + timedelta(days=59))
    assert (summary.rate.interventions, summary.rate.days) == (12, 60)
    assert summary.rate.status == Intensity.MEETS


def test_eleven_held_and_one_not_attended_is_below(
    individual, coordinator, staff
) -> None:
    book_held(
        individual,
        coordinator,
        staff["psykolog"],
        [START + timedelta(days=5 * n) for n in range(11)],
    )
    missed = book_appointment(
        by=coordinator,
        episode=individual,
        staff=staff["psykolog"],
        starts_at=aware(START + timedelta(days=57), 10),
        minutes=45,
        mode="video",
    )
    set_appointment_status(
        by=coordinator, appointment=missed, status="no_show", expected_version=1
    )
    upcoming = book_appointment(
        by=coordinator,
        episode=individual,
        staff=staff["psykolog"],
        starts_at=aware(START + timedelta(days=62), 10),  # Easter Day
        minutes=45,
        confirmed=True,
        mode="phone",
    )
    summary = individual_summary(episode=individual, today=START + timedelta(days=59))
    assert summary.rate is not None
    assert summary.rate.interventions == 11
    assert summary.rate.status == Intensity.BELOW
    assert summary.planned == 1
    assert [a.pk for a in summary.appointments][-1] == upcoming.pk


def test_the_rate_stops_counting_when_the_rehabilitation_ends(
    individual, coordinator, physician, staff
) -> None:
    book_held(
        individual,
        coordinator,
        staff["fysio1"],
        [START + timedelta(days=4 * n) for n in range(8)],
    )
    move_episode(
        episode=individual,
        to=State.FOLLOW_UP,
        by=physician,
        now=aware(START + timedelta(days=29)),
    )
    summary = individual_summary(episode=individual, today=date(2026, 12, 1))
    assert summary.rate is not None
    assert (summary.until, summary.rate.days, summary.rate.status) == (
        START + timedelta(days=29),
        30,
        Intensity.MEETS,
    )


def test_booking_is_audited_and_records_staff_and_profession(
    individual, coordinator, staff
) -> None:
    appointment = book_appointment(
        by=coordinator,
        episode=individual,
        staff=staff["arbetsterapeut"],
        starts_at=aware(START, 13),
        minutes=60,
        mode="outside",
        note="Arbetsplatsbesök",
    )
    assert (
        appointment.profession,
        appointment.staff_id,
        appointment.minutes,
        appointment.mode,
    ) == ("occupational_therapist", staff["arbetsterapeut"].user_id, 60, "outside")
    event = AuditEvent.objects.get(
        object_type="programmes.Appointment", object_id=str(appointment.pk)
    )
    assert (event.action, event.what) == (
        "create",
        "appointment booked: occupational_therapist",
    )
    assert list(event.patients.values_list("patient_id", flat=True)) == [
        individual.patient_id
    ]


def test_booking_needs_the_right_step_and_a_current_version(
    individual, episode_a, coordinator, staff
) -> None:
    with pytest.raises(ProgrammeRefused) as refused:
        book_appointment(
            by=coordinator,
            episode=episode_a,
            staff=staff["psykolog"],
            starts_at=aware(START),
            minutes=45,
            mode="on_site",
        )
    assert refused.value.message == (
        "Individuella insatser bokas under förberedande insatser eller individuell "
        "rehabilitering."
    )
    appointment = book_appointment(
        by=coordinator,
        episode=individual,
        staff=staff["psykolog"],
        starts_at=aware(START),
        minutes=45,
        mode="on_site",
    )
    set_appointment_status(
        by=coordinator, appointment=appointment, status="held", expected_version=1
    )
    with pytest.raises(ProgrammeRefused, match="^Någon annan sparade uppgifterna"):
        set_appointment_status(
            by=coordinator,
            appointment=appointment,
            status="cancelled",
            expected_version=1,
        )
    assert Appointment.objects.get(pk=appointment.pk).status == "held"


def test_staff_minutes_per_profession(
    individual, coordinator, staff, decided, cohort_of, specialist, unit_a
) -> None:
    cohort = cohort_of(specialist, decided(1))
    session = Session.objects.create(
        unit=unit_a,
        cohort=cohort,
        activity_key="relatives_meeting",
        activity_name="Närståendeträff",
        date=date(2026, 3, 24),
        start=time(13),
        end=time(14, 30),
        attendees="all",
    )
    for member in (staff["kurator"], staff["psykolog"]):
        SessionStaff.objects.create(
            session=session,
            user=member.user,
            profession=member.profession,
            minutes=90,
        )
    book_held(individual, coordinator, staff["psykolog"], [date(2026, 3, 25)])
    book_appointment(  # booked, not held: no staff time yet
        by=coordinator,
        episode=individual,
        staff=staff["psykolog"],
        starts_at=aware(date(2026, 3, 26)),
        minutes=45,
        mode="on_site",
    )
    assert staff_minutes(
        unit=unit_a, first=date(2026, 3, 1), last=date(2026, 3, 31)
    ) == {
        "social_worker": {"sessions": 90, "appointments": 0},
        "psychologist": {"sessions": 90, "appointments": 45},
    }
    assert (
        staff_minutes(unit=unit_a, first=date(2026, 4, 1), last=date(2026, 4, 30)) == {}
    )


def test_an_appointment_after_the_last_day_of_the_staffs_access_is_refused(
    individual, coordinator, staff, today, working_day, client_for
) -> None:
    from painrehab.accounts.models import Membership

    day = working_day(today + timedelta(days=14))
    leaving = staff["fysio1"]
    Membership.all_periods.filter(pk=leaving.pk).update(
        valid_until=day - timedelta(days=1)
    )
    leaving.refresh_from_db()
    message = f"{leaving.user} har ingen behörighet till enheten {day.isoformat()}."
    with pytest.raises(ProgrammeRefused) as refused:
        book_appointment(
            by=coordinator,
            episode=individual,
            staff=leaving,
            starts_at=aware(day, 10),
            minutes=45,
            mode="on_site",
        )
    assert (refused.value.message, refused.value.field) == (message, "staff")
    # Through the page: beside the staff field, with what was typed.
    response = client_for(coordinator).post(
        f"/program/vardforlopp/{individual.pk}/insatser/",
        {
            "staff": leaving.pk,
            "day": day.isoformat(),
            "start": "10:35",
            "minutes": "40",
            "mode": "on_site",
            "note": "Balansträning",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"staff": [message]}
    html = response.content.decode()
    assert f'id="id_staff-error" role="alert">{message}</p>' in html
    assert 'value="Balansträning"' in html
    assert 'value="10:35"' in html
    assert not Appointment.objects.exists()
