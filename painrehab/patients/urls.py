from django.urls import path

from painrehab.patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_search, name="search"),
    path("ny/", views.register, name="register"),
    path("<int:patient_id>/", views.patient_detail, name="detail"),
    path("<int:patient_id>/andra/", views.patient_edit, name="edit"),
    path("<int:patient_id>/historik/", views.patient_history, name="history"),
]
