"""FHIR export URLs, included under `fhir/` in the `interop` namespace."""

from django.urls import path

from painrehab.interop import fhir_views

urlpatterns = [
    path("patient/<int:patient_id>/", fhir_views.patient_export, name="fhir_patient"),
    path("export.ndjson", fhir_views.unit_export, name="fhir_export"),
]
