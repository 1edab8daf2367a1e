from django.urls import path

from painrehab.audit_review import views

app_name = "audit"
urlpatterns = [
    path("", views.review, name="review"),
    path(
        "patient/<int:patient_id>/utdrag.csv",
        views.patient_extract,
        name="patient_extract",
    ),
]
