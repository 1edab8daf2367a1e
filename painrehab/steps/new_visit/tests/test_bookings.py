"""Booking the new visit, absences, and the physician's record of the visit."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import formats, timezone

from painrehab.accounts.models import Membership, User
from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway.models import Booking, Episode, NewVisitRecord
from painrehab.pathway.states import State, TransitionRefused
from painrehab.steps.new_visit.services import (
    book_new_visit,
    record_absence,
    record_new_visit,
)
from painrehab.steps.triage.services import triage_referral


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def physio(unit_a):  # noqa: ANN001, ANN201
    user = User.objects.create_user(
        username="physio_a",
        password="x-password-123",
        first_name="Fia",
        last_name="Fysio",
    )
    return Membership.objects.create(
        user=user, unit=unit_a, profession="physiotherapist"
    )


@pytest.fixture
def screened(episode_a, physician):  # noqa: ANN001, ANN201
    triage_referral(
        by=physician,
        episode=episode_a,
        outcome="screening",
        screening_profession="physiotherapist",
    )
    return Episode.objects.get(pk=episode_a.pk)


def test_booking_with_physician_and_screening_colleague_moves_the_episode(
    screened, coordinator, physician, physio, today, working_day
):
    visit_day = working_day(today + timedelta(days=46))  # the invitation not yet due
    booking = book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(visit_day),
        physician=physician.user,
        second_staff=physio.user,
        mode="video",
    )
    assert Episode.objects.get(pk=screened.pk).state == State.WAITING_NEW_VISIT
    assert (booking.screening_profession, booking.second_staff_id, booking.mode) == (
        "physiotherapist",
        physio.user_id,
        "video",
    )
    assert booking.invitation_due_on == visit_day - timedelta(days=28)


def test_booking_before_the_referral_arrived_is_refused(
    screened, coordinator, physician, physio
):
    with pytest.raises(TransitionRefused, match="innan remissen"):
        book_new_visit(
            by=coordinator,
            episode=screened,
            starts_at=_at(date(2026, 9, 30)),
            physician=physician.user,
            second_staff=physio.user,
        )
    assert Booking.objects.count() == 0


def test_screening_booking_needs_the_screening_profession(
    screened, coordinator, physician
):
    with pytest.raises(TransitionRefused, match="fysioterapeut"):
        book_new_visit(
            by=coordinator,
            episode=screened,
            starts_at=_at(date(2026, 11, 20)),
            physician=physician.user,
            second_staff=coordinator.user,
        )


def test_a_non_physician_cannot_be_booked_as_the_physician(
    screened, coordinator, physio
):
    with pytest.raises(TransitionRefused, match="läkare"):
        book_new_visit(
            by=coordinator,
            episode=screened,
            starts_at=_at(date(2026, 11, 20)),
            physician=physio.user,
            second_staff=physio.user,
        )


def test_two_absences_flag_the_episode_for_discharge(
    screened, coordinator, physician, physio
):
    from painrehab.pathway.selectors import WaitingStep
    from painrehab.pathway.tests.test_waiting_list import waiting_list

    for status in ["no_show", "patient_cancellation"]:
        booking = book_new_visit(
            by=coordinator,
            episode=Episode.objects.get(pk=screened.pk),
            starts_at=_at(date(2026, 11, 20)),
            physician=physician.user,
            second_staff=physio.user,
        )
        record_absence(
            by=coordinator, booking=booking, status=status, on=date(2026, 11, 20)
        )
        rows = waiting_list(
            membership=coordinator, step=WaitingStep.NEW_VISIT, today=date(2026, 11, 21)
        )
        assert rows[0].flagged_for_discharge is (status == "patient_cancellation")
    assert Episode.objects.get(pk=screened.pk).state == State.TRIAGED


def test_unit_cancellations_never_count(screened, coordinator, physician, physio):
    from painrehab.pathway.selectors import WaitingStep
    from painrehab.pathway.tests.test_waiting_list import waiting_list

    for _ in range(3):
        booking = book_new_visit(
            by=coordinator,
            episode=Episode.objects.get(pk=screened.pk),
            starts_at=_at(date(2026, 11, 20)),
            physician=physician.user,
            second_staff=physio.user,
        )
        record_absence(by=coordinator, booking=booking, status="unit_cancellation")
    row = waiting_list(
        membership=coordinator, step=WaitingStep.NEW_VISIT, today=date(2026, 11, 21)
    )[0]
    assert (row.absences, row.flagged_for_discharge) == (0, False)


def test_absence_limit_is_a_unit_setting(
    screened, coordinator, physician, physio, unit_a
):
    from painrehab.pathway.selectors import WaitingStep
    from painrehab.pathway.tests.test_waiting_list import waiting_list

    unit_a.absence_limit = 1
    unit_a.save()
    coordinator.unit.refresh_from_db()
    booking = book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(date(2026, 11, 20)),
        physician=physician.user,
        second_staff=physio.user,
    )
    record_absence(by=coordinator, booking=booking, status="no_show")
    assert (
        waiting_list(
            membership=coordinator, step=WaitingStep.NEW_VISIT, today=date(2026, 11, 21)
        )[0].flagged_for_discharge
        is True
    )


def test_new_visit_to_team_investigation_drafts_the_first_notice(
    screened, coordinator, physician, physio, episode_a
):
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(date(2026, 11, 20)),
        physician=physician.user,
        second_staff=physio.user,
    )
    episode = Episode.objects.get(pk=screened.pk)
    visit, letters, problems = record_new_visit(
        by=physician,
        episode=episode,
        held_on=date(2026, 11, 20),
        summary="Långvarig nacksmärta.",
        outcome="team_investigation",
    )
    assert Episode.objects.get(pk=episode.pk).state == State.TEAM_INVESTIGATION
    assert visit.booking is not None
    assert (
        visit.booking.status == Booking.Status.HELD
        or Booking.objects.get().status == Booking.Status.HELD
    )
    assert problems == []
    assert [letter.kind for letter in letters] == [LetterKind.FIRST_NOTICE]
    assert "Planering: Teamutredning." in letters[0].body


def test_new_visit_discharge_closes_the_episode_as_not_suitable(
    screened, coordinator, physician, physio
):
    book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(date(2026, 11, 20)),
        physician=physician.user,
        second_staff=physio.user,
    )
    record_new_visit(
        by=physician,
        episode=Episode.objects.get(pk=screened.pk),
        held_on=date(2026, 11, 20),
        summary="Ej aktuell.",
        outcome="discharge",
    )
    episode = Episode.objects.get(pk=screened.pk)
    assert (episode.state, episode.discharge_reason) == (
        State.DISCHARGED,
        "not_suitable",
    )
    assert NewVisitRecord.objects.get().outcome == "discharge"


def test_only_a_physician_records_the_new_visit(screened, coordinator):
    with pytest.raises(TransitionRefused):
        record_new_visit(
            by=coordinator,
            episode=screened,
            held_on=date(2026, 11, 20),
            summary="x",
            outcome="other",
            other_action="y",
        )
    assert Letter.objects.filter(kind=LetterKind.FIRST_NOTICE).count() == 0


def test_a_physician_who_works_in_two_units_is_one_choice_and_can_be_booked(
    episode_a, coordinator, physician, unit_b, client_for
):
    # Found walking the demo clinic: the booking form listed such a physician
    # twice and choosing them was a server error (MultipleObjectsReturned).
    Membership.objects.create(user=physician.user, unit=unit_b, profession="physician")
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    client = client_for(coordinator)
    page = client.get(f"/vardforlopp/{episode_a.pk}/boka/")
    choices = list(page.context["form"].fields["physician"].queryset)
    assert choices == [physician.user]
    response = client.post(
        f"/vardforlopp/{episode_a.pk}/boka/",
        {
            "day": "2026-11-20",
            "start": "09:00",
            "minutes": "60",
            "physician": physician.user_id,
            "mode": "on_site",
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get(episode=episode_a).staff == physician.user


def test_the_invitation_after_a_cancelled_visit_names_the_new_time(
    episode_a, coordinator, physician
):
    from painrehab.documents.services import draft_letter

    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    first = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_at(date(2026, 12, 10), hour=9),
        physician=physician.user,
    )
    record_absence(by=coordinator, booking=first, status="unit_cancellation")
    book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_at(date(2026, 11, 26), hour=13),
        physician=physician.user,
    )
    letter = draft_letter(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        kind=LetterKind.INVITATION,
        today=date(2026, 11, 2),
    )
    assert "- Tid: torsdag 26 november 2026 kl. 13:00, cirka 60 minuter" in letter.body
    assert "- Plats: Specialistteamet A, Box 1, 111 11 Stad" in letter.body
    assert "10 december" not in letter.body


def test_a_new_visit_cannot_be_recorded_before_it_has_happened(
    screened, coordinator, physician, physio, travel, today, working_day
):
    # Found walking the pathway: a visit recorded in the future made the first
    # notice say the patient "har varit på nybesök" on a day to come.
    visit_day = working_day(today + timedelta(days=7))
    travel(_at(visit_day, hour=8))  # the morning of the visit
    book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(visit_day),
        physician=physician.user,
        second_staff=physio.user,
    )
    with pytest.raises(TransitionRefused, match="framtiden"):
        record_new_visit(
            by=physician,
            episode=Episode.objects.get(pk=screened.pk),
            held_on=visit_day + timedelta(days=1),
            summary="Bedömning",
            outcome="team_investigation",
        )
    assert not NewVisitRecord.objects.exists()


def test_a_no_show_cannot_be_recorded_before_the_visit_has_begun(
    screened, coordinator, physician, physio, today, working_day
):
    # Found walking the booking page: a visit eight days ahead was marked
    # "Uteblev" with one click and counted as an absence.
    booking = book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(working_day(today + timedelta(days=8))),
        physician=physician.user,
        second_staff=physio.user,
    )
    with pytest.raises(TransitionRefused, match="inte börjat än"):
        record_absence(by=coordinator, booking=booking, status="no_show")
    record_absence(by=coordinator, booking=booking, status="patient_cancellation")
    booking.refresh_from_db()
    assert booking.status == "patient_cancellation"


def test_a_moved_visit_keeps_history_is_invited_again_and_no_letter_names_the_old_time(
    episode_a, coordinator, physician, today, working_day, client_for
):
    from painrehab.core.history import revisions_of
    from painrehab.documents.services import (
        LetterRefused,
        draft_letter,
        finalise_letter,
        record_dispatch,
    )
    from painrehab.steps.new_visit.services import mark_invitation_sent

    first_day = working_day(today + timedelta(days=29))
    moved_day = working_day(first_day + timedelta(days=2))
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_at(first_day, 9),
        physician=physician.user,
    )
    episode = Episode.objects.get(pk=episode_a.pk)
    sent = draft_letter(by=coordinator, episode=episode, kind=LetterKind.INVITATION)
    finalise_letter(by=coordinator, letter=sent)
    mark_invitation_sent(by=coordinator, booking=booking)
    draft = draft_letter(by=coordinator, episode=episode, kind=LetterKind.INVITATION)

    client = client_for(coordinator)
    page = client.post(
        f"/vardforlopp/bokning/{booking.pk}/flytta/",
        {
            "version": 1,
            "day": moved_day.isoformat(),
            "start": "13:00",
            "minutes": "60",
        },
    )
    assert page.status_code == 302
    booking.refresh_from_db()
    assert timezone.localtime(booking.starts_at) == _at(moved_day, 13)
    assert booking.invitation_sent_on is None  # due again, from the new time
    assert booking.invitation_due_on == moved_day - timedelta(days=28)
    assert [r.data["starts_at"][:16] for r in revisions_of(booking)] == [
        f"{moved_day.isoformat()}T13:00"
    ]
    new_time = f"{formats.date_format(moved_day, 'l j F Y').lower()} kl. 13:00"
    draft.refresh_from_db()
    assert new_time in draft.body
    assert formats.date_format(first_day, "l j F Y").lower() not in draft.body
    sent.refresh_from_db()
    assert f"flyttades till {new_time}" in sent.stale_note
    with pytest.raises(LetterRefused, match="flyttades"):
        record_dispatch(by=coordinator, letter=sent, channel="post")

    # Cancelled: the redrafted invitation names a time that is gone.
    record_absence(by=coordinator, booking=booking, status="unit_cancellation")
    draft.refresh_from_db()
    assert draft.stale_note == "Besöket som brevet nämner är avbokat."
    with pytest.raises(LetterRefused, match="avbokat"):
        finalise_letter(by=coordinator, letter=draft)


def test_a_move_onto_the_physicians_other_visit_is_refused_and_the_form_kept(
    episode_a, coordinator, physician, today, working_day, client_for, unit_a
):
    from painrehab.patients.tests.factories import PatientFactory
    from painrehab.steps.referral.services import open_episode

    first_day = working_day(today + timedelta(days=29))
    other_day = working_day(first_day + timedelta(days=1))
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_at(first_day, 9),
        physician=physician.user,
    )
    other = open_episode(
        patient=PatientFactory.create(unit=unit_a),
        by=coordinator,
        source="referral",
        received_on=date(2026, 10, 1),
    )
    triage_referral(by=physician, episode=other, outcome="new_visit")
    book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=other.pk),
        starts_at=_at(other_day, 10),
        physician=physician.user,
    )
    page = client_for(coordinator).post(
        f"/vardforlopp/bokning/{booking.pk}/flytta/",
        {
            "version": 1,
            "day": other_day.isoformat(),
            "start": "10:30",
            "minutes": "45",
        },
    )
    assert page.status_code == 400
    html = page.content.decode()
    taken = formats.date_format(other_day, "j F")
    assert f"har redan nybesök {taken} 10:00–11:00" in html
    assert 'value="10:30"' in html
    booking.refresh_from_db()
    assert timezone.localtime(booking.starts_at) == _at(first_day, 9)


def test_the_interpreter_is_a_record_on_the_visit_and_the_invitation_says_so(
    episode_a, coordinator, physician, today, working_day, client_for
):
    from painrehab.documents.services import draft_letter

    patient = episode_a.patient
    patient.needs_interpreter, patient.interpreter_language = True, "tigrinja"
    patient.save()
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_at(working_day(today + timedelta(days=29)), 9),
        physician=physician.user,
    )
    client = client_for(coordinator)
    page = client.get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    assert "Tolk: tigrinja" in page
    assert "inte bokad" in page
    before = draft_letter(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        kind=LetterKind.INVITATION,
    )
    assert "Tolk på tigrinja bokas till besöket." in before.body
    client.post(f"/vardforlopp/bokning/{booking.pk}/tolk/")
    client.post(f"/vardforlopp/bokning/{booking.pk}/tolk/", {"confirmed": "1"})
    booking.refresh_from_db()
    assert (
        booking.interpreter_language,
        booking.interpreter_booked_by,
        booking.interpreter_confirmed,
    ) == ("tigrinja", coordinator.user, True)
    assert (
        "bokad och bekräftad"
        in client.get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    )
    after = draft_letter(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        kind=LetterKind.INVITATION,
    )
    assert "Tolk på tigrinja är bokad till besöket." in after.body


def test_an_interpreter_cannot_be_booked_for_a_patient_who_needs_none(
    episode_a, coordinator, physician, today, working_day
):
    from painrehab.steps.new_visit.services import book_interpreter

    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_at(working_day(today + timedelta(days=29)), 9),
        physician=physician.user,
    )
    with pytest.raises(TransitionRefused, match="behöver ingen tolk"):
        book_interpreter(by=coordinator, booking=booking)


def test_a_visit_booked_late_is_invited_from_its_booking_day_and_a_sent_letter_counts(
    episode_a, physician, coordinator, travel, today, working_day
):
    from painrehab.documents.models import Letter, LetterKind
    from painrehab.documents.services import (
        draft_letter,
        finalise_letter,
        record_dispatch,
    )

    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    booked_on = travel(working_day(today + timedelta(days=1)))
    visit_day = working_day(booked_on + timedelta(days=9))
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_at(visit_day),
        physician=physician.user,
    )
    # Four weeks before the visit was before the booking existed.
    assert booking.invitation_due_on == booked_on
    letter = Letter.objects.filter(kind=LetterKind.INVITATION).first() or draft_letter(
        by=coordinator, episode=booking.episode, kind=LetterKind.INVITATION
    )
    final = finalise_letter(by=coordinator, letter=letter)
    record_dispatch(by=coordinator, letter=final, channel="post")
    assert Booking.objects.get(pk=booking.pk).invitation_sent_on == booked_on


def test_a_new_visit_whose_notice_cannot_be_drafted_is_not_recorded(
    screened, coordinator, physician, physio, travel, working_day, break_letters
):
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=screened).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    day = working_day(timezone.localdate() + timedelta(days=3))
    book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(day),
        physician=physician.user,
        second_staff=physio.user,
    )
    travel(day)  # 10:00, after the visit
    before = Episode.objects.get(pk=screened.pk)
    state_before = before.state
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        record_new_visit(
            by=physician,
            episode=before,
            held_on=day,
            summary="Ej aktuell.",
            outcome="discharge",
        )
    # Neither the record, the held visit nor the discharge stands without the letter.
    episode = Episode.objects.get(pk=screened.pk)
    assert (episode.state, episode.discharge_reason) == (state_before, "")
    assert not NewVisitRecord.objects.exists()
    assert Booking.objects.get().status == Booking.Status.BOOKED


# --- Staff whose access covers the visit's day --------------------------------


def _access(member: Membership, **days: date) -> None:
    """Give the membership these days (valid_from, valid_until)."""
    Membership.all_periods.filter(pk=member.pk).update(**days)


def _refused_for(member: Membership, day: date) -> str:
    return f"{member.user} har ingen behörighet till enheten {day.isoformat()}."


def test_a_physician_whose_access_ends_before_the_visit_is_refused_by_name_and_day(
    screened, coordinator, physician, physio, today, working_day
):
    visit_day = working_day(today + timedelta(days=46))
    _access(physician, valid_until=visit_day - timedelta(days=1))
    with pytest.raises(TransitionRefused) as refused:
        book_new_visit(
            by=coordinator,
            episode=screened,
            starts_at=_at(visit_day),
            physician=physician.user,
            second_staff=physio.user,
        )
    assert refused.value.message == _refused_for(physician, visit_day)
    assert refused.value.field == "physician"
    assert not Booking.objects.exists()
    assert Episode.objects.get(pk=screened.pk).state == State.TRIAGED


def test_a_screening_colleague_whose_access_begins_after_the_visit_is_refused(
    screened, coordinator, physician, physio, today, working_day
):
    visit_day = working_day(today + timedelta(days=46))
    _access(physio, valid_from=visit_day + timedelta(days=1))
    with pytest.raises(TransitionRefused) as refused:
        book_new_visit(
            by=coordinator,
            episode=screened,
            starts_at=_at(visit_day),
            physician=physician.user,
            second_staff=physio.user,
        )
    assert refused.value.message == _refused_for(physio, visit_day)
    assert refused.value.field == "second_staff"
    assert not Booking.objects.exists()


def test_staff_whose_access_covers_the_visit_day_are_booked_even_if_not_today(
    screened, coordinator, physician, physio, today, working_day
):
    visit_day = working_day(today + timedelta(days=46))
    # Begins after today but by the visit; ends on the visit's day itself.
    _access(physician, valid_from=today + timedelta(days=20))
    _access(physio, valid_until=visit_day)
    booking = book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(visit_day),
        physician=physician.user,
        second_staff=physio.user,
    )
    assert (booking.staff_id, booking.second_staff_id) == (
        physician.user_id,
        physio.user_id,
    )


def test_a_visit_is_not_moved_past_the_last_day_of_its_physicians_access(
    episode_a, coordinator, physician, today, working_day
):
    from painrehab.steps.new_visit.services import move_booking

    first_day = working_day(today + timedelta(days=29))
    later_day = working_day(first_day + timedelta(days=14))
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_at(first_day),
        physician=physician.user,
    )
    _access(physician, valid_until=later_day - timedelta(days=1))
    with pytest.raises(TransitionRefused) as refused:
        move_booking(
            by=coordinator,
            booking=booking,
            starts_at=_at(later_day),
            minutes=60,
            expected_version=1,
        )
    assert refused.value.message == _refused_for(physician, later_day)
    booking.refresh_from_db()
    assert (timezone.localdate(booking.starts_at), booking.version) == (first_day, 1)


def test_the_booking_page_shows_a_refused_physician_beside_the_field_and_keeps_the_form(
    episode_a, coordinator, physician, unit_a, today, working_day, client_for
):
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    coming = Membership.all_periods.create(
        user=User.objects.create_user(
            username="coming", first_name="Klara", last_name="Kommande"
        ),
        unit=unit_a,
        profession="physician",
        valid_from=today + timedelta(days=30),
    )
    visit_day = working_day(today + timedelta(days=20))
    client = client_for(coordinator)
    # The day is typed in the form: a physician who begins later is offered.
    page = client.get(f"/vardforlopp/{episode_a.pk}/boka/")
    assert list(page.context["form"].fields["physician"].queryset) == [
        coming.user,
        physician.user,
    ]
    typed = {
        "day": visit_day.isoformat(),
        "start": "10:15",
        "minutes": "45",
        "physician": coming.user_id,
        "mode": "video",
    }
    response = client.post(f"/vardforlopp/{episode_a.pk}/boka/", typed)
    assert response.status_code == 200
    form = response.context["form"]
    message = _refused_for(coming, visit_day)
    assert form.errors == {"physician": [message]}
    html = response.content.decode()
    assert (
        f'<p class="error" id="id_physician-error" role="alert">{message}</p>' in html
    )
    assert f'value="{visit_day.isoformat()}"' in html
    assert 'value="10:15"' in html
    assert 'value="45"' in html
    assert f'<option value="{coming.user_id}" selected>' in html
    assert '<option value="video" selected>' in html
    assert not Booking.objects.exists()


def test_the_first_notice_carries_the_assessment_and_the_screening_findings(
    screened, coordinator, physician, physio, episode_a, today, working_day
):
    # Found walking the demo: the first notice said only "Planering:
    # Teamutredning." though the physician had written an assessment.
    from painrehab.pathway.models import Referral
    from painrehab.steps.investigation.services import save_investigation_record

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    visit_day = working_day(today - timedelta(days=14))
    book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(visit_day),
        physician=physician.user,
        second_staff=physio.user,
    )
    save_investigation_record(
        by=physio,
        episode=screened,
        values={
            "pain_intensity": "NPRS 7",
            "examination": "Nedsatt rörlighet\nländrygg.",
            "training": "",
        },
        expected_version=None,
    )
    _visit, letters, _problems = record_new_visit(
        by=physician,
        episode=Episode.objects.get(pk=screened.pk),
        held_on=visit_day,
        summary="Långvarig lumbago utan rödflagga. Sömnstörning.",
        outcome="team_investigation",
    )
    assert letters[0].body.split("\n\n")[1:4] == [
        "Läkarens bedömning: Långvarig lumbago utan rödflagga. Sömnstörning.",
        "Bedömning av fysioterapeut vid nybesöket:\n"
        "- Smärtintensitet (NPRS): NPRS 7\n"
        "- Ortopedmedicinsk undersökning: Nedsatt rörlighet ländrygg.",
        "Planering: Teamutredning.",
    ]


def test_the_first_notice_without_screening_findings_leaves_them_out(
    screened, coordinator, physician, physio, episode_a, today, working_day
):
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    visit_day = working_day(today - timedelta(days=14))
    book_new_visit(
        by=coordinator,
        episode=screened,
        starts_at=_at(visit_day),
        physician=physician.user,
        second_staff=physio.user,
    )
    _visit, letters, _problems = record_new_visit(
        by=physician,
        episode=Episode.objects.get(pk=screened.pk),
        held_on=visit_day,
        summary="Långvarig nacksmärta.",
        outcome="return_visit",
    )
    assert letters[0].body.split("\n\n")[1:3] == [
        "Läkarens bedömning: Långvarig nacksmärta.",
        "Planering: Återbesök.",
    ]
