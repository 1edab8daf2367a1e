from django.apps import AppConfig

from painrehab.audit.descriptions import register_choices


class DocumentsConfig(AppConfig):
    name = "painrehab.documents"
    label = "documents"

    def ready(self) -> None:
        from painrehab.documents.models import LetterKind

        register_choices(LetterKind)
