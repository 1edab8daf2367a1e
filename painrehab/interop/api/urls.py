"""The JSON API, under /api/ in the `interop` namespace: names are `interop:api-…`."""

from django.urls import path

from painrehab.interop.api import views
from painrehab.interop.api.schema import SchemaApi

urlpatterns: list = [
    path("schema/", SchemaApi.as_view(), name="api-schema"),
    path("patients/", views.PatientListApi.as_view(), name="api-patients"),
    path(
        "patients/<int:patient_id>/",
        views.PatientDetailApi.as_view(),
        name="api-patient",
    ),
    path(
        "patients/<int:patient_id>/episodes/",
        views.PatientEpisodesApi.as_view(),
        name="api-patient-episodes",
    ),
    path(
        "patients/<int:patient_id>/referrals/",
        views.PatientReferralsApi.as_view(),
        name="api-patient-referrals",
    ),
    path(
        "patients/<int:patient_id>/results/",
        views.PatientResultsApi.as_view(),
        name="api-patient-results",
    ),
    path(
        "patients/<int:patient_id>/appointments/",
        views.PatientAppointmentsApi.as_view(),
        name="api-patient-appointments",
    ),
    path(
        "patients/<int:patient_id>/questionnaire-responses/",
        views.PatientQuestionnaireResponsesApi.as_view(),
        name="api-patient-questionnaire-responses",
    ),
    path("statistics/", views.TeamStatisticsApi.as_view(), name="api-statistics"),
    path(
        "patients/<int:patient_id>/plans/",
        views.PatientPlansApi.as_view(),
        name="api-patient-plans",
    ),
]
