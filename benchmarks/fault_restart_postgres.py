"""Fault: PostgreSQL restarted while patients are answering.

    .venv/bin/python benchmarks/fault_restart_postgres.py    # about a minute

A throwaway PostgreSQL (fsync on), gunicorn with 4 workers and persistent
database connections as in production (CONN_MAX_AGE=60, CONN_HEALTH_CHECKS
on), and 30 patients who keep answering (an htmx autosave, then a page view,
over and over) for 40 seconds. After 10 seconds PostgreSQL is stopped
(`pg_ctl -m fast stop`: open connections are cut), stays down for 5 seconds
and is started again; nobody touches gunicorn.

Every response is logged with its time. Expected: no failure before the
stop; failures only between the stop and the moment `pg_ctl start` returns;
none after it, without any manual step. Then each patient answers the
remaining pages and sends the form: every request must be received with one
complete answer set and every answer that got "Saved" must be stored.

Prints the figures, writes them as JSON (`--out`); exits 1 on any violation.
"""

import argparse
import random
import sys
import threading
import time

import requests
from harness import TMP, django_setup, postgres_cluster
from patients import (
    SAVED,
    PatientClient,
    app_server,
    count_answer_sets,
    demo_clinic_with_links,
    report,
)

PATIENTS = 30
RUN_SECONDS, STOP_AT, DOWN_SECONDS = 40, 10, 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(TMP / "load-fault-postgres.json"))
    args = parser.parse_args()
    with postgres_cluster(durable=True) as cluster:
        django_setup(cluster.env)
        links = demo_clinic_with_links(demo_patients=100, count=PATIENTS)
        with app_server(cluster.env, workers=4) as url:
            clients = [PatientClient(url, link, timeout=10) for link in links]
            for client in clients:
                client.open_link()
            log: list[tuple[float, float, bool]] = []
            started = time.monotonic()
            stop_event = threading.Event()
            threads = [
                threading.Thread(
                    target=keep_answering, args=(c, started, log, stop_event)
                )
                for c in clients
            ]
            for thread in threads:
                thread.start()
            time.sleep(STOP_AT)
            stopped_at = time.monotonic() - started
            cluster.stop("fast")
            time.sleep(DOWN_SECONDS)
            cluster.start(cluster.start_options)
            back_at = time.monotonic() - started
            time.sleep(RUN_SECONDS - back_at)
            stop_event.set()
            for thread in threads:
                thread.join()
            finished = finish(clients)
        from django.db import connections

        connections.close_all()
        counts = count_answer_sets({c.link["request"]: c.sent for c in clients})
    figures = summarise(log, stopped_at, back_at) | {
        "finished_after_restart": finished,
        "answer_sets": counts,
    }
    ok = (
        figures["failed_before_stop"] == 0
        and figures["failed_after_restart"] == 0
        and finished["failed"] == 0
        and counts["submitted"] == counts["complete_answer_sets"] == PATIENTS
        and counts["submitted_more_than_once"] == 0
        and counts["answers_lost"] == counts["answers_changed"] == 0
    )
    return report(figures, ok=ok, out=args.out)


def keep_answering(
    client: PatientClient,
    started: float,
    log: list[tuple[float, float, bool]],
    stop_event: threading.Event,
) -> None:
    """Autosave one planned answer, view the page; log when each request
    started and ended (seconds since `started`) and whether it succeeded."""
    # bandit B311: a seeded mix, not a secret
    rng = random.Random(client.link["request"])  # nosec B311
    codes = client.link["codes"]
    while not stop_event.is_set():
        number = rng.randint(1, len(codes))
        code = codes[number - 1]
        item = rng.choice(list(client.link["answers"][code]))
        value = client.link["answers"][code][item]
        at = time.monotonic() - started
        try:
            ok = SAVED in client.save(number, code, item, value)
        except requests.RequestException:
            ok = False
        log.append((at, time.monotonic() - started, ok))
        at = time.monotonic() - started
        try:
            page = client.http.get(f"{client.base}/f/svar/?sida={number}", timeout=10)
            ok = page.status_code == 200
        except requests.RequestException:
            ok = False
        log.append((at, time.monotonic() - started, ok))
        time.sleep(rng.uniform(0.1, 0.4))


def finish(clients: list[PatientClient]) -> dict[str, int]:
    """Every patient sends the rest of the form and presses "Send"."""
    received = failed = 0
    for client in clients:
        try:
            client.answer_all()
            response = client.submit(client.version() or -1)
            ok = response.status_code == 302
        except (requests.RequestException, RuntimeError):
            ok = False
        received += ok
        failed += not ok
    return {"received": received, "failed": failed}


def summarise(
    log: list[tuple[float, float, bool]], stopped_at: float, back_at: float
) -> dict:
    """A failure that ended before the stop, or began after `pg_ctl start`
    returned, is a failure outside the restart window."""
    failures = [(start, end) for start, end, ok in log if not ok]
    successes = [start for start, _end, ok in log if ok]
    return {
        "requests": len(log),
        "failed": len(failures),
        "stopped_at_s": round(stopped_at, 2),
        "started_again_at_s": round(back_at, 2),
        "failed_before_stop": sum(end < stopped_at for _start, end in failures),
        "failed_after_restart": sum(start >= back_at for start, _end in failures),
        "first_failure_ended_s": round(min(e for _s, e in failures), 2)
        if failures
        else None,
        "last_failure_started_s": round(max(s for s, _e in failures), 2)
        if failures
        else None,
        "first_success_after_stop_s": round(
            min((s for s in successes if s >= stopped_at), default=-1), 2
        ),
        "succeeded_before_stop": sum(1 for s in successes if s < stopped_at),
        "succeeded_after_restart": sum(1 for s in successes if s >= back_at),
    }


if __name__ == "__main__":
    sys.exit(main())
