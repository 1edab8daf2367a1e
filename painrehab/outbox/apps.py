from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "painrehab.outbox"
    label = "outbox"

    def ready(self) -> None:
        from painrehab.audit.descriptions import register_choices
        from painrehab.outbox.models import Channel, Message

        register_choices(Message.Kind, Channel)
        from painrehab.outbox import sweep  # noqa: F401, PLC0415 - registers the checks
