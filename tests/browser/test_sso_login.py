"""In Debian's Chromium against the real test OpenID provider on 127.0.0.1:
a physician signs in with SITHS, lands on the start page and logs out of both;
a patient opens an e-ID link, and someone else's e-ID is refused."""

import pytest
from playwright.sync_api import expect

from painrehab.audit.models import AuditEvent
from painrehab.questionnaires import services
from painrehab.questionnaires.models import SecondFactor, TimePoint
from tests.oidc_provider.fixtures import HSA_PHYSICIAN, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _app(live_server) -> str:  # noqa: ANN001
    # The provider accepts loopback redirect URIs on any port (RFC 8252), by IP.
    return live_server.url.replace("localhost", "127.0.0.1")


def _sign_in_at_provider(page, username: str) -> None:  # noqa: ANN001
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sso_login_lands_on_the_start_page_and_logout_ends_both_sessions(
    live_server, page, sso, physician, episode_a
):
    physician.user.hsa_id = HSA_PHYSICIAN
    physician.user.save()
    app = _app(live_server)
    page.goto(f"{app}/konto/logga-in/")
    page.get_by_role("link", name="Logga in med e-tjänstekort (SITHS)").click()
    _sign_in_at_provider(page, "siths-physician")
    page.wait_for_url(f"{app}/")
    expect(page.locator(".user")).to_contain_text("Physician_A Testsson")
    expect(page.locator(".unit")).to_have_text("Specialistteamet A")
    assert AuditEvent.objects.filter(
        actor_id=physician.user.pk, what="logged in with SITHS (OIDC)"
    ).exists()

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{app}/konto/logga-in/")
    page.goto(f"{app}/")
    page.wait_for_url(f"{app}/konto/logga-in/?next=/")
    # The provider's session ended too: signing on asks for the card again.
    page.get_by_role("link", name="Logga in med e-tjänstekort (SITHS)").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()


def test_patient_opens_an_e_id_link_and_someone_else_is_refused(
    live_server, browser, eid, coordinator, episode_a
):
    from painrehab.questionnaires.sample_wording import install_sample_wordings

    install_sample_wordings(unit=coordinator.unit, user=coordinator.user)
    services.save_form_settings(
        by=coordinator, second_factor=SecondFactor.EID, expiry_days=14
    )
    sent = services.send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )
    link = f"{_app(live_server)}/f/{sent.token}/"

    stranger = browser.new_context(locale="sv-SE").new_page()
    stranger.goto(link)
    stranger.get_by_role("button", name="Legitimera dig med e-legitimation").click()
    _sign_in_at_provider(stranger, "bankid-someone-else")
    expect(
        stranger.get_by_role("heading", name="Formuläret är till någon annan")
    ).to_be_visible()
    assert "Andersson" not in stranger.content()

    patient = browser.new_context(locale="sv-SE").new_page()
    patient.goto(link)
    patient.get_by_role("button", name="Legitimera dig med e-legitimation").click()
    _sign_in_at_provider(patient, "bankid-patient-a")
    patient.wait_for_url(f"{_app(live_server)}/f/svar/")
    expect(patient.get_by_role("button", name="Nästa")).to_be_visible()
    assert AuditEvent.objects.filter(what="patient opened questionnaire").count() == 1
    assert AuditEvent.objects.filter(
        what="e-ID refused: personnummer is not the link's patient"
    ).exists()
