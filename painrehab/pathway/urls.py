from django.urls import path

from painrehab.pathway import views

app_name = "pathway"
urlpatterns = [
    path("lage/<str:state>/", views.state_list, name="state_list"),
    path("<int:episode_id>/", views.episode_detail, name="episode"),
    path("<int:episode_id>/steg/", views.move, name="move"),
    path("patient/<int:patient_id>/ny-remiss/", views.new_episode, name="new_episode"),
]
