"""Pages with several forms: what is typed survives an error and the other forms' saves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from painrehab.core.dates import week_monday
from painrehab.pathway.models import Episode, Goal, PatientConferenceNote, RehabPlan
from painrehab.steps.plan.services import add_goal, sign_rehab_plan

pytestmark = pytest.mark.usefixtures("clock")

HTMX = {"HTTP_HX_REQUEST": "true"}


def _goal_fields(prefix, physician, **changes):  # noqa: ANN001, ANN003, ANN202
    values = {
        "profession": "physician",
        "owner": physician.user_id,
        "description": "Cykla till jobbet tre dagar i veckan",
        "measure": "",  # missing: the error
        "target_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        **changes,
    }
    return {f"{prefix}-{key}": value for key, value in values.items()}


def _goal(plan, physician):  # noqa: ANN001, ANN202
    return add_goal(
        by=physician,
        plan=plan,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=timezone.localdate() + timedelta(days=60),
    )


def test_a_goal_with_an_error_keeps_its_text_and_stays_open(
    client_for, physician, planned
):
    response = client_for(physician).post(
        f"/vardforlopp/{planned.episode_id}/plan/spara/",
        {"action": "goal", **_goal_fields("goal", physician)},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Fyll i alla fält för målet." in html
    assert "Cykla till jobbet tre dagar i veckan</textarea>" in html
    assert "<details open><summary>Nytt mål</summary>" in html
    assert not Goal.objects.exists()


def test_with_htmx_the_goal_part_alone_comes_back_with_the_typed_text(
    client_for, physician, planned
):
    client = client_for(physician)
    response = client.post(
        f"/vardforlopp/{planned.episode_id}/plan/spara/",
        {"action": "goal", **_goal_fields("goal", physician)},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only what it is given a 2xx for
    assert html.startswith('<section class="card" id="goals">')
    assert "Cykla till jobbet tre dagar i veckan</textarea>" in html
    assert "Fyll i alla fält för målet." in html
    response = client.post(
        f"/vardforlopp/{planned.episode_id}/plan/spara/",
        {"action": "goal", **_goal_fields("goal", physician, measure="dagar")},
        **HTMX,
    )
    html = response.content.decode()
    assert "Målet är tillagt." in html
    assert Goal.objects.get().measure == "dagar"


def test_a_goal_is_corrected_on_the_plan_page_before_signing(
    client_for, physician, planned
):
    goal = _goal(planned, physician)
    client = client_for(physician)
    url = f"/vardforlopp/mal/{goal.pk}/ratta/"
    prefix = f"goal{goal.pk}"
    refused = client.post(
        url, {f"{prefix}-version": 1, **_goal_fields(prefix, physician)}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Cykla till jobbet tre dagar i veckan</textarea>" in html
    assert '<details open><summary class="small">Rätta målet</summary>' in html
    assert Goal.objects.get(pk=goal.pk).description == "Gå 30 minuter"
    saved = client.post(
        url,
        {f"{prefix}-version": 1, **_goal_fields(prefix, physician, measure="dagar")},
    )
    assert saved.status_code == 302
    goal.refresh_from_db()
    assert (goal.description, goal.measure, goal.version) == (
        "Cykla till jobbet tre dagar i veckan",
        "dagar",
        2,
    )
    page = client.get(f"/vardforlopp/{planned.episode_id}/plan/").content.decode()
    assert "Målet är rättat." in page
    assert '<span class="badge">rättat</span>' in page
    assert "<summary>Tidigare lydelse</summary>" in page
    target = (timezone.localdate() + timedelta(days=60)).isoformat()
    assert f"”Gå 30 minuter” – minuter per dag, {target} (Physician_A Testsson)" in page


def test_a_signed_plans_goal_is_not_corrected_and_the_typed_text_stays(
    client_for, physician, planned
):
    goal = _goal(planned, physician)
    sign_rehab_plan(
        by=physician,
        plan=RehabPlan.objects.get(pk=planned.pk),
        expected_version=1,
        signed_on=timezone.localdate(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    prefix = f"goal{goal.pk}"
    response = client_for(physician).post(
        f"/vardforlopp/mal/{goal.pk}/ratta/",
        {f"{prefix}-version": 1, **_goal_fields(prefix, physician, measure="dagar")},
        **HTMX,
    )
    html = response.content.decode()
    assert "Lägg till ett nytt mål" in html
    assert Goal.objects.get(pk=goal.pk).description == "Gå 30 minuter"
    page = client_for(physician).get(f"/vardforlopp/{planned.episode_id}/plan/")
    assert "Rätta målet" not in page.content.decode()


def test_other_unit_gets_404_on_goal_correction(
    client_for, physician, other_physician, planned
):
    goal = _goal(planned, physician)
    prefix = f"goal{goal.pk}"
    response = client_for(other_physician).post(
        f"/vardforlopp/mal/{goal.pk}/ratta/",
        {f"{prefix}-version": 1, **_goal_fields(prefix, physician, measure="dagar")},
    )
    assert response.status_code == 404
    assert Goal.objects.get(pk=goal.pk).version == 1


def _in_preparation(planned, physician):  # noqa: ANN001, ANN202
    _goal(planned, physician)
    sign_rehab_plan(
        by=physician,
        plan=RehabPlan.objects.get(pk=planned.pk),
        expected_version=1,
        signed_on=timezone.localdate(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    return planned.episode


def test_an_agenda_row_saves_alone_and_the_note_shows_on_the_episode_page(
    client_for, physician, coordinator, planned
):
    episode = _in_preparation(planned, physician)
    week = week_monday(timezone.localdate())
    client = client_for(coordinator)
    response = client.post(
        f"/vardforlopp/{episode.pk}/patientkonferens/anteckning/",
        {"week_of": week.isoformat(), "text": "Sömnen bättre, fortsätt nedtrappning."},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<div id="notes-{episode.pk}">')
    assert "Sömnen bättre, fortsätt nedtrappning." in html
    assert "Anteckningen är sparad." in html
    assert PatientConferenceNote.objects.get().text == (
        "Sömnen bättre, fortsätt nedtrappning."
    )
    page = client.get(f"/vardforlopp/{episode.pk}/").content.decode()
    assert "Patientkonferens" in page
    assert "Sömnen bättre, fortsätt nedtrappning." in page
    # The page numbers the week as Django's "W": no leading zero (week 9, not 09).
    assert f"Vecka {week.isocalendar().week} ({week:%Y-%m-%d})" in page


@pytest.mark.parametrize("sent", ["", "vecka 5", "2026-02-30", "9" * 5000])
def test_an_agenda_note_with_a_week_that_is_no_date_belongs_to_this_week(
    client_for, physician, coordinator, planned, sent
):
    episode = _in_preparation(planned, physician)
    client_for(coordinator).post(
        f"/vardforlopp/{episode.pk}/patientkonferens/anteckning/",
        {"week_of": sent, "text": "Ny vecka."},
        **HTMX,
    )
    note = PatientConferenceNote.objects.get()
    assert note.week_of == week_monday(timezone.localdate())


def test_a_refused_agenda_note_keeps_the_typed_text(
    client_for, physician, coordinator, planned
):
    from painrehab.steps.discharge.services import discharge_episode

    episode = _in_preparation(planned, physician)
    week = week_monday(timezone.localdate())
    client = client_for(coordinator)
    url = f"/vardforlopp/{episode.pk}/patientkonferens/anteckning/"
    response = client.post(url, {"week_of": week.isoformat(), "text": "   "})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        f'<p class="error" id="note-{episode.pk}-error" role="alert">Skriv anteckningen.</p>'
        in html
    )
    discharge_episode(
        by=physician,
        episode=Episode.objects.get(pk=episode.pk),
        reason="patient_choice",
        taken_over_by="Vårdcentralen",
        recommendation="Fortsatt träning",
    )
    response = client.post(
        url,
        {"week_of": week.isoformat(), "text": "Diskutera återgång i arbete."},
        **HTMX,
    )
    html = response.content.decode()
    assert "Diskutera återgång i arbete.</textarea>" in html
    assert 'role="alert"' in html
    assert not PatientConferenceNote.objects.exists()


def test_signing_saves_the_plan_text_typed_above_it(client_for, physician, planned):
    _goal(planned, physician)
    client = client_for(physician)
    url = f"/vardforlopp/{planned.episode_id}/plan/spara/"
    typed = {
        "version": planned.version,
        "values": "Familjen och trädgården",
        "overall_goal": "Arbeta 50 %",
        "signed_on": timezone.localdate().isoformat(),
    }
    refused = client.post(url, {"action": "sign", **typed})  # how: not given
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Ange datum och hur patienten undertecknade." in html
    assert "Familjen och trädgården</textarea>" in html
    plan = RehabPlan.objects.get(pk=planned.pk)
    assert plan.is_signed is False
    signed = client.post(
        url,
        {"action": "sign", **typed, "version": plan.version, "signature": "paper"},
    )
    assert signed.status_code == 302
    plan.refresh_from_db()
    assert (plan.values, plan.overall_goal, plan.signature) == (
        "Familjen och trädgården",
        "Arbeta 50 %",
        "paper",
    )


def test_on_the_episode_page_the_interpreter_and_invitation_swap_the_bookings_alone(
    client_for, episode_a, coordinator, physician, today, working_day
):
    from datetime import datetime, time

    from painrehab.pathway.models import Booking
    from painrehab.steps.new_visit.services import book_new_visit
    from painrehab.steps.triage.services import triage_referral

    visit_day = working_day(today + timedelta(days=29))
    patient = episode_a.patient
    patient.needs_interpreter, patient.interpreter_language = True, "tigrinja"
    patient.save()
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    booking = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=timezone.make_aware(datetime.combine(visit_day, time(9))),
        physician=physician.user,
    )
    client = client_for(coordinator)
    response = client.post(f"/vardforlopp/bokning/{booking.pk}/tolk/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="bookings">')
    assert "Tolken är registrerad på besöket." in html
    assert 'id="clock" hx-swap-oob="true"' in html
    assert "Nästa steg" not in html  # the next step's typed note is not touched
    response = client.post(
        f"/vardforlopp/bokning/{booking.pk}/kallelse-skickad/",
        {"next": "episode"},
        **HTMX,
    )
    assert "Kallelsen är markerad som skickad." in response.content.decode()
    booking = Booking.objects.get(pk=booking.pk)
    assert booking.interpreter_booked_at is not None
    assert booking.invitation_sent_on is not None
    # Without htmx, as before: back to the episode page.
    assert client.post(f"/vardforlopp/bokning/{booking.pk}/tolk/").status_code == 302


def test_a_profession_that_does_not_plan_gets_403_on_goal_correction(
    client_for, physician, secretary, planned
):
    from painrehab.audit.models import AuditEvent

    goal = _goal(planned, physician)
    prefix = f"goal{goal.pk}"
    response = client_for(secretary).post(
        f"/vardforlopp/mal/{goal.pk}/ratta/",
        {f"{prefix}-version": 1, **_goal_fields(prefix, physician, measure="dagar")},
    )
    assert response.status_code == 403
    assert Goal.objects.get(pk=goal.pk).version == 1
    assert not AuditEvent.objects.filter(what="goal corrected").exists()
