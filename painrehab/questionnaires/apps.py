from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "painrehab.questionnaires"
    label = "questionnaires"
