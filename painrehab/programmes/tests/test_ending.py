"""The end of the group programme or individual rehabilitation: attendance
shown, a low one confirmed, follow-up started and the final note drafted."""

from datetime import date, time, timedelta

import pytest

from painrehab.documents.models import LetterKind
from painrehab.pathway.models import Episode
from painrehab.pathway.states import State
from painrehab.programmes.models import Attendance, Session
from painrehab.programmes.services.cohorts import start_cohort
from painrehab.programmes.services.ending import (
    LowAttendance,
    attendance_at_end,
    end_rehabilitation,
)
from painrehab.programmes.tests.conftest import MONDAY
from painrehab.programmes.tests.factories import aware


@pytest.fixture
def in_programme(decided, coordinator, cohort_of, specialist):  # noqa: ANN001, ANN201
    cohort = cohort_of(specialist, decided(1))
    start_cohort(by=coordinator, cohort=cohort, now=aware(MONDAY, 8))
    participant = cohort.participants.get()
    return cohort, participant, Episode.objects.get(pk=participant.episode_id)


def _attend(cohort, participant, coordinator, statuses):  # noqa: ANN001, ANN202
    for number, status in enumerate(statuses):
        session = Session.objects.create(
            unit=cohort.unit,
            cohort=cohort,
            activity_key=f"a{number}",
            activity_name="Träning",
            date=MONDAY + timedelta(days=number),
            start=time(9),
            end=time(10),
            attendees=Session.Attendees.ALL,
        )
        Attendance.objects.create(
            session=session,
            participant=participant,
            status=status,
            recorded_by=coordinator.user,
            recorded_at=aware(MONDAY + timedelta(days=number), 11),
        )


def test_no_attendance_recorded_needs_a_confirmation_to_end(in_programme, coordinator):
    # Found walking the pathway: "Programmet avslutat" was accepted with 0
    # sessions attended.
    _cohort, _participant, episode = in_programme
    with pytest.raises(LowAttendance, match="Ingen närvaro är registrerad."):
        end_rehabilitation(by=coordinator, episode=episode, today=date(2026, 4, 6))
    assert Episode.objects.get(pk=episode.pk).state == State.GROUP_PROGRAMME
    episode.referral.referrer_address = "Vårdcentralen\nBox 2\n222 22 Stad"
    episode.referral.save()
    letter, problem = end_rehabilitation(
        by=coordinator, episode=episode, confirmed=True, today=date(2026, 4, 6)
    )
    assert letter is not None
    assert (letter.kind, problem) == (LetterKind.FINAL_NOTE, "")
    assert Episode.objects.get(pk=episode.pk).state == State.FOLLOW_UP


def test_attendance_over_the_limit_ends_without_asking(in_programme, coordinator):
    cohort, participant, episode = in_programme
    _attend(cohort, participant, coordinator, ["present"] * 9 + ["absent"])
    shown = attendance_at_end(episode=episode, today=date(2026, 4, 6))
    assert shown.summary == (
        "Närvarande vid 9 av 10 registrerade tillfällen; frånvarande vid 10 % "
        f"(enhetens gräns är {cohort.template.absence_threshold_percent} %)."
    )
    assert shown.low is False
    end_rehabilitation(by=coordinator, episode=episode, today=date(2026, 4, 6))
    assert Episode.objects.get(pk=episode.pk).state == State.FOLLOW_UP


def test_absence_over_the_limit_needs_a_confirmation(in_programme, coordinator):
    cohort, participant, episode = in_programme
    _attend(cohort, participant, coordinator, ["present"] * 5 + ["absent"] * 5)
    assert attendance_at_end(episode=episode, today=date(2026, 4, 6)).low is True
    with pytest.raises(LowAttendance):
        end_rehabilitation(by=coordinator, episode=episode, today=date(2026, 4, 6))


def test_an_end_whose_final_note_cannot_be_drafted_is_not_made(
    in_programme, coordinator, break_letters
):
    _cohort, _participant, episode = in_programme
    episode.referral.referrer_address = "Vårdcentralen\nBox 2\n222 22 Stad"
    episode.referral.save()
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        end_rehabilitation(
            by=coordinator, episode=episode, confirmed=True, today=date(2026, 4, 6)
        )
    assert Episode.objects.get(pk=episode.pk).state == State.GROUP_PROGRAMME


def _plan_with_an_evaluated_goal(episode, coordinator, on):  # noqa: ANN001, ANN202
    from painrehab.pathway.models import Goal, GoalEvaluation, RehabPlan

    plan = RehabPlan.objects.create(
        episode=episode,
        track="group_programme",
        overall_goal="Återgå i arbete 75 %.",
        updated_by=coordinator.user,
    )
    goal = Goal.objects.create(
        plan=plan,
        profession="physiotherapist",
        owner=coordinator.user,
        description="Promenera 30 minuter dagligen",
        measure="Stegräknare",
        target_date=on,
        set_on=on - timedelta(days=35),
    )
    GoalEvaluation.objects.create(
        goal=goal,
        when="programme_end",
        evaluated_on=on,
        result="partly_met",
        comment="Går 20 minuter de flesta dagar.",
        evaluated_by=coordinator.user,
    )


def test_the_final_note_gives_attendance_and_comments_but_no_maintenance_plan_yet(
    in_programme, coordinator
):
    # Found walking the demo: the final note said "Patienten har en
    # vidmakthållandeplan" before any follow-up had recorded one, left out
    # the evaluators' comments and said nothing of attendance.
    cohort, participant, episode = in_programme
    episode.referral.referrer_address = "Vårdcentralen\nBox 2\n222 22 Stad"
    episode.referral.save()
    _attend(cohort, participant, coordinator, ["present"] * 8 + ["absent", "excused"])
    _plan_with_an_evaluated_goal(episode, coordinator, cohort.end)
    letter, _problem = end_rehabilitation(
        by=coordinator, episode=episode, today=cohort.end
    )
    assert letter is not None
    paragraphs = letter.body.split("\n\n")
    assert paragraphs[1] == (
        "Närvaro: 8 av 10 schemalagda tillfällen (frånvaro 20 %, varav 1 av 2 "
        "tillfällen med giltigt förhinder)."
    )
    assert paragraphs[3] == (
        "Utvärdering av delmål:\n- Promenera 30 minuter dagligen: delvis uppnått "
        "– Går 20 minuter de flesta dagar."
    )
    assert "vidmakthållandeplan" not in letter.body
    assert paragraphs[4].startswith("Uppföljning sker per telefon eller video")


def test_the_final_note_of_individual_rehabilitation_counts_appointments(
    decided, coordinator, staff
):
    from painrehab.programmes.models import Appointment

    (episode,) = decided(1, to=State.INDIVIDUAL_REHABILITATION)
    episode.referral.referrer_address = "Vårdcentralen\nBox 2\n222 22 Stad"
    episode.referral.save()
    for number, status in enumerate(["held"] * 5 + ["no_show", "cancelled"]):
        Appointment.objects.create(
            unit=episode.unit,
            episode=episode,
            starts_at=aware(MONDAY + timedelta(days=number)),
            minutes=60,
            staff=staff["fysio1"].user,
            profession="physiotherapist",
            status=status,
            created_by=coordinator.user,
        )
    letter, _problem = end_rehabilitation(
        by=coordinator, episode=episode, confirmed=True, today=MONDAY + timedelta(30)
    )
    assert letter is not None
    assert "Närvaro: 5 av 6 bokade insatser (uteblev från 1)." in letter.body


def test_ending_individual_rehabilitation_cancels_what_is_still_booked_after_now(
    decided, coordinator, staff, client_for
):
    # Found walking the demo: after the end, a booked intervention stayed
    # booked, was still counted as "1 till är bokad" and kept the staff's time.
    from django.utils import timezone

    from painrehab.audit.models import AuditEvent
    from painrehab.programmes.models import Appointment

    (episode,) = decided(1, to=State.INDIVIDUAL_REHABILITATION)
    now = timezone.now()

    def appointment(starts_at, status):  # noqa: ANN001, ANN202
        return Appointment.objects.create(
            unit=episode.unit,
            episode=episode,
            starts_at=starts_at,
            minutes=60,
            staff=staff["fysio1"].user,
            profession="physiotherapist",
            status=status,
            created_by=coordinator.user,
        )

    held = appointment(now - timedelta(days=3), "held")
    gone_by = appointment(now - timedelta(hours=2), "booked")
    tomorrow = appointment(now + timedelta(days=1), "booked")
    next_week = appointment(now + timedelta(days=7), "booked")

    page = client_for(coordinator).get(
        f"/vardforlopp/{episode.pk}/rehabilitering-avslutad/"
    )
    text = page.content.decode()
    assert "De här 2 bokade insatserna avbokas när rehabiliteringen avslutas:" in text
    assert f"{timezone.localtime(tomorrow.starts_at):%Y-%m-%d %H:%M}" in text
    assert f"{timezone.localtime(gone_by.starts_at):%Y-%m-%d %H:%M}" not in text

    end_rehabilitation(by=coordinator, episode=episode, confirmed=True)
    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses == {
        held.pk: "held",
        gone_by.pk: "booked",  # to be marked held or not attended
        tomorrow.pk: "cancelled",
        next_week.pk: "cancelled",
    }
    assert AuditEvent.objects.filter(
        what="appointments cancelled at the end of rehabilitation: 2"
    ).exists()

    # Ended is ended: a cancelled intervention is not booked again, while the
    # one gone by may still be marked as it went.
    from painrehab.programmes.services import ProgrammeRefused
    from painrehab.programmes.services.appointments import set_appointment_status

    tomorrow.refresh_from_db()
    with pytest.raises(ProgrammeRefused) as refused:
        set_appointment_status(
            by=coordinator,
            appointment=tomorrow,
            status="booked",
            expected_version=tomorrow.version,
        )
    assert refused.value.message == (
        "Rehabiliteringen är avslutad: en insats kan inte bokas igen."
    )
    gone_by.refresh_from_db()
    set_appointment_status(
        by=coordinator,
        appointment=gone_by,
        status="held",
        expected_version=gone_by.version,
    )
    assert set(Appointment.objects.values_list("status", flat=True)) == {
        "held",
        "cancelled",
    }
