"""Messages leave through a real SMTP server and an SMS provider's HTTP API;
failures are retried or recorded; staff cancel and resend; every send audited."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from painrehab.audit.models import AuditEvent
from painrehab.outbox import services
from painrehab.outbox.models import Channel, ContactPreference, Message

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LINK_TEXT = (
    "Du har fått formulär att fylla i före ditt besök: https://example.invalid/f/abc/"
)


@pytest.fixture
def reachable(patient_a, coordinator):  # noqa: ANN001, ANN201
    patient_a.phone, patient_a.email = "+46701740605", "anna@example.invalid"
    patient_a.save(update_fields=["phone", "email"])
    ContactPreference.objects.create(
        patient=patient_a,
        sms_consent=True,
        email_consent=True,
        recorded_by=coordinator.user,
    )
    return patient_a


def _queue(patient, channel_name, recipient, **extra):  # noqa: ANN001, ANN003, ANN202
    message, _ = services.queue_message(
        patient=patient,
        kind=Message.Kind.LETTER,
        channel_name=channel_name,
        recipient=recipient,
        subject="Formulär från smärtrehabiliteringen",
        text=LINK_TEXT,
        **{"send_after": timezone.now(), **extra},
    )
    return message


def test_an_email_reaches_the_smtp_server_and_is_audited(reachable, smtp_server):
    message = _queue(reachable, Channel.EMAIL, reachable.email)
    assert services.send_one(message.pk) == "sent"
    [(sender, to, content)] = smtp_server.messages
    assert to == ["anna@example.invalid"]
    assert "fylla i" in content
    message.refresh_from_db()
    assert message.state == "sent"
    assert message.attempts == 1
    assert AuditEvent.objects.filter(what="message sent: letter by email").exists()


def test_an_sms_reaches_the_provider_with_its_credentials(reachable, sms_provider):
    message = _queue(reachable, Channel.SMS, reachable.phone)
    assert services.send_one(message.pk) == "sent"
    assert sms_provider.received == [
        {"from": "Smartrehab", "to": "+46701740605", "message": LINK_TEXT}
    ]
    message.refresh_from_db()
    assert message.provider_id == "s1"


def test_a_provider_error_is_tried_again_later_and_a_refusal_is_final(
    reachable, sms_provider
):
    now = timezone.now()
    message = _queue(reachable, Channel.SMS, reachable.phone, send_after=now)
    sms_provider.answer_status = 503
    assert services.send_one(message.pk, now=now) == "queued"
    message.refresh_from_db()
    assert message.send_after == now + services.RETRY_AFTER
    assert message.last_error == "SMS: HTTP 503"
    assert services.send_one(message.pk, now=now) is None  # not due yet
    sms_provider.answer_status = 400
    assert services.send_one(message.pk, now=now + timedelta(hours=1)) == "failed"
    assert sms_provider.received == []


def test_no_mailbox_operator_fails_with_the_reason(reachable):
    message = _queue(reachable, Channel.MAILBOX, "197001011234")
    assert services.send_one(message.pk) == "failed"
    assert "mailbox" in Message.objects.get(pk=message.pk).last_error


def test_a_message_no_longer_due_is_cancelled_not_sent(reachable, sms_provider):
    services.register_check("test_kind", lambda message, now: "patient answered")
    message, _ = services.queue_message(
        patient=reachable,
        kind="test_kind",
        channel_name=Channel.SMS,
        recipient=reachable.phone,
        send_after=timezone.now(),
        text=LINK_TEXT,
    )
    assert services.send_one(message.pk) == "cancelled"
    assert sms_provider.received == []
    assert Message.objects.get(pk=message.pk).last_error == "patient answered"


def test_a_key_queues_one_message(reachable):
    first = _queue(reachable, Channel.SMS, reachable.phone, key="invitation:1")
    again = _queue(reachable, Channel.SMS, reachable.phone, key="invitation:1")
    assert first.pk == again.pk
    assert Message.objects.count() == 1


def test_protected_identity_gets_post_only(reachable):
    assert services.electronic_route(reachable) == (Channel.SMS, "+46701740605")
    ContactPreference.objects.filter(patient=reachable).update(protected_identity=True)
    assert services.electronic_route(reachable) is None


def test_staff_cancel_and_resend(reachable, coordinator, sms_provider):
    message = _queue(reachable, Channel.SMS, reachable.phone)
    services.cancel(by=coordinator, message=message)
    with pytest.raises(services.OutboxRefused):
        services.cancel(by=coordinator, message=Message.objects.get(pk=message.pk))
    again = services.resend(by=coordinator, message=Message.objects.get(pk=message.pk))
    assert services.send_one(again.pk, now=again.send_after) == "sent"
    assert Message.objects.get(pk=message.pk).state == "cancelled"
    assert len(sms_provider.received) == 1


def test_a_message_is_sent_again_once_and_the_copy_supersedes_it(
    reachable, coordinator
):
    message = _queue(reachable, Channel.SMS, reachable.phone)
    services.cancel(by=coordinator, message=message)
    stopped = Message.objects.get(pk=message.pk)
    again = services.resend(by=coordinator, message=stopped)
    assert Message.objects.get(pk=message.pk).superseded_by == again
    for copy in (stopped, Message.objects.get(pk=message.pk)):
        with pytest.raises(services.OutboxRefused):
            services.resend(by=coordinator, message=copy)
    assert Message.objects.filter(state="queued").count() == 1


@pytest.mark.parametrize(
    ("clock_at", "goes_at"),
    [
        (time(3, 0), (0, time(9, 0))),  # at night: this morning
        (time(11, 30), (0, time(11, 30))),  # in the daytime: now
        (time(22, 45), (1, time(9, 0))),  # in the evening: tomorrow morning
    ],
)
def test_a_message_sent_again_waits_for_the_sending_hours(
    reachable, coordinator, travel, today, clock_at, goes_at
):
    message = _queue(reachable, Channel.SMS, reachable.phone)
    services.cancel(by=coordinator, message=message)
    travel(datetime.combine(today, clock_at, tzinfo=STOCKHOLM))
    again = services.resend(by=coordinator, message=Message.objects.get(pk=message.pk))
    days, at = goes_at
    expected = datetime.combine(today + timedelta(days), at, tzinfo=STOCKHOLM)
    assert again.send_after == expected


def test_a_message_left_sending_by_a_dead_worker_is_failed_for_a_person(reachable):
    now = timezone.now()
    message = _queue(reachable, Channel.SMS, reachable.phone, send_after=now)
    assert services.claim(message.pk, now)  # the worker died after this
    assert services.recover_stale(now=now + timedelta(minutes=5)) == 0
    assert services.recover_stale(now=now + timedelta(minutes=11)) == 1
    message.refresh_from_db()
    assert message.state == "failed"
    assert message.last_error.startswith("Okänt om meddelandet har skickats")


def test_outside_production_sms_and_email_stay_on_this_machine(
    reachable, settings, tmp_path
):
    """The demo's channels: SMS to a log file, e-mail to files (no relay)."""
    from painrehab import settings as project_settings

    assert project_settings.PRODUCTION is False
    assert project_settings.EMAIL_BACKEND.endswith("filebased.EmailBackend")
    assert settings.PAINREHAB_OUTBOX_CHANNELS["sms"].endswith("LocalSmsLog")
    settings.PAINREHAB_OUTBOX_SINK_DIR = tmp_path
    message = _queue(reachable, Channel.SMS, reachable.phone)
    assert services.send_one(message.pk) == "sent"
    assert (tmp_path / "sms.log").read_text(encoding="utf-8") == (
        '{"to": "+46701740605", "message": "' + LINK_TEXT + '"}\n'
    )
