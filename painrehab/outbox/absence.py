"""The warning before a discharge for absence (seed 1 §12), queued by the sweep.

When the rule (`programmes.rules.absence_warning`) says a programme
participant is due a warning, the sweep drafts the warning letter from the
unit's text (no author: a person finalises it, and it goes out in the daily
print batch) and queues it as a post message; a patient who consents also
gets a notice by SMS or e-mail that a letter is on its way, with no health
information. Both are decided again at sending (`still_due`): nothing goes
to a patient who came to a session since, was discharged, or was warned
already.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from painrehab.documents.models import Letter, LetterDispatch, LetterKind
from painrehab.documents.services import LetterRefused, draft_letter_for_the_unit
from painrehab.outbox import services
from painrehab.outbox.models import Channel, Message
from painrehab.pathway.states import State
from painrehab.programmes.letters import absence_warning_context
from painrehab.programmes.models import Attendance, CohortParticipant
from painrehab.programmes.rules import AbsenceRate, AbsenceWarning, absence_warning

Kind = Message.Kind
PRESENT = Q(attendance__status=Attendance.Status.PRESENT)
MISSED = Q(attendance__status__in=[Attendance.Status.ABSENT, Attendance.Status.EXCUSED])
# A group follow-up after the programme is not a programme session.
PROGRAMME = Q(attendance__session__follow_up_key="")


@dataclass(frozen=True)
class Facts:
    participant_id: int
    episode_id: int
    rate: AbsenceRate
    threshold_percent: int
    last_missed_on: date | None
    last_present_on: date | None
    discharged: bool


def _facts(places: QuerySet[CohortParticipant]) -> list[Facts]:
    """Each place's attendance so far and the dates of its last session
    attended and missed, in one query."""
    rows = places.annotate(
        present=Count("attendance", filter=PRESENT & PROGRAMME),
        absent=Count(
            "attendance",
            filter=Q(attendance__status=Attendance.Status.ABSENT) & PROGRAMME,
        ),
        excused=Count(
            "attendance",
            filter=Q(attendance__status=Attendance.Status.EXCUSED) & PROGRAMME,
        ),
        last_present=Max("attendance__session__date", filter=PRESENT & PROGRAMME),
        last_missed=Max("attendance__session__date", filter=MISSED & PROGRAMME),
    ).values_list(
        "pk", "episode_id", "present", "absent", "excused",
        "cohort__template__absence_threshold_percent",
        "last_missed", "last_present", "episode__state",
    )  # fmt: skip
    return [
        Facts(pk, episode, AbsenceRate(present, absent, excused), threshold,
              missed, attended, state == State.DISCHARGED)
        for pk, episode, present, absent, excused, threshold, missed, attended, state
        in rows
    ]  # fmt: skip


def due_warnings(today: date) -> list[Facts]:
    """The participants of programmes running today who are due a warning
    and have none queued: three queries, whatever the number of cohorts."""
    running = CohortParticipant.objects.filter(
        cohort__start__lte=today, cohort__end__gte=today
    ).exclude(episode__state=State.DISCHARGED)
    candidates = [
        f
        for f in _facts(running)
        if absence_warning(
            rate=f.rate, threshold_percent=f.threshold_percent,
            last_missed_on=f.last_missed_on, last_present_on=f.last_present_on,
            warned=False, discharged=f.discharged,
        ) == AbsenceWarning.DUE
    ]  # fmt: skip
    # Warned already: an absence letter of the episode, drafted by a person
    # or by an earlier sweep, that is not out of date.
    warned = set(
        Letter.objects.filter(
            episode_id__in=[f.episode_id for f in candidates],
            kind=LetterKind.ABSENCE_WARNING,
            stale_note="",
        ).values_list("episode_id", flat=True)
    )
    queued = set(
        Message.objects.filter(
            key__in=[_key(f.participant_id) for f in candidates]
        ).values_list("key", flat=True)
    )
    return [
        f
        for f in candidates
        if f.episode_id not in warned and _key(f.participant_id) not in queued
    ]


def _key(participant_id: int) -> str:
    return f"absence:{participant_id}"


def notice_text(phone: str) -> tuple[str, str]:
    """Subject and text of the notice, in Swedish: no health information."""
    with override("sv"):
        subject = _("A letter from us is on its way")
        text = _(
            "We are sending you a letter by post. If you have questions, call us "
            "at %(phone)s."
        ) % {"phone": phone or "-"}
    return subject, text


def queue_warnings(*, now: datetime, send_after: datetime) -> list[Message]:
    """Draft and queue the warnings that are due (see the module's text)."""
    today = timezone.localdate(now)
    queued: list[Message] = []
    due = due_warnings(today)
    places = CohortParticipant.objects.select_related(
        "episode__patient", "episode__unit", "cohort__template", "cohort__unit"
    ).in_bulk([f.participant_id for f in due])
    for facts in due:
        place = places[facts.participant_id]
        episode, patient = place.episode, place.episode.patient
        try:
            letter = draft_letter_for_the_unit(
                episode=episode,
                kind=LetterKind.ABSENCE_WARNING,
                actor=services.OUTBOX_WORKER,
                extra=absence_warning_context(participant=place, today=today),
                today=today,
            )
        except LetterRefused:
            continue  # no postal address: the team finds the patient otherwise
        assert facts.last_missed_on is not None  # a warning is due after an absence
        about = {
            "participant": place.pk,
            "missed_on": facts.last_missed_on.isoformat(),
        }
        message, _created = services.queue_message(
            patient=patient, kind=Kind.ABSENCE_WARNING, channel_name=Channel.POST,
            recipient=letter.recipient_name, send_after=send_after,
            letter_id=letter.pk, episode_id=episode.pk, about=about,
            key=_key(place.pk),
        )  # fmt: skip
        queued.append(message)
        route = services.electronic_route(patient)
        if route is None:
            continue
        subject, text = notice_text(episode.unit.phone)
        notice, _created = services.queue_message(
            patient=patient, kind=Kind.ABSENCE_WARNING, channel_name=route[0],
            recipient=route[1], send_after=send_after, subject=subject, text=text,
            episode_id=episode.pk, about=about, key=f"absence-notice:{place.pk}",
        )  # fmt: skip
        queued.append(notice)
    return queued


def _reason(decision: AbsenceWarning) -> str:
    """The reason in the interface's words (stored with the message)."""
    return {
        AbsenceWarning.NOT_OVER_THRESHOLD: _(
            "The absence is no longer over the threshold."
        ),
        AbsenceWarning.ATTENDED_SINCE: _("The patient has come to a session since."),
        AbsenceWarning.ALREADY_WARNED: _("The patient has been warned already."),
        AbsenceWarning.DISCHARGED: _("The patient is discharged."),
    }[decision]


def still_due(message: Message, now: datetime) -> str:
    """Why a warning (letter or notice) is no longer due ('' when it is),
    from the state now: the rule again, with the absence that made it due."""
    participant_id = message.about.get("participant")
    found: list[Facts | None] = list(
        _facts(CohortParticipant.objects.filter(pk=participant_id))
    )
    [facts] = found or [None]
    if facts is None:
        return _("The patient is discharged.")
    dispatched = LetterDispatch.objects.filter(
        letter__episode_id=facts.episode_id,
        letter__kind=LetterKind.ABSENCE_WARNING,
    )
    if message.letter_id is not None:  # a letter: the dispatches of the others
        dispatched = dispatched.exclude(letter_id=message.letter_id)
    else:  # a notice of this warning's letter, which goes out first
        dispatched = dispatched.exclude(letter__messages__key=_key(participant_id))
    sent_before = (
        Message.objects.filter(
            episode_id=facts.episode_id,
            kind=Kind.ABSENCE_WARNING,
            channel=message.channel,
            state__in=[Message.State.SENT, Message.State.DELIVERED],
        )
        .exclude(pk=message.pk)
        .exists()
        or dispatched.exists()
    )
    decision = absence_warning(
        rate=facts.rate,
        threshold_percent=facts.threshold_percent,
        last_missed_on=date.fromisoformat(message.about["missed_on"]),
        last_present_on=facts.last_present_on,
        warned=sent_before,
        discharged=facts.discharged,
    )
    return "" if decision == AbsenceWarning.DUE else _reason(decision)


def not_before(message: Message, now: datetime) -> datetime | None:
    """The notice that a letter is on its way waits until the morning after
    the warning letter was posted (until then, to the next morning)."""
    if message.letter_id is not None:
        return None  # the letter itself: the print batch
    sent_at = (
        LetterDispatch.objects.filter(
            letter__messages__key=_key(message.about.get("participant"))
        )
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    if sent_at is None:
        return services.morning_after(timezone.localdate(now))
    return services.morning_after(timezone.localdate(sent_at))


services.register_check(Kind.ABSENCE_WARNING, still_due)
services.register_wait(Kind.ABSENCE_WARNING, not_before)
