from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "painrehab.accounts"
    label = "accounts"

    def ready(self) -> None:
        from painrehab.accounts.permissions import Profession
        from painrehab.audit.descriptions import register_choices

        register_choices(Profession)
