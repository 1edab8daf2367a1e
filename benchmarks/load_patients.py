"""200 patients answering and submitting at once, then counting the answer sets.

    .venv/bin/python benchmarks/load_patients.py            # about 2-3 minutes

A throwaway PostgreSQL (fsync on) and gunicorn on 127.0.0.1; migrate; a
small demo clinic (`load_demo_data --patients 300`); one questionnaire
request per patient sent through `send_package` (the registry package of 10
instruments in the specialist unit, the KRT package of 4 in primary care).
Then locust, headless, one simulated patient per link (`locust_patients.py`),
bounded by the links (each user walks its link once) and by `--run-time`.
Afterwards the database is compared with what each patient sent.

Prints the figures and writes them as JSON (`--out`, default
/tmp/load-patients.json). Exits 1 if any request failed, an answer set is
missing or doubled, or an answer is lost or changed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, TMP, VENV_BIN, django_setup, postgres_cluster
from patients import app_server

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--patients", type=int, default=300, help="demo clinic size")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--spawn-rate", type=int, default=50)
    parser.add_argument("--run-time", default="5m", help="upper bound for locust")
    parser.add_argument(
        "--think", default="0.3,1.5", help="seconds between a patient's actions"
    )
    parser.add_argument("--out", default=str(TMP / "load-patients.json"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="load-"))
    with postgres_cluster(durable=True) as cluster:
        django_setup(cluster.env)
        links = prepare(args, work)
        with app_server(cluster.env, workers=args.workers) as url:
            load_before = os.getloadavg()[0]
            started = time.monotonic()
            run_locust(args, url, work)
            wall = time.monotonic() - started
            load_after = os.getloadavg()[0]
        figures = verify(links, work)
        postgres = server_version()
    figures |= {
        "users": args.users,
        "gunicorn_workers": args.workers,
        "wall_seconds": round(wall, 1),
        # Other work on the machine shares its cores: the 1-minute load average
        # just before locust started, and as it ended.
        "load_average_before_after": [round(load_before, 1), round(load_after, 1)],
        "postgresql": postgres,
        "think_seconds": args.think,
    }
    Path(args.out).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print_figures(figures)
    return 0 if passed(figures) else 1


def prepare(args: argparse.Namespace, work: Path) -> list[dict]:
    from patients import demo_clinic_with_links

    links = demo_clinic_with_links(demo_patients=args.patients, count=args.users)
    (work / "links.json").write_text(json.dumps(links, ensure_ascii=False))
    print(f"{len(links)} requests sent ({work})", flush=True)
    return links


def run_locust(args: argparse.Namespace, url: str, work: Path) -> None:
    subprocess.run(
        [VENV_BIN / "locust", "-f", HERE / "locust_patients.py", "--headless",
         "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
         "--run-time", args.run_time, "--stop-timeout", "30", "--host", url,
         "--only-summary", "--loglevel", "WARNING"],
        cwd=ROOT, check=False,
        env=os.environ | {"LOAD_LINKS": str(work / "links.json"),
                          "LOAD_SENT": str(work / "sent.json"),
                          "LOAD_THINK": args.think},
    )  # fmt: skip


def verify(links: list[dict], work: Path) -> dict:
    from patients import count_answer_sets

    recorded = json.loads((work / "sent.json").read_text())
    sent = {link["request"]: recorded["sent"].get(str(link["request"]), {}) for link in links}  # fmt: skip
    outcomes = recorded["outcome"].values()
    return count_answer_sets(sent) | {
        "double_submits": sum(1 for o in outcomes if "," in o),
        "patients_finished": len(recorded["outcome"]),
        "stats": recorded["stats"],
        "errors": recorded["errors"],
    }


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("show server_version")
        return cursor.fetchone()[0]


def passed(figures: dict) -> bool:
    total = figures["stats"][-1]  # locust's total over every request type
    return (
        total["failures"] == 0
        and figures["submitted"] == figures["requests"]
        and figures["complete_answer_sets"] == figures["answer_sets_expected"]
        and figures["result_rows"] == figures["result_rows_expected"]
        and figures["duplicate_results"] == 0
        and figures["submitted_more_than_once"] == 0
        and figures["answers_lost"] == 0
        and figures["answers_changed"] == 0
    )


def print_figures(figures: dict) -> None:
    print(
        f"\n{'request type':<44} {'n':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'max':>6}"
    )
    for s in figures["stats"]:
        print(
            f"{s['name']:<44} {s['requests']:>6} {s['failures']:>5} "
            f"{s['p50_ms']:>6.0f} {s['p95_ms']:>6.0f} {s['max_ms']:>6}"
        )
    for key, value in figures.items():
        if key != "stats":
            print(f"{key}: {value}")
    print("PASS" if passed(figures) else "FAIL")


if __name__ == "__main__":
    sys.exit(main())
