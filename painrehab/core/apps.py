from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "painrehab.core"
    label = "core"
