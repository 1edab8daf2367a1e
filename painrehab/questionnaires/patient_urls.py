"""The patient's URLs under /f/ (painrehab.core.logging scrubs /f/<token> from logs)."""

from django.urls import path

from painrehab.questionnaires import patient_views

app_name = "patient_form"
urlpatterns = [
    path("kod/", patient_views.enter_code, name="code"),
    path("e-leg/", patient_views.eid_return, name="eid_return"),
    path("svar/", patient_views.form, name="form"),
    path("svar/spara/", patient_views.save, name="save"),
    path("svar/skicka/", patient_views.submit, name="submit"),
    path("<slug:token>/", patient_views.start, name="start"),
]
