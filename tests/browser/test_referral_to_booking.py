"""In Chromium: referral → triage to screening → waiting list → booking → invitation due → letters."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from painrehab.accounts.models import Membership, User
from painrehab.documents.models import Letter, LetterKind

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "test-password-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, live_server, username):  # noqa: ANN001, ANN202
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()
    return page


def test_referral_is_triaged_waited_for_booked_and_confirmed(
    live_server, browser, secretary, physician, coordinator, unit_a, working_day
):
    SCREENSHOTS.mkdir(exist_ok=True)
    physio = User.objects.create_user(
        username="physio_a", password=PASSWORD, first_name="Fia", last_name="Fysio"
    )
    Membership.objects.create(user=physio, unit=unit_a, profession="physiotherapist")
    today = timezone.localdate()
    received = today - timedelta(days=30)

    # The secretary registers the referral of a new patient.
    page = _login(browser, live_server, "secretary_a")
    page.get_by_role("link", name="Registrera remiss").click()
    page.get_by_label("Personnummer").fill("19850101-2382")
    page.get_by_label("Förnamn").fill("Anna")
    page.get_by_label("Efternamn").fill("Andersson")
    page.get_by_label("Gatuadress").fill("Storgatan 1")
    page.get_by_label("Postnummer").fill("111 22")
    page.get_by_label("Ort").fill("Stad")
    page.get_by_label("Mottagen").fill(received.isoformat())
    page.get_by_label("Remittent", exact=True).fill("Dr Remiss")
    page.get_by_label("Remitterande enhet").fill("Vårdcentralen Exempel")
    page.get_by_label("Remittentens adress").fill("Box 9\n111 99 Stad")
    page.get_by_label("Smärtans duration (månader)").fill("18")
    page.get_by_label("Behöver tolk").check()
    page.get_by_label("Tolkspråk").fill("arabiska")
    page.screenshot(path=SCREENSHOTS / "referral_form.png", full_page=True)
    page.get_by_role("button", name="Registrera").click()
    page.get_by_text("Remissen är registrerad.").wait_for()
    episode_url = page.url

    # The physician triages it to screening with a physiotherapist.
    page = _login(browser, live_server, "physician_a")
    page.goto(episode_url)
    page.get_by_role("link", name="Remissbedöm till nybesök").click()
    page.get_by_label("Nybesök hos läkare och annan yrkeskategori (screening)").check()
    page.get_by_label("Screening med").select_option("physiotherapist")
    page.get_by_role("button", name="Spara beslut").click()
    page.get_by_text("Remissen är bedömd; 2 brev är skrivna som utkast.").wait_for()

    # The coordinator finds the patient on the waiting list with the right dates.
    page = _login(browser, live_server, "coordinator_a")
    page.get_by_role("link", name="Väntelistor").first.click()
    row = page.locator("table.waiting tbody tr").filter(has_text="Andersson, Anna")
    assert "30" in row.locator("td.num").inner_text()
    assert (received + timedelta(days=60)).isoformat() in row.inner_text()
    assert (received + timedelta(days=90)).isoformat() in row.inner_text()
    assert "Inom 60-dagarsmålet" in row.inner_text()
    assert "Tolk: arabiska" in row.inner_text()
    page.screenshot(path=SCREENSHOTS / "waiting_list.png", full_page=True)

    # … and books the visit three weeks ahead.
    row.get_by_role("link").click()
    page.get_by_role("link", name="Boka nybesök").click()
    visit_day = working_day(today + timedelta(days=21))
    page.get_by_label("Datum").fill(visit_day.isoformat())
    page.get_by_label("Tid").fill("09:30")
    page.get_by_label("Läkare").select_option(label="Physician_A Testsson")
    page.get_by_label("Screening: Fysioterapeut").select_option(label="Fia Fysio")
    page.get_by_role("button", name="Boka").click()
    page.get_by_text("Besöket är bokat.").wait_for()
    page.screenshot(path=SCREENSHOTS / "episode_booked.png", full_page=True)

    # The invitation is due on the worklist: four weeks before the visit, and
    # since that day was before the booking, on the day it was booked.
    page.get_by_role("link", name="Arbetslista").first.click()
    due = page.locator("table.worklist tr").filter(has_text="Skicka kallelsen")
    assert "Andersson, Anna" in due.inner_text()
    assert today.isoformat() in due.inner_text()
    assert "Försenad" not in due.inner_text()
    page.screenshot(path=SCREENSHOTS / "worklist_invitation_due.png", full_page=True)

    # The confirmation letters were drafted; finalise the patient's and read the PDF.
    kinds = set(Letter.objects.values_list("kind", flat=True))
    assert {LetterKind.CONFIRMATION_PATIENT, LetterKind.CONFIRMATION_REFERRER} <= kinds
    page.goto(episode_url)
    page.get_by_role("link", name="Remissbekräftelse till patienten").click()
    page.get_by_role("button", name="Slutför").click()
    page.get_by_text("Brevet är slutfört.").wait_for()
    pdf = page.request.get(page.url + "pdf/").body()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bekräftelse på mottagen remiss" in text
    assert "Hej Anna" in text
    assert "läkare och fysioterapeut" in text
    (SCREENSHOTS / "confirmation_patient.pdf").write_bytes(pdf)
