from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "painrehab.interop"
    label = "interop"
