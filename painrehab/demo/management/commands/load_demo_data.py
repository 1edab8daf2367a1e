from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from painrehab.demo.clinic import DEMO_PASSWORD, DemoRefused, load_demo_clinic


class Command(BaseCommand):
    help = (
        "Create the synthetic demo clinic (idempotent). --patients N scales it up. "
        "Refused under production settings and in a database with other units."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--patients", type=int, default=200, help="patients in all (default 200)"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--history-years",
            type=int,
            default=0,
            help="spread episodes over this many years, mostly discharged, with "
            "questionnaire requests, answers and results (default 0: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            clinic = load_demo_clinic(
                patients=options["patients"],
                seed=options["seed"],
                history_years=options["history_years"],
            )
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            f"Demo clinic ready: {clinic.patients_created} patients created."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, profession, unit in clinic.logins:
            if not username.endswith("-pv"):
                self.stdout.write(f"  {username:<18} {profession:<26} {unit}")
        self.stdout.write(
            "  (the primary-care unit has the same logins with the suffix -pv;"
        )
        self.stdout.write(
            "   'lakare' works in both units and switches unit in the header)"
        )
