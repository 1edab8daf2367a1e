"""Mark patient links past their date as expired (cron, once a night).

The patient form treats a link past its date as expired anyway; this makes
the status say so for the outstanding list and the registry figures.
"""

from django.core.management.base import BaseCommand

from painrehab.questionnaires.services import expire_requests


class Command(BaseCommand):
    help = "Mark unanswered questionnaire requests past their date as expired."

    def handle(self, *args: object, **options: object) -> None:
        count = expire_requests()
        self.stdout.write(f"{count} questionnaire requests expired.")
