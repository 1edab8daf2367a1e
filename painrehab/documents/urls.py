from django.urls import path

from painrehab.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:letter_id>/", views.letter, name="letter"),
    path("<int:letter_id>/pdf/", views.letter_pdf, name="pdf"),
    path("<int:letter_id>/bilaga/", views.enclosure_pdf, name="enclosure"),
    path("<int:letter_id>/slutfor/", views.finalise, name="finalise"),
    path("<int:letter_id>/skickat/", views.dispatch, name="dispatch"),
    path("vardforlopp/<int:episode_id>/nytt/", views.new_letter, name="new_letter"),
    path("mallar/", views.templates, name="templates"),
    path("mallar/<str:kind>/", views.edit_template, name="edit_template"),
]
