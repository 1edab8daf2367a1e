"""In Chromium at 1280 px: a full day's attendance grid stays inside its own
scroll container, and an error under the last column wraps inside its cell
where it can be read."""

from datetime import time, timedelta
from pathlib import Path

import pytest

from painrehab.core.dates import week_monday
from painrehab.programmes.models import Session
from painrehab.programmes.services.cohorts import add_participant, create_cohort
from painrehab.programmes.services.templates import ensure_default_templates
from painrehab.programmes.tests.factories import PASSWORD, aware, decided_episode

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A real programme day: six sessions, the names as long as the template's.
SESSIONS = [
    (time(8), "Promenad/stavgång"),
    (time(9), "Beteendeanalys"),
    (time(10), "Aktivitetsbalans: enskilt samtal"),
    (time(10, 30), "Planering inför återgång i arbete"),
    (time(10, 45), "Planering inför återgång i arbete"),
    (time(12, 45), "Teorilektion: fysisk träning och Borg RPE-skala"),
]


def _day_of_six_sessions(unit, physician, coordinator, today):  # noqa: ANN001, ANN202
    template = next(
        t for t in ensure_default_templates(unit) if t.key == "specialist_5_weeks"
    )
    start = week_monday(today) - timedelta(weeks=1)
    cohort = create_cohort(by=coordinator, template=template, start=start)
    for number in range(6):
        episode = decided_episode(
            unit=unit,
            physician=physician,
            coordinator=coordinator,
            decided_at=aware(start - timedelta(days=40 - number)),
            first_name="Christina",
            last_name=f"Dahlberg-Henriksson {number}",
        )
        add_participant(
            by=coordinator,
            cohort=cohort,
            episode=episode,
            now=aware(start - timedelta(days=7)),
        )
    participants = list(cohort.participants.all())
    for starts, name in SESSIONS:
        session = Session.objects.create(
            unit=unit,
            cohort=cohort,
            activity_key=name,
            activity_name=name,
            date=start,
            start=starts,
            end=time(starts.hour + 1),
            attendees="all",
        )
        session.participants.set(participants)
    return cohort, start


def test_an_error_in_the_last_column_is_readable_at_1280_px(
    live_server, browser, unit_a, physician, coordinator, today
):
    SCREENSHOTS.mkdir(exist_ok=True)
    cohort, day = _day_of_six_sessions(unit_a, physician, coordinator, today)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("coordinator_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()

    page.goto(
        f"{live_server.url}/program/kohort/{cohort.pk}/narvaro/?dag={day.isoformat()}"
    )
    # A value that is not in the list (a tampered form) under the last session.
    last = page.locator("table.attendance tbody tr").first.locator("select").last
    last.evaluate(
        "select => { select.add(new Option('påhittat', 'hittepå')); "
        "select.value = 'hittepå'; }"
    )
    page.get_by_role("button", name="Spara närvaro").click()
    error = page.get_by_text("Välj en av närvarostatusarna i listan.")
    error.wait_for()
    page.screenshot(path=SCREENSHOTS / "attendance_grid_error.png", full_page=True)

    box = error.evaluate(
        """error => {
            const rect = e => e.getBoundingClientRect();
            const cell = error.closest('td'), wrap = error.closest('.week-wrap');
            const range = document.createRange();
            range.selectNodeContents(error);
            return {
                text: rect(range), cell: rect(cell), wrap: rect(wrap),
                wrapScrolls: wrap.scrollWidth > wrap.clientWidth,
                pageWidth: document.documentElement.scrollWidth,
            };
        }"""
    )
    # The page itself never scrolls sideways: the grid has its own container.
    assert box["pageWidth"] <= 1280
    # The message wraps inside its own cell ...
    assert box["text"]["left"] >= box["cell"]["left"]
    assert box["text"]["right"] <= box["cell"]["right"]
    # ... and a day of six sessions fits: the message is in view, not scrolled off.
    assert box["text"]["right"] <= box["wrap"]["right"]
    assert box["text"]["right"] <= 1280
    assert box["wrapScrolls"] is False
    context.close()
