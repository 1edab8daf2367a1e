from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "painrehab.demo"
    label = "demo"
