"""KRT's group follow-ups as sessions of the cohort (seed 2, issue 15 point 7)."""

from datetime import date, time

import pytest
from django.urls import reverse

from painrehab.accounts.models import CareUnit
from painrehab.audit.models import AuditEvent
from painrehab.pathway.models import FollowUpRecord
from painrehab.programmes.models import Session, SessionStaff
from painrehab.programmes.selectors import absence_rates, group_follow_ups
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.appointments import book_appointment
from painrehab.programmes.services.attendance import record_attendance
from painrehab.programmes.services.follow_ups import (
    FollowUpNeedsConfirmation,
    book_group_follow_up,
)
from painrehab.programmes.tests.factories import aware, member

# The cohort starts Monday 2 March 2026; the last theory session is Thursday
# 19 March, so the training month ends Sunday 19 April 2026: the 1-month group
# follow-up is due then, the 2-month on Tuesday 19 May, the 3-month on Friday
# 19 June (Midsummer Eve).
LAST_THEORY = date(2026, 3, 19)
TUESDAY = date(2026, 5, 19)


def _session(cohort, key, day, start=time(10, 0), end=time(12, 0), room=None):  # noqa: ANN001, ANN202
    session = Session.objects.create(
        unit_id=cohort.unit_id, cohort=cohort, activity_key=key, activity_name=key,
        date=day, start=start, end=end, room=room,
        attendees=Session.Attendees.ALL,
    )  # fmt: skip
    session.participants.set(cohort.participants.all())
    return session


@pytest.fixture
def krt_cohort(unit_a, krt, decided, cohort_of, rooms):  # noqa: ANN001, ANN201
    unit_a.kind = CareUnit.Kind.PRIMARY_CARE
    unit_a.save(update_fields=["kind"])
    cohort = cohort_of(krt, decided(3))
    _session(cohort, "krt_theory", date(2026, 3, 4), room=rooms["group_room"])
    _session(cohort, "krt_theory_physician", LAST_THEORY, room=rooms["group_room"])
    _session(cohort, "krt_training-1", date(2026, 4, 2), room=rooms["gym"])
    return cohort


@pytest.fixture
def physio(unit_a):  # noqa: ANN001, ANN201
    return member(unit_a, "sjukgymnast", "physiotherapist")


def _book(coordinator, cohort, physio, rooms, **kwargs):  # noqa: ANN001, ANN003, ANN202
    values = {
        "item_key": "krt_group_2_months", "day": TUESDAY, "start": time(10, 0),
        "minutes": 120, "room": rooms["group_room"], "staff": [physio],
    } | kwargs  # fmt: skip
    return book_group_follow_up(by=coordinator, cohort=cohort, **values)


def test_group_follow_ups_are_proposed_from_the_end_of_the_training_month(
    krt_cohort,
):
    proposals = group_follow_ups(krt_cohort)
    assert [(p.key, p.window.due_on, p.session) for p in proposals] == [
        ("krt_group_1_month", date(2026, 4, 19), None),
        ("krt_group_2_months", date(2026, 5, 19), None),
        ("krt_group_3_months", date(2026, 6, 19), None),
    ]


def test_a_specialist_cohort_has_no_group_follow_ups(specialist, cohort_of, decided):
    assert group_follow_ups(cohort_of(specialist, decided(1))) == []


def test_booking_books_the_whole_group_locked_and_audited(
    krt_cohort, coordinator, physio, rooms
):
    session = _book(coordinator, krt_cohort, physio, rooms)
    assert (session.follow_up_key, session.date, session.end, session.locked) == (
        "krt_group_2_months", TUESDAY, time(12, 0), True,
    )  # fmt: skip
    assert session.activity_name == "Gruppuppföljning, 2 månader"
    assert session.participants.count() == 3
    assert SessionStaff.objects.get(session=session).user_id == physio.user_id
    event = AuditEvent.objects.get(what="group follow-up booked: krt_group_2_months")
    assert event.patients.count() == 3
    booked = {p.key: p.session for p in group_follow_ups(krt_cohort)}
    assert booked["krt_group_2_months"] == session
    with pytest.raises(ProgrammeRefused, match="redan bokad"):
        _book(coordinator, krt_cohort, physio, rooms, start=time(13, 0))


def test_a_weekend_asks_for_confirmation_and_confirmed_books(
    krt_cohort, coordinator, physio, rooms
):
    sunday = date(2026, 4, 19)
    with pytest.raises(FollowUpNeedsConfirmation, match="helg"):
        _book(coordinator, krt_cohort, physio, rooms, item_key="krt_group_1_month", day=sunday)  # fmt: skip
    assert not Session.objects.filter(follow_up_key="krt_group_1_month").exists()
    session = _book(coordinator, krt_cohort, physio, rooms, item_key="krt_group_1_month", day=sunday, confirmed=True)  # fmt: skip
    assert session.date == sunday


def test_midsummer_eve_asks_for_confirmation(krt_cohort, coordinator, physio, rooms):
    with pytest.raises(FollowUpNeedsConfirmation, match="helgdag"):
        _book(coordinator, krt_cohort, physio, rooms, item_key="krt_group_3_months", day=date(2026, 6, 19))  # fmt: skip


def test_a_participant_already_booked_is_a_clash(
    krt_cohort, coordinator, physio, rooms, unit_a
):
    episode = krt_cohort.participants.first().episode
    other = member(unit_a, "psykolog2", "psychologist")
    book_appointment(by=coordinator, episode=episode, staff=other,
                     starts_at=aware(TUESDAY, 11), minutes=60, mode="on_site")  # fmt: skip
    with pytest.raises(ProgrammeRefused, match="Patienten har redan"):
        _book(coordinator, krt_cohort, physio, rooms)
    assert not Session.objects.exclude(follow_up_key="").exists()


def test_a_staff_member_or_room_already_booked_is_a_clash(
    krt_cohort, coordinator, physio, rooms, krt, cohort_of, decided
):
    other = cohort_of(krt, decided(1), start=date(2026, 5, 4))
    busy = _session(other, "krt_theory", TUESDAY, time(11, 0), time(13, 0))
    SessionStaff.objects.create(session=busy, user=physio.user, profession="physiotherapist", minutes=120)  # fmt: skip
    with pytest.raises(ProgrammeRefused, match="redan"):
        _book(coordinator, krt_cohort, physio, rooms, room=None)
    busy.staff.all().delete()
    busy.room = rooms["group_room"]
    busy.save()
    with pytest.raises(ProgrammeRefused, match="Lokalen är redan bokad"):
        _book(coordinator, krt_cohort, physio, rooms)


def test_attendance_at_the_group_follow_up_records_it_for_each_patient(
    krt_cohort, coordinator, physio, rooms, today
):
    session = _book(coordinator, krt_cohort, physio, rooms)
    first, second, third = krt_cohort.participants.order_by("pk")
    assert TUESDAY <= today  # held: its attendance can be recorded
    record_attendance(by=coordinator, session=session, statuses={
        first.pk: "present", second.pk: "absent", third.pk: "present"})  # fmt: skip
    done = FollowUpRecord.objects.get(episode=first.episode)
    assert (done.item_key, done.outcome, done.mode, done.held_on) == (
        "krt_group_2_months", "done", "group", TUESDAY,
    )  # fmt: skip
    assert not FollowUpRecord.objects.filter(episode=second.episode).exists()
    # Follow-ups are not programme sessions: the absence rate leaves them out.
    assert absence_rates([second.pk]) == {}
    record_attendance(by=coordinator, session=session, statuses={first.pk: "absent"})
    assert not FollowUpRecord.objects.filter(episode=first.episode).exists()
    assert FollowUpRecord.objects.filter(episode=third.episode).count() == 1


def test_rescheduling_the_cohort_keeps_the_group_follow_up(
    krt_cohort, coordinator, physio, rooms
):
    from painrehab.programmes.services.scheduling import scheduling_problem

    session = _book(coordinator, krt_cohort, physio, rooms)
    participants = list(krt_cohort.participants.all())
    prepared = scheduling_problem(cohort=krt_cohort, participants=participants)
    assert prepared.problem.locked == ()  # not a lock of a template activity
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_booking_page_proposes_the_day_and_books(
    krt_cohort, coordinator, physio, rooms, client_for
):
    client = client_for(coordinator)
    url = reverse("programmes:group_follow_up", args=[krt_cohort.pk, "krt_group_2_months"])  # fmt: skip
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="2026-05-19"' in page.content.decode()
    cohort_page = client.get(krt_cohort.get_absolute_url()).content.decode()
    assert "Gruppuppföljningar" in cohort_page
    answer = client.post(url, {
        "day": "2026-05-19", "start": "10:00", "minutes": "90",
        "room": rooms["group_room"].pk, "staff": [physio.pk],
    })  # fmt: skip
    assert answer.status_code == 302
    assert Session.objects.get(follow_up_key="krt_group_2_months").end == time(11, 30)
    assert client.get(url).status_code == 302  # booked: the page leads to the session


def test_other_unit_gets_404(krt_cohort, other_physician, client_for):
    client = client_for(other_physician)
    url = reverse("programmes:group_follow_up", args=[krt_cohort.pk, "krt_group_1_month"])  # fmt: skip
    assert client.get(url).status_code == 404
    assert client.post(url, {"day": "2026-05-19"}).status_code == 404
    assert not Session.objects.exclude(follow_up_key="").exists()


def test_an_unknown_follow_up_gets_404(krt_cohort, coordinator, client_for):
    url = reverse("programmes:group_follow_up", args=[krt_cohort.pk, "on_site_3_4_months"])  # fmt: skip
    assert client_for(coordinator).get(url).status_code == 404


def test_the_booking_page_offers_staff_with_access_on_the_proposed_day(
    unit_a, krt, decided, cohort_of, rooms, coordinator, client_for, today
):
    from datetime import timedelta

    from painrehab.accounts.models import Membership
    from painrehab.core.dates import week_monday

    unit_a.kind = CareUnit.Kind.PRIMARY_CARE
    unit_a.save(update_fields=["kind"])
    start = week_monday(today) + timedelta(weeks=2)
    cohort = cohort_of(krt, decided(3), start=start)
    _session(cohort, "krt_theory", start + timedelta(days=2))
    _session(cohort, "krt_theory_physician", start + timedelta(days=17))
    key = "krt_group_2_months"
    due = next(p for p in group_follow_ups(cohort) if p.key == key).window.due_on
    assert due > today + timedelta(days=30)
    leaving = member(unit_a, "slutar", "physiotherapist", "Stina", "Slut")
    Membership.all_periods.filter(pk=leaving.pk).update(
        valid_until=due - timedelta(days=1)
    )
    coming = member(unit_a, "borjar", "physiotherapist", "Bo", "Början")
    Membership.all_periods.filter(pk=coming.pk).update(
        valid_from=due - timedelta(days=1)
    )
    client = client_for(coordinator)
    url = reverse("programmes:group_follow_up", args=[cohort.pk, key])
    offered = set(client.get(url).context["form"].fields["staff"].queryset)
    assert coming.pk in {m.pk for m in offered}
    assert leaving.pk not in {m.pk for m in offered}
    answer = client.post(url, {
        "day": due.isoformat(), "start": "13:10", "minutes": "75",
        "room": rooms["group_room"].pk, "staff": [leaving.pk],
    })  # fmt: skip
    assert answer.status_code == 400
    message = f"Stina Slut har ingen behörighet till enheten {due.isoformat()}."
    assert answer.context["form"].errors == {"staff": [message]}
    html = answer.content.decode()
    assert f'id="id_staff-error" role="alert">{message}</p>' in html
    assert 'value="13:10"' in html
    assert 'value="75"' in html
    assert not Session.objects.filter(follow_up_key=key).exists()
