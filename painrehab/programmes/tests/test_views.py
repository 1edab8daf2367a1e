"""The programme pages: who may see and do what, what they show, what they
log, and a constant number of queries however full the week is."""

import io
import re
from datetime import date, time, timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone
from pypdf import PdfReader

from painrehab.audit.models import AuditEvent
from painrehab.core.dates import week_monday
from painrehab.programmes.models import (
    Attendance,
    Cohort,
    CohortParticipant,
    Room,
    Session,
    SessionStaff,
    StaffAbsence,
    StaffAvailability,
)
from painrehab.programmes.tests.factories import aware

# The pages work with today's date: a cohort that started the Monday of last
# week is running (places can be given, last week's attendance recorded).
# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _last_monday() -> date:
    """Monday of last week."""
    return week_monday(timezone.localdate()) - timedelta(weeks=1)


def writes() -> int:
    return AuditEvent.objects.filter(action__in=["create", "update"]).count()


def fill_week(cohort, n, staff):  # noqa: ANN001, ANN202
    """`n` sessions in the cohort's first week: whole-group and individual, each
    with two staff members, some in a room."""
    participants = list(cohort.participants.order_by("pk"))
    room = Room.objects.filter(unit=cohort.unit).first()
    members = [staff["psykolog"], staff["fysio1"], staff["lakare"]]
    for number in range(n):
        individual = number % 2 == 1
        session = Session.objects.create(
            unit=cohort.unit,
            cohort=cohort,
            activity_key=f"a{number}",
            activity_name=f"Aktivitet {number}, del 1",
            date=_last_monday() + timedelta(days=number % 5),
            start=time(8 + number % 8),
            end=time(9 + number % 8),
            room=room if number % 3 == 0 else None,
            attendees="individual" if individual else "all",
        )
        session.participants.set(
            [participants[number % len(participants)]] if individual else participants
        )
        for member in members[:2] if number % 2 else members[1:]:
            SessionStaff.objects.create(
                session=session,
                user=member.user,
                profession=member.profession,
                minutes=60,
            )


@pytest.fixture
def cohort(staff, rooms, specialist, decided, cohort_of):  # noqa: ANN001, ANN201
    return cohort_of(specialist, decided(4), start=_last_monday())


@pytest.fixture
def other_admin(unit_b):  # noqa: ANN001, ANN201
    from painrehab.programmes.tests.factories import member

    admin = member(unit_b, "admin_b", "coordinator_nurse")
    admin.is_unit_admin = True
    admin.save()
    return admin


# --- The access matrix --------------------------------------------------------

READ_PAGES = [
    "/program/",
    "/program/mallar/",
    "/program/kohort/{cohort}/",
    "/program/kohort/{cohort}/vecka/",
    "/program/kohort/{cohort}/kalender.ics",
    "/program/kohort/{cohort}/veckoschema.pdf",
    "/program/personal/{member}/vecka/",
    "/program/personal/{member}/kalender.ics",
    "/program/lokaler/{room}/vecka/",
    "/program/mallar/{template}/",
]
RUN_PAGES = ["/program/ny/", "/program/kohort/{cohort}/narvaro/"]
ADMIN_PAGES = [
    "/program/arsplan/",
    "/program/lokaler/",
    "/program/lokaler/ny/",
    "/program/lokaler/{room}/",
    "/program/personal/",
    "/program/personal/{member}/tillganglighet/",
]


def fill(url, cohort, staff, rooms):  # noqa: ANN001, ANN202
    return url.format(
        cohort=cohort.pk,
        member=staff["fysio1"].pk,
        room=rooms["gym"].pk,
        template=cohort.template_id,
    )


@pytest.mark.parametrize("url", READ_PAGES + RUN_PAGES + ADMIN_PAGES)
def test_anonymous_users_go_to_login(client, cohort, staff, rooms, url) -> None:
    response = client.get(fill(url, cohort, staff, rooms))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


@pytest.mark.parametrize(
    "url", [url for url in READ_PAGES + RUN_PAGES + ADMIN_PAGES if "{" in url]
)
def test_other_unit_gets_404(client_for, other_admin, cohort, staff, rooms, url):
    client = client_for(other_admin)
    assert client.get(fill(url, cohort, staff, rooms)).status_code == 404


@pytest.mark.parametrize(
    ("url", "member", "status"),
    [
        *[(url, "secretary", 200) for url in READ_PAGES],
        *[(url, "secretary", 403) for url in RUN_PAGES],
        *[(url, "sports_leader", 200) for url in RUN_PAGES],
        *[(url, "physician", 403) for url in ADMIN_PAGES],
        *[(url, "coordinator", 200) for url in ADMIN_PAGES],
    ],
)
def test_pages_by_permission(
    client_for, request, cohort, staff, rooms, url, member, status
) -> None:
    client = client_for(request.getfixturevalue(member))
    assert client.get(fill(url, cohort, staff, rooms)).status_code == status


def test_denied_changes_change_nothing(
    client_for, secretary, physician, other_physician, cohort, staff, decided
) -> None:
    (episode,) = decided(1)
    participant = cohort.participants.first()
    before = writes()
    posts = [
        (secretary, f"/program/kohort/{cohort.pk}/deltagare/", {"episode": episode.pk}),
        (secretary, f"/program/kohort/{cohort.pk}/schemalagg/", {}),
        (secretary, f"/program/kohort/{cohort.pk}/starta/", {}),
        (secretary, f"/program/deltagare/{participant.pk}/ta-bort/", {}),
        (
            physician,
            "/program/arsplan/",
            {"template": cohort.template_id, "year": 2027, "count": 6},
        ),
        (
            other_physician,
            f"/program/kohort/{cohort.pk}/deltagare/",
            {"episode": episode.pk},
        ),
    ]
    for member, url, data in posts:
        status = client_for(member).post(url, data).status_code
        assert status in {403, 404}, url
    assert writes() == before
    assert cohort.participants.count() == 4
    assert Cohort.objects.count() == 1
    assert Session.objects.count() == 0


# --- Cohort page -------------------------------------------------------------


def test_cohort_page_offers_places_in_decision_order_and_logs_names(
    client_for, coordinator, cohort, decided
) -> None:
    later = decided(2)
    response = client_for(coordinator).get(f"/program/kohort/{cohort.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    first, second = (e.patient for e in later)
    offered = html[html.index("Patienter med beslut om gruppprogram") :]
    assert offered.index(f'value="{later[0].pk}"') < offered.index(
        f'value="{later[1].pk}"'
    )
    assert "4 deltagare (vanligen 4–7)" in html
    event = AuditEvent.objects.get(what="cohort page")
    named = set(event.patients.values_list("patient_id", flat=True))
    participants = set(
        cohort.participants.values_list("episode__patient_id", flat=True)
    )
    assert named == participants | {first.pk, second.pk}


def test_adding_over_the_maximum_through_the_page(
    client_for, coordinator, physician, staff, specialist, decided, cohort_of
) -> None:
    full = cohort_of(specialist, decided(7), start=_last_monday() + timedelta(weeks=8))
    (eighth,) = decided(1)
    url = f"/program/kohort/{full.pk}/deltagare/"
    response = client_for(physician).post(url, {"episode": eighth.pk}, follow=True)
    assert (
        "Gruppen är full (högst 7 deltagare). En enhetsadministratör kan lägga till "
        "fler med en motivering." in response.content.decode()
    )
    assert full.participants.count() == 7
    response = client_for(coordinator).post(
        url,
        {
            "episode": eighth.pk,
            "over_capacity_reason": "Akut behov",
            "needs_patient_hotel": "on",
        },
        follow=True,
    )
    html = response.content.decode()
    assert f"{eighth.patient.full_name} har fått plats i programmet." in html
    assert "Över gruppstorleken: Akut behov" in html
    place = CohortParticipant.objects.get(episode=eighth)
    assert (place.needs_patient_hotel, place.over_capacity_reason) == (
        True,
        "Akut behov",
    )


def test_a_small_group_warns(client_for, coordinator, specialist, decided) -> None:
    from painrehab.programmes.services.cohorts import create_cohort

    small = create_cohort(
        by=coordinator, template=specialist, start=_last_monday() + timedelta(weeks=8)
    )
    (first,) = decided(1)
    response = client_for(coordinator).post(
        f"/program/kohort/{small.pk}/deltagare/", {"episode": first.pk}, follow=True
    )
    assert "Färre deltagare än de vanligen minst 4." in response.content.decode()


def test_an_episode_of_another_unit_is_not_offered(
    client_for, coordinator, cohort, episode_b
) -> None:
    response = client_for(coordinator).post(
        f"/program/kohort/{cohort.pk}/deltagare/",
        {"episode": episode_b.pk},
        follow=True,
    )
    assert (
        "Patienten kan inte få plats i det här programmet." in response.content.decode()
    )
    assert not CohortParticipant.objects.filter(episode=episode_b).exists()


def test_scheduling_through_the_page(client_for, coordinator, cohort) -> None:
    response = client_for(coordinator).post(f"/program/kohort/{cohort.pk}/schemalagg/")
    assert response.status_code == 302
    assert response["Location"] == f"/program/kohort/{cohort.pk}/vecka/"
    assert cohort.sessions.count() == 85


def test_scheduling_conflicts_are_shown_in_swedish(
    client_for, coordinator, cohort
) -> None:
    Room.objects.filter(kind="pool").update(opening_hours={})
    StaffAvailability.objects.create(
        membership=cohort.unit.memberships.get(profession="social_worker"),
        takes_part=False,
    )
    response = client_for(coordinator).post(f"/program/kohort/{cohort.pk}/schemalagg/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Inget schema går att lägga med de här reglerna samtidigt:" in html
    assert "<li>Personal saknas: kuratorer</li>" in html
    assert cohort.sessions.count() == 0


def test_starting_through_the_page(client_for, coordinator, cohort) -> None:
    response = client_for(coordinator).post(
        f"/program/kohort/{cohort.pk}/starta/", follow=True
    )
    assert "4 deltagare flyttades till gruppprogrammet." in response.content.decode()
    assert set(cohort.participants.values_list("episode__state", flat=True)) == {
        "group_programme"
    }


# --- Week views, calendar files, the printed schedule --------------------------


@pytest.mark.parametrize("view", ["cohort", "staff", "room"])
def test_week_views_use_the_same_number_of_queries_at_6_and_60_sessions(
    client_for, coordinator, cohort, staff, rooms, view, django_assert_num_queries
) -> None:
    client = client_for(coordinator)
    room = Room.objects.first()
    assert room is not None
    url = {
        "cohort": f"/program/kohort/{cohort.pk}/vecka/?vecka={_last_monday()}",
        "staff": f"/program/personal/{staff['fysio1'].pk}/vecka/?vecka={_last_monday()}",
        "room": f"/program/lokaler/{room.pk}/vecka/?vecka={_last_monday()}",
    }[view]
    fill_week(cohort, 6, staff)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    Session.objects.all().delete()
    fill_week(cohort, 60, staff)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    expected = {
        "cohort": 60,
        "staff": Session.objects.filter(staff__user=staff["fysio1"].user).count(),
        "room": Session.objects.filter(room__isnull=False).count(),
    }[view]
    assert f"{expected} bokningar den här veckan" in response.content.decode()


def test_week_view_names_individual_participants_and_logs_them(
    client_for, coordinator, cohort, staff
) -> None:
    fill_week(cohort, 2, staff)
    response = client_for(coordinator).get(
        f"/program/kohort/{cohort.pk}/vecka/?vecka={_last_monday()}"
    )
    html = response.content.decode()
    individual = Session.objects.get(attendees="individual")
    patient = individual.participants.get().episode.patient
    assert f"{patient.first_name} {patient.last_name[0]}." in html
    event = AuditEvent.objects.get(what="cohort week")
    assert list(event.patients.values_list("patient_id", flat=True)) == [patient.pk]


def test_cohort_calendar_file_parses(client_for, coordinator, cohort, staff) -> None:
    fill_week(cohort, 6, staff)
    response = client_for(coordinator).get(f"/program/kohort/{cohort.pk}/kalender.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == 6
    first = events[0]
    assert str(first["SUMMARY"]) == "Aktivitet 0, del 1"
    assert first.decoded("DTSTART") == aware(_last_monday(), 8)
    assert "Aktivitet 0\\, del 1" in text
    event = AuditEvent.objects.get(what="cohort calendar (ICS)")
    assert event.action == "export"


def test_staff_calendar_file_has_sessions_and_nameless_appointments(
    client_for, coordinator, staff, unit_a, decided
) -> None:
    from painrehab.programmes.models import Appointment

    episode = decided(1)[0]
    today = timezone.localdate()
    Appointment.objects.create(
        unit=unit_a,
        episode=episode,
        starts_at=aware(today + timedelta(days=2), 10),
        minutes=45,
        staff=staff["fysio1"].user,
        profession="physiotherapist",
        created_by=coordinator.user,
    )
    response = client_for(coordinator).get(
        f"/program/personal/{staff['fysio1'].pk}/kalender.ics"
    )
    calendar = icalendar.Calendar.from_ical(response.content.decode())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Individuell insats (fysioterapeut)"
    assert episode.patient.last_name not in response.content.decode()


def test_printed_week_schedule(client_for, coordinator, cohort, staff) -> None:
    fill_week(cohort, 4, staff)
    participant = Session.objects.get(activity_key="a1").participants.get()
    client = client_for(coordinator)
    group = client.get(
        f"/program/kohort/{cohort.pk}/veckoschema.pdf?vecka={_last_monday()}"
    )
    assert group["Content-Type"] == "application/pdf"
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(group.content)).pages
    )
    week = _last_monday().isocalendar()[1]
    assert f"Veckoschema vecka {week}\n{cohort.name}\nProgramvecka 1 av 5" in text
    assert formats.date_format(_last_monday(), "l j F").capitalize() in text
    assert "Aktivitet 0, del 1" in text
    assert "Aktivitet 1, del 1" not in text  # someone else's individual session
    assert "Individuella tider" in text
    own = client.get(
        f"/program/kohort/{cohort.pk}/veckoschema.pdf?vecka={_last_monday()}&deltagare={participant.pk}"
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(own.content)).pages)
    assert "Aktivitet 1, del 1" in text
    assert participant.episode.patient.full_name in text
    event = AuditEvent.objects.filter(what="week schedule (PDF)").first()
    assert event is not None
    assert (
        event.action,
        list(event.patients.values_list("patient_id", flat=True)),
    ) == (
        "print",
        [participant.episode.patient_id],
    )
    other = CohortParticipant.objects.exclude(cohort=cohort).first()
    assert other is None
    assert (
        client.get(
            f"/program/kohort/{cohort.pk}/veckoschema.pdf?deltagare=999999"
        ).status_code
        == 404
    )


def test_a_patients_week_schedule_gives_places_and_the_interpreter(
    client_for, coordinator, cohort, staff
) -> None:
    # Found walking the demo: every individual session had place "–" and the
    # interpreter the patient needs was not mentioned.
    fill_week(cohort, 3, staff)  # a0 all in a room, a1 individual, a2 all, no room
    participant = Session.objects.get(activity_key="a1").participants.get()
    Session.objects.filter(activity_key="a2").update(place="Simhallen, Storgatan 9")
    patient = participant.episode.patient
    patient.needs_interpreter, patient.interpreter_language = True, "arabiska"
    patient.save()
    url = (
        f"/program/kohort/{cohort.pk}/veckoschema.pdf?vecka={_last_monday()}"
        f"&deltagare={participant.pk}"
    )
    own = client_for(coordinator).get(url)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(own.content)).pages)
    flat = " ".join(text.split())
    assert "Tolk på arabiska bokas av mottagningen till dina tider." in flat
    assert "Aktivitet 1, del 1 09:00–10:00 Box 1, 111 11 Stad" in flat
    assert "Aktivitet 2, del 1 10:00–11:00 Simhallen, Storgatan 9" in flat
    room = Session.objects.get(activity_key="a0").place_label
    assert room
    assert f"Aktivitet 0, del 1 08:00–09:00 {room}" in flat


def test_a_group_session_without_a_place_is_not_given_the_units_address(
    cohort, staff
) -> None:
    from painrehab.programmes.printing import session_place

    fill_week(cohort, 3, staff)
    walk = Session.objects.get(activity_key="a2")
    assert session_place(walk, unit_address="Box 1, 111 11 Stad") == "–"
    alone = Session.objects.get(activity_key="a1")
    assert session_place(alone, unit_address="") == "–"


# --- Attendance and sessions ---------------------------------------------------


def test_attendance_for_a_day_through_the_page(
    client_for, coordinator, cohort, staff
) -> None:
    fill_week(cohort, 2, staff)  # Monday whole group, Tuesday one participant
    client = client_for(coordinator)
    url = f"/program/kohort/{cohort.pk}/narvaro/?dag={_last_monday()}"
    page = client.get(url)
    html = page.content.decode()
    session = Session.objects.get(activity_key="a0")
    participants = list(cohort.participants.order_by("pk"))
    assert html.count('<select name="s') == 4
    read = AuditEvent.objects.get(what="attendance", action="view")
    assert set(read.patients.values_list("patient_id", flat=True)) == set(
        cohort.participants.values_list("episode__patient_id", flat=True)
    )
    data = {f"s{session.pk}-p{p.pk}": "present" for p in participants}
    data[f"s{session.pk}-p{participants[1].pk}"] = "absent"
    response = client.post(url, data, follow=True)
    assert "Närvaron är sparad (4 ändrade)." in response.content.decode()
    assert dict(Attendance.objects.values_list("participant_id", "status")) == {
        p.pk: ("absent" if p == participants[1] else "present") for p in participants
    }


def test_a_made_up_attendance_value_is_named_beside_its_cell(
    client_for, coordinator, cohort, staff
) -> None:
    fill_week(cohort, 2, staff)
    client = client_for(coordinator)
    url = f"/program/kohort/{cohort.pk}/narvaro/?dag={_last_monday()}"
    session = Session.objects.get(activity_key="a0")
    participants = list(cohort.participants.order_by("pk"))
    data = {f"s{session.pk}-p{p.pk}": "absent" for p in participants}
    tampered = f"s{session.pk}-p{participants[1].pk}"
    data[tampered] = "hemligt"
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    cell = html.split(f'name="{tampered}"')[1].split("</td>")[0]
    assert "Välj en av närvarostatusarna i listan." in cell
    assert "hemligt" not in html
    kept = f'name="s{session.pk}-p{participants[0].pk}"'
    first = html.split(kept)[1].split("</select>")[0]
    assert '<option value="absent" selected>' in first
    assert not Attendance.objects.exists()


def test_editing_a_session_locks_it(client_for, coordinator, cohort, staff) -> None:
    fill_week(cohort, 1, staff)
    session = Session.objects.get()
    response = client_for(coordinator).post(
        f"/program/pass/{session.pk}/",
        {
            "date": str(_last_monday() + timedelta(days=1)),
            "start": "13:00",
            "room": "",
            "place": "Simhallen",
            "staff": [staff["idrottsledare"].pk],
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (
        session.date,
        session.start,
        session.end,
        session.place,
        session.locked,
    ) == (
        _last_monday() + timedelta(days=1),
        time(13),
        time(14),
        "Simhallen",
        True,
    )
    assert list(session.staff.values_list("user_id", "profession", "minutes")) == [
        (staff["idrottsledare"].user_id, "sports_leader", 60)
    ]


def test_a_session_offers_only_staff_with_access_on_its_day(
    client_for, coordinator, cohort, staff
) -> None:
    from painrehab.accounts.models import Membership
    from painrehab.programmes.services import ProgrammeRefused
    from painrehab.programmes.services.sessions import change_session

    fill_week(cohort, 1, staff)
    session = Session.objects.get()
    day = week_monday(timezone.localdate()) + timedelta(weeks=5, days=1)
    Session.objects.filter(pk=session.pk).update(date=day)
    session.refresh_from_db()
    today = timezone.localdate()
    # Access ends today: still a member today, but not on the session's day.
    Membership.all_periods.filter(pk=staff["fysio1"].pk).update(valid_until=today)
    leaving = Membership.objects.get(pk=staff["fysio1"].pk)
    client = client_for(coordinator)
    html = client.get(f"/program/pass/{session.pk}/").content.decode()
    assert f'name="staff" value="{staff["psykolog"].pk}"' in html
    assert f'name="staff" value="{leaving.pk}"' not in html
    with pytest.raises(ProgrammeRefused, match="behörighet"):
        change_session(
            by=coordinator,
            session=session,
            day=day,
            start=session.start,
            room=None,
            place="",
            staff=[leaving],
        )
    response = client.post(
        f"/program/pass/{session.pk}/",
        {
            "date": str(day),
            "start": "13:00",
            "room": "",
            "place": "Simhallen",
            "staff": [leaving.pk],
        },
    )
    assert response.status_code == 200
    assert 'value="Simhallen"' in response.content.decode()
    session.refresh_from_db()
    assert (session.start, session.locked) != (time(13), True)


def test_a_session_offers_staff_who_begin_by_its_day_and_refuses_beside_the_field(
    client_for, coordinator, cohort, staff, today
) -> None:
    from painrehab.accounts.models import Membership

    fill_week(cohort, 1, staff)
    session = Session.objects.get()
    day = week_monday(today) + timedelta(weeks=5, days=1)
    Session.objects.filter(pk=session.pk).update(date=day)
    # Access from next week: not today, but on the session's day.
    coming = staff["kurator"]
    Membership.all_periods.filter(pk=coming.pk).update(
        valid_from=today + timedelta(days=7)
    )
    leaving = staff["fysio1"]  # runs the session; access ends before its day
    Membership.all_periods.filter(pk=leaving.pk).update(
        valid_until=day - timedelta(days=1)
    )
    client = client_for(coordinator)
    page = client.get(f"/program/pass/{session.pk}/")
    offered = set(page.context["form"].fields["staff"].queryset)
    assert coming in offered
    assert leaving not in offered
    response = client.post(
        f"/program/pass/{session.pk}/",
        {
            "date": str(day),
            "start": "13:00",
            "room": "",
            "place": "Simhallen",
            "staff": [coming.pk, leaving.pk],
        },
    )
    assert response.status_code == 200
    message = f"{leaving.user} har ingen behörighet till enheten {day.isoformat()}."
    assert response.context["form"].errors == {"staff": [message]}
    html = response.content.decode()
    assert f'id="id_staff-error" role="alert">{message}</p>' in html
    assert 'value="Simhallen"' in html
    ticked = re.findall(r'name="staff" value="(\d+)"[^>]* checked>', html)
    assert sorted(ticked) == sorted([str(coming.pk), str(leaving.pk)])  # as sent
    session.refresh_from_db()
    assert (session.start, session.locked) != (time(13), True)


# --- Settings ------------------------------------------------------------------


def test_room_hours_are_saved(client_for, coordinator, unit_a) -> None:
    response = client_for(coordinator).post(
        "/program/lokaler/ny/",
        {
            "name": "Simhallen",
            "kind": "pool",
            "limited_hours": "on",
            "day_1": "10:00-12:00",
            "day_3": "13:00–15:00, 08:00-09:00",
        },
    )
    assert response.status_code == 302
    room = Room.objects.get(name="Simhallen")
    assert room.opening_hours == {
        "1": [["10:00", "12:00"]],
        "3": [["08:00", "09:00"], ["13:00", "15:00"]],
    }


def test_bad_hours_are_explained_next_to_the_field(client_for, coordinator) -> None:
    response = client_for(coordinator).post(
        "/program/lokaler/ny/",
        {"name": "X", "kind": "gym", "limited_hours": "on", "day_0": "16-08"},
    )
    assert response.status_code == 200
    assert (
        "Skriv tider som 08:00-12:00, flera åtskilda med kommatecken."
        in response.content.decode()
    )
    assert not Room.objects.filter(name="X").exists()


def test_part_time_hours_and_absence_are_saved(client_for, coordinator, staff) -> None:
    member = staff["fysio2"]
    client = client_for(coordinator)
    url = f"/program/personal/{member.pk}/tillganglighet/"
    client.post(
        url,
        {
            "form": "hours",
            "takes_part": "on",
            "day_0": "08:00-12:00",
            "day_2": "08:00-16:00",
        },
    )
    assert StaffAvailability.objects.get(membership=member).hours == {
        "0": [["08:00", "12:00"]],
        "2": [["08:00", "16:00"]],
    }
    client.post(
        url,
        {
            "form": "absence",
            "first_day": "2026-03-09",
            "last_day": "2026-03-13",
            "note": "Kurs",
        },
    )
    absence = StaffAbsence.objects.get(membership=member)
    assert (str(absence.first_day), str(absence.last_day), absence.note) == (
        "2026-03-09",
        "2026-03-13",
        "Kurs",
    )


def test_annual_plan_page_previews_and_creates(
    client_for, coordinator, specialist
) -> None:
    client = client_for(coordinator)
    data = {"template": specialist.pk, "year": 2026, "count": 6}
    preview = client.get("/program/arsplan/", data).content.decode()
    assert "2026-03-09" in preview
    assert "2026-11-09" in preview
    assert "fre 3 april (Långfredagen), mån 6 april (Annandag påsk)" in preview
    response = client.post("/program/arsplan/", data, follow=True)
    assert "6 program skapades." in response.content.decode()
    starts = Cohort.objects.values_list("start", flat=True).order_by("start")
    assert starts[1] == date(2026, 3, 9)


def test_template_settings_only_for_administrators(
    client_for, coordinator, physician, specialist
) -> None:
    url = f"/program/mallar/{specialist.pk}/"
    data = {
        "min_participants": 3,
        "max_participants": 8,
        "absence_threshold_percent": 25,
    }
    client_for(physician).post(url, data)
    specialist.refresh_from_db()
    assert (specialist.max_participants, specialist.absence_threshold_percent) == (
        7,
        20,
    )
    client_for(coordinator).post(url, data)
    specialist.refresh_from_db()
    assert (specialist.max_participants, specialist.absence_threshold_percent) == (
        8,
        25,
    )


def test_attendance_page_opens_the_latest_day_so_far_and_locks_the_future(
    client_for, coordinator, cohort, staff
) -> None:
    fill_week(cohort, 2, staff)  # last week's Monday and Tuesday
    future = Session.objects.create(
        unit=cohort.unit,
        cohort=cohort,
        activity_key="later",
        activity_name="Senare",
        date=_last_monday() + timedelta(weeks=3),
        start=time(9),
        end=time(10),
        attendees="all",
    )
    future.participants.set(cohort.participants.all())
    client = client_for(coordinator)
    html = client.get(f"/program/kohort/{cohort.pk}/narvaro/").content.decode()
    tuesday = formats.date_format(_last_monday() + timedelta(days=1), "l j F Y")
    assert f"<h2>{tuesday.capitalize()}</h2>" in html
    url = f"/program/kohort/{cohort.pk}/narvaro/?dag={future.date}"
    html = client.get(url).content.decode()
    assert "Närvaro registreras samma dag som passet eller senare." in html
    assert "Spara närvaro" not in html
    participant = cohort.participants.first()
    client.post(url, {f"s{future.pk}-p{participant.pk}": "present"})
    assert Attendance.objects.count() == 0


def test_the_interpreter_need_shows_on_the_attendance_list_and_the_week(
    client_for, coordinator, cohort, staff
) -> None:
    fill_week(cohort, 2, staff)  # Tuesday's individual session names the second
    patient = list(cohort.participants.order_by("pk"))[1].episode.patient
    patient.needs_interpreter, patient.interpreter_language = True, "somaliska"
    patient.save()
    client = client_for(coordinator)
    attendance = client.get(
        f"/program/kohort/{cohort.pk}/narvaro/?dag={_last_monday()}"
    ).content.decode()
    assert "Tolk: somaliska" in attendance
    week = client.get(
        f"/program/kohort/{cohort.pk}/vecka/?vecka={_last_monday()}"
    ).content.decode()
    assert "tolk: somaliska" in week


def test_the_patient_hotel_button_reads_its_value_with_a_form(
    client_for, physician, specialist, decided, cohort_of
) -> None:
    cohort = cohort_of(specialist, decided(1))
    place = cohort.participants.get()
    url = f"/program/deltagare/{place.pk}/patienthotell/"
    client = client_for(physician)
    client.post(url, {"needs_patient_hotel": "1"})
    place.refresh_from_db()
    assert place.needs_patient_hotel is True
    response = client.post(url, {"needs_patient_hotel": "kanske"}, follow=True)
    assert response.status_code == 200
    assert "Välj om patienten behöver patienthotellet." in response.content.decode()
    place.refresh_from_db()
    assert place.needs_patient_hotel is True  # a bad value changes nothing
    client.post(url, {"needs_patient_hotel": "0"})
    place.refresh_from_db()
    assert place.needs_patient_hotel is False


def test_a_day_or_week_that_is_not_a_date_is_said_so_on_the_page(
    client_for, coordinator, cohort
) -> None:
    client = client_for(coordinator)
    for url in [
        f"/program/kohort/{cohort.pk}/narvaro/?dag=2026-02-30",
        f"/program/kohort/{cohort.pk}/vecka/?vecka=1" + "9" * 40,
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        [warning] = [str(m) for m in response.context["messages"]]
        assert "kunde inte användas: Fyll i ett giltigt datum." in warning
