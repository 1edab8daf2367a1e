"""In Chromium: the unit administrator adds a colleague, who sets a password
through the link and logs in; an access is ended; the log says so in Swedish."""

from pathlib import Path

import pytest
from faker import Faker

from tests.browser.journey import login

SHOTS = Path("/tmp/shots-team")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_adds_a_colleague_who_sets_a_password_and_logs_in(
    live_server, browser, coordinator, physician, today
):
    SHOTS.mkdir(exist_ok=True)
    fake = Faker("sv_SE")
    fake.seed_instance(16)
    first, last = fake.first_name(), fake.last_name()

    page = login(browser, live_server, "coordinator_a")
    page.get_by_role("link", name="Personal", exact=True).click()
    page.get_by_role("heading", name="Personal: Specialistteamet A").wait_for()
    page.get_by_role("link", name="Lägg till personal").click()
    page.get_by_label("Förnamn").fill(first)
    page.get_by_label("Efternamn").fill(last)
    page.get_by_label("Användarnamn").fill("physician_a")  # taken: an error
    page.get_by_label("E-post").fill("ny.kollega@example.se")
    page.get_by_label("Yrkesgrupp").select_option(label="Fysioterapeut")
    page.get_by_role("button", name="Lägg till personal").click()
    page.get_by_text("Användarnamnet är upptaget.").wait_for()
    assert page.get_by_label("Förnamn").input_value() == first
    assert page.get_by_label("E-post").input_value() == "ny.kollega@example.se"
    page.screenshot(path=SHOTS / "add_staff_error.png", full_page=True)

    page.get_by_label("Användarnamn").fill("nykollega")
    page.get_by_role("button", name="Lägg till personal").click()
    page.get_by_role("heading", name="Länk för att välja lösenord").wait_for()
    link = page.get_by_label("Länk").input_value()
    page.screenshot(path=SHOTS / "set_password_link.png", full_page=True)

    # The new colleague opens the link in their own browser.
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 800, "height": 800}
    )
    newcomer = context.new_page()
    newcomer.goto(link)
    newcomer.get_by_role("heading", name="Välj ditt lösenord").wait_for()
    newcomer.screenshot(path=SHOTS / "set_password.png", full_page=True)
    newcomer.locator("#id_new_password1").fill("fysioterapeut2027")
    newcomer.locator("#id_new_password2").fill("fysioterapeut2027")
    newcomer.get_by_role("button", name="Spara lösenord").click()
    newcomer.get_by_text("kollegor skulle gissa").wait_for()
    newcomer.screenshot(path=SHOTS / "set_password_refused.png", full_page=True)
    newcomer.locator("#id_new_password1").fill("rönnbär-kanot-fyrtorn")
    newcomer.locator("#id_new_password2").fill("rönnbär-kanot-fyrtorn")
    newcomer.get_by_role("button", name="Spara lösenord").click()
    newcomer.get_by_label("Användarnamn").fill("nykollega")
    newcomer.get_by_label("Lösenord").fill("rönnbär-kanot-fyrtorn")
    newcomer.get_by_role("button", name="Logga in").click()
    newcomer.get_by_role("heading", name="Arbetslista").wait_for()
    assert newcomer.get_by_role("link", name="Personal", exact=True).count() == 0
    newcomer.get_by_role("link", name="Byt lösenord").click()
    newcomer.get_by_role("heading", name="Byt lösenord").wait_for()
    newcomer.screenshot(path=SHOTS / "change_own_password.png", full_page=True)
    context.close()

    # The administrator ends the physician's access today.
    page.get_by_role("link", name="Tillbaka till personallistan").click()
    page.get_by_role("link", name="Ändra Physician_A Testsson").click()
    page.screenshot(path=SHOTS / "membership.png", full_page=True)
    page.get_by_role("button", name="Avsluta behörigheten").click()
    page.get_by_text(f"upphör efter {today.isoformat()}").wait_for()
    page.screenshot(path=SHOTS / "team_list.png", full_page=True)

    page.get_by_role("link", name="Åtkomstlogg").click()
    page.get_by_text("Behörighet avslutad: physician_a, Läkare").wait_for()
    page.get_by_text("Lösenord valt via länk: nykollega").wait_for()
    assert page.get_by_text("team:").count() == 0
    page.screenshot(path=SHOTS / "access_log.png", full_page=True)

    # The same page in English, on a phone.
    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("heading", name="Staff: Specialistteamet A").wait_for()
    page.get_by_role("heading", name="Access that has ended").wait_for()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "team_list_english_phone.png", full_page=True)
