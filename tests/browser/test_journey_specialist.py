"""One new patient carried through the whole specialist pathway in Chromium,
each step by the role that does it in the clinic, with the server's clock
moved to the day it happens on: referral, triage, booking and invitation, new
visit, team investigation, assessment conference, signed plan, group
programme, its end, the follow-ups, discharge, and the 12-month registry
forms answered by the patient on a phone a year later."""

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats
from pypdf import PdfReader

from painrehab.core.dates import week_monday
from painrehab.core.windows import add_months
from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import Episode
from painrehab.pathway.states import State
from painrehab.programmes.models import Attendance, CohortParticipant, Session
from painrehab.programmes.tests.factories import aware, decided_episode, premises, team
from painrehab.questionnaires.models import Result
from tests.browser.journey import PASSWORD, login

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
STOCKHOLM = ZoneInfo("Europe/Stockholm")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _at(day: date, clock: str) -> datetime:
    """A time of day on `day` in Stockholm, "09:00"."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=STOCKHOLM)


def _first_working_monday(day: date, working_day) -> date:  # noqa: ANN001
    """The first Monday on or after `day` that is a working day."""
    monday = week_monday(day + timedelta(days=6))
    while working_day(monday) != monday:
        monday += timedelta(days=7)
    return monday


def _shot(page, name):  # noqa: ANN001, ANN202
    page.screenshot(path=SCREENSHOTS / f"journey_specialist_{name}.png", full_page=True)


def _pdf_text(page, url):  # noqa: ANN001, ANN202
    pdf = page.request.get(url).body()
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def maja_place():  # noqa: ANN201
    return CohortParticipant.objects.get(episode__patient__last_name="Lindqvist")


def _worklist_row(page, live_server, text, patient="Lindqvist, Maja"):  # noqa: ANN001, ANN202
    page.goto(f"{live_server.url}/")
    return (
        page.locator("table.worklist tr").filter(has_text=text).filter(has_text=patient)
    )


def test_one_patient_through_the_specialist_pathway_and_a_year_after(
    live_server,
    browser,
    unit_a,
    secretary,
    physician,
    coordinator,
    travel,
    today,
    working_day,
):
    SCREENSHOTS.mkdir(exist_ok=True)
    unit_a.phone = "010-123 45 00"
    unit_a.save()
    staff = team(unit_a)  # psychologist, physiotherapists, OT, social worker …
    premises(unit_a)
    for username in ("psykolog", "fysio1"):
        staff[username].user.set_password(PASSWORD)
        staff[username].user.save()

    # The days of the pathway, counted from next week's Monday (the first
    # day, after the fixtures were made): the visits and the programme's start
    # fall on working days, as the clinic books them.
    first_day = week_monday(today) + timedelta(days=7)
    visit_day = working_day(first_day + timedelta(days=35))
    plan_day = first_day + timedelta(days=56)
    programme_start = _first_working_monday(plan_day + timedelta(days=28), working_day)

    # --- Monday, the first day: the referral comes, is registered and triaged.
    travel(_at(first_day, "09:00"))
    page = login(browser, live_server, "secretary_a")
    page.get_by_role("link", name="Registrera remiss").click()
    page.get_by_label("Personnummer").fill("19790412-2384")
    page.get_by_label("Förnamn").fill("Maja")
    page.get_by_label("Efternamn").fill("Lindqvist")
    page.get_by_label("Gatuadress").fill("Björkvägen 3")
    page.get_by_label("Postnummer").fill("831 30")
    page.get_by_label("Ort").fill("Östersund")
    page.get_by_label("Mottagen").fill((first_day - timedelta(days=3)).isoformat())
    page.get_by_label("Remittent", exact=True).fill("Dr Remiss")
    page.get_by_label("Remitterande enhet").fill("Vårdcentralen Exempel")
    page.get_by_label("Remittentens adress").fill("Box 9\n831 99 Östersund")
    page.get_by_label("Smärtans duration (månader)").fill("30")
    page.get_by_label("Behöver tolk").check()
    page.get_by_label("Tolkspråk").fill("arabiska")
    page.get_by_role("button", name="Registrera").click()
    page.get_by_text("Remissen är registrerad.").wait_for()
    episode = Episode.objects.get(patient__last_name="Lindqvist")
    base = f"{live_server.url}/vardforlopp/{episode.pk}"
    _shot(page, "01_registered")

    page = login(browser, live_server, "physician_a")
    assert _worklist_row(page, live_server, "Bedöm remissen").count() == 1
    page.goto(f"{base}/")
    page.get_by_role("link", name="Remissbedöm till nybesök").click()
    page.get_by_label("Nybesök hos läkare", exact=True).check()
    page.get_by_role("button", name="Spara beslut").click()
    page.get_by_text("Remissen är bedömd; 2 brev är skrivna som utkast.").wait_for()
    confirmation = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    assert "Tolk på arabiska bokas till besöket." in confirmation.body
    assert "{" not in confirmation.body

    # The coordinator books the new visit five weeks ahead, with the interpreter.
    page = login(browser, live_server, "coordinator_a")
    page.goto(f"{base}/")
    page.get_by_role("link", name="Boka nybesök").click()
    page.get_by_label("Datum").fill(visit_day.isoformat())
    page.get_by_label("Tid").fill("09:00")
    page.get_by_label("Läkare").select_option(label="Physician_A Testsson")
    page.get_by_role("button", name="Boka").click()
    page.get_by_text("Besöket är bokat.").wait_for()
    page.get_by_role("button", name="Tolk bokad").click()
    page.get_by_text("Tolken är registrerad på besöket.").wait_for()
    _shot(page, "02_booked")

    # --- Four weeks before the visit the invitation is due.
    invitation_day = travel(_at(visit_day - timedelta(days=28), "08:30"))
    page = login(browser, live_server, "coordinator_a")
    due = _worklist_row(page, live_server, "Skicka kallelsen")
    assert invitation_day.isoformat() in due.inner_text()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Skriv brev").click()
    page.locator("#id_kind").select_option(LetterKind.INVITATION)
    page.get_by_role("button", name="Skriv").click()
    body = page.get_by_label("Text").input_value()
    visit = formats.date_format(visit_day, "l j F Y").lower()
    assert f"- Tid: {visit} kl. 09:00, cirka 60 minuter" in body
    assert "- Plats: Specialistteamet A, Box 1, 111 11 Stad" in body
    assert "Tolk på arabiska är bokad till besöket." in body
    assert "Telefon: 010-123 45 00" in body
    _shot(page, "03_invitation")
    page.get_by_role("button", name="Slutför").click()
    page.get_by_text("Brevet är slutfört.").wait_for()
    assert "19790412" not in _pdf_text(page, page.url + "pdf/")
    page.goto(f"{base}/")
    page.get_by_role("button", name="Kallelse skickad").click()
    page.get_by_text("Kallelsen är markerad som skickad.").wait_for()

    # --- The day of the visit: the new visit; the team investigation follows.
    travel(_at(visit_day, "10:30"))
    page = login(browser, live_server, "physician_a")
    page.goto(f"{base}/nybesok/")
    page.get_by_label("Bedömning").fill("Långvarig ländryggssmärta, sömnbrist.")
    page.get_by_label("Teamutredning").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Teamutredning").first.wait_for()
    notice = Letter.objects.get(kind=LetterKind.FIRST_NOTICE)
    assert f"har varit på nybesök {visit_day.isoformat()}" in notice.body
    assert Episode.objects.get(pk=episode.pk).state == State.TEAM_INVESTIGATION

    # --- The following week the psychologist and the physiotherapist investigate.
    travel(_at(first_day + timedelta(days=42), "14:00"))
    for username, label, text in [
        ("psykolog", "Sömn", "Insomningssvårigheter sedan två år."),
        ("fysio1", "Sittande avslappningstest", "Spänd i skuldrorna."),
    ]:
        page = login(browser, live_server, username)
        page.goto(f"{base}/utredning/")
        page.get_by_label(label).fill(text)
        page.get_by_role("button", name="Spara").click()
        page.get_by_text("Anteckningen är sparad.").wait_for()
    _shot(page, "04_investigation")

    # --- Two weeks after the visit: the conference decides the group programme.
    travel(_at(first_day + timedelta(days=49), "13:00"))
    page = login(browser, live_server, "physician_a")
    page.goto(f"{base}/bedomningskonferens/")
    for member in ("psykolog", "fysio1"):
        page.get_by_label(staff[member].user.get_full_name()).check()
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
    # The decision saves the assessment typed above it: no "Spara" first.
    page.get_by_label("Gruppprogram").check()
    page.get_by_role("button", name="Registrera beslut").click()
    page.get_by_text("Beslutet är registrerat.").wait_for()
    _shot(page, "05_conference")
    summary = Letter.objects.get(kind=LetterKind.TEAM_SUMMARY)
    assert "Huvudsakliga problem: Smärta, sömnbrist och inaktivitet." in summary.body

    # --- A week later: the planning meeting; the patient signs the plan.
    travel(_at(plan_day, "10:00"))
    page = login(browser, live_server, "physician_a")
    page.goto(f"{base}/plan/")
    page.get_by_role("button", name="Skriv planen").click()
    page.get_by_label("Övergripande mål").fill("Återgå i arbete 50 %.")
    page.get_by_role("button", name="Spara").first.click()
    page.get_by_text("Planen är sparad.").wait_for()
    goal_form = page.locator(
        "form", has=page.get_by_role("button", name="Lägg till mål")
    )
    goal_form.get_by_label("Yrkesgrupp").select_option("physiotherapist")
    goal_form.get_by_label("Ansvarig").select_option(
        label=staff["fysio1"].user.get_full_name()
    )
    goal_form.locator("[name=goal-description]").fill("Promenera 30 minuter dagligen")
    goal_form.get_by_label("Mått").fill("Minuter per dag")
    goal_form.get_by_label("Måldatum").fill(
        (programme_start + timedelta(days=32)).isoformat()
    )
    page.get_by_role("button", name="Lägg till mål").click()
    page.get_by_text("Målet är tillagt.").wait_for()
    page.get_by_label("Undertecknad på papper").check()
    page.get_by_role("button", name="Patienten har undertecknat").click()
    page.get_by_text("Planen är undertecknad.").wait_for()
    assert Episode.objects.get(pk=episode.pk).state == State.PREPARATION

    # The coordinator gives Maja a place in the programme four weeks on, with
    # three others decided earlier, and lets the solver lay the schedule.
    for n in range(3):
        decided_episode(
            unit=unit_a,
            physician=physician,
            coordinator=coordinator,
            decided_at=aware(first_day + timedelta(days=21 + n)),
        )
    page = login(browser, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/program/")
    page.get_by_role("link", name="Nytt program").click()
    page.get_by_label("Mall").select_option(label="Smärtrehabprogram, fem veckor")
    page.get_by_label("Startar (en måndag)").fill(programme_start.isoformat())
    page.get_by_role("button", name="Skapa programmet").click()
    page.get_by_text("Programmet är skapat.").wait_for()
    for _place in range(4):
        page.get_by_role("button", name="Lägg till").first.click()
        page.get_by_text("har fått plats i programmet.").first.wait_for()
    assert CohortParticipant.objects.count() == 4
    page.get_by_role("button", name="Lägg schema automatiskt").click()
    page.get_by_text("Schemat är lagt").wait_for()
    cohort_url = f"{live_server.url}/program/kohort/{maja_place().cohort_id}/"

    # --- A week before the first day: starting is refused; on the day it starts.
    travel(_at(programme_start - timedelta(days=7), "09:00"))
    page = login(browser, live_server, "coordinator_a")
    page.goto(cohort_url)
    page.get_by_role("button", name="Starta programmet").click()
    starts = formats.date_format(programme_start, "l j F Y").lower()
    page.get_by_text(f"Programmet börjar {starts}").wait_for()
    travel(_at(programme_start, "07:45"))
    page = login(browser, live_server, "coordinator_a")
    page.goto(cohort_url)
    page.get_by_role("button", name="Starta programmet").click()
    page.get_by_text("4 deltagare flyttades till gruppprogrammet.").wait_for()
    assert Episode.objects.get(pk=episode.pk).state == State.GROUP_PROGRAMME

    # Five weeks of attendance (recorded day by day in the clinic).
    maja = CohortParticipant.objects.get(episode=episode)
    for session in Session.objects.filter(participants=maja):
        Attendance.objects.create(
            session=session,
            participant=maja,
            status="present",
            recorded_by=coordinator.user,
            recorded_at=aware(session.date, 16),
        )

    # --- Its last day: the programme ends; attendance is shown; the final note.
    last_day = max(
        session.date for session in Session.objects.filter(cohort=maja.cohort)
    )
    travel(_at(last_day, "15:00"))
    page = login(browser, live_server, "coordinator_a")
    page.goto(f"{base}/")
    page.get_by_role("link", name="Programmet avslutat").click()
    page.get_by_text("frånvarande vid 0 %").wait_for()
    _shot(page, "06_programme_end")
    page.get_by_role("button", name="Rehabiliteringen är avslutad").click()
    page.get_by_text("slutanteckningen är skriven som utkast").wait_for()
    assert Episode.objects.get(pk=episode.pk).state == State.FOLLOW_UP

    # --- 4–6 weeks after: the contact by phone, on the worklist from week 4.
    travel(_at(last_day + timedelta(weeks=4), "09:00"))
    page = login(browser, live_server, "coordinator_a")
    row = _worklist_row(page, live_server, "4–6 veckor")
    row.get_by_role("link").first.click()
    page.get_by_label("Hur").select_option("phone")
    page.get_by_label("Vidmakthållandeplan klar").check()
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Uppföljningen är dokumenterad.").wait_for()

    # --- 3–4 months after: on site; then discharge, completed as planned.
    discharge_day = travel(_at(last_day + timedelta(days=101), "10:00"))
    page = login(browser, live_server, "coordinator_a")
    row = _worklist_row(page, live_server, "3–4 månader")
    row.get_by_role("link").first.click()
    page.get_by_label("Teamsammanfattning").fill(
        "Arbetar 50 %, tränar två gånger i veckan."
    )
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Uppföljningen är dokumenterad.").wait_for()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Skriv ut patienten…").click()
    page.get_by_label("Orsak till utskrivning").select_option("completed")
    page.get_by_label("Vem tar över").fill("Vårdcentralen Exempel")
    page.get_by_label("Vad rekommenderas").fill("Fortsatt egenträning.")
    page.get_by_role("button", name="Skriv ut patienten").click()
    page.get_by_text("Patienten är utskriven.").wait_for()
    discharge = Letter.objects.get(kind=LetterKind.DISCHARGE)
    assert f"är utskriven från smärtrehabteamet {discharge_day.isoformat()}" in (
        discharge.body
    )

    # --- A year after the programme: the 12-month registry forms.
    travel(_at(add_months(last_day, 12) + timedelta(days=1), "09:00"))
    page = login(browser, live_server, "coordinator_a")
    row = _worklist_row(page, live_server, "Registerformulär, 12 månader")
    assert row.count() == 1
    # The unit administrator has imported the licensed wording (synthetic here).
    from painrehab.questionnaires.sample_wording import install_sample_wordings

    install_sample_wordings(unit=unit_a, user=coordinator.user)
    page.goto(f"{live_server.url}/formular/vardforlopp/{episode.pk}/skicka/")
    page.get_by_label("Mättillfälle").select_option("registry_12m")
    page.get_by_role("button", name="Skapa utskick").click()
    page.get_by_text("Länken och koden visas bara den här gången").wait_for()
    link = page.locator(".link-text").inner_text().strip()
    _shot(page, "07_twelve_month_letter")

    # The patient answers on a 390 px phone and sends.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    mobile = phone.new_page()
    mobile.goto(link if link.startswith("http") else f"{live_server.url}{link}")
    mobile.get_by_label("Ditt födelsedatum").fill("19790412")
    mobile.keyboard.press("Enter")
    mobile.locator("#q1 label.option", has_text="3").first.click()
    mobile.locator("#s1").get_by_text("Sparad").wait_for()
    mobile.goto(f"{live_server.url}/f/svar/?sida=99")
    mobile.get_by_text("listan ovan visar var").wait_for()
    mobile.get_by_label("Skicka de svar jag har gett").check()
    mobile.get_by_role("button", name="Skicka svaren").click()
    mobile.get_by_role("heading", name="Tack!").wait_for()
    mobile.screenshot(
        path=SCREENSHOTS / "journey_specialist_08_phone_sent.png", full_page=True
    )
    nprs = Result.objects.get(episode=episode, time_point="registry_12m", code="nprs")
    assert (nprs.total, nprs.valid) == (3, True)
    assert Episode.objects.get(pk=episode.pk).state == State.DISCHARGED
