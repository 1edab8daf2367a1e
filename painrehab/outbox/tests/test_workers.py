"""On PostgreSQL: two workers and 500 queued messages — each sent exactly
once; a worker killed in the middle of a batch and started again — nothing
lost, nothing sent twice."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from painrehab.outbox import services
from painrehab.outbox.models import Channel, Message

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]


def _queue_many(patient, count: int) -> list[Message]:  # noqa: ANN001
    # Due long ago: a worker started as its own process reads the real clock,
    # not the test run's moved one.
    now = datetime(2001, 1, 1, tzinfo=UTC)
    return list(
        Message.objects.bulk_create(
            Message(
                unit_id=patient.unit_id,
                patient=patient,
                kind=Message.Kind.LETTER,
                channel=Channel.SMS,
                recipient=f"+4670{n:07d}",
                text=f"Påminnelse {n}",
                send_after=now,
            )
            for n in range(count)
        )
    )


def test_two_workers_send_each_of_500_messages_exactly_once(patient_a, sms_provider):
    _queue_many(patient_a, 500)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            while services.send_due(limit=50):
                pass
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    recipients = [fields["to"] for fields in sms_provider.received]
    assert len(recipients) == 500
    assert len(set(recipients)) == 500
    assert Message.objects.filter(state="sent").count() == 500


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(patient_a, sms_provider):
    _queue_many(patient_a, 60)
    sms_provider.delay = 0.05
    env = os.environ | {
        "PAINREHAB_DB_NAME": connection.settings_dict["NAME"],
        "PAINREHAB_SMS_URL": sms_provider_url(),
        "PAINREHAB_SMS_USER": "elks-user",
        "PAINREHAB_SMS_PASSWORD": "elks-secret",
        "PAINREHAB_SMS_SENDER": "Smartrehab",
    }

    def worker() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", "send_outbox", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )

    first = worker()
    deadline = time.monotonic() + 30
    while len(sms_provider.received) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # in the middle of the batch
    first.wait()
    assert 0 < len(sms_provider.received) < 60
    # Started again later: what the dead worker held is left for a person.
    services.recover_stale(
        now=timezone.now() + services.STALE_AFTER + timedelta(seconds=1)
    )
    second = worker()
    assert second.wait(timeout=60) == 0

    recipients = [fields["to"] for fields in sms_provider.received]
    assert len(recipients) == len(set(recipients))  # nothing sent twice
    states = dict(Message.objects.values_list("recipient", "state"))
    assert set(states.values()) <= {"sent", "failed"}  # nothing lost in a queue
    failed = {r for r, s in states.items() if s == "failed"}
    assert len(failed) <= 1  # at most the one in flight at the kill
    assert {r for r, s in states.items() if s == "sent"} <= set(recipients)
    for message in Message.objects.filter(state="failed"):
        assert "sent" in message.last_error or "skickat" in message.last_error


def sms_provider_url() -> str:
    from django.conf import settings

    return settings.PAINREHAB_SMS["URL"]
