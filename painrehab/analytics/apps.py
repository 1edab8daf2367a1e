from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "painrehab.analytics"
    label = "analytics"
