"""The daily sweep: what is due is a query over dates; the sweep turns it
into queued messages (and expires old links). Run by `manage.py
outbox_sweep` from cron or a systemd timer, as often as wanted: each due
thing has a key, so a second run queues nothing twice.

Notices by SMS or e-mail say only that there is a letter or a form and where
to answer (the code-entry page; the personal code is on the paper letter):
no health information, no token. The invitation letter itself goes by post.

- Invitation notice: 28 days before a booked new visit (at once when booked
  later), when the patient's forms before the visit are unanswered.
- Reminder: 14 days before the visit, when still unanswered.
- The 12-month forms: a notice when the request is open and unanswered, a
  reminder 14 days later.
- The warning before a discharge for absence: a letter by post and a notice
  (absence.py).
A week before the visit, forms still unanswered are the office's work: an
item on its worklist (`steps/worklist.py`), not a message.
Each is decided again at the moment of sending (see `still_due`): nothing
goes to a patient who has answered, was discharged, or was rebooked.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from painrehab.outbox import absence, services
from painrehab.outbox.models import Message
from painrehab.pathway.clocks import INVITATION_DAYS_BEFORE
from painrehab.pathway.models import Booking
from painrehab.pathway.states import State
from painrehab.questionnaires.models import QuestionnaireRequest, TimePoint
from painrehab.questionnaires.services import expire_requests

INVITATION_DAYS = INVITATION_DAYS_BEFORE  # seed 1 §5.2, as the booking's own due day
REMINDER_DAYS = 14
TWELVE_MONTH_REMINDER_DAYS = 14
SEND_AT = time(9, 0)  # notices go out in the morning, never at night

BEFORE = (TimePoint.REGISTRY_BEFORE, TimePoint.KRT_BEFORE)
UNANSWERED = (QuestionnaireRequest.Status.OPEN, QuestionnaireRequest.Status.PARTLY)


@dataclass(frozen=True)
class Due:
    """One notice that is due: what, for whom, from which day."""

    kind: str
    request_id: int
    booking_id: int | None
    on: date
    key: str


def visit_notices(*, visit_on: date, booked_on: date) -> list[tuple[str, date]]:
    """The invitation notice and the reminder for a visit: the days they are
    due (never before the booking was made)."""
    notices = [
        (Message.Kind.QUESTIONNAIRE_INVITATION, visit_on - timedelta(INVITATION_DAYS))
    ]
    reminder_on = visit_on - timedelta(REMINDER_DAYS)
    if reminder_on > booked_on:  # booked late: the invitation is the only notice
        notices.append((Message.Kind.QUESTIONNAIRE_REMINDER, reminder_on))
    return [(kind, max(on, booked_on)) for kind, on in notices]


def due_notices(today: date) -> list[Due]:
    """Every notice due today or earlier that the sweep has not queued."""
    due: list[Due] = []
    bookings = Booking.objects.filter(
        kind=Booking.Kind.NEW_VISIT,
        status=Booking.Status.BOOKED,
        starts_at__date__gt=today,
        starts_at__date__lte=today + timedelta(INVITATION_DAYS),
    ).values_list("pk", "episode_id", "starts_at", "booked_at")
    by_episode = {
        episode: (pk, starts, created) for pk, episode, starts, created in bookings
    }
    requests = QuestionnaireRequest.objects.filter(
        episode_id__in=by_episode, time_point__in=BEFORE, status__in=UNANSWERED
    ).values_list("pk", "episode_id")
    for request_id, episode_id in requests:
        booking_id, starts_at, created_at = by_episode[episode_id]
        visit_on = timezone.localdate(starts_at)
        for kind, on in visit_notices(
            visit_on=visit_on, booked_on=timezone.localdate(created_at)
        ):
            if on <= today:
                due.append(
                    Due(
                        kind,
                        request_id,
                        booking_id,
                        on,
                        f"{kind}:{request_id}:{visit_on}",
                    )
                )
    twelve = QuestionnaireRequest.objects.filter(
        time_point=TimePoint.REGISTRY_12_MONTHS,
        status__in=UNANSWERED,
        expires_on__gte=today,
    ).values_list("pk", "sent_on")
    for request_id, sent_on in twelve:
        due.append(
            Due(
                Message.Kind.REGISTRY_12_MONTHS,
                request_id,
                None,
                sent_on,
                f"12m:{request_id}",
            )
        )
        reminder_on = sent_on + timedelta(TWELVE_MONTH_REMINDER_DAYS)
        if reminder_on <= today:
            due.append(
                Due(
                    Message.Kind.QUESTIONNAIRE_REMINDER,
                    request_id,
                    None,
                    reminder_on,
                    f"12m-reminder:{request_id}",
                )
            )
    queued = set(
        Message.objects.filter(key__in=[d.key for d in due]).values_list(
            "key", flat=True
        )
    )
    return [d for d in due if d.key not in queued]


def notice_text(kind: str) -> tuple[str, str]:
    """Subject and text of a notice, in Swedish: no health information."""
    url = settings.PAINREHAB_PUBLIC_URL.rstrip("/") + "/f/"
    with override("sv"):
        if kind == Message.Kind.QUESTIONNAIRE_REMINDER:
            subject = _("A reminder: your forms are waiting")
            text = _(
                "A reminder: the forms in the letter you got from us are not yet "
                "answered. Answer at %(url)s with the code in the letter."
            )
        else:
            subject = _("You have a letter with forms to answer")
            text = _(
                "You have received a letter with forms to answer. Answer at "
                "%(url)s with the code in the letter."
            )
    return subject, text % {"url": url}


def sweep(*, now: datetime | None = None) -> list[Message]:
    """Queue what is due (electronic notices to patients who consent) and
    expire old links. Returns the messages queued by this run."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expire_requests(today=today)
    queued: list[Message] = []
    due = due_notices(today)
    requests = QuestionnaireRequest.objects.select_related("episode__patient").in_bulk(
        {d.request_id for d in due}
    )
    send_after = max(now, timezone.make_aware(datetime.combine(today, SEND_AT)))
    for notice in due:
        request = requests[notice.request_id]
        patient = request.episode.patient
        route = services.electronic_route(patient)
        if route is None:
            continue  # post only: the letter is the notice
        subject, text = notice_text(notice.kind)
        message, created = services.queue_message(
            patient=patient,
            kind=notice.kind,
            channel_name=route[0],
            recipient=route[1],
            send_after=send_after,
            subject=subject,
            text=text,
            episode_id=request.episode_id,
            about={"request": notice.request_id, "booking": notice.booking_id},
            key=notice.key,
        )
        if created:
            queued.append(message)
    queued.extend(absence.queue_warnings(now=now, send_after=send_after))
    return queued


def still_due(message: Message, now: datetime) -> str:
    """Why a notice is no longer due ('' when it is), from the state now."""
    request = (
        QuestionnaireRequest.objects.select_related("episode")
        .filter(pk=message.about.get("request"))
        .first()
    )
    if request is None or request.status not in UNANSWERED:
        return _("The forms are answered or closed.")
    if not request.is_answerable(timezone.localdate(now)):
        return _("The link has expired.")
    if request.time_point in BEFORE and request.episode.state == State.DISCHARGED:
        return _("The patient is discharged.")
    booking_id = message.about.get("booking")
    if booking_id is not None:
        booking = Booking.objects.filter(pk=booking_id).first()
        if booking is None or booking.status != Booking.Status.BOOKED:
            return _("The visit is cancelled.")
        if message.key and not message.key.endswith(
            str(timezone.localdate(booking.starts_at))
        ):
            return _("The visit was moved.")
    return ""


for _kind in (
    Message.Kind.QUESTIONNAIRE_INVITATION,
    Message.Kind.QUESTIONNAIRE_REMINDER,
    Message.Kind.REGISTRY_12_MONTHS,
):
    services.register_check(_kind, still_due)
