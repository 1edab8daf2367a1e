"""Fault: the app server is killed (SIGKILL) in the middle of submissions.

    .venv/bin/python benchmarks/fault_kill_app_server.py     # about a minute

A throwaway PostgreSQL (fsync on), a small demo clinic and 40 patients who
have answered every page (saved in the database) and then press "Send".

- Round 1, certain to hit open transactions: a second connection holds an
  EXCLUSIVE lock on the results table, 16 submits are sent (2 workers × 8
  threads), and gunicorn's process group is killed once all 16 are waiting
  inside `submit_request` (pg_stat_activity shows them blocked on the lock,
  after their compare-and-set UPDATE of the request). Then the lock goes.
- Rounds 2-5, random timing: 6 submits each, gunicorn killed 50-500 ms later
  (some submits finish, some are cut off).

After each kill gunicorn is started again and every request must be either
submitted with a complete, scored answer set that equals its stored answers,
or still open (partly answered) with no result and every answer intact.
Finally every patient presses "Send" again in the same browser session: the
unfinished ones must now be received, the finished ones must see "already
received", and every request must hold exactly one answer set.

Prints the figures, writes them as JSON (`--out`); exits 1 on any violation.
"""

import argparse
import random
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from harness import TMP, django_setup, free_port, postgres_cluster
from harness import stop_gunicorn as stop
from patients import (
    RECEIVED,
    PatientClient,
    count_answer_sets,
    demo_clinic_with_links,
    report,
    start_app_server,
)

WORKERS, THREADS = 2, 8


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=40)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--out", default=str(TMP / "load-fault-kill.json"))
    args = parser.parse_args()
    # bandit B311: a seeded mix, not a secret
    rng = random.Random(args.seed)  # nosec B311
    with postgres_cluster(durable=True) as cluster:
        django_setup(cluster.env)
        links = demo_clinic_with_links(demo_patients=100, count=args.patients)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = serve(cluster.env, port)
        clients = [PatientClient(url, link) for link in links]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(answer_everything, clients))
        rounds = []
        try:
            first, rest = clients[:16], clients[16:]
            rounds.append(kill_while_locked(cluster, server, first))
            server = serve(cluster.env, port)
            rounds[-1] |= check_states(clients)
            for number in range(4):
                batch = rest[number * 6 : (number + 1) * 6]
                rounds.append(kill_at_random(server, batch, rng.uniform(0.05, 0.5)))
                server = serve(cluster.env, port)
                rounds[-1] |= check_states(clients)
            again = submit_again(clients)
        finally:
            stop(server)
        counts = count_answer_sets({c.link["request"]: c.sent for c in clients})
    figures = {"rounds": rounds, "submit_again": again, "answer_sets": counts}
    ok = all(r["half_stored"] == 0 and r["answers_lost"] == 0 for r in rounds) and (
        again["failed"] == 0
        and counts["submitted"] == counts["requests"]
        and counts["complete_answer_sets"] == counts["requests"]
        and counts["result_rows"] == counts["result_rows_expected"]
        and counts["submitted_more_than_once"] == 0
        and counts["answers_lost"] == counts["answers_changed"] == 0
    )
    return report(figures, ok=ok, out=args.out)


def serve(env: dict[str, str], port: int) -> Any:
    return start_app_server(env, workers=WORKERS, threads=THREADS, port=port)


def answer_everything(client: PatientClient) -> None:
    client.open_link()
    client.answer_all()
    version = client.version()
    if version is None:
        raise RuntimeError("the summary page shows no version to send")
    client.pending_version = version


def fire(clients: list[PatientClient], responses: dict[int, str]) -> list[Any]:
    """Press "Send" for each client at once; a killed server resets the call."""

    def press(client: PatientClient) -> None:
        try:
            status = str(client.submit(client.pending_version).status_code)
        except requests.RequestException:
            status = "connection lost"
        responses[client.link["request"]] = status

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    return threads


def kill_while_locked(cluster: Any, server: Any, clients: list[PatientClient]) -> dict:
    import psycopg

    dsn = f"host=127.0.0.1 port={cluster.port} user=postgres dbname=painrehab"
    with psycopg.connect(dsn) as lock, psycopg.connect(dsn, autocommit=True) as watch:
        lock.execute("LOCK TABLE questionnaires_result IN EXCLUSIVE MODE")
        responses: dict[int, str] = {}
        threads = fire(clients, responses)
        waiting = 0
        deadline = time.monotonic() + 8
        while waiting < len(clients) and time.monotonic() < deadline:
            time.sleep(0.05)
            row = watch.execute(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                " and query like 'INSERT INTO \"questionnaires_result\"%%'"
            ).fetchone()
            waiting = row[0] if row else 0
        stop(server, signal.SIGKILL)
        lock.rollback()  # release: the blocked backends find their client gone
    for thread in threads:
        thread.join(timeout=30)
    time.sleep(0.5)  # let PostgreSQL roll the orphaned transactions back
    return {
        "round": "lock held, kill with every submit inside its transaction",
        "submits": len(clients),
        "in_transaction_at_kill": waiting,
        "responses": tally(responses),
    }


def kill_at_random(server: Any, clients: list[PatientClient], delay: float) -> dict:
    responses: dict[int, str] = {}
    threads = fire(clients, responses)
    time.sleep(delay)
    stop(server, signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=30)
    time.sleep(0.5)
    return {
        "round": f"kill {delay * 1000:.0f} ms after the submits",
        "submits": len(clients),
        "responses": tally(responses),
    }


def tally(responses: dict[int, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in responses.values():
        counts[status] = counts.get(status, 0) + 1
    return counts


def check_states(clients: list[PatientClient]) -> dict[str, int]:
    """Each request fully submitted or fully open; stored answers as sent."""
    from django.db import connections

    from painrehab.questionnaires.models import Answer, QuestionnaireRequest, Result

    connections.close_all()
    submitted = still_open = half = lost = 0
    for client in clients:
        request = QuestionnaireRequest.objects.get(pk=client.link["request"])
        results = {r.code: r for r in Result.objects.filter(request=request)}
        stored: dict[str, dict[str, str]] = {}
        for answer in Answer.objects.filter(request=request):
            stored.setdefault(answer.code, {})[str(answer.item)] = str(answer.value)
        lost += sum(
            stored.get(code, {}).get(item) != value
            for code, items in client.sent.items()
            for item, value in items.items()
        )
        complete = (
            set(results) == set(request.codes)
            and all(
                {k: str(v) for k, v in r.answers.items()} == stored.get(code, {})
                and r.definition_version
                for code, r in results.items()
            )
            and request.submitted_at is not None
        )
        if request.status == "submitted" and complete:
            submitted += 1
        elif request.status == "partly" and not results and not request.submitted_at:
            still_open += 1
        else:
            half += 1
    connections.close_all()
    return {
        "submitted": submitted,
        "still_open": still_open,
        "half_stored": half,
        "answers_lost": lost,
    }


def submit_again(clients: list[PatientClient]) -> dict[str, int]:
    """The patient presses "Send" again after the restart, same session."""
    received = already = failed = 0
    for client in clients:
        response = client.submit(client.version() or client.pending_version)
        if response.status_code == 302:
            received += 1
        elif response.status_code == 200 and RECEIVED in response.text:
            already += 1
        else:
            failed += 1
    return {"received_now": received, "already_received": already, "failed": failed}


if __name__ == "__main__":
    sys.exit(main())
