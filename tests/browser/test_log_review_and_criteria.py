"""In Chromium: the log review's pages keep the filters chosen, and the
criteria page refuses an emptied criterion beside its row, keeping what was
typed, and deletes only a criterion ticked for removal."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from painrehab.audit.services import Action, record
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import CriteriaSet
from tests.browser.journey import login

SHOTS = Path("/tmp/shots-review-criteria")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]


def test_the_next_page_of_a_filtered_log_shows_the_same_filtered_list(
    live_server, browser, coordinator, physician, patient_a, unit_a, today
):
    SHOTS.mkdir(exist_ok=True)
    for by, count in [(physician, 130), (coordinator, 120)]:
        for _ in range(count):
            record(
                by=by.user,
                unit=unit_a,
                action=Action.VIEW,
                patients=[patient_a.pk],
                what="patient page",
            )
    number = patient_a.personnummer
    page = login(browser, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/logg/")
    page.get_by_label("Användare").select_option(str(physician.user_id))
    page.get_by_label("Patient (personnummer)").fill(f"{number[:8]}-{number[8:]}")
    page.get_by_label("Från").fill((today - timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Filtrera").click()
    page.get_by_text("Sida 1 av 2").wait_for()
    page.get_by_role("link", name="Nästa ›").click()
    page.get_by_text("Sida 2 av 2").wait_for()

    query = parse_qs(urlsplit(page.url).query)
    assert query["page"] == ["2"]
    assert query["user"] == [str(physician.user_id)]
    users = page.locator("table.list tbody tr td:nth-child(2)").all_inner_texts()
    assert len(users) == 30
    assert set(users) == {"physician_a"}
    expect(page.get_by_label("Användare")).to_have_value(str(physician.user_id))
    expect(page.get_by_label("Patient (personnummer)")).to_have_value(number)
    expect(page.get_by_label("Från")).to_have_value(
        (today - timedelta(days=7)).isoformat()
    )
    page.screenshot(path=SHOTS / "log_review_page_2_filtered.png", full_page=True)


def test_an_emptied_criterion_is_refused_beside_it_and_a_ticked_one_is_removed(
    live_server, browser, coordinator
):
    SHOTS.mkdir(exist_ok=True)
    current = list(rules.KRT_CRITERIA)
    new = len(current)
    page = login(browser, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/vardforlopp/kriterier/krt/")
    page.get_by_text("Ändra kriterierna").click()
    page.locator("#c-2-text_sv").fill("")
    page.locator("#c-1-text_sv").fill("Min ändrade text")
    page.locator(f"#c-{new}-text_sv").fill("Kunna delta i gruppsamtal på svenska.")
    page.get_by_role("button", name="Spara som ny version").click()

    message = page.locator("#c-2-text_sv-error")
    expect(message).to_have_text(
        "Skriv kriteriets text på svenska, eller kryssa i ”Ta bort kriteriet”."
    )
    expect(page.locator("#c-2-text_sv")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#c-1-text_sv")).to_have_value("Min ändrade text")
    expect(page.locator(f"#c-{new}-text_sv")).to_have_value(
        "Kunna delta i gruppsamtal på svenska."
    )
    expect(page.locator(".error.box")).to_have_count(0)
    assert CriteriaSet.objects.count() == 0
    # The page opens at the field to correct, however far down it is.
    expect(page.locator("#c-2-text_sv")).to_be_focused()
    assert message.is_visible()
    assert page.evaluate("window.scrollY") > 0
    page.screenshot(path=SHOTS / "criteria_emptied_text_refused.png")
    page.screenshot(
        path=SHOTS / "criteria_emptied_text_refused_full.png", full_page=True
    )

    page.locator("#c-2-text_sv").fill(current[2].text_sv)
    page.locator('input[name="c-2-remove"]').check()
    page.get_by_role("button", name="Spara som ny version").click()
    page.get_by_text("Kriterierna är sparade som en ny version.").wait_for()
    saved = [c["text_sv"] for c in CriteriaSet.objects.get().criteria]
    assert current[2].text_sv not in saved
    assert "Min ändrade text" in saved
    assert "Kunna delta i gruppsamtal på svenska." in saved
    assert len(saved) == new  # one removed, one added
