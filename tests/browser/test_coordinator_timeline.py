"""In Debian's Chromium: the coordinator logs in, finds a patient and sees the timeline."""

from pathlib import Path

import pytest

from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_opens_a_patient_and_sees_the_timeline(
    live_server, page, coordinator, physician, episode_a
):
    move_episode(
        episode=episode_a,
        to=State.TRIAGED,
        by=physician,
        note="Nybesök läkare + fysioterapeut",
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1200, "height": 800})
    page.goto(f"{live_server.url}/")
    page.get_by_label("Användarnamn").fill("coordinator_a")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()

    page.get_by_role("heading", name="Arbetslista").wait_for()
    page.screenshot(path=SCREENSHOTS / "worklist.png", full_page=True)
    page.get_by_role("link", name="Patienter").click()
    page.get_by_label("Sök på personnummer eller namn").fill("Andersson")
    page.get_by_role("link", name="Andersson, Anna").click()

    page.get_by_role("heading", name="Anna Andersson").wait_for()
    timeline = page.locator("ol.timeline li")
    assert timeline.count() == 2
    assert "Remiss mottagen" in timeline.nth(0).inner_text()
    assert "Nybesök läkare + fysioterapeut" in timeline.nth(1).inner_text()
    page.screenshot(path=SCREENSHOTS / "patient_timeline.png", full_page=True)

    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=SCREENSHOTS / "patient_timeline_phone.png", full_page=True)
