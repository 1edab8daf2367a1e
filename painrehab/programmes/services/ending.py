"""The end of the group programme or of individual rehabilitation (seed 1
§9–10): the attendance is shown, a low one must be confirmed, the episode
moves to follow-up and the final note to the referrer is drafted."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import draft_letters_for
from painrehab.pathway.models import Episode
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State, TransitionRefused
from painrehab.programmes.models import Appointment, CohortParticipant
from painrehab.programmes.rate_words import rate_sentence
from painrehab.programmes.rules import AbsenceRate, Intensity
from painrehab.programmes.selectors import absence_rates, individual_summary
from painrehab.programmes.services.final_note import attendance_for_the_final_note


@dataclass(frozen=True)
class AttendanceAtEnd:
    summary: str  # what the page shows, in Swedish
    low: bool  # below the unit's threshold: ending needs a confirmation


class LowAttendance(TransitionRefused):
    """Attendance below the threshold: confirm to end all the same."""


def attendance_at_end(*, episode: Episode, today: date) -> AttendanceAtEnd:
    """The group programme's recorded attendance against the template's absence
    threshold, or individual rehabilitation's held interventions against
    §10.3's six a month."""
    if episode.state == State.GROUP_PROGRAMME:
        return _group_attendance(episode)
    summary = individual_summary(episode=episode, today=today)
    if summary.rate is None or summary.rate.interventions == 0:
        return AttendanceAtEnd(_("No intervention is recorded as held."), low=True)
    return AttendanceAtEnd(
        rate_sentence(summary.rate),
        low=summary.rate.status == Intensity.BELOW,
    )


def _group_attendance(episode: Episode) -> AttendanceAtEnd:
    participant = (
        CohortParticipant.objects.filter(episode=episode)
        .select_related("cohort__template")
        .order_by("-cohort__start")
        .first()
    )
    if participant is None:
        return AttendanceAtEnd(_("The patient is in no programme group."), low=True)
    rate = absence_rates([participant.pk]).get(participant.pk, AbsenceRate())
    if not rate.recorded:
        return AttendanceAtEnd(_("No attendance is recorded."), low=True)
    threshold = participant.cohort.template.absence_threshold_percent
    return AttendanceAtEnd(
        _(
            "Present at %(present)s of %(recorded)s sessions recorded; absent at %(percent)s %% (the unit's limit is %(threshold)s %%)."
        )
        % {
            "present": rate.present,
            "recorded": rate.recorded,
            "percent": rate.percent,
            "threshold": threshold,
        },
        low=(rate.percent or 0) > threshold,
    )


def end_rehabilitation(
    *,
    by: Membership,
    episode: Episode,
    note: str = "",
    confirmed: bool = False,
    today: date | None = None,
) -> tuple[Letter | None, StrOrPromise]:
    """Move the episode to follow-up, cancel the individual appointments still
    to come and draft the final note; a low attendance needs `confirmed`.
    Returns the letter, or None and why the letter could not be written (the
    episode has moved all the same)."""
    today = today or timezone.localdate()
    attendance = attendance_at_end(episode=episode, today=today)
    if attendance.low and not confirmed:
        raise LowAttendance(attendance.summary)
    for_the_letter = attendance_for_the_final_note(episode=episode)
    with transaction.atomic():
        move_episode(episode=episode, to=State.FOLLOW_UP, by=by, note=note)
        _cancel_appointments_to_come(episode, by=by, now=timezone.now())
        drafts = draft_letters_for(
            by=by,
            episode=episode,
            kinds=[LetterKind.FINAL_NOTE],
            extra={
                "plan": getattr(episode, "plan", None),
                "ended_on": today,
                "attendance": for_the_letter,
            },
            today=today,
        )
    if not drafts.letters:
        return None, drafts.reasons[0]
    return drafts.letters[0], ""


def appointments_to_come(*, episode: Episode, now: datetime) -> QuerySet[Appointment]:
    """The individual appointments still booked after `now`, earliest first:
    the end of the rehabilitation cancels them, and its page lists them."""
    return (
        episode.rehab_appointments.filter(
            status=Appointment.Status.BOOKED, starts_at__gt=now
        )
        .select_related("staff")
        .order_by("starts_at")
    )


def _cancel_appointments_to_come(
    episode: Episode, *, by: Membership, now: datetime
) -> None:
    """The rehabilitation is over: what is still booked of it is cancelled by
    the unit, so the staff's time is free again and no one waits for the patient."""
    cancelled = appointments_to_come(episode=episode, now=now).update(
        status=Appointment.Status.CANCELLED
    )
    if cancelled:
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=episode,
            what=f"appointments cancelled at the end of rehabilitation: {cancelled}",
        )
