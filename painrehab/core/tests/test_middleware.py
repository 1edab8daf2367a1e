"""The client's real address behind trusted proxies, and pages never cached."""

import ipaddress

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.audit.models import AuditEvent
from painrehab.core.middleware import client_address

PROXIES = [ipaddress.ip_network("10.9.0.0/29"), ipaddress.ip_network("::1/128")]


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # Not from a proxy: whatever the header says is ignored.
        ("192.0.2.7", "198.51.100.1", "192.0.2.7"),
        # From the proxy: the right-most address that is not a proxy.
        ("10.9.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.9.0.2", "203.0.113.5, 198.51.100.1, 10.9.0.3", "198.51.100.1"),
        # A client cannot put itself in front by adding to the header.
        ("10.9.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Only proxies, or no header: the proxy is all we know.
        ("10.9.0.2", "10.9.0.3", "10.9.0.2"),
        ("10.9.0.2", "", "10.9.0.2"),
        ("10.9.0.2", "not-an-address", "10.9.0.2"),
        ("::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_address(peer, forwarded, client):
    assert client_address(peer, forwarded, PROXIES) == client


def _login(client, password, address):  # noqa: ANN001, ANN202
    return client.post(
        reverse("login"),
        {"username": "coordinator_a", "password": password},
        REMOTE_ADDR="10.9.0.2",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_the_lockout_and_the_audit_see_the_client(
    settings, coordinator
):
    settings.TRUSTED_PROXIES = ["10.9.0.0/29"]
    client = Client()
    for _ in range(5):
        _login(client, "wrong", "198.51.100.1")
    assert _login(client, "test-password-123", "198.51.100.1").status_code == 429
    # Another client behind the same proxy is not locked out with the first.
    other = Client()
    assert _login(other, "test-password-123", "198.51.100.2").status_code == 302
    other.get("/")
    addresses = set(AuditEvent.objects.values_list("ip_address", flat=True))
    assert "10.9.0.2" not in addresses


def test_without_trusted_proxies_the_header_is_ignored(settings, coordinator):
    settings.TRUSTED_PROXIES = []
    client = Client()
    for address in [
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
        "1.1.1.1",
        "2.2.2.2",
    ]:
        _login(client, "wrong", address)  # all from 10.9.0.2, whatever it claims
    assert _login(client, "test-password-123", "198.51.100.9").status_code == 429


@pytest.mark.parametrize(
    "path",
    ["/", "/patienter/{patient}/", "/vardforlopp/{episode}/", "/konto/logga-in/"],
)
def test_pages_are_never_cached(client_for, coordinator, episode_a, path):
    client = client_for(coordinator)
    response = client.get(
        path.format(patient=episode_a.patient_id, episode=episode_a.pk)
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_attempt_at_another_units_patient_is_logged_for_that_unit(
    client_for, coordinator, episode_b
):
    client = client_for(coordinator)
    assert client.get(f"/patienter/{episode_b.patient_id}/").status_code == 404
    refused = AuditEvent.objects.get(action="refused")
    assert refused.unit_id == episode_b.unit_id  # the owning unit sees it
    assert refused.actor_id == coordinator.user_id
    assert list(refused.patients.values_list("patient_id", flat=True)) == [
        episode_b.patient_id
    ]
    # The answer is the same as for an id that does not exist.
    missing = client.get("/patienter/987654/")
    assert missing.status_code == 404
    assert missing.content == client.get(f"/patienter/{episode_b.patient_id}/").content


def test_any_refused_staff_request_leaves_a_row(client_for, secretary, episode_a):
    client = client_for(secretary)
    before = AuditEvent.objects.filter(action="refused").count()
    response = client.get("/brev/mallar/invitation/")
    assert response.status_code in (403, 404)
    row = AuditEvent.objects.filter(action="refused").latest("at")
    assert AuditEvent.objects.filter(action="refused").count() == before + 1
    assert row.what == f"refused {response.status_code}"
    assert row.object_id == "GET /brev/mallar/invitation/"
    assert row.patients.count() == 0


def test_a_button_address_opened_as_a_page_says_in_swedish_what_to_do(
    client_for, secretary, episode_a
):
    # Found walking the demo: signed in again after the session had ended,
    # the way back led to "Begär komplettering"'s address, and Chromium showed
    # its own English "HTTP ERROR 405" for the empty answer.
    response = client_for(secretary).get(f"/vardforlopp/{episode_a.pk}/komplettering/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "<h1>Sidan kan inte öppnas så här</h1>" in page
    assert "Gå tillbaka till sidan du kom från" in page
    assert 'href="/"' in page
