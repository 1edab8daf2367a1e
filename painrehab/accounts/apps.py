from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "painrehab.accounts"
    label = "accounts"
