"""Create an API token for an integration user's membership; prints it once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from painrehab.accounts.models import Membership
from painrehab.interop.api.tokens import create_token


class Command(BaseCommand):
    help = "Create an integration token for USER's membership in UNIT_ID."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--unit", required=True, type=int, help="care unit id")
        parser.add_argument("--label", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.filter(
                user__username=options["user"], unit_id=options["unit"]
            )
            .select_related("user", "unit")
            .first()
        )
        if membership is None:
            raise CommandError("That user has no membership in that unit.")
        raw, _token = create_token(membership=membership, label=options["label"])
        self.stdout.write(raw)
        self.stderr.write("Store it now: it is not kept and cannot be shown again.")
