from django.apps import AppConfig

from painrehab.audit.descriptions import register_choices


class AccountsConfig(AppConfig):
    name = "painrehab.accounts"
    label = "accounts"

    def ready(self) -> None:
        from painrehab.accounts.permissions import Profession

        register_choices(Profession)
