"""The sweep with the clock moved day by day: exactly the notices that are
due go out, none after an answer, and a moved visit moves its reminder. The
sweep sends the forms before the visit itself, 28 days before, once."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from painrehab.documents.services import record_dispatch
from painrehab.outbox import services
from painrehab.outbox.models import ContactPreference, Message
from painrehab.outbox.sweep import BEFORE, send_due_packages, sweep, visit_notices
from painrehab.pathway.models import Booking, Episode
from painrehab.questionnaires import services as questionnaires
from painrehab.questionnaires.models import QuestionnaireRequest, TimePoint
from painrehab.questionnaires.sample_wording import install_sample_wordings
from painrehab.questionnaires.tests.conftest import full_answers
from painrehab.steps.new_visit.services import (
    book_new_visit,
    move_booking,
    record_absence,
)
from painrehab.steps.triage.services import triage_referral


def test_visit_notices_four_and_two_weeks_before():
    visit = date(2027, 5, 3)
    assert visit_notices(visit_on=visit, booked_on=date(2027, 3, 1)) == [
        ("questionnaire_invitation", date(2027, 4, 5)),
        ("questionnaire_reminder", date(2027, 4, 19)),
    ]
    # Booked three weeks ahead: the invitation at once, the reminder on its day.
    assert visit_notices(visit_on=visit, booked_on=date(2027, 4, 12)) == [
        ("questionnaire_invitation", date(2027, 4, 12)),
        ("questionnaire_reminder", date(2027, 4, 19)),
    ]
    # Booked ten days ahead: only the invitation.
    assert visit_notices(visit_on=visit, booked_on=date(2027, 4, 23)) == [
        ("questionnaire_invitation", date(2027, 4, 23)),
    ]


def _stockholm(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def booked(episode_a, patient_a, physician, coordinator, travel, working_day):  # noqa: ANN001, ANN201
    """A new visit booked two months ahead for a patient who takes SMS."""
    start = travel(timezone.localdate() + timedelta(days=1))  # after the fixtures
    patient_a.phone = "+46701740605"
    patient_a.save(update_fields=["phone"])
    ContactPreference.objects.create(
        patient=patient_a, sms_consent=True, recorded_by=coordinator.user
    )
    install_sample_wordings(unit=coordinator.unit, user=coordinator.user)
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    visit_on = working_day(start + timedelta(days=60))
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_stockholm(visit_on),
        physician=physician.user,
    )
    _post_invitation(coordinator, booking)
    return booking, start


def _post_invitation(coordinator, booking):  # noqa: ANN001, ANN202
    """The invitation letter, final and posted today: its notices may go."""
    from painrehab.documents.models import LetterKind
    from painrehab.documents.services import (
        draft_letter,
        finalise_letter,
        record_dispatch,
    )

    letter = draft_letter(
        by=coordinator, episode=booking.episode, kind=LetterKind.INVITATION
    )
    letter = finalise_letter(by=coordinator, letter=letter)
    return record_dispatch(by=coordinator, letter=letter, channel="post")


def _send_forms(coordinator, episode_id: int):  # noqa: ANN001, ANN202
    """The coordinator sends the forms with the invitation letter."""
    return questionnaires.send_package(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_id),
        time_point=TimePoint.REGISTRY_BEFORE,
    )


def _walk(travel, start: date, days: int, on_day=None) -> dict[date, list[str]]:  # noqa: ANN001
    """Each morning: the sweep, then a send round; what went out that day."""
    went: dict[date, list[str]] = {}
    for n in range(days):
        day = travel(start + timedelta(days=n))
        if on_day:
            on_day(day)
        sweep()
        services.send_due()
        sent = list(
            Message.objects.filter(state="sent", sent_at__date=day).values_list(
                "kind", flat=True
            )
        )
        if sent:
            went[day] = sent
    return went


def _patient_episode(coordinator, physician, born: date, *, received_on: date):  # noqa: ANN001, ANN202
    """Another patient of the unit, triaged to a new visit, taking no SMS."""
    from painrehab.core.personnummer import tax_agency_test_number
    from painrehab.patients.models import Patient
    from painrehab.steps.referral.services import open_episode

    patient = Patient.objects.create(
        unit=coordinator.unit,
        personnummer=tax_agency_test_number(born=born, female=False),
        birth_date=born,
        first_name="Bo",
        last_name=f"Bengtsson {born.year}",
        street_address="Lillgatan 2",
        postal_code="222 33",
        city="Stad",
    )
    episode = open_episode(
        patient=patient, by=coordinator, source="referral", received_on=received_on
    )
    triage_referral(by=physician, episode=episode, outcome="new_visit")
    return Episode.objects.get(pk=episode.pk)


def _requests_before() -> list[tuple[int, date, int | None]]:
    return list(
        QuestionnaireRequest.objects.filter(time_point__in=BEFORE)
        .order_by("episode_id", "pk")
        .values_list("episode_id", "sent_on", "sent_by_id")
    )


def test_three_months_of_sweeps_send_exactly_what_is_due(
    booked, travel, coordinator, physician, working_day, sms_provider
):
    booking, start = booked
    visit_on = timezone.localdate(booking.starts_at)
    received = booking.episode.referral.received_on
    # Booked late (ten days ahead, a month in): the forms go at once.
    late = _patient_episode(
        coordinator, physician, date(1977, 4, 4), received_on=received
    )
    late_on = working_day(start + timedelta(days=40))
    # Booked, then cancelled before its forms were due: none go.
    cancelled = _patient_episode(
        coordinator, physician, date(1968, 8, 8), received_on=received
    )
    cancelled_at = _stockholm(working_day(start + timedelta(days=50)))
    cancelled_booking = book_new_visit(
        by=coordinator, episode=cancelled, starts_at=cancelled_at,
        physician=physician.user,
    )  # fmt: skip

    def book_and_cancel(day: date) -> None:
        if day == late_on - timedelta(10):
            book_new_visit(
                by=coordinator, episode=Episode.objects.get(pk=late.pk),
                starts_at=_stockholm(late_on), physician=physician.user,
            )  # fmt: skip
        if day == start + timedelta(5):
            record_absence(
                by=coordinator,
                booking=Booking.objects.get(pk=cancelled_booking.pk),
                status=Booking.Status.PATIENT_CANCELLATION,
            )

    went = _walk(travel, start, 92, on_day=book_and_cancel)
    assert went == {
        visit_on - timedelta(28): ["questionnaire_invitation"],
        visit_on - timedelta(14): ["questionnaire_reminder"],
    }
    assert len(sms_provider.received) == 2
    assert "formulär" in sms_provider.received[0]["message"]
    assert "smärt" not in sms_provider.received[0]["message"].lower()
    # The forms went exactly to the due ones, once each, on their day, by the
    # unit (no person sent them).
    assert _requests_before() == [
        (booking.episode_id, visit_on - timedelta(28), None),
        (late.pk, late_on - timedelta(10), None),
    ]


def test_no_reminder_after_the_answer(booked, travel, coordinator, sms_provider):
    booking, start = booked
    visit_on = timezone.localdate(booking.starts_at)
    sent = []

    def answer(day: date) -> None:
        if day == visit_on - timedelta(28):
            sent.append(_send_forms(coordinator, booking.episode_id))
        if day == visit_on - timedelta(20):
            request = questionnaires.find_by_token(sent[0].token)
            assert request is not None
            for code in request.codes:
                questionnaires.save_answers(
                    questionnaire_request=request, code=code, answers=full_answers(code)
                )
            request.refresh_from_db()
            questionnaires.submit_request(
                questionnaire_request=request, expected_version=request.version
            )

    went = _walk(travel, start, 92, on_day=answer)
    assert went == {visit_on - timedelta(28): ["questionnaire_invitation"]}
    assert len(sms_provider.received) == 1


def test_a_moved_visit_moves_its_reminder(
    booked, travel, coordinator, working_day, sms_provider
):
    booking, start = booked
    visit_on = timezone.localdate(booking.starts_at)
    new_visit_on = working_day(visit_on + timedelta(days=21))

    def move(day: date) -> None:
        if day == visit_on - timedelta(28):
            _send_forms(coordinator, booking.episode_id)
        if day == visit_on - timedelta(20):
            current = Booking.objects.get(pk=booking.pk)
            move_booking(
                by=coordinator,
                booking=current,
                starts_at=_stockholm(new_visit_on),
                minutes=current.minutes,
                expected_version=current.version,
            )

    went = _walk(travel, start, 100, on_day=move)
    reminders = [
        day for day, kinds in went.items() if "questionnaire_reminder" in kinds
    ]
    assert reminders == [new_visit_on - timedelta(14)]
    assert visit_on - timedelta(14) not in went
    # Nothing was sent twice: the one request stayed valid, its last day
    # following the visit (two weeks after it, as when sent 28 days before).
    [request] = QuestionnaireRequest.objects.filter(episode=booking.episode_id)
    assert request.sent_on == visit_on - timedelta(28)
    assert request.expires_on == new_visit_on + timedelta(14)
    assert request.status == "expired"  # after the walk, past its last day
    from painrehab.audit.models import AuditEvent

    [followed] = AuditEvent.objects.filter(
        what="questionnaire link follows the moved visit"
    )
    assert list(followed.patients.values_list("patient_id", flat=True)) == [
        booking.episode.patient_id
    ]


@pytest.fixture
def booked_40(episode_a, patient_a, physician, coordinator, travel, working_day):  # noqa: ANN001, ANN201
    """A new visit booked 40 days ahead (or the working day after) for a
    patient who takes SMS, and its invitation letter, final, for the post."""
    from painrehab.documents.models import LetterKind
    from painrehab.documents.services import draft_letter, finalise_letter

    start = travel(timezone.localdate() + timedelta(days=1))
    patient_a.phone = "070-1740605"
    patient_a.save(update_fields=["phone"])
    ContactPreference.objects.create(
        patient=patient_a, sms_consent=True, recorded_by=coordinator.user
    )
    install_sample_wordings(unit=coordinator.unit, user=coordinator.user)
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    visit_on = working_day(start + timedelta(days=40))
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=_stockholm(visit_on),
        physician=physician.user,
    )
    letter = draft_letter(
        by=coordinator, episode=booking.episode, kind=LetterKind.INVITATION
    )
    return booking, visit_on, finalise_letter(by=coordinator, letter=letter)


def test_the_sweep_sends_the_forms_28_days_before_the_visit_once(
    booked_40, travel, coordinator
):
    from painrehab.audit.models import AuditEvent

    booking, visit_on, _letter = booked_40
    travel(visit_on - timedelta(29))
    sweep()
    assert _requests_before() == []
    travel(visit_on - timedelta(28))
    sweep()
    sweep()  # a second run the same day sends nothing more
    assert _requests_before() == [(booking.episode_id, visit_on - timedelta(28), None)]
    [request] = QuestionnaireRequest.objects.all()
    assert request.time_point == TimePoint.REGISTRY_BEFORE  # the specialist unit's
    assert request.status == "open"
    sent = AuditEvent.objects.get(what="questionnaires sent registry_before")
    assert (sent.actor_id, sent.actor_label) == (None, "outbox")
    # The notice of the letter is queued the same day, once.
    assert Message.objects.filter(kind="questionnaire_invitation").count() == 1


def test_the_days_print_batch_holds_the_invitation_and_the_sheet(
    booked_40, travel, coordinator, client_for
):
    import io

    from pypdf import PdfReader

    booking, visit_on, letter = booked_40
    travel(visit_on - timedelta(28))
    sweep()
    client = client_for(coordinator)
    pdf = client.post("/utskick/utskrift/", {"make": "1"}).content
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    letter_pages = len(PdfReader(io.BytesIO(bytes(letter.pdf))).pages)
    assert len(pages) == letter_pages + 1  # the invitation, then the sheet
    assert "Kallelse till nybesök" in pages[0]
    name = booking.episode.patient.full_name
    assert name in pages[0]
    assert "Svara på formulären" in pages[-1]
    assert name in pages[-1]


def test_no_reminder_to_a_patient_who_answered_the_forms_the_sweep_sent(
    booked_40, travel, sms_provider
):
    _booking, visit_on, letter = booked_40
    travel(visit_on - timedelta(29))
    record_dispatch(by=letter_writer(letter), letter=letter, channel="post")
    travel(visit_on - timedelta(28))
    sweep()
    services.send_due()
    [request] = QuestionnaireRequest.objects.all()
    travel(visit_on - timedelta(20))
    for code in request.codes:
        questionnaires.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )
    request.refresh_from_db()
    questionnaires.submit_request(
        questionnaire_request=request, expected_version=request.version
    )
    travel(visit_on - timedelta(14))
    sweep()
    services.send_due()
    assert Message.objects.filter(kind="questionnaire_reminder").count() == 0
    assert QuestionnaireRequest.objects.count() == 1
    assert [m["message"] for m in sms_provider.received][0].startswith("Du har fått")


def test_no_forms_when_discharged_cancelled_or_moved_beyond_28_days(
    booked_40, travel, coordinator, physician, working_day
):
    from painrehab.steps.discharge.services import discharge_episode

    booking, visit_on, _letter = booked_40
    received = booking.episode.referral.received_on
    cancelled = _patient_episode(
        coordinator, physician, date(1971, 1, 1), received_on=received
    )
    discharged = _patient_episode(
        coordinator, physician, date(1972, 2, 2), received_on=received
    )
    for hour, episode in [(13, cancelled), (15, discharged)]:
        book_new_visit(
            by=coordinator, episode=episode, starts_at=_stockholm(visit_on, hour),
            physician=physician.user,
        )  # fmt: skip
    travel(visit_on - timedelta(29))
    later = working_day(visit_on + timedelta(days=10))
    current = Booking.objects.get(pk=booking.pk)
    move_booking(
        by=coordinator, booking=current, starts_at=_stockholm(later),
        minutes=current.minutes, expected_version=current.version,
    )  # fmt: skip
    record_absence(
        by=coordinator,
        booking=Booking.objects.get(episode=cancelled),
        status=Booking.Status.UNIT_CANCELLATION,
    )
    discharge_episode(
        by=physician, episode=Episode.objects.get(pk=discharged.pk),
        reason="not_suitable", taken_over_by="Vårdcentralen",
        recommendation="Fortsatt kontakt med vårdcentralen.",
    )  # fmt: skip
    travel(visit_on - timedelta(28))
    sweep()
    assert _requests_before() == []
    travel(later - timedelta(28))
    sweep()
    assert _requests_before() == [(booking.episode_id, later - timedelta(28), None)]


def letter_writer(letter):  # noqa: ANN001, ANN201
    from painrehab.accounts.models import Membership

    return Membership.objects.get(user=letter.finalised_by, unit=letter.unit)


def test_the_invitation_notice_waits_for_its_letter_to_be_posted(
    booked_40, travel, sms_provider
):
    """No text about a letter that is a draft or not posted: the notice
    stays queued, is decided again each morning, and goes the morning after
    the letter was posted."""
    _booking, visit_on, letter = booked_40
    travel(visit_on - timedelta(28))
    sweep()
    [notice] = Message.objects.filter(kind="questionnaire_invitation")
    assert services.send_due() == {"queued": 1}
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("queued", 0)
    assert timezone.localtime(notice.send_after) == _stockholm(
        visit_on - timedelta(27), 9
    )
    travel(_stockholm(visit_on - timedelta(27), 9))
    assert services.send_due() == {"queued": 1}  # still not posted
    travel(_stockholm(visit_on - timedelta(27), 14))
    record_dispatch(by=letter_writer(letter), letter=letter, channel="post")
    travel(_stockholm(visit_on - timedelta(27), 16))
    assert services.send_due() == {}  # not the same day
    assert sms_provider.received == []
    travel(_stockholm(visit_on - timedelta(26), 9))
    assert services.send_due() == {"sent": 1}
    assert len(sms_provider.received) == 1


def test_a_reminder_goes_only_14_days_after_its_notice(booked_40, travel, sms_provider):
    """A first sweep after both days would queue the notice and its reminder
    for the same morning: the reminder waits 14 days after the notice went."""
    _booking, visit_on, letter = booked_40
    travel(visit_on - timedelta(29))
    record_dispatch(by=letter_writer(letter), letter=letter, channel="post")
    send_due_packages(visit_on - timedelta(28))  # the forms went; no sweep ran
    travel(visit_on - timedelta(12))
    kinds = sorted(m.kind for m in sweep())
    assert kinds == ["questionnaire_invitation"]
    services.send_due()
    for days in (11, 10, 1):
        travel(visit_on - timedelta(days))
        assert [m.kind for m in sweep()] == []  # 14 days after it: past the visit


def test_the_reminder_is_due_after_the_notice_was_sent_14_days_ago(
    booked_40, travel, sms_provider
):
    _booking, visit_on, letter = booked_40
    travel(visit_on - timedelta(29))
    record_dispatch(by=letter_writer(letter), letter=letter, channel="post")
    travel(visit_on - timedelta(28))
    sweep()
    travel(visit_on - timedelta(27))  # the notice went a day late
    assert services.send_due() == {"sent": 1}
    travel(visit_on - timedelta(14))
    assert [m.kind for m in sweep()] == []  # 13 days after the notice
    travel(visit_on - timedelta(13))
    assert [m.kind for m in sweep()] == ["questionnaire_reminder"]


def test_the_printed_code_before_a_visit_works_until_after_the_visit(
    booked, coordinator, client_for
):
    """Forms sent two months before the visit: the sheet's fresh code made
    at printing would last 42 days, so it follows the visit as the sweep
    keeps it (until 14 days after the visit)."""
    import io

    from pypdf import PdfReader

    from painrehab.documents.models import LetterKind
    from painrehab.documents.services import draft_letter, finalise_letter

    booking, start = booked
    visit_on = timezone.localdate(booking.starts_at)
    assert visit_on > start + timedelta(42)
    _send_forms(coordinator, booking.episode_id)
    letter = draft_letter(
        by=coordinator, episode=booking.episode, kind=LetterKind.INVITATION
    )
    finalise_letter(by=coordinator, letter=letter)
    pdf = client_for(coordinator).post("/utskick/utskrift/", {"make": "1"}).content
    [request] = QuestionnaireRequest.objects.filter(status="open")
    assert request.expires_on == visit_on + timedelta(14)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert str(visit_on + timedelta(14)) in " ".join(text.split())
