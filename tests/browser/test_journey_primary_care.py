"""In Chromium, one patient through the primary-care (KRT) unit, weeks apart:
referral → triage with the confirmation letter → booking → invitation due →
new visit → MADRS and assessment conference → individual rehabilitation →
signed plan. Each role logs in on its own day and sees what is due that day."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from painrehab.accounts.models import Membership, User
from painrehab.core.dates import week_monday
from painrehab.core.personnummer import tax_agency_test_number
from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway.models import Episode
from painrehab.pathway.states import State
from tests.browser.journey import PASSWORD, login

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PATIENT = "Lindgren, Erik"
BORN = date(1978, 3, 14)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, number, name):  # noqa: ANN001, ANN202
    page.screenshot(
        path=SCREENSHOTS / f"journey_krt_{number:02d}_{name}.png", full_page=True
    )


def _worklist_row(page, what):  # noqa: ANN001, ANN202
    """The patient's row on the worklist for one kind of task."""
    return (
        page.locator("table.worklist tbody tr")
        .filter(has_text=PATIENT)
        .filter(has_text=what)
    )


def _letter_text(page):  # noqa: ANN001, ANN202
    """The text box of a letter draft (its label is "Text *")."""
    return page.get_by_role("textbox", name="Text", exact=True)


def _plain(text: str) -> None:
    """A letter text as the patient or referrer reads it: every placeholder filled."""
    for leftover in ("{", "}", "%(", "None"):
        assert leftover not in text, text


def _staff(unit, username, first, last, profession):  # noqa: ANN001, ANN202
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last
    )
    return Membership.objects.create(user=user, unit=unit, profession=profession)


def test_primary_care_patient_from_referral_to_individual_rehabilitation(  # noqa: PLR0915
    live_server,
    browser,
    unit_b,
    other_physician,
    physician,
    travel,
    today,
    working_day,
):
    SCREENSHOTS.mkdir(exist_ok=True)
    _staff(unit_b, "secretary_b", "Sara", "Ek", "secretary")
    _staff(unit_b, "coordinator_b", "Karin", "Holm", "coordinator_nurse")
    _staff(unit_b, "physio_b", "Maja", "Lindqvist", "physiotherapist")
    number = tax_agency_test_number(born=BORN, female=False)
    personnummer = f"{number[:8]}-{number[8:]}"
    # The days are counted from next week's Monday, after the fixtures were made.
    monday = week_monday(today) + timedelta(days=7)
    received = monday - timedelta(days=4)  # the Thursday before

    # 1. Monday: the secretary registers the referral.
    travel(monday)
    page = login(browser, live_server, "secretary_b")
    page.get_by_role("link", name="Registrera remiss").click()
    page.get_by_label("Personnummer").fill(personnummer)
    page.get_by_label("Förnamn").fill("Erik")
    page.get_by_label("Efternamn").fill("Lindgren")
    page.get_by_label("Gatuadress").fill("Björkvägen 7")
    page.get_by_label("Postnummer").fill("123 45")
    page.get_by_label("Ort").fill("Småstad")
    page.get_by_label("Mottagen").fill(received.isoformat())
    page.get_by_label("Remittent", exact=True).fill("Dr Lena Sjöberg")
    page.get_by_label("Remitterande enhet").fill("Vårdcentralen Norr")
    page.get_by_label("Remittentens adress").fill("Box 12\n123 99 Småstad")
    page.get_by_label("Remissorsak").fill("Långvarig ländryggssmärta.")
    page.get_by_label("Smärtans duration (månader)").fill("12")
    page.get_by_label("Smärtans lokalisation").fill("Ländrygg och höger höft")
    page.get_by_label("Sjukskrivning", exact=True).select_option(
        label="Delvis sjukskriven"
    )
    page.get_by_label("Sjukskrivningsgrad (%)").fill("50")
    _shot(page, 1, "referral_form")
    page.get_by_role("button", name="Registrera", exact=True).click()
    page.get_by_text("Remissen är registrerad.").wait_for()
    episode_url = page.url
    episode = Episode.objects.get()
    assert episode.unit == unit_b
    head = page.locator(".page-head").first.inner_text()
    assert "Lindgren" in head
    assert personnummer in head
    assert "Remiss mottagen" in head
    facts = page.locator("dl.facts").first.inner_text()
    assert "Delvis sjukskriven 50 %" in facts
    assert "12 månader" in facts
    assert "Dr Lena Sjöberg, Vårdcentralen Norr" in facts
    _shot(page, 2, "referral_registered")
    page.context.close()

    # The specialist unit's physician cannot open the primary-care patient.
    page = login(browser, live_server, "physician_a")
    assert page.goto(episode_url).status == 404
    page.context.close()

    # 2. Thursday, a week after the referral came: triage is due today.
    triage_day = travel(received + timedelta(days=7))
    page = login(browser, live_server, "physician_b")
    row = _worklist_row(page, "Bedöm remissen")
    assert triage_day.isoformat() in row.inner_text()
    assert "Försenad" not in row.inner_text()
    _shot(page, 3, "worklist_triage_due")
    row.get_by_role("link", name="Bedöm remissen").click()
    page.get_by_role("heading", name="Remissbedömning: Erik Lindgren").wait_for()
    page.get_by_label("Nybesök hos läkare", exact=True).check()
    page.get_by_role("button", name="Spara beslut").click()
    page.get_by_text("Remissen är bedömd; 2 brev är skrivna som utkast.").wait_for()
    assert "Remissbedömd, att boka" in page.locator(".page-head").first.inner_text()
    _shot(page, 4, "triaged")

    # The drafted confirmation to the patient reads as plain Swedish.
    page.get_by_role("link", name="Remissbekräftelse till patienten").click()
    page.get_by_role("heading", name="Remissbekräftelse till patienten").wait_for()
    assert page.get_by_label("Mottagare").input_value() == "Erik Lindgren"
    assert page.get_by_label("Adress").input_value() == "Björkvägen 7\n123 45 Småstad"
    assert page.get_by_label("Ärende").input_value() == "Bekräftelse på mottagen remiss"
    body = _letter_text(page).input_value()
    _plain(body)
    assert body.startswith("Hej Erik,")
    assert f"Vi har tagit emot en remiss för dig den {received.isoformat()}." in body
    assert "du kommer att kallas till ett nybesök hos läkare." in body
    assert "inom 60 dagar" in body
    assert "90 dagar" in body
    _shot(page, 5, "confirmation_patient_draft")
    page.get_by_role("button", name="Slutför").click()
    page.get_by_text("Brevet är slutfört.").wait_for()
    pdf = page.request.get(page.url + "pdf/").body()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    _plain(text)
    assert "Bekräftelse på mottagen remiss" in text
    assert "Hej Erik" in text
    (SCREENSHOTS / "journey_krt_confirmation_patient.pdf").write_bytes(pdf)

    referrer_letter = Letter.objects.get(kind=LetterKind.CONFIRMATION_REFERRER)
    page.goto(f"{live_server.url}/brev/{referrer_letter.pk}/")
    assert page.get_by_label("Mottagare").input_value() == "Dr Lena Sjöberg"
    assert (
        page.get_by_label("Adress").input_value()
        == "Vårdcentralen Norr\nBox 12\n123 99 Småstad"
    )
    subject = page.get_by_label("Ärende").input_value()
    body = _letter_text(page).input_value()
    _plain(subject + body)
    assert subject == f"Remissbekräftelse: Erik Lindgren, {personnummer}"
    assert "Patienten kallas till nybesök hos läkare." in body
    page.context.close()

    # 3. Two weeks after the registration: the coordinator books the new visit;
    # it is due by day 32, so that the invitation goes out four weeks before a
    # visit within the 60-day goal, and shows among the coming 14 days' work.
    travel(monday + timedelta(days=14))
    visit_day = working_day(monday + timedelta(days=49))
    page = login(browser, live_server, "coordinator_b")
    row = _worklist_row(page, "Boka nybesöket")
    assert (received + timedelta(days=32)).isoformat() in row.inner_text()
    assert "Skicka kallelsen" not in page.locator("main").inner_text()
    row.get_by_role("link", name="Boka nybesöket").click()
    page.get_by_role(
        "heading", name=re.compile("^Boka nybesök: Erik Lindgren")
    ).wait_for()
    page.get_by_label("Datum").fill(visit_day.isoformat())
    page.get_by_label("Tidpunkt").fill("09:30")
    page.get_by_label("Läkare").select_option(label="Physician_B Testsson")
    _shot(page, 6, "booking_form")
    # Found by this walk: the hidden confirm_time field was rendered with its
    # automatic English label "Confirm time" above "Datum".
    assert "Confirm time" not in page.locator("form.card").inner_text()
    page.get_by_role("button", name="Boka", exact=True).click()
    page.get_by_text("Besöket är bokat.").wait_for()
    assert "Väntar på nybesök" in page.locator(".page-head").first.inner_text()
    booking = page.locator(
        "section.card", has=page.get_by_role("heading", name="Bokningar")
    )
    booked = booking.locator("tbody tr").first.inner_text()
    assert f"{visit_day.isoformat()} 09:30" in booked
    assert "Nybesök" in booked
    assert "Physician_B Testsson" in booked
    assert "Bokad" in booked
    clock = page.locator("section.clockbar").inner_text()
    assert (received + timedelta(days=60)).isoformat() in clock
    _shot(page, 7, "episode_booked")
    page.context.close()

    # The invitation is due four weeks before the visit: the day before it is
    # among the coming 14 days' work, not today's …
    invitation_day = visit_day - timedelta(days=28)
    travel(invitation_day - timedelta(days=1))
    page = login(browser, live_server, "coordinator_b")
    today_card, coming_card = page.locator("section.worklist-card").all()[:2]
    assert "Skicka kallelsen" not in today_card.inner_text()
    assert "Skicka kallelsen" in coming_card.inner_text()
    page.context.close()
    # … and on the day it is today's.
    travel(invitation_day)
    page = login(browser, live_server, "coordinator_b")
    today_card = page.locator("section.worklist-card").first
    assert "Skicka kallelsen" in today_card.inner_text()
    row = _worklist_row(page, "Skicka kallelsen")
    assert invitation_day.isoformat() in row.inner_text()
    assert "Försenad" not in row.inner_text()
    _shot(page, 8, "worklist_invitation_due")
    row.get_by_role("link", name="Skicka kallelsen").click()
    page.get_by_role("button", name="Kallelse skickad").click()
    page.get_by_text("Kallelsen är markerad som skickad.").wait_for()
    assert (
        f"Kallelse skickad {invitation_day.isoformat()}"
        in page.locator(
            "section.card", has=page.get_by_role("heading", name="Bokningar")
        ).inner_text()
    )
    page.goto(f"{live_server.url}/")
    assert _worklist_row(page, "Skicka kallelsen").count() == 0
    page.context.close()

    # 4. The visit day: the physician records the new visit.
    travel(visit_day)
    page = login(browser, live_server, "physician_b")
    page.goto(episode_url)
    page.get_by_role("link", name="Nybesök genomfört").click()
    page.get_by_role("heading", name="Nybesök: Erik Lindgren").wait_for()
    assert page.get_by_label("Genomfört").input_value() == visit_day.isoformat()
    page.get_by_label("Bedömning").fill(
        "Långvarig ländryggssmärta utan tecken på allvarlig sjukdom. "
        "Färdigutredd; motiverad till rehabilitering."
    )
    page.get_by_label("Teamutredning").check()
    _shot(page, 9, "new_visit_form")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Nybesöket är dokumenterat.").wait_for()
    # The first notice to the referrer is drafted and shown.
    page.get_by_role(
        "heading", name="Första besked till remittenten efter nybesök"
    ).wait_for()
    subject = page.get_by_label("Ärende").input_value()
    body = _letter_text(page).input_value()
    _plain(subject + body)
    assert f"har varit på nybesök {visit_day.isoformat()}" in body
    assert "Planering: Teamutredning." in body
    _shot(page, 10, "first_notice_draft")
    page.goto(episode_url)
    assert "Teamutredning" in page.locator(".page-head").first.inner_text()

    # 5. The physician rates the MADRS at the visit (1 point on each of the
    # ten items: 10); two weeks later the assessment conference.
    page.get_by_role("link", name="Skatta MADRS (skattad av kliniker)").click()
    page.get_by_role(
        "heading", name=re.compile("^Skattning av personal: MADRS")
    ).wait_for()
    page.get_by_label("Mättillfälle").select_option(label="Före behandling (KRT)")
    rated_on = page.locator("#id_answered_on")
    assert rated_on.input_value() == visit_day.isoformat()
    for item in range(1, 11):
        page.locator(f"#q{item} input[value='1']").check()
    _shot(page, 11, "madrs_form")
    # Found by this walk: the label was the untranslated English "Rated on".
    assert page.locator("label[for=id_answered_on]").inner_text().startswith("Skattat")
    assert "Rated on" not in page.locator("label[for=id_answered_on]").inner_text()
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Skattningen är sparad.").wait_for()
    results = page.locator(
        "section", has=page.get_by_role("heading", name="Formulärresultat")
    ).last
    row = results.locator("tr").filter(has_text="Före behandling (KRT)")
    assert "10 · Lätt depression" in row.inner_text()
    _shot(page, 12, "madrs_recorded")
    page.context.close()
    conference_day = travel(working_day(visit_day + timedelta(days=14)))
    page = login(browser, live_server, "physician_b")
    page.goto(episode_url)
    page.get_by_role("link", name="Bedömningskonferens").first.click()
    page.get_by_role("heading", name="Erik Lindgren: Bedömningskonferens").wait_for()
    assert page.get_by_label("Genomfört").input_value() == conference_day.isoformat()
    page.get_by_label("Physician_B Testsson").check()
    page.get_by_label("Maja Lindqvist").check()
    page.get_by_role("button", name="Starta konferensen").click()
    page.get_by_role("heading", name="Teambedömning").wait_for()
    assert "Bedömningskonferens" in page.locator(".page-head").first.inner_text()
    page.get_by_text(
        f"Senast poängsatta MADRS: 10 ({visit_day.isoformat()})"
    ).wait_for()
    page.get_by_label("Huvudsakliga problem").fill("Smärta, inaktivitet och oro.")
    page.get_by_label("Bidragande faktorer").fill("Stillasittande arbete.")
    page.get_by_label("Patientens resurser").fill("Stöd från familjen.")
    page.get_by_label("Patientens förväntningar").fill("Att kunna arbeta heltid.")
    page.get_by_label("Pågående utredningar eller behandlingar").select_option(
        label="Nej"
    )
    # The team's answers: the pain is musculoskeletal, no substance abuse.
    for criterion, answer in [
        ("Smärta från rörelseapparaten.", "Ja"),
        ("Pågående missbruk av alkohol, droger, läkemedel.", "Nej"),
    ]:
        page.get_by_role("group", name=criterion, exact=True).get_by_label(
            answer
        ).check()
    page.get_by_role("button", name="Spara bedömning").click()
    page.get_by_text("Bedömningen är sparad.").wait_for()
    checklist = page.locator("table.checklist tbody tr")
    for criterion, outcome in [
        ("Smärta från rörelseapparaten.", "Uppfyllt"),
        ("Smärta mer än 3 månader.", "Uppfyllt"),
        ("Personer 18–67 år.", "Uppfyllt"),
        ("Bedömda som färdigutredda.", "Uppfyllt"),
        ("Sjukskrivning helt eller delvis.", "Uppfyllt"),
        ("Alla utredningar/behandlingar är inte klara ännu", "Ej uppfyllt"),
        ("Svår depression (över 28 på MADRS).", "Ej uppfyllt"),
        ("Pågående missbruk av alkohol, droger, läkemedel.", "Ej uppfyllt"),
    ]:
        assert (
            outcome
            in checklist.filter(has_text=criterion)
            .locator("td")
            .nth(2)
            .inner_text()
            .split("\n")[0]
        ), criterion
    page.get_by_text(
        f"Senast poängsatta MADRS: 10 ({visit_day.isoformat()})"
    ).wait_for()
    _shot(page, 13, "conference_checklist")

    # The conference is on the worklist, due today.
    page.goto(f"{live_server.url}/")
    row = _worklist_row(page, "Besluta vid bedömningskonferensen")
    assert conference_day.isoformat() in row.inner_text()
    row.get_by_role("link", name="Besluta vid bedömningskonferensen").click()

    # Individual rehabilitation: no KRT group can start in time.
    page.get_by_label("Individuell rehabilitering", exact=True).check()
    page.get_by_label("Skäl för individuell rehabilitering").select_option(
        label="Ingen KRT-grupp kan starta inom rimlig tid för patienten."
    )
    _shot(page, 14, "conference_decision")
    page.get_by_role("button", name="Registrera beslut").click()
    page.get_by_text("Beslutet är registrerat.").wait_for()
    # The team summary to the referrer is drafted and shown.
    subject = page.get_by_label("Ärende").input_value()
    body = _letter_text(page).input_value()
    _plain(subject + body)
    assert (
        subject == f"Sammanfattning efter teamutredning: Erik Lindgren, {personnummer}"
    )
    assert f"Bedömningskonferens hölls {conference_day.isoformat()}." in body
    assert "Huvudsakliga problem: Smärta, inaktivitet och oro." in body
    assert "Teamets förslag: Individuell rehabilitering." in body
    _shot(page, 15, "team_summary_draft")
    page.context.close()

    # 6. A week later: the planning meeting is on the worklist.
    # It is the coordinator's work (and the psychologist's); the physician
    # writes the plan with the patient at the meeting.
    plan_day = travel(working_day(conference_day + timedelta(days=7)))
    page = login(browser, live_server, "coordinator_b")
    row = _worklist_row(page, "Skriv och underteckna rehabiliteringsplanen")
    assert (conference_day + timedelta(days=21)).isoformat() in row.inner_text()
    assert "Försenad" not in row.inner_text()
    _shot(page, 16, "worklist_plan_due")
    plan_link = row.get_by_role(
        "link", name="Skriv och underteckna rehabiliteringsplanen"
    ).get_attribute("href")
    page.context.close()
    page = login(browser, live_server, "physician_b")
    page.goto(f"{live_server.url}{plan_link}")
    assert "Planeringsträff" in page.locator(".page-head").first.inner_text()
    page.get_by_role("button", name="Skriv planen").click()
    track = page.locator("p", has_text="Ej undertecknad")
    assert track.inner_text().startswith("Individuell rehabilitering ·")
    page.get_by_label("Patientens värderingar").fill(
        "Att orka med arbete och barnbarn."
    )
    page.get_by_label("Övergripande mål").fill("Arbeta 75 % inom tre månader.")
    page.get_by_role("button", name="Spara", exact=True).first.click()
    page.get_by_text("Planen är sparad.").wait_for()
    goal_form = page.locator(
        "form", has=page.get_by_role("button", name="Lägg till mål")
    )
    goal_form.get_by_label("Yrkesgrupp").select_option("physiotherapist")
    goal_form.get_by_label("Ansvarig").select_option(label="Maja Lindqvist")
    goal_form.locator("[name=goal-description]").fill("Promenera 30 minuter dagligen")
    goal_form.get_by_label("Mått").fill("Minuter per dag")
    goal_form.get_by_label("Måldatum").fill((plan_day + timedelta(days=56)).isoformat())
    page.get_by_role("button", name="Lägg till mål").click()
    page.get_by_text("Målet är tillagt.").wait_for()
    assert (
        page.get_by_role("textbox", name="Undertecknad").input_value()
        == plan_day.isoformat()
    )
    page.get_by_label("Undertecknad på papper").check()
    page.get_by_role("button", name="Patienten har undertecknat").click()
    page.get_by_text("Planen är undertecknad.").wait_for()
    head = page.locator(".page-head").first.inner_text()
    assert "Individuell rehabilitering" in head
    goals = page.locator(
        "section.card", has=page.get_by_role("heading", name="Mål över tid")
    )
    assert "Promenera 30 minuter dagligen" in goals.inner_text()
    assert "Maja Lindqvist" in goals.inner_text()
    assert (
        f"Undertecknad på papper {plan_day.isoformat()}"
        in page.locator("main").inner_text()
    )
    _shot(page, 17, "plan_signed")

    page.goto(episode_url)
    assert "Individuell rehabilitering" in page.locator(".page-head").first.inner_text()
    _shot(page, 18, "episode_individual_rehabilitation")
    page.context.close()
    assert Episode.objects.get(pk=episode.pk).state == State.INDIVIDUAL_REHABILITATION
