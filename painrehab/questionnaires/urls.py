from django.urls import path

from painrehab.questionnaires import views

app_name = "questionnaires"
urlpatterns = [
    path("utestaende/", views.outstanding, name="outstanding"),
    path("installningar/", views.unit_settings, name="settings"),
    path("licensierad-text/<str:code>/", views.licensed_text, name="licensed_text"),
    path(
        "licensierad-text/<str:code>/mall/",
        views.wording_template,
        name="wording_template",
    ),
    path(
        "licensierad-text/version/<int:wording_id>/",
        views.wording_preview,
        name="wording_preview",
    ),
    path("vardforlopp/<int:episode_id>/skicka/", views.send, name="send"),
    path(
        "vardforlopp/<int:episode_id>/skattning/",
        views.staff_rating,
        name="staff_rating",
    ),
    path("utskick/<int:request_id>/", views.request_detail, name="request"),
    path("utskick/<int:request_id>/ny-lank/", views.renew, name="renew"),
    path(
        "utskick/<int:request_id>/pappersformular/",
        views.paper_entry,
        name="paper_entry",
    ),
    path("resultat/<int:result_id>/", views.result_detail, name="result"),
]
