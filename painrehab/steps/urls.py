from django.urls import path

from painrehab.steps.conference import views as conference
from painrehab.steps.discharge import views as discharge
from painrehab.steps.episodes import views as episodes
from painrehab.steps.follow_up import views as follow_up
from painrehab.steps.investigation import views as investigation
from painrehab.steps.new_visit import views as new_visit
from painrehab.steps.patient_conference import views as patient_conference
from painrehab.steps.plan import views as plan
from painrehab.steps.preparation import views as preparation
from painrehab.steps.referral import views as referral
from painrehab.steps.triage import views as triage
from painrehab.steps.unit_settings import views as unit_settings
from painrehab.steps.waiting import views as waiting

# The pathway's pages keep their "pathway" namespace; their views live by step.
app_name = "pathway"
urlpatterns = [
    path("lage/<str:state>/", episodes.state_list, name="state_list"),
    path("<int:episode_id>/", episodes.episode_detail, name="episode"),
    path("<int:episode_id>/steg/", episodes.move, name="move"),
    path("remiss/ny/", referral.new_referral, name="new_referral"),
    path(
        "patient/<int:patient_id>/ny-remiss/", referral.new_episode, name="new_episode"
    ),
    path("<int:episode_id>/komplettering/", referral.completion, name="completion"),
    path(
        "<int:episode_id>/remiss/ratta/",
        referral.correct,
        name="correct_referral",
    ),
    path("<int:episode_id>/remissbedomning/", triage.triage, name="triage"),
    path("vantelista/<str:step>/", waiting.waiting, name="waiting_list"),
    path("<int:episode_id>/patientvald-vantan/", waiting.pause, name="pause"),
    path("tillganglighet/", waiting.accessibility, name="accessibility"),
    path("<int:episode_id>/boka/", new_visit.book, name="book"),
    path(
        "bokning/<int:booking_id>/kallelse-skickad/",
        new_visit.invitation_sent,
        name="invitation_sent",
    ),
    path("bokning/<int:booking_id>/franvaro/", new_visit.absence, name="absence"),
    path("bokning/<int:booking_id>/flytta/", new_visit.move, name="move_booking"),
    path("bokning/<int:booking_id>/tolk/", new_visit.interpreter, name="interpreter"),
    path(
        "bokning/<int:booking_id>/genomford/",
        investigation.visit_held,
        name="visit_held",
    ),
    path("<int:episode_id>/nybesok/", new_visit.new_visit, name="new_visit"),
    path(
        "<int:episode_id>/utredning/", investigation.investigation, name="investigation"
    ),
    path(
        "<int:episode_id>/utredning/boka/",
        investigation.investigation_book,
        name="investigation_book",
    ),
    path(
        "<int:episode_id>/bedomningskonferens/",
        conference.conference,
        name="conference",
    ),
    path(
        "<int:episode_id>/bedomningskonferens/ny/",
        conference.conference_start,
        name="conference_start",
    ),
    path(
        "<int:episode_id>/bedomningskonferens/spara/",
        conference.conference_save,
        name="conference_save",
    ),
    path(
        "<int:episode_id>/bedomningskonferens/beslut/",
        conference.conference_decide,
        name="conference_decide",
    ),
    path("<int:episode_id>/plan/", plan.plan, name="plan"),
    path("<int:episode_id>/plan/spara/", plan.plan_save, name="plan_save"),
    path("<int:episode_id>/plan/pdf/", plan.plan_pdf, name="plan_pdf"),
    path("mal/<int:goal_id>/utvardering/", plan.goal_evaluate, name="goal_evaluate"),
    path("mal/<int:goal_id>/ratta/", plan.goal_correct, name="goal_correct"),
    path(
        "forberedelse/<int:preparation_id>/status/",
        preparation.preparation_status,
        name="preparation_status",
    ),
    path("patientkonferens/", patient_conference.agenda, name="agenda"),
    path("<int:episode_id>/uppfoljning/", follow_up.follow_up, name="follow_up"),
    path("<int:episode_id>/sjukskrivning/", follow_up.work_status, name="work_status"),
    path(
        "<int:episode_id>/rehabilitering-avslutad/",
        follow_up.end_rehabilitation,
        name="end_rehabilitation",
    ),
    path("<int:episode_id>/utskrivning/", discharge.discharge, name="discharge"),
    path("kriterier/<str:template>/", unit_settings.criteria, name="criteria"),
    path(
        "journalmall/<str:profession>/",
        unit_settings.record_template,
        name="record_template",
    ),
    path(
        "<int:episode_id>/patientkonferens/anteckning/",
        patient_conference.agenda_note,
        name="agenda_note",
    ),
]
