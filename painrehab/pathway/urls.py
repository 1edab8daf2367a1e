from django.urls import path

from painrehab.pathway.views import episodes, new_visit, referral, triage, waiting

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
    path("<int:episode_id>/nybesok/", new_visit.new_visit, name="new_visit"),
]
