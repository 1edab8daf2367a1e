from django.urls import path

from painrehab.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("utfall/", views.outcomes, name="outcomes"),
    path("kostnad/", views.cost, name="cost"),
    path("prognos/", views.forecast, name="forecast"),
    path("register/", views.registry_export, name="registry_export"),
]
