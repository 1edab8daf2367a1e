"""The warning before a discharge for absence (seed 1 §12), queued by the
sweep: a letter by post in the print batch and a notice to a patient who
consents; nothing once the patient came since, was discharged or warned."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from painrehab.audit.models import AuditEvent
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import draft_letter, finalise_letter
from painrehab.outbox import services
from painrehab.outbox.models import ContactPreference, Message
from painrehab.outbox.sweep import sweep
from painrehab.pathway.models import Episode
from painrehab.programmes.services.attendance import record_attendance
from painrehab.programmes.tests.conftest import (  # noqa: F401 - fixtures
    cohort_of,
    decided,
    specialist,
)
from painrehab.programmes.tests.factories import aware
from painrehab.programmes.tests.test_attendance import group_sessions
from painrehab.steps.discharge.services import discharge_episode


@pytest.fixture
def programme(decided, cohort_of, specialist, coordinator, travel):  # noqa: ANN001, ANN201, F811
    """Two participants of a programme starting next week; five sessions.
    The first takes SMS."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday() + 7)
    cohort = cohort_of(specialist, decided(2), start=monday)
    first, second = cohort.participants.order_by("pk")
    patient = first.episode.patient
    patient.phone = "+46701740605"
    patient.save(update_fields=["phone"])
    ContactPreference.objects.create(
        patient=patient, sms_consent=True, recorded_by=coordinator.user
    )
    return cohort, first, second, group_sessions(cohort, 5, first=monday)


def _attend(coordinator, session, statuses):  # noqa: ANN001, ANN202
    return record_attendance(
        by=coordinator,
        session=session,
        statuses={p.pk: s for p, s in statuses.items()},
        now=aware(session.date, 11),
    )


def test_two_sessions_missed_queue_one_letter_and_one_notice(
    programme, coordinator, travel, sms_provider
):
    cohort, first, second, sessions = programme
    for session in sessions[:2]:
        travel(aware(session.date, 12))
        _attend(coordinator, session, {first: "absent", second: "present"})
    travel(aware(sessions[2].date, 8))
    queued = sweep()
    assert sorted((m.kind, m.channel) for m in queued) == [
        ("absence_warning", "post"),
        ("absence_warning", "sms"),
    ]
    letter = Letter.objects.get(kind=LetterKind.ABSENCE_WARNING)
    assert (letter.episode_id, letter.created_by, letter.is_final) == (
        first.episode_id,
        None,
        False,
    )
    assert letter.signature == cohort.unit.name
    assert "frånvarande vid 2 av 2" in letter.body
    assert sweep() == []  # queued once

    # The letter is a draft: the notice that a letter is on its way waits.
    travel(aware(sessions[2].date, 9))
    assert services.send_due() == {"queued": 1}
    assert sms_provider.received == []

    # The office finalises the draft; the print batch carries it and its
    # confirmation sends the post message.
    finalise_letter(by=coordinator, letter=letter)
    from painrehab.outbox.printing import confirm_printed, drop_letters_not_due

    assert drop_letters_not_due(unit_id=cohort.unit_id) == 0
    assert confirm_printed(by=coordinator, letter_ids=[letter.pk]) == 1
    post = Message.objects.get(channel="post")
    assert (post.state, post.letter_id) == ("sent", letter.pk)
    assert AuditEvent.objects.filter(
        what="message sent: absence_warning by post", actor_id=coordinator.user_id
    ).exists()

    # The notice goes the morning after the letter was posted, not before.
    travel(aware(sessions[2].date, 15))
    assert services.send_due() == {}
    travel(aware(sessions[2].date + timedelta(days=1), 9))
    assert services.send_due() == {"sent": 1}
    [sms] = sms_provider.received
    assert "brev" in sms["message"]
    assert "frånvaro" not in sms["message"].lower()
    assert "smärt" not in sms["message"].lower()


def test_a_patient_who_came_since_gets_nothing(
    programme, coordinator, travel, sms_provider, client_for
):
    cohort, first, second, sessions = programme
    for session in sessions[:2]:
        travel(aware(session.date, 12))
        _attend(coordinator, session, {first: "absent", second: "present"})
    travel(aware(sessions[2].date, 8))
    sweep()
    letter = finalise_letter(
        by=coordinator, letter=Letter.objects.get(kind=LetterKind.ABSENCE_WARNING)
    )
    travel(aware(sessions[2].date, 12))  # came to the third session before sending
    _attend(coordinator, sessions[2], {first: "present", second: "present"})
    assert services.send_due() == {"cancelled": 1}
    assert sms_provider.received == []
    notice = Message.objects.get(channel="sms")
    assert notice.last_error == "Patienten har kommit till ett pass sedan dess."

    page = client_for(coordinator).get("/utskick/utskrift/").content.decode()
    assert "Inga brev att posta" in page
    letter.refresh_from_db()
    assert letter.stale_note == "Patienten har kommit till ett pass sedan dess."
    assert Message.objects.get(channel="post").state == "cancelled"


def test_a_discharged_patient_gets_nothing(programme, coordinator, travel):
    _cohort, first, second, sessions = programme
    for session in sessions[:2]:
        travel(aware(session.date, 12))
        _attend(coordinator, session, {first: "absent", second: "present"})
    travel(aware(sessions[2].date, 8))
    sweep()
    discharge_episode(
        by=coordinator,
        episode=Episode.objects.get(pk=first.episode_id),
        reason="patient_choice",
        taken_over_by="Vårdcentralen",
        recommendation="Fortsatt träning.",
    )
    travel(aware(sessions[2].date, 10))
    assert services.send_due() == {"cancelled": 1}
    assert Message.objects.get(channel="sms").last_error == "Patienten är utskriven."


def test_a_patient_warned_already_is_not_warned_again(programme, coordinator, travel):
    _cohort, first, second, sessions = programme
    # The team wrote the warning itself after the first absence.
    travel(aware(sessions[0].date, 12))
    _attend(coordinator, sessions[0], {first: "absent", second: "present"})
    draft_letter(
        by=coordinator,
        episode=Episode.objects.get(pk=first.episode_id),
        kind=LetterKind.ABSENCE_WARNING,
    )
    travel(aware(sessions[1].date, 12))
    _attend(coordinator, sessions[1], {first: "absent", second: "present"})
    travel(aware(sessions[2].date, 8))
    assert sweep() == []
    assert Letter.objects.filter(kind=LetterKind.ABSENCE_WARNING).count() == 1


def test_under_the_threshold_nothing_is_queued(programme, coordinator, travel):
    _cohort, first, second, sessions = programme
    for number, session in enumerate(sessions):
        travel(aware(session.date, 12))
        _attend(
            coordinator,
            session,
            {first: "absent" if number == 4 else "present", second: "present"},
        )
    travel(aware(sessions[4].date + timedelta(days=1), 8))
    assert sweep() == []  # 1 of 5 is 20 %, not over 20 %


def test_the_warnings_outbox_row_links_its_letter_by_its_name(
    programme, coordinator, travel, client_for
):
    _cohort, first, second, sessions = programme
    for session in sessions[:2]:
        travel(aware(session.date, 12))
        _attend(coordinator, session, {first: "absent", second: "present"})
    travel(aware(sessions[2].date, 8))
    sweep()
    letter = Letter.objects.get(kind=LetterKind.ABSENCE_WARNING)
    patient = first.episode.patient
    page = client_for(coordinator).get(f"/utskick/patient/{patient.pk}/")
    text = page.content.decode()
    assert f'<a href="/brev/{letter.pk}/">Varning om frånvaro före utskrivning</a>' in (
        text
    )
    # The letter's reference: the personnummer without the birth date.
    from painrehab.documents.services import render_pdf

    pdf = PdfReader(io.BytesIO(render_pdf(letter))).pages[0].extract_text()
    assert patient.formatted_personnummer not in pdf
    assert f"••••••••-{patient.personnummer[8:]}" in pdf
