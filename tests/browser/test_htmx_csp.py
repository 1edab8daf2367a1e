"""In Chromium: an htmx save breaks no Content-Security-Policy rule, and no
page asks for an icon that is not there."""

from pathlib import Path

import pytest

from painrehab.accounts.models import Membership, User
from painrehab.pathway.models import Episode
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "test-password-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_htmx_save_gives_no_console_error_and_no_missing_icon(
    live_server, browser, physician, coordinator, episode_a, unit_a
):
    user = User.objects.create_user(
        username="psych_a", password=PASSWORD, first_name="Psyk", last_name="Testsson"
    )
    Membership.objects.create(user=user, unit=unit_a, profession="psychologist")
    episode = Episode.objects.get(pk=episode_a.pk)
    for state, by in [
        (State.TRIAGED, physician),
        (State.WAITING_NEW_VISIT, coordinator),
        (State.NEW_VISIT, physician),
        (State.TEAM_INVESTIGATION, physician),
    ]:
        move_episode(episode=episode, to=state, by=by)
    page = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE"
    ).new_page()
    errors: list[str] = []
    missing: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("psych_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()
    page.goto(f"{live_server.url}/vardforlopp/{episode.pk}/utredning/")
    page.get_by_role("button", name="Spara").first.click()
    page.get_by_text("Skriv något i anteckningen.").wait_for()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "investigation_empty.png", full_page=True)
    page.get_by_label("Sömn").fill("Insomningssvårigheter sedan två år.")
    page.get_by_role("button", name="Spara").first.click()
    page.get_by_text("Anteckningen är sparad.").wait_for()
    page.wait_for_timeout(300)
    assert errors == []
    assert missing == []
    icon = page.evaluate(
        "fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)"
    )
    assert icon == 200
