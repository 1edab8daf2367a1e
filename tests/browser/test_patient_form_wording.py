"""Licensed wording end to end: the unit administrator imports a wording file
(synthetic text), sees a mistake explained, previews the form as the patient
will see it and puts it in use; the patient on a 390 px phone sees the answer
texts (never scores), long questionnaires on pages of at most 15 questions,
and after closing the browser comes back to the first unanswered page."""

import os
from pathlib import Path

import pytest

from painrehab.questionnaires.models import Answer, LicensedWording, Result, TimePoint
from painrehab.questionnaires.sample_wording import install_sample_wordings
from painrehab.questionnaires.scoring import definition
from painrehab.questionnaires.services import save_package, send_package
from tests.browser.journey import login

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "painrehab/questionnaires/tests/samples/hads_exempel.yaml"
)
SHOTS = Path(os.environ.get("PAINREHAB_SHOTS", "/tmp/shots-wording"))
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _phone(browser):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport=PHONE, locale="sv-SE", has_touch=True)
    return context, context.new_page()


def _open(page, link: str) -> None:  # noqa: ANN001
    page.goto(link)
    page.get_by_label("Ditt födelsedatum").fill("19850101")
    page.keyboard.press("Enter")
    page.locator("#progress-label").wait_for()


def test_imported_wording_is_previewed_activated_and_answered_on_a_phone(
    live_server, browser, unit_a, coordinator, episode_a, tmp_path
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # Every other licensed instrument already has a wording in use.
    install_sample_wordings(
        unit=unit_a,
        user=coordinator.user,
        codes=["tsk", "cpaq8", "eq5d5l", "isi", "mpi_s", "pcs", "wai"],
    )
    save_package(
        by=coordinator,
        time_point=TimePoint.REGISTRY_BEFORE,
        codes=["nprs", "hads", "mpi_s"],
    )

    # --- Sending is refused while HADS has no wording, naming it.
    page = login(browser, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/formular/vardforlopp/{episode_a.pk}/skicka/")
    page.get_by_label("Mättillfälle").select_option(TimePoint.REGISTRY_BEFORE)
    page.get_by_role("button", name="Skapa utskick").click()
    hads = definition("hads").name_sv
    page.get_by_text(f"Frågorna i {hads} är inte inlästa").wait_for()
    page.screenshot(path=SHOTS / "send_refused.png", full_page=True)

    # --- The unit administrator: a mistake first, then the right file.
    page.goto(f"{live_server.url}/formular/licensierad-text/hads/")
    page.get_by_role("heading", name="Licensierad formulärtext").first.wait_for()
    page.screenshot(path=SHOTS / "licensed_text_page.png", full_page=True)
    broken = tmp_path / "hads.yaml"
    broken.write_text(
        SAMPLE.read_text().replace(
            '{value: 1, label: "Exempelsvar ibland"}', "{value: 7}"
        )
    )
    page.get_by_label("Fil med formulärtext").set_input_files(broken)
    page.get_by_role("button", name="Läs in för förhandsgranskning").click()
    page.get_by_text("Filen lästes inte in.").wait_for()
    page.get_by_text("värdet ”7” finns inte bland svaren på frågan").wait_for()
    page.screenshot(path=SHOTS / "licensed_text_errors.png", full_page=True)
    assert not LicensedWording.objects.filter(code="hads").exists()

    page.get_by_label("Fil med formulärtext").set_input_files(SAMPLE)
    page.get_by_role("button", name="Läs in för förhandsgranskning").click()
    page.get_by_role("heading", name="Förhandsgranskning").first.wait_for()
    page.get_by_text("Exempelsvar hela tiden").first.wait_for()
    page.screenshot(path=SHOTS / "licensed_text_preview.png", full_page=True)
    page.get_by_role("button", name="Ta i bruk den här versionen").click()
    page.get_by_text("Texten är i bruk").wait_for()
    page.screenshot(path=SHOTS / "licensed_text_in_use.png", full_page=True)
    page.goto(f"{live_server.url}/formular/installningar/")
    page.screenshot(path=SHOTS / "questionnaire_settings.png", full_page=True)

    sent = send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )
    link = f"{live_server.url}/f/{sent.token}/"

    # --- The patient on a 390 px phone.
    context, phone = _phone(browser)
    _open(phone, link)
    phone.locator("#q1 label.option", has_text="4").first.click()
    phone.locator("#s1").get_by_text("Sparad").wait_for()
    phone.get_by_role("button", name="Nästa").click()
    phone.locator("h1", has_text="HADS").wait_for()
    phone.get_by_text("Exempelinstruktion för testerna.").wait_for()
    labels = phone.locator("#q1 label.option").all_inner_texts()
    assert labels == [
        "Exempelsvar hela tiden",
        "Exempelsvar ofta",
        "Exempelsvar ibland",
        "Exempelsvar aldrig",
    ]
    assert "(hads" not in phone.content()
    assert "Licensierad text" not in phone.content()
    assert _no_horizontal_scroll(phone)
    phone.screenshot(path=SHOTS / "patient_hads_390.png", full_page=True)
    phone.screenshot(path=SHOTS / "patient_hads_390_viewport.png")
    phone.locator("#q1 label.option", has_text="Exempelsvar ofta").click()
    phone.locator("#s1").get_by_text("Sparad").wait_for()
    phone.locator("#q2 label.option", has_text="Exempelsvar bara lite").click()
    phone.locator("#s2").get_by_text("Sparad").wait_for()
    phone.get_by_role("button", name="Nästa").click()
    phone.get_by_text("12 frågor är inte besvarade").wait_for()
    phone.get_by_role("button", name="Fortsätt utan att svara").click()
    phone.locator("h1", has_text="MPI-S").wait_for()
    assert "del 1 av 4" in phone.locator("h1").inner_text()
    assert phone.locator("fieldset.question").count() == 13
    assert _no_horizontal_scroll(phone)
    phone.screenshot(path=SHOTS / "patient_mpi_part1_390.png", full_page=True)
    phone.screenshot(path=SHOTS / "patient_mpi_part1_390_viewport.png")
    context.close()  # the patient closes the browser

    stored = set(Answer.objects.values_list("code", "item", "value"))
    assert stored == {("nprs", 1, 4), ("hads", 1, 2), ("hads", 2, 2)}

    # --- Back later on another device: the first page with unanswered questions.
    context, phone = _phone(browser)
    _open(phone, link)
    phone.locator("h1", has_text="HADS").wait_for()
    assert phone.locator("#q1 input[value='2']").is_checked()
    assert phone.locator("#q2 input[value='2']").is_checked()
    phone.screenshot(path=SHOTS / "patient_resumed_390.png")
    phone.goto(f"{live_server.url}/f/svar/?sida=99")
    phone.get_by_label("Skicka de svar jag har gett").check()
    phone.get_by_role("button", name="Skicka svaren").click()
    phone.get_by_role("heading", name="Tack!").wait_for()
    context.close()

    # --- Staff read which wording the patient answered.
    result = Result.objects.get(request=sent.request, code="hads")
    page.goto(f"{live_server.url}/formular/resultat/{result.pk}/")
    page.get_by_text(
        "Exempelversion 2026, påhittad text (enhetens version 1, inläst"
    ).wait_for()
    page.screenshot(path=SHOTS / "result_with_wording.png", full_page=True)
    page.context.close()
