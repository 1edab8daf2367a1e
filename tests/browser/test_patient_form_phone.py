"""On a 360 × 740 phone: open the link, confirm the birth date, answer part,
close, reopen in a new browser context and find the answers kept, submit
twice, and exactly one answer set is stored."""

from pathlib import Path

import pytest

from painrehab.questionnaires.models import (
    Answer,
    QuestionnaireRequest,
    Result,
    TimePoint,
)
from painrehab.questionnaires.services import save_package, send_package

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wordings_a(unit_a, coordinator):  # noqa: ANN001, ANN201
    """Synthetic wording in use for every licensed instrument in unit A."""
    from painrehab.questionnaires.sample_wording import install_sample_wordings

    return install_sample_wordings(unit=unit_a, user=coordinator.user)


def _phone(browser, console_errors):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport=PHONE, locale="sv-SE", has_touch=True)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    return context, page


NPRS_HEADING = "Smärtintensitet (NRS 0–10), genomsnitt senaste veckan"


def _open_link(page, url, heading=NPRS_HEADING):  # noqa: ANN001, ANN202
    page.goto(url)
    page.get_by_label("Ditt födelsedatum").fill("19850101")
    page.keyboard.press("Enter")  # keyboard only: Enter submits
    page.locator("h1", has_text=heading).wait_for()


def _no_horizontal_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_patient_answers_on_a_phone_resumes_elsewhere_and_submits_once(
    live_server, browser, coordinator, episode_a, wordings_a
):
    SCREENSHOTS.mkdir(exist_ok=True)
    save_package(
        by=coordinator,
        time_point=TimePoint.REGISTRY_BEFORE,
        codes=["nprs", "tsk", "hads"],
    )
    sent = send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )
    link = f"{live_server.url}/f/{sent.token}/"
    errors: list[str] = []

    context, page = _phone(browser, errors)
    page.goto(link)
    assert "Anna" not in page.content()
    assert "Andersson" not in page.content()
    page.screenshot(path=SCREENSHOTS / "patient_form_start.png", full_page=True)
    page.get_by_label("Ditt födelsedatum").fill("1985-13-01")
    page.keyboard.press("Enter")
    page.get_by_text("Det är inget giltigt datum").wait_for()
    page.screenshot(path=SCREENSHOTS / "patient_form_bad_date.png", full_page=True)
    _open_link(page, link)
    assert sent.token not in page.url

    page.locator("#q1 label.option", has_text="7").first.click()
    page.locator("#s1").get_by_text("Sparad").wait_for()
    assert _no_horizontal_scroll(page)
    assert "1 av 32 frågor besvarade" in page.locator("#progress-label").inner_text()
    page.screenshot(path=SCREENSHOTS / "patient_form_nprs.png", full_page=True)
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("heading", name="Tampa").or_(
        page.locator("h1", has_text="TSK")
    ).first.wait_for()
    for number, value in [(1, "2"), (2, "3"), (3, "4")]:
        page.locator(f"#q{number} input[value='{value}']").check()
        page.locator(f"#s{number}").get_by_text("Sparad").wait_for()
    # Keyboard: focus item 4's first option and choose with the arrow key.
    page.locator("#q4 input").first.focus()
    page.keyboard.press("ArrowDown")
    page.locator("#s4").get_by_text("Sparad").wait_for()
    assert page.locator("progress#progress").get_attribute("value") == "5"
    page.screenshot(path=SCREENSHOTS / "patient_form_tsk_part.png", full_page=True)
    page.screenshot(path=SCREENSHOTS / "patient_form_tsk_viewport.png")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_text("frågor är inte besvarade").wait_for()
    page.screenshot(path=SCREENSHOTS / "patient_form_missing.png")
    context.close()  # the patient closes the browser

    assert Answer.objects.filter(request=sent.request).count() == 5
    context, page = _phone(browser, errors)  # another device
    _open_link(page, link, heading="TSK")  # resumes where questions are unanswered
    assert page.locator("#q1 input[value='2']").is_checked()
    assert page.locator("#q3 input[value='4']").is_checked()
    page.get_by_role("button", name="Föregående").click()
    page.locator("h1", has_text=NPRS_HEADING).wait_for()
    assert page.locator("#q1 input[value='7']").is_checked()
    # nprs, TSK in two parts, HADS: the sending page is the fifth
    page.goto(f"{live_server.url}/f/svar/?sida=5")
    page.get_by_role("heading", name="Skicka dina svar").wait_for()
    page.screenshot(path=SCREENSHOTS / "patient_form_summary.png", full_page=True)

    # Not every question is answered: the page says so and asks to confirm.
    page.get_by_text("listan ovan visar var").wait_for()
    page.get_by_role("button", name="Skicka svaren").click()
    page.get_by_text("kryssa i rutan för att skicka de svar du har gett").wait_for()
    page.get_by_label("Skicka de svar jag har gett").check()
    page.get_by_role("button", name="Skicka svaren").dblclick()
    page.get_by_role("heading", name="Tack!").wait_for()
    page.goto(f"{live_server.url}/f/svar/?sida=5")  # the sending page again
    if page.get_by_role("button", name="Skicka svaren").count():
        page.get_by_role(
            "button", name="Skicka svaren"
        ).click()  # resubmit from the old page
    page.get_by_text("Dina svar är mottagna").wait_for()
    page.screenshot(path=SCREENSHOTS / "patient_form_received.png", full_page=True)
    page.goto(link)
    page.get_by_text("Dina svar är mottagna").wait_for()
    context.close()

    request = QuestionnaireRequest.objects.get(pk=sent.request.pk)
    assert request.status == "submitted"
    assert sorted(
        Result.objects.filter(request=request).values_list("code", flat=True)
    ) == [
        "hads",
        "nprs",
        "tsk",
    ]
    assert Result.objects.get(request=request, code="nprs").total == 7
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_coordinator_prints_the_letter_sheet_and_reads_results_with_charts(
    live_server,
    browser,
    coordinator,
    secretary,
    physician,
    episode_a,
    patient_a,
    wordings_a,
):
    from datetime import date

    from painrehab.questionnaires.services import enter_paper_form, record_staff_rating
    from painrehab.steps.follow_up.tests.test_follow_up_discharge import _in_follow_up

    SCREENSHOTS.mkdir(exist_ok=True)
    for time_point, points, answered_on in [
        (TimePoint.REGISTRY_BEFORE, 2, date(2026, 10, 5)),
        (TimePoint.REGISTRY_END, 1, date(2026, 11, 10)),
    ]:
        if time_point == TimePoint.REGISTRY_END:
            # Rehabilitation ended 13 months ago: its forms and, later on the
            # page, the 12-month forms may go out.
            _in_follow_up(episode_a, physician, coordinator, ended_days_ago=400)
        sent = send_package(by=coordinator, episode=episode_a, time_point=time_point)
        enter_paper_form(
            by=secretary,
            questionnaire_request=sent.request,
            code="hads",
            answers={n: points for n in range(1, 15)},
            answered_on=answered_on,
        )
        enter_paper_form(
            by=secretary,
            questionnaire_request=sent.request,
            code="nprs",
            answers={1: 4 + 3 * points // 2},
            answered_on=answered_on,
        )
    record_staff_rating(
        by=physician,
        episode=episode_a,
        time_point=TimePoint.KRT_BEFORE,
        code="madrs",
        answers={n: 3 for n in range(1, 11)},
        rated_on=date(2026, 10, 6),
    )
    errors: list[str] = []
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, locale="sv-SE"
    )
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("coordinator_a")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Formulär som väntar på svar").wait_for()
    page.goto(f"{live_server.url}/patienter/{patient_a.pk}/")
    page.get_by_role("heading", name="Formulärresultat").wait_for()
    assert page.locator("svg.chart").count() == 3
    page.screenshot(path=SCREENSHOTS / "questionnaire_results.png", full_page=True)

    page.goto(f"{live_server.url}/vardforlopp/{episode_a.pk}/")
    page.screenshot(
        path=SCREENSHOTS / "questionnaire_episode_panel.png", full_page=True
    )
    page.get_by_role("link", name="Skicka formulär").click()
    page.get_by_label("Mättillfälle").select_option(TimePoint.REGISTRY_12_MONTHS)
    page.get_by_role("button", name="Skapa utskick").click()
    page.get_by_text("Länken och koden visas bara den här gången").wait_for()
    assert page.locator("svg.segno").count() == 1
    page.screenshot(path=SCREENSHOTS / "questionnaire_letter_sheet.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(
        path=SCREENSHOTS / "questionnaire_letter_sheet_print.png", full_page=True
    )
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
