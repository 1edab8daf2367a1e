from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "painrehab.documents"
    label = "documents"
