"""The SMS provider's delivery reports: the channel gives the provider the
report URL with the secret; the provider's call marks the message delivered
or failed with the reason, audited; any other call is refused without detail."""

import pytest
from django.conf import settings
from django.utils import timezone

from painrehab.audit.models import AuditEvent
from painrehab.outbox import services
from painrehab.outbox.models import Channel, ContactPreference, Message

SECRET = "a-long-random-secret-of-the-unit-0123456789"


@pytest.fixture
def sent_sms(patient_a, coordinator, sms_provider, settings):  # noqa: ANN001, ANN201
    settings.PAINREHAB_SMS = {**settings.PAINREHAB_SMS, "CALLBACK_SECRET": SECRET}
    patient_a.phone = "+46701740605"
    patient_a.save(update_fields=["phone"])
    ContactPreference.objects.create(
        patient=patient_a, sms_consent=True, recorded_by=coordinator.user
    )
    message, _ = services.queue_message(
        patient=patient_a,
        kind=Message.Kind.LETTER,
        channel_name=Channel.SMS,
        recipient=patient_a.phone,
        send_after=timezone.now(),
        text="Du har formulär att besvara.",
    )
    assert services.send_one(message.pk) == "sent"
    [received] = sms_provider.received
    return Message.objects.get(pk=message.pk), received


def _report_path(received: dict[str, str]) -> str:
    """The path of the URL the provider was told to call."""
    url = received["whendelivered"]
    assert url.startswith(settings.PAINREHAB_PUBLIC_URL.rstrip("/"))
    return url.removeprefix(settings.PAINREHAB_PUBLIC_URL.rstrip("/"))


def test_the_provider_is_given_the_report_url_and_its_delivered_call_counts(
    sent_sms, client
):
    message, received = sent_sms
    path = _report_path(received)
    assert path == f"/utskick/sms-leverans/{SECRET}/"
    response = client.post(path, {"id": message.provider_id, "status": "delivered"})
    assert (response.status_code, response.content) == (204, b"")
    message.refresh_from_db()
    assert message.state == "delivered"
    assert message.delivered_at is not None
    assert AuditEvent.objects.filter(what="message delivered: letter by sms").exists()


def test_a_failed_report_fails_the_message_with_the_reason(sent_sms, client):
    message, received = sent_sms
    client.post(_report_path(received), {"id": message.provider_id, "status": "failed"})
    message.refresh_from_db()
    assert message.state == "failed"
    assert message.last_error == "Operatören kunde inte leverera sms:et (failed)."
    assert AuditEvent.objects.filter(
        what="message not delivered: letter by sms"
    ).exists()


@pytest.mark.parametrize(
    ("secret", "fields"),
    [
        ("wrong-secret", {"status": "delivered"}),
        (SECRET[:-1], {"status": "delivered"}),
        (SECRET, {"status": "delivered", "id": "no-such-id"}),
        (SECRET, {"status": "read"}),
    ],
)
def test_any_other_call_is_refused_without_detail_and_changes_nothing(
    sent_sms, client, secret, fields
):
    message, _received = sent_sms
    response = client.post(
        f"/utskick/sms-leverans/{secret}/", {"id": message.provider_id, **fields}
    )
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert Message.objects.get(pk=message.pk).state == "sent"


def test_without_a_secret_no_report_is_asked_for_or_taken(
    sent_sms, client, settings, sms_provider
):
    message, _received = sent_sms
    settings.PAINREHAB_SMS = {**settings.PAINREHAB_SMS, "CALLBACK_SECRET": ""}
    response = client.post(
        "/utskick/sms-leverans/x/", {"id": message.provider_id, "status": "delivered"}
    )
    assert response.status_code == 404
    again, _ = services.queue_message(
        patient=message.patient,
        kind=Message.Kind.LETTER,
        channel_name=Channel.SMS,
        recipient=message.recipient,
        send_after=timezone.now(),
        text="Påminnelse.",
    )
    services.send_one(again.pk)
    assert "whendelivered" not in sms_provider.received[-1]


def test_a_get_is_refused(client):
    assert client.get(f"/utskick/sms-leverans/{SECRET}/").status_code == 405


def test_staff_see_the_warning_and_the_delivery_reports_in_swedish(
    sent_sms, client, client_for, coordinator
):
    message, received = sent_sms
    client.post(
        _report_path(received), {"id": message.provider_id, "status": "delivered"}
    )
    failed, _ = services.queue_message(
        patient=message.patient,
        kind=Message.Kind.ABSENCE_WARNING,
        channel_name=Channel.SMS,
        recipient=message.recipient,
        send_after=timezone.now(),
        text="Vi skickar ett brev till dig med posten.",
    )
    Message.objects.filter(pk=failed.pk).update(
        state="sent", provider_id="s-failed", sent_at=timezone.now()
    )
    client.post(_report_path(received), {"id": "s-failed", "status": "failed"})
    staff = client_for(coordinator)
    for path in ("/utskick/", f"/utskick/patient/{message.patient_id}/"):
        page = staff.get(path).content.decode()
        assert "Levererat" in page
        assert "Varning om frånvaro före utskrivning" in page
        assert "Misslyckades" in page
        assert "Operatören kunde inte leverera sms:et (failed)." in page
