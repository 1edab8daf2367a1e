"""Send the outbox's due messages: once, or as a worker that keeps going.

Several can run at once (each message is claimed by one); `db_worker` does
the same through django-tasks' queue when the sweep enqueues it.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from painrehab.outbox import services


class Command(BaseCommand):
    help = "Send the due messages of the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then stop")
        parser.add_argument(
            "--pause", type=float, default=5.0, help="seconds between rounds"
        )

    def handle(self, *args: Any, once: bool, pause: float, **options: Any) -> None:
        while True:
            services.recover_stale()
            counts = services.send_due()
            if counts:
                self.stdout.write(
                    " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
                )
            if once:
                return
            time.sleep(pause)
