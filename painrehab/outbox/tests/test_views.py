"""The outbox pages: per day and per patient, stop and resend, how the
patient may be told; 404 for another unit, audited, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painrehab.audit.models import AuditEvent
from painrehab.outbox import services
from painrehab.outbox.models import Channel, ContactPreference, Message


def _queue(patient, n: int = 0) -> Message:  # noqa: ANN001
    message, _ = services.queue_message(
        patient=patient,
        kind=Message.Kind.LETTER,
        channel_name=Channel.SMS,
        recipient=f"+4670123456{n}",
        send_after=timezone.now(),
        text="Du har fått ett brev.",
    )
    return message


def test_the_day_lists_the_units_messages_in_swedish(
    client_for, coordinator, patient_a
):
    _queue(patient_a)
    page = client_for(coordinator).get("/utskick/").content.decode()
    assert "Brev" in page
    assert "<td>SMS</td>" in page  # the channel's label, not its code
    assert "I kö" in page
    assert patient_a.full_name in page
    assert AuditEvent.objects.filter(what="outbox day").exists()


def test_the_days_query_count_does_not_grow_with_its_rows(
    client_for, coordinator, patient_a
):
    client = client_for(coordinator)
    _queue(patient_a)
    client.get("/utskick/")
    with CaptureQueriesContext(connection) as few:
        client.get("/utskick/")
    for n in range(1, 30):
        _queue(patient_a, n)
    with CaptureQueriesContext(connection) as many:
        client.get("/utskick/")
    assert len(many) == len(few)


def test_stop_and_send_again_from_the_patients_page(client_for, coordinator, patient_a):
    message = _queue(patient_a)
    client = client_for(coordinator)
    assert client.post(f"/utskick/{message.pk}/stoppa/").status_code == 302
    assert Message.objects.get(pk=message.pk).state == "cancelled"
    page = client.get(f"/utskick/patient/{patient_a.pk}/").content.decode()
    assert "Skicka igen</button>" in page
    assert client.post(f"/utskick/{message.pk}/skicka-igen/").status_code == 302
    assert Message.objects.filter(state="queued").count() == 1
    page = client.get(f"/utskick/patient/{patient_a.pk}/").content.decode()
    assert "Stoppat" in page
    assert "Skickat igen" in page
    assert "Skicka igen</button>" not in page  # sent again once: no button


def test_a_second_click_on_send_again_queues_no_second_copy(
    client_for, coordinator, patient_a
):
    message = _queue(patient_a)
    client = client_for(coordinator)
    client.post(f"/utskick/{message.pk}/stoppa/")
    client.post(f"/utskick/{message.pk}/skicka-igen/")
    response = client.post(f"/utskick/{message.pk}/skicka-igen/", follow=True)
    assert "redan" in response.content.decode()
    assert Message.objects.filter(state="queued").count() == 1
    again = Message.objects.get(state="queued")
    assert Message.objects.get(pk=message.pk).superseded_by == again


def test_stop_on_the_day_list_returns_to_the_day_list(
    client_for, coordinator, patient_a, today
):
    message = _queue(patient_a)
    client = client_for(coordinator)
    day = f"/utskick/?day={today.isoformat()}&state="
    page = client.get(day).content.decode()
    assert 'name="next"' in page
    response = client.post(f"/utskick/{message.pk}/stoppa/", {"next": day})
    assert response["Location"] == day
    elsewhere = client.post(
        f"/utskick/{message.pk}/skicka-igen/", {"next": "https://example.org/"}
    )
    assert elsewhere["Location"] == f"/utskick/patient/{patient_a.pk}/"


def test_protected_identity_means_post_only_and_hides_the_address(
    client_for, coordinator, patient_a
):
    client = client_for(coordinator)
    response = client.post(
        f"/utskick/patient/{patient_a.pk}/",
        {"sms_consent": "on", "email_consent": "on", "protected_identity": "on"},
    )
    assert response.status_code == 302
    preference = ContactPreference.objects.get(patient=patient_a)
    assert preference.protected_identity
    assert not preference.sms_consent
    assert not preference.email_consent
    page = client.get(f"/patienter/{patient_a.pk}/").content.decode()
    assert patient_a.street_address not in page
    assert "Skyddad identitet" in page or "skyddad" in page.lower()


@pytest.mark.parametrize(
    "path", ["patient/{patient}/", "{message}/stoppa/", "{message}/skicka-igen/"]
)
def test_another_unit_gets_404(
    client_for, other_physician, coordinator, patient_a, path
):
    message = _queue(patient_a)
    client = client_for(other_physician)
    url = "/utskick/" + path.format(patient=patient_a.pk, message=message.pk)
    response = client.post(url) if "patient" not in path else client.get(url)
    assert response.status_code == 404
    assert Message.objects.get(pk=message.pk).state == "queued"


def test_the_day_filter_shows_the_day_shown(client_for, coordinator, today):
    page = client_for(coordinator).get("/utskick/").content.decode()
    assert f'value="{today.isoformat()}"' in page
