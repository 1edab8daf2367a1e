"""In Chromium: a staff member sets up the authenticator at the first login,
logs out, logs in with password and code, then with a recovery code, which
then does not work a second time."""

from base64 import b32decode
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import TOTP

SHOTS = Path("/tmp/shots-otp")  # noqa: S108 — screenshots to look at, not data
PASSWORD = "test-password-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_from_key(key: str) -> str:
    """What the phone's app shows now, from the key as typed in by hand."""
    totp = TOTP(b32decode(key.replace(" ", "")))
    totp.time = timezone.now().timestamp()
    return f"{totp.token():06d}"


def _password(page, live_server) -> None:  # noqa: ANN001
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("coordinator_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def _log_out(page) -> None:  # noqa: ANN001
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("heading", name="Logga in").wait_for()


def test_set_up_then_log_in_with_code_and_with_a_recovery_code_once(
    live_server, browser, coordinator, settings, nine_tomorrow
):
    SHOTS.mkdir(exist_ok=True)
    settings.PAINREHAB_REQUIRE_2FA = True
    page = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE"
    ).new_page()

    # First login: the password leads straight to setting up the authenticator.
    nine_tomorrow()
    _password(page, live_server)
    page.get_by_role("heading", name="Ställ in tvåstegsverifiering").wait_for()
    assert page.get_by_role("img", name="QR-kod för autentiseringsappen").is_visible()
    page.screenshot(path=SHOTS / "enrol.png", full_page=True)
    page.goto(f"{live_server.url}/patienter/")  # nothing else is reachable
    page.get_by_role("heading", name="Logga in").wait_for()
    page.goto(f"{live_server.url}/konto/tvastegsverifiering/ny-app/")
    key = page.locator("#manual-key").inner_text()
    page.get_by_label("Kod").fill(_code_from_key(key))
    page.get_by_role("button", name="Aktivera").click()
    page.get_by_role("heading", name="Dina reservkoder").wait_for()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path=SHOTS / "recovery_codes.png", full_page=True)
    page.get_by_role("link", name="Jag har sparat koderna, fortsätt").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()
    _log_out(page)

    # Password and a code from the app.
    nine_tomorrow(minutes=5)
    _password(page, live_server)
    page.get_by_role("heading", name="Ange koden").wait_for()
    page.get_by_label("Kod").fill(
        "000000" if _code_from_key(key) != "000000" else "111111"
    )
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Koden stämmer inte. Försök igen.").wait_for()
    assert page.get_by_label("Kod").input_value() == ""  # a code is not shown again
    page.screenshot(path=SHOTS / "code_step.png", full_page=True)
    nine_tomorrow(minutes=5, seconds=30)
    page.get_by_label("Kod").fill(_code_from_key(key))
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()
    _log_out(page)

    # Password and a recovery code, instead of the app.
    nine_tomorrow(minutes=10)
    _password(page, live_server)
    page.get_by_label("Kod").fill(codes[0])
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()
    page.get_by_text("Du loggade in med en reservkod; 9 finns kvar.").wait_for()
    _log_out(page)

    # The same recovery code again: refused.
    nine_tomorrow(minutes=15)
    _password(page, live_server)
    page.get_by_label("Kod").fill(codes[0])
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Koden stämmer inte. Försök igen.").wait_for()
    page.screenshot(path=SHOTS / "recovery_code_used.png", full_page=True)
    page.goto(f"{live_server.url}/")
    page.get_by_role("heading", name="Logga in").wait_for()
