"""In Chromium: on every page with several forms, what is typed survives the
other buttons and every error (issue 16)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from painrehab.core.dates import week_monday
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
    Goal,
    PatientConferenceNote,
    PreparatoryIntervention,
    RehabPlan,
)
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State
from painrehab.patients.tests.factories import PatientFactory
from painrehab.steps.referral.services import open_episode
from painrehab.steps.tests import fixtures
from tests.browser.journey import login

SHOTS = Path("/tmp/shots-forms")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]

# The assessment conference and planning meeting, as the plan's tests set them up.
investigated = fixtures.investigated
conference = fixtures.conference
planned = fixtures.planned

TEAM_CRITERIA = [
    c
    for c in rules.SPECIALIST_CRITERIA
    if c.rule is None
    and c.checked_at_assessment
    and c.kind != rules.CriterionKind.INDIVIDUAL_REASON
]


def _answer(criterion) -> str:  # noqa: ANN001
    return "yes" if criterion.kind == rules.CriterionKind.INCLUSION else "no"


def test_conference_decision_keeps_and_stores_everything_typed(
    live_server, browser, physician, conference
):
    SHOTS.mkdir(exist_ok=True)
    page = login(browser, live_server, "physician_a")
    page.goto(
        f"{live_server.url}/vardforlopp/{conference.episode_id}/bedomningskonferens/"
    )
    typed = {
        "main_problems": "Långvarig ländryggssmärta, sömnbrist.",
        "contributing_factors": "Stillasittande arbete, oro för ekonomin.",
        "resources": "Stöttande partner, tycker om att gå i skogen.",
        "expectations": "Vill kunna arbeta halvtid igen.",
        "madrs_total": "14",
    }
    for name, text in typed.items():
        page.locator(f"[name={name}]").fill(text)
    page.locator("[name=has_pending_investigations]").select_option("no")
    for criterion in TEAM_CRITERIA:
        page.locator(
            f'input[name="confirm_{criterion.key}"][value="{_answer(criterion)}"]'
        ).check()
    # "Not suitable" without the alternatives: refused, and nothing typed is gone.
    page.locator('input[name="decision"][value="not_suitable"]').check()
    page.get_by_role("button", name="Registrera beslut").click()
    page.get_by_text("Skriv de rekommenderade alternativen.").wait_for()
    page.screenshot(path=SHOTS / "conference_refused_keeps_text.png", full_page=True)
    for name, text in typed.items():
        assert page.locator(f"[name={name}]").input_value() == text
    assert page.locator("[name=has_pending_investigations]").input_value() == "no"
    for criterion in TEAM_CRITERIA:
        assert page.locator(
            f'input[name="confirm_{criterion.key}"][value="{_answer(criterion)}"]'
        ).is_checked()
    assert page.locator('input[name="decision"][value="not_suitable"]').is_checked()
    assert AssessmentConference.objects.get(pk=conference.pk).decision == ""

    # "Registrera beslut" without "Spara bedömning": stored with the decision.
    page.locator('input[name="decision"][value="group_programme"]').check()
    page.get_by_role("button", name="Registrera beslut").click()
    page.get_by_text("Beslutet är registrerat.").wait_for()
    saved = AssessmentConference.objects.get(pk=conference.pk)
    assert saved.decision == "group_programme"
    assert saved.main_problems == typed["main_problems"]
    assert saved.expectations == typed["expectations"]
    assert saved.facts["madrs_total"] == 14
    assert saved.confirmations == {c.key: _answer(c) == "yes" for c in TEAM_CRITERIA}


def _in_preparation(patient, coordinator, physician):  # noqa: ANN001, ANN202
    episode = open_episode(
        patient=patient,
        by=coordinator,
        source="referral",
        received_on=timezone.localdate() - timedelta(days=50),
    )
    for state in [
        State.TRIAGED,
        State.WAITING_NEW_VISIT,
        State.NEW_VISIT,
        State.TEAM_INVESTIGATION,
        State.ASSESSMENT_CONFERENCE,
        State.PLANNING_MEETING,
        State.PREPARATION,
    ]:
        move_episode(
            episode=episode,
            to=state,
            by=coordinator if state == State.WAITING_NEW_VISIT else physician,
        )
    return episode


def test_each_agenda_row_saves_alone(
    live_server, browser, physician, coordinator, unit_a
):
    first, second = [
        _in_preparation(patient, coordinator, physician)
        for patient in PatientFactory.create_batch(2, unit=unit_a)
    ]
    page = login(browser, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/vardforlopp/patientkonferens/")
    row_one, row_two = (
        page.locator(f"#note-{first.pk}"),
        page.locator(f"#note-{second.pk}"),
    )
    row_two.fill("Fortsätt nedtrappning av opioider; ny kontakt om två veckor.")
    # An empty row saved: its error, and the other row's text is still there.
    page.locator(f"#notes-{first.pk}").get_by_role("button", name="Spara").click()
    page.locator(f"#notes-{first.pk}").get_by_text("Skriv anteckningen.").wait_for()
    assert row_two.input_value() == (
        "Fortsätt nedtrappning av opioider; ny kontakt om två veckor."
    )
    row_one.fill("Sömnen bättre; börjar gruppen vecka 12.")
    page.locator(f"#notes-{first.pk}").get_by_role("button", name="Spara").click()
    page.locator(f"#notes-{first.pk}").get_by_text("Anteckningen är sparad.").wait_for()
    page.screenshot(path=SHOTS / "agenda_row_saved_other_kept.png", full_page=True)
    assert row_two.input_value() == (
        "Fortsätt nedtrappning av opioider; ny kontakt om två veckor."
    )
    assert [n.text for n in PatientConferenceNote.objects.all()] == [
        "Sömnen bättre; börjar gruppen vecka 12."
    ]
    page.locator(f"#notes-{second.pk}").get_by_role("button", name="Spara").click()
    page.locator(f"#notes-{second.pk}").get_by_text(
        "Anteckningen är sparad."
    ).wait_for()
    assert PatientConferenceNote.objects.count() == 2

    # The minutes on the episode page.
    page.goto(f"{live_server.url}/vardforlopp/{first.pk}/")
    week = week_monday(timezone.localdate())
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Patientkonferens")
    )
    section.get_by_text("Sömnen bättre; börjar gruppen vecka 12.").wait_for()
    assert f"Vecka {week.isocalendar().week} ({week:%Y-%m-%d})" in section.inner_text()
    page.screenshot(path=SHOTS / "episode_conference_notes.png", full_page=True)


PLAN_TEXT = {
    "values": "Familjen och att kunna arbeta i trädgården.",
    "overall_goal": "Arbeta 50 % inom sex månader.",
}


def _plan_text_is_kept(page) -> None:  # noqa: ANN001
    for name, text in PLAN_TEXT.items():
        assert page.locator(f"#plan-form [name={name}]").input_value() == text


def test_plan_goals_preparations_and_signature_keep_what_is_typed(
    live_server, browser, physician, planned
):
    page = login(browser, live_server, "physician_a")
    page.goto(f"{live_server.url}/vardforlopp/{planned.episode_id}/plan/")
    # The plan's text is typed but not saved; everything below keeps it.
    for name, text in PLAN_TEXT.items():
        page.locator(f"#plan-form [name={name}]").fill(text)

    # A goal with an error: its text stays and its form stays open.
    goals = page.locator("#goals")
    goals.locator("[name=goal-profession]").select_option("physician")
    goals.locator("[name=goal-owner]").select_option(label="Physician_A Testsson")
    goals.locator("[name=goal-description]").fill("Promenera 30 minuter dagligen")
    target = (timezone.localdate() + timedelta(days=45)).isoformat()
    goals.locator("[name=goal-target_date]").fill(target)
    goals.get_by_role("button", name="Lägg till mål").click()
    page.locator("#goals").get_by_text("Fyll i alla fält för målet.").wait_for()
    page.screenshot(path=SHOTS / "plan_goal_error_keeps_text.png", full_page=True)
    goals = page.locator("#goals")
    assert goals.locator("[name=goal-description]").is_visible()
    assert goals.locator("[name=goal-description]").input_value() == (
        "Promenera 30 minuter dagligen"
    )
    assert goals.locator("[name=goal-target_date]").input_value() == target
    assert goals.locator("[name=goal-owner] option:checked").inner_text() == (
        "Physician_A Testsson"
    )
    _plan_text_is_kept(page)
    assert not Goal.objects.exists()
    goals.locator("[name=goal-measure]").fill("Minuter per dag")
    goals.get_by_role("button", name="Lägg till mål").click()
    page.locator("#goals").get_by_text("Målet är tillagt.").wait_for()
    _plan_text_is_kept(page)
    goal = Goal.objects.get()

    # The goal corrected before signing: an error keeps the correction open.
    goals = page.locator("#goals")
    goals.get_by_text("Rätta målet").click()
    correction = goals.locator(
        "form", has=page.get_by_role("button", name="Spara rättelsen")
    )
    correction.locator(f"[name=goal{goal.pk}-description]").fill(
        "Promenera 45 minuter dagligen"
    )
    correction.locator(f"[name=goal{goal.pk}-measure]").fill("")
    correction.get_by_role("button", name="Spara rättelsen").click()
    page.locator("#goals").get_by_text("Fyll i alla fält för målet.").wait_for()
    correction = page.locator(
        "#goals form", has=page.get_by_role("button", name="Spara rättelsen")
    )
    assert correction.locator(f"[name=goal{goal.pk}-description]").is_visible()
    assert correction.locator(f"[name=goal{goal.pk}-description]").input_value() == (
        "Promenera 45 minuter dagligen"
    )
    correction.locator(f"[name=goal{goal.pk}-measure]").fill("Minuter per dag")
    correction.get_by_role("button", name="Spara rättelsen").click()
    page.locator("#goals").get_by_text("Målet är rättat.").wait_for()
    assert Goal.objects.get().description == "Promenera 45 minuter dagligen"
    _plan_text_is_kept(page)

    # A preparatory intervention planned: the plan's text still stays.
    preparations = page.locator("#preparations")
    preparations.locator("[name=prep-profession]").select_option("physiotherapist")
    preparations.locator("[name=prep-kind]").select_option("training_programme")
    preparations.locator("[name=prep-description]").fill("Bassängträning två gånger")
    preparations.get_by_role("button", name="Planera insats").click()
    page.locator("#preparations").get_by_text("Insatsen är planerad.").wait_for()
    assert PreparatoryIntervention.objects.get().description == (
        "Bassängträning två gånger"
    )
    _plan_text_is_kept(page)

    # Signing without saying how: refused, nothing typed is gone.
    page.get_by_role("button", name="Patienten har undertecknat").click()
    page.locator("#sign").get_by_text(
        "Ange datum och hur patienten undertecknade."
    ).wait_for()
    page.screenshot(path=SHOTS / "plan_sign_refused_keeps_text.png", full_page=True)
    _plan_text_is_kept(page)
    page.get_by_label("Undertecknad på papper").check()
    page.get_by_role("button", name="Patienten har undertecknat").click()
    page.get_by_text("Planen är undertecknad.").wait_for()
    plan = RehabPlan.objects.get(pk=planned.pk)
    assert (plan.values, plan.overall_goal) == (
        PLAN_TEXT["values"],
        PLAN_TEXT["overall_goal"],
    )
    assert plan.is_signed
    assert Episode.objects.get(pk=planned.episode_id).state == State.PREPARATION
    page.screenshot(path=SHOTS / "plan_signed.png", full_page=True)


def test_investigation_record_and_booking_keep_each_others_text(
    live_server, browser, coordinator, investigated, working_day
):
    page = login(browser, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/vardforlopp/{investigated.pk}/utredning/")
    record = page.locator("#own-record textarea").first
    record.fill("Trött, sover fyra timmar per natt; vill börja arbeta igen.")
    visits = page.locator("#visits")
    visits.get_by_text("Boka besök").click()
    visits.locator("[name=book-profession]").select_option("coordinator_nurse")
    visits.locator("[name=book-staff]").select_option(label="Coordinator_A Testsson")
    day = working_day(timezone.localdate() + timedelta(days=7))
    visits.locator("[name=book-day]").fill(day.isoformat())
    # The time is missing: the booking's error, and the record typed stays.
    visits.get_by_role("button", name="Boka").click()
    page.locator("#visits").get_by_text("Det här fältet är obligatoriskt.").wait_for()
    page.screenshot(path=SHOTS / "investigation_booking_error.png", full_page=True)
    assert record.input_value() == (
        "Trött, sover fyra timmar per natt; vill börja arbeta igen."
    )
    visits = page.locator("#visits")
    assert visits.locator("[name=book-day]").input_value() == day.isoformat()
    visits.locator("[name=book-start]").fill("10:00")
    visits.get_by_role("button", name="Boka").click()
    page.locator("#visits").get_by_text("Besöket är bokat.").wait_for()
    assert record.input_value() == (
        "Trött, sover fyra timmar per natt; vill börja arbeta igen."
    )
    # A second booking half typed, and the record saved: both stay.
    visits = page.locator("#visits")
    visits.get_by_text("Boka besök").click()
    visits.locator("[name=book-day]").fill(day.isoformat())
    page.locator("#own-record").get_by_role("button", name="Spara").click()
    page.locator("#own-record").get_by_text("Anteckningen är sparad.").wait_for()
    assert page.locator("#visits [name=book-day]").input_value() == day.isoformat()
    page.locator("#records").get_by_text(
        "Trött, sover fyra timmar per natt; vill börja arbeta igen."
    ).wait_for()
    page.screenshot(path=SHOTS / "investigation_record_saved.png", full_page=True)


def test_follow_up_and_sick_leave_keep_each_others_text(
    live_server, browser, physician, coordinator, episode_a
):
    from painrehab.pathway.models import FollowUpRecord, WorkStatus
    from painrehab.pathway.services.follow_up import schedule_for
    from painrehab.pathway.states import GROUP_PROGRAMME_PATH

    episode = Episode.objects.get(pk=episode_a.pk)
    for state in GROUP_PROGRAMME_PATH[
        1 : GROUP_PROGRAMME_PATH.index(State.FOLLOW_UP) + 1
    ]:
        move_episode(
            episode=episode,
            to=state,
            by=coordinator if state == State.WAITING_NEW_VISIT else physician,
        )
    RehabPlan.objects.create(
        episode=episode, track="group_programme", updated_by=physician.user
    )
    item = schedule_for(episode)[0]
    page = login(browser, live_server, "physician_a")
    page.goto(
        f"{live_server.url}/vardforlopp/{episode.pk}/uppfoljning/?punkt={item.key}"
    )
    record = page.locator("#follow-up-record")
    record.locator("[name=setbacks]").fill("Ett skov i november, hanterat med pacing.")
    record.locator("[name=note]").fill("Går dagligen; arbetar 25 %.")
    record.locator("[name=held_on]").fill(
        (timezone.localdate() + timedelta(days=3)).isoformat()
    )
    sick_leave = page.locator("#sick-leave")
    sick_leave.locator("[name=sick_leave_percent]").select_option("75")
    # The follow-up dated in the future: refused, both forms keep their text.
    record.get_by_role("button", name="Spara").click()
    page.locator("#follow-up-record").get_by_text(
        "Datumet kan inte ligga i framtiden."
    ).wait_for()
    page.screenshot(path=SHOTS / "follow_up_refused_keeps_text.png", full_page=True)
    record = page.locator("#follow-up-record")
    assert record.locator("[name=setbacks]").input_value() == (
        "Ett skov i november, hanterat med pacing."
    )
    assert record.locator("[name=note]").input_value() == "Går dagligen; arbetar 25 %."
    assert page.locator("#sick-leave [name=sick_leave_percent]").input_value() == "75"
    # The sick leave saved on its own: the follow-up typed stays.
    page.locator("#sick-leave").get_by_role(
        "button", name="Spara sjukskrivning"
    ).click()
    page.locator("#sick-leave").get_by_text(
        "Sjukskrivningen är registrerad."
    ).wait_for()
    assert WorkStatus.objects.get().sick_leave_percent == 75
    assert record.locator("[name=note]").input_value() == "Går dagligen; arbetar 25 %."
    record.locator("[name=held_on]").fill(timezone.localdate().isoformat())
    record.get_by_role("button", name="Spara").click()
    page.get_by_text("Uppföljningen är dokumenterad.").wait_for()
    saved = FollowUpRecord.objects.get()
    assert (saved.setbacks, saved.note) == (
        "Ett skov i november, hanterat med pacing.",
        "Går dagligen; arbetar 25 %.",
    )
