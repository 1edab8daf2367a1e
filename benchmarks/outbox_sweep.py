"""The outbox sweep over the scaled demo clinic, timed (issue 17: under 30 s
at 100,000 patients on PostgreSQL).

    .venv/bin/python benchmarks/outbox_sweep.py                   # 100,000 patients
    .venv/bin/python benchmarks/outbox_sweep.py --patients 2000
    .venv/bin/python benchmarks/outbox_sweep.py --data-dir /tmp/pgbench.XXXX
    PAINREHAB_DB_HOST=127.0.0.1 PAINREHAB_DB_PORT=5433 \\
        .venv/bin/python benchmarks/outbox_sweep.py

Starts a throwaway PostgreSQL cluster (or reuses a kept data directory with
`--data-dir`, or the database named by PAINREHAB_DB_HOST/PORT), migrates and
loads the demo clinic (`load_demo_data --patients N --history-years 10`;
skipped when it is already there), then, in one transaction that is rolled
back at the end so the database is left as it was:

1. gives a share of the patients (`--consenting`, default one in two) a
   phone number and consent to SMS, so notices are queued as they would be;
2. runs the sweep once (what a first run queues: invitations, reminders,
   12-month forms, absence warnings, expired links) and once more (the
   steady state: a second run the same day queues nothing);
3. sends what was queued with `send_due` rounds through a channel that takes
   each message at once (no network), until none is left.

Prints the wall time of each step and the counts as JSON.
"""

import argparse
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import (  # noqa: E402
    django_setup,
    existing_cluster,
    postgres_cluster,
)
from server_times import _load  # noqa: E402

BAR_SECONDS = 30


class InstantChannel:
    """Takes every message at once: times the outbox, not a provider."""

    def send(self, message):  # noqa: ANN001, ANN201
        from painrehab.outbox.channels import Sent

        return Sent(provider_id=f"bench-{message.pk}")


class _RollBack(Exception):  # noqa: N818 - a signal to leave the transaction
    pass


@contextmanager
def _database(args: argparse.Namespace):  # noqa: ANN202
    if args.data_dir:
        with existing_cluster(args.data_dir) as cluster:
            yield cluster.env
    elif os.environ.get("PAINREHAB_DB_HOST"):
        yield dict(os.environ)
    else:
        with postgres_cluster(keep=args.keep) as cluster:
            if args.keep:
                print(f"cluster data kept in {cluster.data}", flush=True)
            yield cluster.env


def _consent(share: float) -> int:
    """Every n-th patient takes SMS (a phone number where none is recorded)."""
    from painrehab.accounts.models import User
    from painrehab.outbox.models import ContactPreference
    from painrehab.patients.models import Patient

    if share <= 0:
        return 0
    step = max(1, round(1 / share))
    by = User.objects.order_by("pk").first()
    ids = list(
        Patient.objects.exclude(contact_preference__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[::step]
    )
    Patient.objects.filter(pk__in=ids, phone="").update(phone="+46701740699")
    ContactPreference.objects.bulk_create(
        [
            ContactPreference(patient_id=pk, sms_consent=True, recorded_by=by)
            for pk in ids
        ],
        batch_size=5000,
    )
    return len(ids)


def measure(args: argparse.Namespace) -> dict:
    from collections import Counter

    from django.conf import settings
    from django.db import transaction

    from painrehab.outbox import services
    from painrehab.outbox.models import Message
    from painrehab.outbox.sweep import sweep
    from painrehab.patients.models import Patient

    settings.PAINREHAB_OUTBOX_CHANNELS = {
        name: f"{__name__}.InstantChannel" for name in ("email", "sms", "mailbox")
    }
    figures: dict = {"patients": Patient.objects.count()}
    try:
        with transaction.atomic():
            figures["consenting_patients"] = _consent(args.consenting)
            started = time.perf_counter()
            queued = sweep()
            figures["first_sweep_seconds"] = round(time.perf_counter() - started, 2)
            figures["queued"] = dict(
                Counter(f"{m.kind} by {m.channel}" for m in queued)
            )
            started = time.perf_counter()
            again = sweep()
            figures["second_sweep_seconds"] = round(time.perf_counter() - started, 2)
            figures["queued_by_second_sweep"] = len(again)
            started = time.perf_counter()
            sent: Counter = Counter()
            # Notices wait for the morning: send as the first round after it.
            at = max([m.send_after for m in queued], default=None)
            while counts := services.send_due(now=at):
                sent.update(counts)
            figures["send_due_seconds"] = round(time.perf_counter() - started, 2)
            figures["send_due_outcomes"] = dict(sent)
            figures["messages_left_queued_for_post"] = Message.objects.filter(
                state="queued", channel="post"
            ).count()
            raise _RollBack
    except _RollBack:
        pass
    figures["passes"] = figures["first_sweep_seconds"] < BAR_SECONDS
    return figures


def server_facts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return {"postgresql": cursor.fetchone()[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--history-years", type=int, default=10)
    parser.add_argument(
        "--consenting", type=float, default=0.5, help="share of patients taking SMS"
    )
    parser.add_argument("--keep", action="store_true", help="keep the cluster")
    parser.add_argument("--data-dir", type=Path, help="a kept cluster to reuse")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    with _database(args) as env:
        env = env | {"PAINREHAB_DEBUG": "0"}
        figures = {"load": _load(env, args)}
        django_setup(env)
        figures |= measure(args)
        figures["server"] = server_facts()
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if figures["passes"] else 1


if __name__ == "__main__":
    sys.exit(main())
