"""The sweep with the clock moved day by day: exactly the notices that are
due go out, none after an answer, and a moved visit moves its reminder."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from painrehab.outbox import services
from painrehab.outbox.models import ContactPreference, Message
from painrehab.outbox.sweep import sweep, visit_notices
from painrehab.pathway.models import Booking, Episode
from painrehab.questionnaires import services as questionnaires
from painrehab.questionnaires.models import TimePoint
from painrehab.questionnaires.sample_wording import install_sample_wordings
from painrehab.questionnaires.tests.conftest import full_answers
from painrehab.steps.new_visit.services import book_new_visit, move_booking
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
    start = travel(date(2027, 3, 1))
    patient_a.phone = "+46701234567"
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
    return booking, start


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


def test_three_months_of_sweeps_send_exactly_what_is_due(
    booked, travel, coordinator, sms_provider
):
    booking, start = booked
    visit_on = timezone.localdate(booking.starts_at)

    def invite(day: date) -> None:
        if day == visit_on - timedelta(28):
            _send_forms(coordinator, booking.episode_id)

    went = _walk(travel, start, 92, on_day=invite)
    assert went == {
        visit_on - timedelta(28): ["questionnaire_invitation"],
        visit_on - timedelta(14): ["questionnaire_reminder"],
    }
    assert len(sms_provider.received) == 2
    assert "formulär" in sms_provider.received[0]["message"]
    assert "smärt" not in sms_provider.received[0]["message"].lower()


def test_no_reminder_after_the_answer(booked, travel, coordinator, sms_provider):
    booking, start = booked
    visit_on = timezone.localdate(booking.starts_at)
    sent = []

    def answer(day: date) -> None:
        if day == visit_on - timedelta(28):
            sent.append(_send_forms(coordinator, booking.episode_id))
        if day == visit_on - timedelta(20):
            request = questionnaires.find_by_token(sent[0].token)
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
