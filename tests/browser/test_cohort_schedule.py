"""In Chromium: the coordinator creates a programme from the template, gives
places to the patients decided for it, schedules it automatically, records
a day's attendance and exports the calendar."""

import io
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone
from pypdf import PdfReader

from painrehab.core.dates import week_monday
from painrehab.programmes.models import Attendance, CohortParticipant, Session
from painrehab.programmes.tests.factories import (
    PASSWORD,
    aware,
    decided_episode,
    premises,
    team,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cohort_from_template_to_attendance_and_calendar(
    live_server, browser, unit_a, physician, coordinator, sports_leader
):
    SCREENSHOTS.mkdir(exist_ok=True)
    team(unit_a)
    premises(unit_a)
    today = timezone.localdate()
    names = ["Anna Andersson", "Bo Berg", "Cecilia Carlsson", "David Dahl", "Eva Ek"]
    patients = [
        decided_episode(
            unit=unit_a,
            physician=physician,
            coordinator=coordinator,
            decided_at=aware(today - timedelta(days=40 - n)),
            first_name=name.split()[0],
            last_name=name.split()[1],
        ).patient
        for n, name in enumerate(names)
    ]
    # Started the Monday of last week, so last week's days can be recorded.
    start = week_monday(today) - timedelta(weeks=1)

    context = browser.new_context(
        viewport={"width": 1180, "height": 820}, locale="sv-SE"
    )  # a tablet in landscape
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("coordinator_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()

    # A new programme from the specialist template.
    page.goto(f"{live_server.url}/program/")
    page.get_by_role("heading", name="Gruppprogram").wait_for()
    assert "5 patienter med beslut om gruppprogram har ingen plats än." in (
        page.content()
    )
    page.get_by_role("link", name="Nytt program").click()
    page.get_by_label("Mall").select_option(label="Smärtrehabprogram, fem veckor")
    page.get_by_label("Startar (en måndag)").fill(start.isoformat())
    page.screenshot(path=SCREENSHOTS / "programme_new.png", full_page=True)
    page.get_by_role("button", name="Skapa programmet").click()
    page.get_by_text("Programmet är skapat.").wait_for()

    # Places for the first four decided, in order of decision; one needs the hotel.
    for number, patient in enumerate(patients[:4]):
        row = page.locator(
            "tr", has=page.get_by_role("button", name=f"Lägg till {patient.full_name}")
        )
        if number == 0:
            row.get_by_label("Patienthotell").check()
        row.get_by_role("button", name=f"Lägg till {patient.full_name}").click()
        page.get_by_text(f"{patient.full_name} har fått plats i programmet.").wait_for()
    assert CohortParticipant.objects.count() == 4
    assert CohortParticipant.objects.filter(needs_patient_hotel=True).count() == 1
    assert "4 deltagare (vanligen 4–7)" in page.content()
    page.screenshot(path=SCREENSHOTS / "programme_cohort.png", full_page=True)

    # Automatic scheduling; the week view of the first programme week.
    page.get_by_role("button", name="Lägg schema automatiskt").click()
    page.get_by_text("Schemat är lagt: 85 pass.").wait_for()
    assert Session.objects.count() == 85
    page.goto(page.url.split("?")[0] + f"?vecka={start.isoformat()}")
    page.get_by_text("programvecka 1 av 5").wait_for()
    page.screenshot(path=SCREENSHOTS / "programme_week_1.png", full_page=True)
    page.get_by_role("link", name="Nästa vecka").click()
    page.get_by_text("programvecka 2 av 5").wait_for()
    assert (
        page.locator("table.week .entry").count()
        == Session.objects.filter(
            date__gte=start + timedelta(weeks=1), date__lt=start + timedelta(weeks=2)
        ).count()
    )
    page.screenshot(path=SCREENSHOTS / "programme_week_2.png", full_page=True)

    # Attendance for a day of the first week: everybody came but one.
    first_day = Session.objects.exclude(attendees="staff").order_by("date").first().date
    page.goto(
        f"{live_server.url}/program/kohort/"
        f"{Session.objects.first().cohort_id}/narvaro/?dag={first_day.isoformat()}"
    )
    selects = page.locator("table.attendance select")
    expected = Session.objects.filter(date=first_day).exclude(attendees="staff")
    count = sum(s.participants.count() for s in expected)
    assert selects.count() == count > 0
    for index in range(count):
        selects.nth(index).select_option(label="Närvarande")
    selects.nth(0).select_option(label="Frånvarande")
    page.screenshot(path=SCREENSHOTS / "programme_attendance.png", full_page=True)
    page.get_by_role("button", name="Spara närvaro").click()
    page.get_by_text(f"Närvaron är sparad ({count} ändrade).").wait_for()
    assert Attendance.objects.filter(status="present").count() == count - 1
    assert Attendance.objects.filter(status="absent").count() == 1

    # The calendar file of the programme, and the printed week schedule.
    page.get_by_role("link", name=Session.objects.first().cohort.name).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Kalenderfil (ICS)").click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 85
    first = Session.objects.order_by("date", "start", "pk").first()
    assert events[0].decoded("DTSTART") == aware(first.date, first.start.hour).replace(
        minute=first.start.minute
    )
    page.screenshot(
        path=SCREENSHOTS / "programme_cohort_attendance.png", full_page=True
    )
    pdf = page.request.get(
        f"{live_server.url}/program/kohort/{first.cohort_id}/veckoschema.pdf"
        f"?vecka={(start + timedelta(weeks=1)).isoformat()}"
    ).body()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Veckoschema vecka" in text
    (SCREENSHOTS / "programme_week_schedule.pdf").write_bytes(pdf)

    # The same week view on a phone-sized screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(
        f"{live_server.url}/program/kohort/{first.cohort_id}/vecka/"
        f"?vecka={(start + timedelta(weeks=1)).isoformat()}"
    )
    page.screenshot(path=SCREENSHOTS / "programme_week_phone.png")


def test_annual_plan_preview(live_server, browser, unit_a, coordinator):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1180, "height": 820}, locale="sv-SE"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("coordinator_a")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()
    page.goto(f"{live_server.url}/program/arsplan/")
    page.get_by_label("Mall").select_option(label="Smärtrehabprogram, fem veckor")
    page.get_by_label("År").fill("2026")
    page.get_by_role("button", name="Visa planen").click()
    rows = page.locator("table.plan tbody tr")
    rows.first.wait_for()
    assert rows.count() == 6
    assert (
        "fre 3 april (Långfredagen), mån 6 april (Annandag påsk)"
        in rows.nth(1).inner_text()
    )
    page.screenshot(path=SCREENSHOTS / "programme_annual_plan.png", full_page=True)
