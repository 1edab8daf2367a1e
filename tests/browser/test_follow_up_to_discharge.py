"""In Chromium: programme ends → 4–6-week contact on the right day → 3-month follow-up → 12-month
questionnaires → discharge with letter."""

import io
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway.models import (
    Episode,
    EpisodeTransition,
    FollowUpRecord,
    Referral,
    RehabPlan,
)
from painrehab.pathway.services.follow_ups_due import refresh_follow_ups_due
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import GROUP_PROGRAMME_PATH, State

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _end_rehabilitation_days_ago(episode, days):  # noqa: ANN001, ANN202
    # Noon that calendar day in Stockholm, however late the test runs.
    day = timezone.localdate() - timedelta(days=days)
    EpisodeTransition.objects.filter(episode=episode, to_state=State.FOLLOW_UP).update(
        at=timezone.make_aware(datetime.combine(day, time(12)))
    )
    refresh_follow_ups_due([episode.pk])  # as the services do after a change


def _follow_up_rows(page):  # noqa: ANN001, ANN202
    return page.locator("table.worklist tr").filter(has_text="Andersson, Anna")


def test_programme_end_follow_ups_and_discharge(
    live_server, browser, physician, coordinator, episode_a
):
    SCREENSHOTS.mkdir(exist_ok=True)
    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    episode = Episode.objects.get(pk=episode_a.pk)
    for state in GROUP_PROGRAMME_PATH[1 : GROUP_PROGRAMME_PATH.index(State.FOLLOW_UP)]:
        move_episode(
            episode=episode,
            to=state,
            by=coordinator if state == State.WAITING_NEW_VISIT else physician,
        )
    RehabPlan.objects.create(
        episode=episode,
        track="group_programme",
        updated_by=physician.user,
        overall_goal="Arbeta 50 %",
    )

    page = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE"
    ).new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("coordinator_a")
    page.get_by_label("Lösenord").fill("test-password-123")
    page.get_by_role("button", name="Logga in").click()

    # The programme ends: the final note is drafted.
    page.goto(f"{live_server.url}/vardforlopp/{episode.pk}/")
    page.get_by_role("link", name="Programmet avslutat").click()
    # No attendance was recorded for this patient: the page says so, and
    # ending needs the box ticked; the note typed stays.
    page.get_by_text("Patienten finns inte i någon programgrupp.").wait_for()
    page.get_by_label("Anteckning").fill("Avslutat enligt plan")
    page.get_by_role("button", name="Rehabiliteringen är avslutad").click()
    page.get_by_text("Närvaron är låg.").wait_for()
    assert page.get_by_label("Anteckning").input_value() == "Avslutat enligt plan"
    page.get_by_label("Avsluta rehabiliteringen ändå").check()
    page.get_by_role("button", name="Rehabiliteringen är avslutad").click()
    page.get_by_text("slutanteckningen är skriven som utkast").wait_for()
    assert Letter.objects.filter(kind=LetterKind.FINAL_NOTE).count() == 1

    # The 4–6-week contact is not on the worklist on day 13 (it opens on day
    # 28, more than 14 days ahead), and is on it from day 14 on.
    _end_rehabilitation_days_ago(episode, 13)
    page.goto(f"{live_server.url}/")
    assert (
        "Uppföljning per telefon eller video, 4–6 veckor"
        not in page.locator("main").inner_text()
    )
    _end_rehabilitation_days_ago(episode, 28)
    page.reload()
    row = _follow_up_rows(page).filter(has_text="4–6 veckor")
    row.get_by_role("link").first.click()
    page.get_by_label("Telefon").check() if page.get_by_label(
        "Telefon"
    ).count() == 1 else page.get_by_label("Hur").select_option("phone")
    page.get_by_label("Vidmakthållandeplan klar").check()
    page.get_by_label("Bakslag som diskuterats").fill("Förkylning en vecka.")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Uppföljningen är dokumenterad.").wait_for()
    page.screenshot(path=SCREENSHOTS / "follow_up_recorded.png", full_page=True)
    page.goto(f"{live_server.url}/")
    assert "4–6 veckor" not in page.locator("main").inner_text()

    # Three months later: the on-site follow-up with a team summary.
    _end_rehabilitation_days_ago(episode, 95)
    page.goto(f"{live_server.url}/")
    _follow_up_rows(page).filter(has_text="3–4 månader").get_by_role(
        "link"
    ).first.click()
    page.get_by_label("Teamsammanfattning").fill(
        "Arbetar 50 %, tränar två gånger i veckan."
    )
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Uppföljningen är dokumenterad.").wait_for()
    assert Letter.objects.filter(kind=LetterKind.FOLLOW_UP_SUMMARY).count() == 1

    # Twelve months: the registry questionnaires.
    _end_rehabilitation_days_ago(episode, 366)
    page.goto(f"{live_server.url}/")
    _follow_up_rows(page).filter(has_text="Registerformulär, 12 månader").get_by_role(
        "link"
    ).first.click()
    page.screenshot(path=SCREENSHOTS / "follow_up_schedule.png", full_page=True)
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Uppföljningen är dokumenterad.").wait_for()
    assert set(FollowUpRecord.objects.values_list("item_key", flat=True)) == {
        "contact_4_6_weeks",
        "on_site_3_4_months",
        "registry_questionnaires_12_months",
    }

    # Discharge, completed as planned, with the alternative plan and the letter.
    page.goto(f"{live_server.url}/vardforlopp/{episode.pk}/utskrivning/")
    page.get_by_label("Orsak till utskrivning").select_option("completed")
    page.get_by_label("Vem tar över").fill("Vårdcentralen Exempel")
    page.get_by_label("Vad rekommenderas").fill(
        "Fortsatt egenträning enligt vidmakthållandeplanen."
    )
    page.get_by_role("button", name="Skriv ut patienten").click()
    page.get_by_text("Patienten är utskriven.").wait_for()
    page.get_by_role("button", name="Slutför").click()
    page.get_by_text("Brevet är slutfört.").wait_for()
    page.screenshot(path=SCREENSHOTS / "discharge_letter.png", full_page=True)
    pdf = page.request.get(page.url + "pdf/").body()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Utskrivning: Anna Andersson" in text
    assert "Genomfört enligt plan" in text
    assert "Fortsatt ansvar: Vårdcentralen Exempel" in text
    assert Episode.objects.get(pk=episode.pk).state == State.DISCHARGED
