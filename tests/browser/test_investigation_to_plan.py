"""In Chromium: three professions' records → conference checklist → programme → signed plan → PDFs."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from painrehab.accounts.models import Membership, User
from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import Episode, Referral
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "test-password-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, live_server, username):  # noqa: ANN001, ANN202
    page = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE"
    ).new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()
    return page


def _pdf_text(page, url):  # noqa: ANN001, ANN202
    pdf = page.request.get(url).body()
    return pdf, " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def test_investigation_conference_decision_and_signed_plan(
    live_server, browser, physician, coordinator, episode_a, unit_a
):
    SCREENSHOTS.mkdir(exist_ok=True)
    for username, profession in [
        ("psych_a", "psychologist"),
        ("physio_a", "physiotherapist"),
    ]:
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name=username.title(),
            last_name="Testsson",
        )
        Membership.objects.create(user=user, unit=unit_a, profession=profession)
    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad", pain_duration_months=24
    )
    episode = Episode.objects.get(pk=episode_a.pk)
    for state, by in [
        (State.TRIAGED, physician),
        (State.WAITING_NEW_VISIT, coordinator),
        (State.NEW_VISIT, physician),
        (State.TEAM_INVESTIGATION, physician),
    ]:
        move_episode(episode=episode, to=state, by=by)
    base = f"{live_server.url}/vardforlopp/{episode.pk}"

    # Three professions record their findings.
    for username, label, text in [
        ("physician_a", "Egen bedömning", "Långvarig spridd smärta utan malign orsak."),
        ("psych_a", "Sömn", "Insomningssvårigheter sedan två år."),
        ("physio_a", "Sittande avslappningstest", "Svårt att slappna av i skuldrorna."),
    ]:
        page = _login(browser, live_server, username)
        page.goto(f"{base}/utredning/")
        page.get_by_label(label).fill(text)
        page.get_by_role("button", name="Spara").click()
        page.get_by_text("Anteckningen är sparad.").wait_for()
    page.screenshot(path=SCREENSHOTS / "investigation.png", full_page=True)
    assert page.locator(".grow section.card h2").count() == 3

    # The physician holds the conference with the checklist.
    page = _login(browser, live_server, "physician_a")
    page.goto(f"{base}/bedomningskonferens/")
    page.get_by_label("Psych_A Testsson").check()
    page.get_by_label("Physio_A Testsson").check()
    page.get_by_role("button", name="Starta konferensen").click()
    page.get_by_label("Huvudsakliga problem").fill("Smärta, sömnbrist och inaktivitet.")
    for criterion in rules.SPECIALIST_CRITERIA:
        if (
            criterion.rule is None
            and criterion.checked_at_assessment
            and criterion.kind != rules.CriterionKind.INDIVIDUAL_REASON
        ):
            answer = "yes" if criterion.kind == rules.CriterionKind.INCLUSION else "no"
            page.locator(
                f'input[name="confirm_{criterion.key}"][value="{answer}"]'
            ).check()
    page.get_by_role("button", name="Spara bedömning").click()
    page.get_by_text("Bedömningen är sparad.").wait_for()
    assert page.locator("tr.outcome-met").count() == 8
    page.screenshot(path=SCREENSHOTS / "conference_checklist.png", full_page=True)
    page.get_by_label("Gruppprogram").check()
    page.get_by_role("button", name="Registrera beslut").click()
    page.get_by_text("Beslutet är registrerat.").wait_for()
    assert Letter.objects.filter(kind=LetterKind.TEAM_SUMMARY).count() == 1

    # The planning meeting: plan, a goal, the patient's signature and consent.
    page.goto(f"{base}/plan/")
    page.get_by_role("button", name="Skriv planen").click()
    page.get_by_label("Patientens värderingar").fill(
        "Att kunna arbeta och vara med barnen."
    )
    page.get_by_label("Övergripande mål").fill("Återgå i arbete 50 %.")
    page.get_by_role("button", name="Spara").first.click()
    page.get_by_text("Planen är sparad.").wait_for()
    goal_form = page.locator(
        "form", has=page.get_by_role("button", name="Lägg till mål")
    )
    goal_form.get_by_label("Yrkesgrupp").select_option("physiotherapist")
    goal_form.get_by_label("Ansvarig").select_option(label="Physio_A Testsson")
    goal_form.locator("[name=goal-description]").fill("Promenera 30 minuter dagligen")
    goal_form.get_by_label("Mått").fill("Minuter per dag")
    goal_form.get_by_label("Måldatum").fill(
        (timezone.localdate() + timedelta(days=60)).isoformat()
    )
    page.get_by_role("button", name="Lägg till mål").click()
    page.get_by_text("Målet är tillagt.").wait_for()
    page.get_by_label("Bekräftad på surfplatta").check()
    page.get_by_label(
        "Patienten samtycker till att en kopia skickas till Försäkringskassan"
    ).check()
    page.get_by_role("button", name="Patienten har undertecknat").click()
    page.get_by_text("Planen är undertecknad.").wait_for()
    page.screenshot(path=SCREENSHOTS / "plan_signed.png", full_page=True)
    assert Episode.objects.get(pk=episode.pk).state == State.PREPARATION

    # The PDFs: the plan for the patient, the copy to Försäkringskassan, the team summary.
    pdf, text = _pdf_text(page, f"{base}/plan/pdf/")
    assert "Rehabiliteringsplan" in text
    assert "Promenera 30 minuter dagligen" in text
    assert "Bekräftad på surfplatta" in text
    (SCREENSHOTS / "plan.pdf").write_bytes(pdf)
    copy = Letter.objects.get(kind=LetterKind.PLAN_COPY_FK)
    _pdf, text = _pdf_text(page, f"{live_server.url}/brev/{copy.pk}/pdf/")
    assert "Försäkringskassan" in text
    assert "Återgå i arbete 50 %." in text
    summary = Letter.objects.get(kind=LetterKind.TEAM_SUMMARY)
    _pdf, text = _pdf_text(page, f"{live_server.url}/brev/{summary.pk}/pdf/")
    assert "Smärta, sömnbrist och inaktivitet." in text
    assert "Teamets förslag: Gruppprogram." in text
