from django.urls import path

from painrehab.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.day, name="day"),
    path("utskrift/", views.print_batch, name="print_batch"),
    path("patient/<int:patient_id>/", views.patient, name="patient"),
    path("<int:message_id>/stoppa/", views.cancel, name="cancel"),
    path("<int:message_id>/skicka-igen/", views.resend, name="resend"),
    path("sms-leverans/<str:secret>/", views.sms_delivered, name="sms_delivered"),
]
