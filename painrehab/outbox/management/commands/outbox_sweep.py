"""Queue the outbox's due messages and start a send round (cron / systemd timer)."""

from typing import Any

from django.core.management.base import BaseCommand

from painrehab.outbox.sweep import sweep
from painrehab.outbox.tasks import send_due_messages


class Command(BaseCommand):
    help = "Queue what is due (invitations, reminders, 12-month forms) and send it."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = sweep()
        send_due_messages.enqueue()
        self.stdout.write(f"queued={len(queued)}")
