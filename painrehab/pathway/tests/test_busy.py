"""One booking check for everything that gives someone time (pathway.busy):
a clash of staff, patient or room is refused and named; a weekend, a holiday
or a staff member away asks for confirmation."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import formats, timezone

from painrehab.accounts.models import Membership
from painrehab.pathway.busy import (
    BookingClash,
    NeedsConfirmation,
    Request,
    Taken,
    calendar_reasons,
    outside_hours,
    overlapping,
)
from painrehab.pathway.models import Booking, Episode
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State
from painrehab.patients.tests.factories import PatientFactory
from painrehab.programmes.models import Room, Session, SessionStaff, StaffAbsence
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.appointments import (
    book_appointment,
)
from painrehab.programmes.services.sessions import change_session
from painrehab.programmes.tests.factories import aware, decided_episode
from painrehab.steps.new_visit.services import (
    book_investigation_visit,
    book_new_visit,
)
from painrehab.steps.triage.services import triage_referral

MONDAY = date(2026, 11, 30)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- the rules --------------------------------------------------------------


def _taken(hour, minutes=60, **who):  # noqa: ANN001, ANN003, ANN202
    start = _at(MONDAY, hour)
    return Taken(
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        what="nybesök",
        staff_ids=frozenset(who.get("staff", ())),
        patient_id=who.get("patient"),
        room_id=who.get("room"),
        ref=who.get("ref"),
    )


def _asked(hour, minutes=60, **who):  # noqa: ANN001, ANN003, ANN202
    start = _at(MONDAY, hour)
    return Request(
        unit_id=1,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        staff_ids=frozenset(who.get("staff", ())),
        patient_id=who.get("patient"),
        room_id=who.get("room"),
        moving=who.get("moving"),
    )


@pytest.mark.parametrize(
    ("who_asked", "who_taken"),
    [
        ({"staff": {7}}, {"staff": {7, 8}}),
        ({"patient": 3}, {"patient": 3}),
        ({"room": 5}, {"room": 5}),
    ],
)
def test_an_overlap_of_staff_patient_or_room_is_a_clash(who_asked, who_taken):
    assert overlapping(_asked(9, 60, **who_asked), [_taken(9, 30, **who_taken)])
    assert overlapping(_asked(9, 60, **who_asked), [_taken(8, 90, **who_taken)])


def test_touching_ends_others_and_the_moved_record_itself_are_no_clash():
    asked = _asked(9, 60, staff={7}, patient=3, moving=("Booking", 1))
    assert not overlapping(asked, [_taken(10, 60, staff={7})])  # starts as it ends
    assert not overlapping(asked, [_taken(8, 60, staff={7})])  # ends as it starts
    assert not overlapping(asked, [_taken(9, 60, staff={8}, patient=4, room=5)])
    assert not overlapping(asked, [_taken(9, 60, staff={7}, ref=("Booking", 1))])


def test_weekends_and_swedish_holidays_need_confirming():
    assert calendar_reasons(MONDAY) == []
    assert calendar_reasons(date(2026, 12, 5)) == ["Lördag 5 december 2026 är helg."]
    assert calendar_reasons(date(2026, 12, 24)) == [
        "24 december 2026 är en helgdag (Julafton)."
    ]
    assert calendar_reasons(date(2027, 1, 6)) == [
        "6 januari 2027 är en helgdag (Trettondedag jul)."
    ]


def test_a_visit_outside_the_units_day_needs_confirming():
    opens, closes = time(7, 30), time(17)
    assert not outside_hours(
        _at(MONDAY, 7, 30), _at(MONDAY, 8, 30), opens=opens, closes=closes
    )
    assert not outside_hours(
        _at(MONDAY, 16), _at(MONDAY, 17), opens=opens, closes=closes
    )
    assert outside_hours(_at(MONDAY, 7), _at(MONDAY, 8), opens=opens, closes=closes)
    assert outside_hours(
        _at(MONDAY, 16, 30), _at(MONDAY, 17, 30), opens=opens, closes=closes
    )


# --- every kind of booking --------------------------------------------------


@pytest.fixture
def physio(unit_a):  # noqa: ANN001, ANN201
    from painrehab.programmes.tests.factories import member

    return member(unit_a, "fysio_busy", "physiotherapist")


def _triaged(unit, physician, coordinator):  # noqa: ANN001, ANN202
    from painrehab.steps.referral.services import open_episode

    episode = open_episode(
        patient=PatientFactory.create(unit=unit),
        by=coordinator,
        source="referral",
        received_on=date(2026, 10, 1),
    )
    triage_referral(by=physician, episode=episode, outcome="new_visit")
    return Episode.objects.get(pk=episode.pk)


def _new_visit(episode, coordinator, physician, hour, day=MONDAY, **kwargs):  # noqa: ANN001, ANN003, ANN202
    return book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode.pk),
        starts_at=_at(day, hour),
        physician=physician.user,
        **kwargs,
    )


def _to_investigation(episode, physician):  # noqa: ANN001, ANN202
    """The booked new visit is held and leads to the team investigation."""
    for state in (State.NEW_VISIT, State.TEAM_INVESTIGATION):
        move_episode(episode=Episode.objects.get(pk=episode.pk), to=state, by=physician)


def test_a_physician_booked_twice_at_once_is_refused_naming_the_clash(
    unit_a, physician, coordinator
):
    first = _triaged(unit_a, physician, coordinator)
    second = _triaged(unit_a, physician, coordinator)
    _new_visit(first, coordinator, physician, 9)
    with pytest.raises(BookingClash) as clash:
        book_new_visit(
            by=coordinator,
            episode=second,
            starts_at=_at(MONDAY, 9, 30),
            physician=physician.user,
        )
    assert clash.value.message == (
        "Physician_A Testsson har redan nybesök 30 november 09:00–10:00."
    )
    assert Booking.objects.filter(episode=second).count() == 0
    _new_visit(second, coordinator, physician, 10)  # right after: no clash


def test_a_physician_of_two_units_is_one_person_in_both_calendars(
    unit_a, unit_b, physician, coordinator
):
    physician_in_b = Membership.objects.create(
        user=physician.user, unit=unit_b, profession="physician"
    )
    coordinator_b = Membership.objects.create(
        user=coordinator.user, unit=unit_b, profession="coordinator_nurse"
    )
    in_a = _triaged(unit_a, physician, coordinator)
    in_b = _triaged(unit_b, physician_in_b, coordinator_b)
    _new_visit(in_a, coordinator, physician, 9)
    with pytest.raises(BookingClash, match="har redan nybesök"):
        _new_visit(in_b, coordinator_b, physician, 9)


def test_an_investigation_visit_clashes_with_the_staff_members_and_the_patients_time(
    unit_a, physician, coordinator, physio
):
    episode = _triaged(unit_a, physician, coordinator)
    _new_visit(episode, coordinator, physician, 9)
    _to_investigation(episode, physician)
    other = _triaged(unit_a, physician, coordinator)
    _new_visit(other, coordinator, physician, 13)
    investigation = Episode.objects.get(pk=episode.pk)
    with pytest.raises(BookingClash, match="Patienten har redan nybesök"):
        book_investigation_visit(
            by=coordinator,
            episode=investigation,
            starts_at=_at(MONDAY, 9, 15),
            staff=physio.user,
            profession="physiotherapist",
        )
    with pytest.raises(BookingClash, match="Physician_A Testsson har redan nybesök"):
        book_investigation_visit(
            by=coordinator,
            episode=investigation,
            starts_at=_at(MONDAY, 13),
            staff=physician.user,
            profession="physician",
        )
    book_investigation_visit(
        by=coordinator,
        episode=investigation,
        starts_at=_at(MONDAY, 13),
        staff=physio.user,
        profession="physiotherapist",
    )
    with pytest.raises(BookingClash, match="Fysio_Busy"):
        book_investigation_visit(
            by=coordinator,
            episode=investigation,
            starts_at=_at(MONDAY, 13, 30),
            staff=physio.user,
            profession="physiotherapist",
        )


def test_an_individual_appointment_clashes_with_a_visit_of_the_same_staff_member(
    unit_a, physician, coordinator, physio
):
    other = _triaged(unit_a, physician, coordinator)
    individual = decided_episode(
        unit=unit_a,
        physician=physician,
        coordinator=coordinator,
        decided_at=aware(date(2026, 11, 2)),
        to=State.INDIVIDUAL_REHABILITATION,
    )
    book_appointment(
        by=coordinator,
        episode=individual,
        staff=physio,
        starts_at=_at(MONDAY, 9),
        minutes=45,
        mode="on_site",
    )
    with pytest.raises(
        ProgrammeRefused, match="Patienten har redan ett individuellt besök"
    ):
        book_appointment(
            by=coordinator,
            episode=individual,
            staff=physician,
            starts_at=_at(MONDAY, 9, 30),
            minutes=45,
            mode="on_site",
        )
    _new_visit(other, coordinator, physician, 11)
    with pytest.raises(ProgrammeRefused, match="har redan nybesök"):
        book_appointment(
            by=coordinator,
            episode=individual,
            staff=physician,
            starts_at=_at(MONDAY, 11, 30),
            minutes=30,
            mode="phone",
        )


def test_a_session_moved_onto_a_staff_members_visit_or_a_taken_room_is_refused(
    unit_a, physician, coordinator, physio, specialist_cohort
):
    other = _triaged(unit_a, physician, coordinator)
    _new_visit(other, coordinator, physician, 9)
    room = Room.objects.create(unit=unit_a, name="Gympasalen", kind="gym")
    session = _session(specialist_cohort, MONDAY + timedelta(days=1), 9, physio, room)
    blocking = _session(specialist_cohort, MONDAY, 13, physio, room)
    with pytest.raises(ProgrammeRefused, match="har redan nybesök"):
        change_session(
            by=coordinator,
            session=session,
            day=MONDAY,
            start=time(9),
            room=None,
            place="Ute",
            staff=[physician],
        )
    blocking.staff.all().delete()  # only the room is taken now
    with pytest.raises(ProgrammeRefused):
        change_session(
            by=coordinator,
            session=session,
            day=MONDAY,
            start=time(13),
            room=room,
            place="",
            staff=[physio],
        )


@pytest.fixture
def specialist_cohort(unit_a, coordinator):  # noqa: ANN001, ANN201
    from painrehab.programmes.services.cohorts import create_cohort
    from painrehab.programmes.services.templates import ensure_default_templates

    template = next(
        t for t in ensure_default_templates(unit_a) if t.key == "specialist_5_weeks"
    )
    return create_cohort(by=coordinator, template=template, start=date(2027, 1, 11))


def _session(cohort, day, hour, staff, room):  # noqa: ANN001, ANN202
    session = Session.objects.create(
        unit=cohort.unit,
        cohort=cohort,
        activity_key="training",
        activity_name="Träning",
        date=day,
        start=time(hour),
        end=time(hour + 1),
        room=room,
        attendees=Session.Attendees.ALL,
    )
    SessionStaff.objects.create(
        session=session, user=staff.user, profession=staff.profession, minutes=60
    )
    return session


# --- confirmation -------------------------------------------------------------


def test_a_saturday_or_a_staff_members_absence_asks_for_confirmation(
    unit_a, physician, coordinator
):
    episode = _triaged(unit_a, physician, coordinator)
    saturday = date(2026, 12, 5)
    with pytest.raises(NeedsConfirmation, match="är helg"):
        book_new_visit(
            by=coordinator,
            episode=episode,
            starts_at=_at(saturday, 10),
            physician=physician.user,
        )
    StaffAbsence.objects.create(
        membership=physician, first_day=MONDAY, last_day=MONDAY + timedelta(days=2)
    )
    with pytest.raises(
        NeedsConfirmation, match="är frånvarande 30 november–2 december"
    ):
        _new_visit(episode, coordinator, physician, 9)
    assert _new_visit(episode, coordinator, physician, 9, confirmed=True).pk


def _coming_friday(today: date) -> date:
    """The first Friday after today: the day before a coming weekend."""
    return today + timedelta(days=(4 - today.weekday()) % 7 or 7)


def test_the_booking_page_asks_to_confirm_a_weekend_and_keeps_what_was_typed(
    unit_a, physician, coordinator, client_for, travel, today
):
    saturday = travel(_coming_friday(today)) + timedelta(days=1)
    episode = _triaged(unit_a, physician, coordinator)
    client = client_for(coordinator)
    typed = {
        "day": saturday.isoformat(),
        "start": "10:15",
        "minutes": "45",
        "physician": physician.user_id,
        "mode": "video",
    }
    page = client.post(f"/vardforlopp/{episode.pk}/boka/", typed)
    html = page.content.decode()
    assert page.status_code == 200
    weekend = formats.date_format(saturday, "l j F Y").capitalize()
    assert weekend.startswith("Lördag ")
    assert f"{weekend} är helg." in html
    assert 'type="checkbox" name="confirm_time"' in html
    assert "Boka ändå" in html
    assert "Confirm time" not in html
    assert f'value="{saturday.isoformat()}"' in html
    assert 'value="10:15"' in html
    assert 'value="45"' in html
    assert not Booking.objects.filter(episode=episode).exists()
    confirmed = client.post(
        f"/vardforlopp/{episode.pk}/boka/", {**typed, "confirm_time": "on"}
    )
    assert confirmed.status_code == 302
    assert Booking.objects.get(episode=episode).mode == "video"


def test_a_clash_on_the_investigation_page_keeps_the_booking_typed(
    unit_a, physician, coordinator, physio, client_for, travel, today, working_day
):
    friday = travel(_coming_friday(today))
    monday = working_day(friday + timedelta(days=3))  # the next working day
    other = _triaged(unit_a, physician, coordinator)
    _new_visit(other, coordinator, physician, 9, day=monday)
    episode = _triaged(unit_a, physician, coordinator)
    _new_visit(episode, coordinator, physician, 13, day=monday)
    _to_investigation(episode, physician)
    page = client_for(coordinator).post(
        f"/vardforlopp/{episode.pk}/utredning/boka/",
        {
            "book-profession": "physician",
            "book-staff": physician.user_id,
            "book-day": monday.isoformat(),
            "book-start": "09:20",
            "book-minutes": "40",
            "book-mode": "on_site",
        },
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert f"har redan nybesök {formats.date_format(monday, 'j F')} 09:00–10:00" in html
    assert 'value="09:20"' in html
    assert 'value="40"' in html
