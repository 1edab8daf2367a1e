from django.apps import AppConfig

from painrehab.audit.descriptions import register_choices


class OutboxConfig(AppConfig):
    name = "painrehab.outbox"
    label = "outbox"

    def ready(self) -> None:
        from painrehab.outbox import sweep  # noqa: F401, PLC0415 - registers the checks
        from painrehab.outbox.models import Channel, Message

        register_choices(Message.Kind, Channel)
