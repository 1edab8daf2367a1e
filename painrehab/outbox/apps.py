from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "painrehab.outbox"
    label = "outbox"
