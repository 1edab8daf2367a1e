from django.urls import path

from painrehab.accounts import team_views as views

app_name = "team"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("ny/", views.add_staff, name="add_staff"),
    path("ge-behorighet/", views.give_membership, name="give"),
    path("<int:membership_id>/", views.membership_detail, name="membership"),
    path("<int:membership_id>/avsluta/", views.end_membership, name="end"),
    path(
        "<int:membership_id>/aterstall-losenord/",
        views.reset_password,
        name="reset_password",
    ),
    path("<int:membership_id>/lank/", views.password_link, name="link"),
]
