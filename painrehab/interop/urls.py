"""Exports and the JSON API. FHIR views in fhir_urls, the API in api/urls."""

from django.urls import include, path

app_name = "interop"
urlpatterns = [
    path("fhir/", include("painrehab.interop.fhir_urls")),
    path("api/", include("painrehab.interop.api.urls")),
]
