"""Queue, send, cancel and resend messages; the one way anything leaves.

A worker claims a message with a compare-and-set on its state (queued →
sending), so two workers taking the same message at the same moment send it
once. A message is decided from the state at the moment of sending: each kind
has a check ("still due?") and a message no longer due is cancelled with the
reason instead of sent. A worker killed mid-send leaves its message in
"sending"; `recover_stale` marks it failed with "not known whether it was
sent" for staff to check and resend — never resent blindly, since the
channel may have taken it.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.core.refusals import Refused
from painrehab.outbox.channels import ELECTRONIC, SendFailed, channel
from painrehab.outbox.models import Channel, ContactPreference, Message
from painrehab.patients.models import Patient

MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=10)  # doubled after each failed attempt
STALE_AFTER = timedelta(minutes=10)  # a claim older than this: the worker died
SEND_AT = time(9, 0)  # notices go out in the morning, never at night
SEND_UNTIL = time(20, 0)  # a notice sent again later waits for the morning

State = Message.State


class OutboxRefused(Refused):
    """A send or retry the rules refuse."""


class _OutboxWorker:
    """The actor of audit rows written by the workers and the sweep."""

    pk = None

    def get_username(self) -> str:
        return "outbox"


OUTBOX_WORKER = _OutboxWorker()

# kind -> "why it is no longer due" ('' when it still is), registered by the
# apps that queue that kind (see sweep.py).
_STILL_DUE: dict[str, Callable[[Message, datetime], str]] = {}


def register_check(kind: str, check: Callable[[Message, datetime], str]) -> None:
    _STILL_DUE[kind] = check


# kind -> the earliest moment the message may go (None: now), e.g. a notice
# of a letter waits until the day after the letter was posted.
_NOT_BEFORE: dict[str, Callable[[Message, datetime], datetime | None]] = {}


def register_wait(
    kind: str, not_before: Callable[[Message, datetime], datetime | None]
) -> None:
    _NOT_BEFORE[kind] = not_before


def waits_until(message: Message, now: datetime) -> datetime | None:
    """When a message that is due must wait for (None: it may go now)."""
    check = _NOT_BEFORE.get(message.kind)
    later = check(message, now) if check else None
    return later if later is not None and later > now else None


def morning_after(day: date) -> datetime:
    """SEND_AT on the day after `day`: when a notice of a letter posted on
    `day` may go out at the earliest."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), SEND_AT))


def reason_not_due(message: Message, now: datetime) -> str:
    """Why the message is no longer due, from its kind's check ('' when it is)."""
    check = _STILL_DUE.get(message.kind)
    return check(message, now) if check else ""


def preference_of(patient: Patient) -> ContactPreference | None:
    return ContactPreference.objects.filter(patient=patient).first()


def electronic_route(patient: Patient) -> tuple[str, str] | None:
    """The channel and address for a notice by e-mail or SMS, or None (post
    only: no consent, no address, or protected identity)."""
    preference = preference_of(patient)
    if preference is None or preference.protected_identity:
        return None
    if preference.sms_consent and patient.phone:
        return Channel.SMS, patient.phone
    if preference.email_consent and patient.email:
        return Channel.EMAIL, patient.email
    return None


def save_contact_preference(
    *,
    by: Membership,
    patient: Patient,
    sms_consent: bool,
    email_consent: bool,
    mailbox_consent: bool,
    protected_identity: bool,
) -> ContactPreference:
    """Record how the patient may be told; protected identity means post only."""
    if protected_identity:
        sms_consent = email_consent = mailbox_consent = False
    with transaction.atomic():
        preference, created = ContactPreference.objects.update_or_create(
            patient=patient,
            defaults={
                "sms_consent": sms_consent,
                "email_consent": email_consent,
                "mailbox_consent": mailbox_consent,
                "protected_identity": protected_identity,
                "recorded_by": by.user,
            },
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE if created else Action.UPDATE,
            patients=[patient.pk],
            obj=preference,
            what="contact preference",
        )
    return preference


def queue_message(
    *,
    patient: Patient,
    kind: str,
    channel_name: str,
    recipient: str,
    send_after: datetime,
    subject: str = "",
    text: str = "",
    letter_id: int | None = None,
    episode_id: int | None = None,
    about: dict | None = None,
    key: str | None = None,
    by: Membership | None = None,
) -> tuple[Message, bool]:
    """Queue one message; with a `key`, a second call queues nothing and
    returns the first (False)."""
    if key is not None:
        existing = Message.objects.filter(key=key).first()
        if existing is not None:
            return existing, False
    with transaction.atomic():
        message = Message.objects.create(
            unit_id=patient.unit_id,
            patient=patient,
            episode_id=episode_id,
            kind=kind,
            channel=channel_name,
            recipient=recipient,
            subject=subject,
            text=text,
            letter_id=letter_id,
            about=about or {},
            key=key,
            send_after=send_after,
            created_by=by.user if by else None,
        )
        record(
            by=by.user if by else OUTBOX_WORKER,
            unit=patient.unit_id,
            action=Action.CREATE,
            patients=[patient.pk],
            obj=message,
            what=f"message queued: {kind} by {channel_name}",
        )
    return message, True


def claim(message_id: int, now: datetime) -> bool:
    """Take the message for sending; False when another worker has it or it
    is not due."""
    return (
        Message.objects.filter(
            pk=message_id,
            state=State.QUEUED,
            send_after__lte=now,
            channel__in=ELECTRONIC,
        ).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def send_one(message_id: int, *, now: datetime | None = None) -> str | None:
    """Send one queued message if this worker wins it; returns its new state
    (None when another worker had it)."""
    now = now or timezone.now()
    if not claim(message_id, now):
        return None
    message = Message.objects.select_related("patient").get(pk=message_id)
    reason = reason_not_due(message, now)
    if reason:
        _finish(
            message,
            State.CANCELLED,
            error=reason,
            what=f"message not due: {message.kind} by {message.channel}",
        )
        return State.CANCELLED
    later = waits_until(message, now)
    if later is not None:  # decided again then; this was no attempt
        _finish(
            message,
            State.QUEUED,
            error=_("Waits until the day after the letter is posted."),
            what=f"message will be tried again: {message.kind} by {message.channel}",
            send_after=later,
            attempts=F("attempts") - 1,
        )
        return State.QUEUED
    try:
        sent = channel(message.channel).send(message)
    except SendFailed as failure:
        if failure.permanent or message.attempts >= MAX_ATTEMPTS:
            _finish(
                message,
                State.FAILED,
                error=failure.reason,
                what=f"message failed: {message.kind} by {message.channel}",
            )
            return State.FAILED
        retry = now + RETRY_AFTER * (2 ** (message.attempts - 1))
        _finish(
            message,
            State.QUEUED,
            error=failure.reason,
            what=f"message will be tried again: {message.kind} by {message.channel}",
            send_after=retry,
        )
        return State.QUEUED
    _finish(
        message,
        State.SENT,
        what=f"message sent: {message.kind} by {message.channel}",
        sent_at=now,
        provider_id=sent.provider_id,
    )
    return State.SENT


def _finish(
    message: Message, state: str, *, what: str, error: str = "", **fields: object
) -> None:
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, state=State.SENDING).update(
            state=state, last_error=error[:300], **fields
        )
        record(
            by=OUTBOX_WORKER,
            unit=message.unit_id,
            action=Action.UPDATE,
            patients=[message.patient_id],
            obj=message,
            what=what,
        )


def stop_not_due(message: Message, *, reason: str) -> None:
    """A queued post message no longer due when the print batch is made."""
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, state=State.QUEUED).update(
            state=State.CANCELLED, last_error=reason[:300]
        )
        record(
            by=OUTBOX_WORKER,
            unit=message.unit_id,
            action=Action.UPDATE,
            patients=[message.patient_id],
            obj=message,
            what=f"message not due: {message.kind} by {message.channel}",
        )


def mark_posted(
    message: Message, *, by: Membership, now: datetime | None = None
) -> None:
    """The letter of a queued post message went out in the printed batch."""
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, state=State.QUEUED).update(
            state=State.SENT, sent_at=now or timezone.now(), attempts=F("attempts") + 1
        )
        record(
            by=by.user,
            unit=message.unit_id,
            action=Action.UPDATE,
            patients=[message.patient_id],
            obj=message,
            what=f"message sent: {message.kind} by {message.channel}",
        )


def due_ids(now: datetime, *, limit: int = 500) -> list[int]:
    return list(
        Message.objects.filter(
            state=State.QUEUED, send_after__lte=now, channel__in=ELECTRONIC
        )
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def send_due(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """One worker's round: every due message it wins; counts by new state."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for message_id in due_ids(now, limit=limit):
        state = send_one(message_id, now=now)
        if state is not None:
            counts[state] = counts.get(state, 0) + 1
    return counts


def recover_stale(*, now: datetime | None = None) -> int:
    """Messages a dead worker left in "sending": failed, for a person to check."""
    now = now or timezone.now()
    stale = list(
        Message.objects.filter(
            state=State.SENDING, claimed_at__lt=now - STALE_AFTER
        ).select_related("patient")
    )
    for message in stale:
        _finish(
            message,
            State.FAILED,
            error=_("Not known whether it was sent: check before you send it again."),
            what=f"message left unfinished: {message.kind} by {message.channel}",
        )
    return len(stale)


def record_delivery_report(
    *, provider_id: str, status: str, now: datetime | None = None
) -> Message | None:
    """The SMS provider reports that a sent message was delivered or not
    (46elks' `whendelivered` call): the message becomes delivered, or failed
    with the reason, audited. None when no sent SMS has that id; a report
    for a message already reported changes nothing."""
    now = now or timezone.now()
    message = (
        Message.objects.filter(channel=Channel.SMS, provider_id=provider_id)
        .exclude(provider_id="")
        .first()
    )
    if message is None:
        return None
    delivered = status == "delivered"
    fields: dict[str, object] = (
        {"state": State.DELIVERED, "delivered_at": now}
        if delivered
        else {
            "state": State.FAILED,
            "last_error": _("The provider could not deliver the SMS (%(status)s).")
            % {"status": status[:40]},
        }
    )
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, state=State.SENT).update(
            **fields
        )
        if changed:
            what = (
                f"message delivered: {message.kind} by {message.channel}"
                if delivered
                else f"message not delivered: {message.kind} by {message.channel}"
            )
            record(
                by=OUTBOX_WORKER,
                unit=message.unit_id,
                action=Action.UPDATE,
                patients=[message.patient_id],
                obj=message,
                what=what,
            )
    message.refresh_from_db()
    return message


def cancel(*, by: Membership, message: Message) -> None:
    with transaction.atomic():
        changed = Message.objects.filter(
            pk=message.pk, state__in=[State.QUEUED, State.FAILED]
        ).update(state=State.CANCELLED, last_error=_("Cancelled by staff."))
        if changed != 1:
            raise OutboxRefused(_("Only a queued or failed message can be cancelled."))
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[message.patient_id],
            obj=message,
            what=f"message cancelled: {message.kind}",
        )


def next_sending_time(now: datetime) -> datetime:
    """When a notice may go out: now in the daytime (from SEND_AT, the
    sweep's morning hour, until SEND_UNTIL), otherwise at the next SEND_AT;
    never at night. Like the sweep, no rule for weekends."""
    local = timezone.localtime(now)
    morning = timezone.make_aware(datetime.combine(local.date(), SEND_AT))
    if local < morning:
        return morning
    if local.time() < SEND_UNTIL:
        return now
    return timezone.make_aware(
        datetime.combine(local.date() + timedelta(days=1), SEND_AT)
    )


def resend(*, by: Membership, message: Message, now: datetime | None = None) -> Message:
    """A failed or cancelled message again, once: a new message, at the next
    allowed sending time, that supersedes it (the old one stays as it was,
    for the history). A second resend of the same message is refused."""
    if message.state not in (State.FAILED, State.CANCELLED):
        raise OutboxRefused(_("Only a failed or cancelled message can be sent again."))
    refused = OutboxRefused(_("The message has been sent again already."))
    if message.superseded_by_id is not None:
        raise refused
    with transaction.atomic():
        again, _created = queue_message(
            patient=message.patient,
            kind=message.kind,
            channel_name=message.channel,
            recipient=message.recipient,
            send_after=next_sending_time(now or timezone.now()),
            subject=message.subject,
            text=message.text,
            letter_id=message.letter_id,
            episode_id=message.episode_id,
            about=message.about,
            by=by,
        )
        linked = Message.objects.filter(
            pk=message.pk, superseded_by__isnull=True
        ).update(superseded_by=again)
        if linked != 1:  # another click won: this copy is rolled back
            raise refused
    message.superseded_by = again
    return again
