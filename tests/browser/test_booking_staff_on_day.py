"""In Chromium: a visit booked with a physician whose access ends before the
visit's day is refused beside the physician field, with everything typed kept;
choosing a physician who works that day books it."""

from datetime import timedelta
from pathlib import Path

import pytest

from painrehab.accounts.models import Membership, User
from painrehab.pathway.models import Booking
from painrehab.steps.triage.services import triage_referral

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "test-password-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_physician_without_access_on_the_visit_day_is_refused_beside_the_field(
    live_server, browser, episode_a, coordinator, physician, unit_a, today, working_day
):
    SCREENSHOTS.mkdir(exist_ok=True)
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    visit_day = working_day(today + timedelta(days=21))
    leaving = User.objects.create_user(
        username="leaving", password=PASSWORD, first_name="Lena", last_name="Lämnar"
    )
    Membership.all_periods.create(
        user=leaving,
        unit=unit_a,
        profession="physician",
        valid_until=visit_day - timedelta(days=1),
    )

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("coordinator_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()

    page.goto(f"{live_server.url}{episode_a.get_absolute_url()}")
    page.get_by_role("link", name="Boka nybesök").click()
    page.get_by_label("Datum").fill(visit_day.isoformat())
    page.get_by_label("Tid").fill("10:15")
    page.get_by_label("Längd (minuter)").fill("45")
    page.get_by_label("Läkare").select_option(label="Lena Lämnar")
    page.get_by_label("På plats eller video").select_option("video")
    page.get_by_role("button", name="Boka").click()

    message = f"Lena Lämnar har ingen behörighet till enheten {visit_day.isoformat()}."
    field = page.locator(".field.has-error")
    field.get_by_text(message).wait_for()
    assert field.locator("select").get_attribute("name") == "physician"
    assert page.get_by_label("Datum").input_value() == visit_day.isoformat()
    assert page.get_by_label("Tid").input_value() == "10:15"
    assert page.get_by_label("Längd (minuter)").input_value() == "45"
    assert page.get_by_label("På plats eller video").input_value() == "video"
    page.screenshot(path=SCREENSHOTS / "booking_staff_not_on_day.png", full_page=True)
    assert not Booking.objects.exists()

    page.get_by_label("Läkare").select_option(label="Physician_A Testsson")
    page.get_by_role("button", name="Boka").click()
    page.get_by_text("Besöket är bokat.").wait_for()
    booking = Booking.objects.get()
    assert (booking.staff_id, booking.minutes, booking.mode) == (
        physician.user_id,
        45,
        "video",
    )
