"""The demo's background services: the task worker and the sweep.

Starts django-tasks' `db_worker` as a child process and runs the outbox
sweep every `--every` seconds (queueing what is due and a send round for the
worker). Stopped by Ctrl-C or SIGTERM, it stops the worker too, so stopping
the demo leaves nothing running. The demo's channels are local (settings:
e-mail to files, SMS to a log), so nothing reaches a real address.
"""

import signal

# bandit B404: starts this project's own manage.py, nothing else
import subprocess  # nosec B404
import sys
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the task worker and the outbox sweep for the demo until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=float, default=300.0, help="seconds between sweeps"
        )

    def handle(self, *args: Any, every: float, **options: Any) -> None:
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        # bandit B603: a fixed argument list, no shell, this project's manage.py.
        worker = subprocess.Popen(  # noqa: S603  # nosec B603
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker",
             "--interval", "2", "--no-reload"],
        )  # fmt: skip
        self.stdout.write(
            f"worker pid={worker.pid}; sweep every {every:g} s; "
            f"messages stay on this machine in {settings.PAINREHAB_OUTBOX_SINK_DIR}"
        )
        try:
            while not stop.is_set():
                call_command("outbox_sweep", stdout=self.stdout)
                stop.wait(every)
                if worker.poll() is not None:
                    self.stderr.write("the task worker stopped")
                    break
        finally:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
