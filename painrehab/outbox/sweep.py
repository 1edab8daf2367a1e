"""The daily sweep: what is due is a query over dates; the sweep turns it
into queued messages (and expires old links). Run by `manage.py
outbox_sweep` from cron or a systemd timer, as often as wanted: each due
thing has a key, so a second run queues nothing twice.

Notices by SMS or e-mail say only that there is a letter or a form and where
to answer (the code-entry page; the personal code is on the paper letter):
no health information, no token. The invitation letter itself goes by post.

- The forms before the visit: 28 days before a booked new visit (at once
  when booked later), the unit's package is sent (a questionnaire request,
  audited with the outbox as its actor) when the episode has no open or
  answered request before the visit. The invitation letter of the day's print
  batch then carries the sheet with the code (printing.py). A moved visit
  keeps its request: its last day follows the visit, nothing is sent twice.
- Invitation notice: on the same day, when the patient's forms before the
  visit are unanswered. It says there is a letter with the code, so it (and
  the reminder) waits until the morning after the invitation letter was
  posted (`not_before`).
- Reminder: 14 days before the visit, when still unanswered, and only 14
  days after the notice it reminds of went out (never in the same sweep).
- The 12-month forms: a notice when the request is open and unanswered, a
  reminder 14 days after the notice went out.
- The warning before a discharge for absence: a letter by post and a notice
  (absence.py).
A week before the visit, forms still unanswered are the office's work: an
item on its worklist (`steps/worklist.py`), not a message.
Each is decided again at the moment of sending (see `still_due`): nothing
goes to a patient who has answered, was discharged, or was rebooked.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from painrehab.audit.services import Action, record
from painrehab.documents.models import LetterDispatch, LetterKind
from painrehab.outbox import absence, services
from painrehab.outbox.models import Message
from painrehab.pathway.clocks import INVITATION_DAYS_BEFORE
from painrehab.pathway.models import Booking, Episode
from painrehab.pathway.states import State
from painrehab.questionnaires import services as questionnaires
from painrehab.questionnaires.models import QuestionnaireRequest, TimePoint
from painrehab.questionnaires.services import expire_requests, form_settings

INVITATION_DAYS = INVITATION_DAYS_BEFORE  # seed 1 §5.2, as the booking's own due day
REMINDER_DAYS = 14
TWELVE_MONTH_REMINDER_DAYS = 14
SEND_AT = services.SEND_AT  # notices go out in the morning, never at night

BEFORE = (TimePoint.REGISTRY_BEFORE, TimePoint.KRT_BEFORE)
UNANSWERED = (QuestionnaireRequest.Status.OPEN, QuestionnaireRequest.Status.PARTLY)
# A package before the visit already sent: open, partly or wholly answered.
SENT_OR_ANSWERED = (*UNANSWERED, QuestionnaireRequest.Status.SUBMITTED)


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


def _visits_ahead(today: date) -> QuerySet[Booking]:
    """The booked new visits of open episodes within the invitation's 28 days."""
    return Booking.objects.filter(
        kind=Booking.Kind.NEW_VISIT,
        status=Booking.Status.BOOKED,
        starts_at__date__gt=today,
        starts_at__date__lte=today + timedelta(INVITATION_DAYS),
    ).exclude(episode__state=State.DISCHARGED)


def due_packages(today: date) -> list[tuple[int, int]]:
    """The episodes whose forms before the visit are due today or earlier
    and not yet sent: (episode id, unit id), one query."""
    sent = QuestionnaireRequest.objects.filter(
        episode=OuterRef("episode_id"),
        time_point__in=BEFORE,
        status__in=SENT_OR_ANSWERED,
    )
    rows = (
        _visits_ahead(today)
        .filter(~Exists(sent))
        .order_by("starts_at", "pk")
        .values_list("episode_id", "unit_id")
    )
    return list(dict.fromkeys(rows))


def send_due_packages(today: date) -> list[QuestionnaireRequest]:
    """Send the unit's package before the visit to each episode due one
    (see `due_packages`), as the unit: no person, the outbox as the audit's
    actor. A package the rules refuse (an instrument's wording not imported,
    the episode closed meanwhile) is left for the office: its worklist flags
    unanswered forms a week before the visit."""
    due = due_packages(today)
    if not due:
        return []
    time_points = questionnaires.time_points_before_the_visit(
        unit_ids=sorted({unit_id for _episode, unit_id in due})
    )
    episodes = Episode.objects.select_related("unit").in_bulk(
        [episode_id for episode_id, _unit in due]
    )
    sent: list[QuestionnaireRequest] = []
    for episode_id, unit_id in due:
        if unit_id not in time_points:
            continue  # the unit sends no forms before the visit
        try:
            link = questionnaires.send_package_for_the_unit(
                episode=episodes[episode_id],
                time_point=time_points[unit_id],
                actor=services.OUTBOX_WORKER,
                today=today,
            )
        except questionnaires.QuestionnaireRefused:
            continue
        sent.append(link.request)
    return sent


def follow_moved_visits(today: date, *, request_ids: list[int] | None = None) -> int:
    """An unanswered request before a visit stays valid until the visit (a
    visit moved later, or forms sent early): its last day follows the visit,
    as far after it as a package sent 28 days before reaches. The number of
    requests extended; `request_ids` limits it to those (a print batch's
    fresh codes)."""
    requests = QuestionnaireRequest.objects.filter(
        time_point__in=BEFORE, status__in=UNANSWERED, expires_on__gte=today
    )
    if request_ids is not None:
        requests = requests.filter(pk__in=request_ids)
    visits = dict(
        Booking.objects.filter(
            kind=Booking.Kind.NEW_VISIT,
            status=Booking.Status.BOOKED,
            starts_at__date__gt=today,
            episode_id__in=requests.values("episode_id"),
        )
        .order_by("starts_at")
        .values_list("episode_id", "starts_at")
    )
    reach: dict[int, timedelta] = {}
    extend: dict[date, list[tuple[int, int, int]]] = {}
    for request_id, unit_id, episode_id, patient_id, expires_on in requests.filter(
        episode_id__in=visits
    ).values_list("pk", "unit_id", "episode_id", "episode__patient_id", "expires_on"):
        if unit_id not in reach:
            days = form_settings(unit=unit_id).expiry_days - INVITATION_DAYS
            reach[unit_id] = timedelta(max(0, days))
        last_day = timezone.localdate(visits[episode_id]) + reach[unit_id]
        if expires_on < last_day:
            extend.setdefault(last_day, []).append((request_id, unit_id, patient_id))
    # One update per new last day and one audit row per unit, as
    # `expire_requests` writes them: a first sweep may extend many.
    with transaction.atomic():
        for last_day, rows in extend.items():
            QuestionnaireRequest.objects.filter(
                pk__in=[pk for pk, _unit, _patient in rows], expires_on__lt=last_day
            ).update(expires_on=last_day)
        units: dict[int, list[int]] = {}
        for rows in extend.values():
            for _pk, unit_id, patient_id in rows:
                units.setdefault(unit_id, []).append(patient_id)
        for unit_id, patients in sorted(units.items()):
            record(
                by=services.OUTBOX_WORKER,
                unit=unit_id,
                action=Action.UPDATE,
                patients=sorted(set(patients)),
                what="questionnaire link follows the moved visit",
            )
    return sum(len(rows) for rows in extend.values())


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
    due = _reminders_after_their_notice(due, today)
    queued = set(
        Message.objects.filter(key__in=[d.key for d in due]).values_list(
            "key", flat=True
        )
    )
    return [d for d in due if d.key not in queued]


def _reminders_after_their_notice(due: list[Due], today: date) -> list[Due]:
    """A reminder is due only REMINDER_DAYS after the notice it reminds of
    was sent (never in the same sweep as its notice): one query."""
    reminded = {
        d.request_id for d in due if d.kind == Message.Kind.QUESTIONNAIRE_REMINDER
    }
    if not reminded:
        return due
    first_sent: dict[int, date] = {}
    for request_id, sent_at in (
        Message.objects.filter(
            kind__in=[
                Message.Kind.QUESTIONNAIRE_INVITATION,
                Message.Kind.REGISTRY_12_MONTHS,
            ],
            state__in=[Message.State.SENT, Message.State.DELIVERED],
            about__request__in=sorted(reminded),
        )
        .order_by("sent_at")
        .values_list("about__request", "sent_at")
    ):
        first_sent.setdefault(int(request_id), timezone.localdate(sent_at))
    return [
        d
        for d in due
        if d.kind != Message.Kind.QUESTIONNAIRE_REMINDER
        or (
            d.request_id in first_sent
            and first_sent[d.request_id] + timedelta(REMINDER_DAYS) <= today
        )
    ]


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
    follow_moved_visits(today)
    expire_requests(today=today)
    send_due_packages(today)
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


def invitation_posted_on(episode_id: int) -> date | None:
    """The day the episode's invitation letter was first posted (final: only
    a final letter is dispatched; one marked out of date since, by a moved
    visit, still carried the code), or None when none has been."""
    sent_at = (
        LetterDispatch.objects.filter(
            letter__episode_id=episode_id, letter__kind=LetterKind.INVITATION
        )
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return timezone.localdate(sent_at) if sent_at else None


def not_before(message: Message, now: datetime) -> datetime | None:
    """A notice of the forms before the visit says the patient has a letter
    with the code: it waits until the morning after the invitation letter
    was posted (until then, to the next morning, and is decided again)."""
    posted_on = invitation_posted_on(message.episode_id) if message.episode_id else None
    if posted_on is None:
        return services.morning_after(timezone.localdate(now))
    return services.morning_after(posted_on)


for _kind in (
    Message.Kind.QUESTIONNAIRE_INVITATION,
    Message.Kind.QUESTIONNAIRE_REMINDER,
):
    services.register_wait(_kind, not_before)

for _kind in (
    Message.Kind.QUESTIONNAIRE_INVITATION,
    Message.Kind.QUESTIONNAIRE_REMINDER,
    Message.Kind.REGISTRY_12_MONTHS,
):
    services.register_check(_kind, still_due)
