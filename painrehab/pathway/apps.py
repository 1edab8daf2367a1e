from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "painrehab.pathway"
    label = "pathway"
