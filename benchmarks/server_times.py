"""Server times of the main screens on the scaled demo clinic, against a floor.

    .venv/bin/python benchmarks/server_times.py                 # 100,000 patients
    .venv/bin/python benchmarks/server_times.py --patients 5000 --requests 50
    .venv/bin/python benchmarks/server_times.py --keep          # keep the cluster
    .venv/bin/python benchmarks/server_times.py --data-dir /tmp/pgbench.XXXX

Starts a throwaway PostgreSQL cluster (or reuses a kept data directory with
`--data-dir`, or the database named by PAINREHAB_DB_HOST/PORT), migrates,
loads the demo clinic with ten years of history (`load_demo_data --patients N
--history-years 10`; skipped when the database already holds N patients),
serves it with gunicorn (PAINREHAB_DEBUG=0) and requests each screen in turn
from one client, so requests never queue. Server time is gunicorn's `%(D)s`
(reading the request to having written the response), taken from its access
log; each request carries an X-Bench header naming its screen (the floor and
the worklist also name the coordinator: `worklist@koordinator`, shown
separately as well). Pages vary
between requests: both units' coordinators, every waiting-list step, random
patients, fresh patient links (sent with `send_package`), several letters.

The floor is the cheapest logged-in staff page without patient data, the
unit's letter-template list (`/brev/mallar/`): session, login, unit
membership, audit middleware and the base layout, and little else. The bar
(issue 9) is each screen's median and 95th percentile within 5x the floor's.
"""

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import (  # noqa: E402
    ROOT,
    TMP,
    django_setup,
    existing_cluster,
    first_group,
    gunicorn_timed,
    postgres_cluster,
)

# bandit B105: the published demo login (clinic.py)
PASSWORD = "demo-painrehab"  # noqa: S105 # nosec B105
COORDINATORS = ["koordinator", "koordinator-pv"]
WAITING_STEPS = ["new_visit", "investigation", "rehabilitation", "follow_up"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
BAR = 5.0
SCREENS = [
    ("floor", "letter templates (floor)"),
    ("worklist", "coordinator's worklist `/`"),
    ("waiting", "waiting list"),
    ("patient", "patient page"),
    ("episode", "episode page"),
    ("answer", "patient form: save a page of answers"),
    ("submit", "patient form: submit"),
    ("letter_pdf", "letter PDF"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--history-years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200, help="per screen")
    parser.add_argument("--warm-up", type=int, default=20, help="per screen")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the cluster")
    parser.add_argument("--data-dir", type=Path, help="a kept cluster to reuse")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument(
        "--coordinators",
        nargs="+",
        default=COORDINATORS,
        help="whose screens are requested (a partly loaded clinic: koordinator)",
    )
    args = parser.parse_args()
    with _database(args) as env:
        figures = {"load": _load(env, args)}
        django_setup(env)
        figures["dataset"] = dataset_counts()
        print(json.dumps(figures, indent=2), flush=True)
        if args.load_only:
            return 0
        plan = prepare(args)
        log = TMP / f"scale-access-{int(time.time())}.log"
        with gunicorn_timed(env, access_log=log, workers=args.workers) as url:
            run(url, plan, args)
        time.sleep(0.5)
        figures["screens"] = summarise(log, warm_up=args.warm_up)
        figures["server"] = server_facts(args)
    print(json.dumps(figures, indent=2))
    print(table(figures["screens"]))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if passes(figures["screens"]) else 1


@contextmanager
def _database(args: argparse.Namespace):  # noqa: ANN202
    import os

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


def _manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _load(env: dict[str, str], args: argparse.Namespace) -> dict:
    """Migrate and load the clinic unless it is there; time both."""
    started = time.monotonic()
    _manage(env, "migrate", "-v0")
    migrated = time.monotonic()
    _manage(
        env,
        "load_demo_data",
        "--patients",
        str(args.patients),
        "--history-years",
        str(args.history_years),
    )
    done = time.monotonic()
    return {
        "migrate_seconds": round(migrated - started, 1),
        "load_seconds": round(done - migrated, 1),
        "note": "load_seconds is near zero when the clinic was already loaded",
    }


def dataset_counts() -> dict[str, int]:
    from painrehab.pathway.models import Episode
    from painrehab.patients.models import Patient
    from painrehab.questionnaires.models import Answer, QuestionnaireRequest, Result

    return {
        "patients": Patient.objects.count(),
        "episodes": Episode.objects.count(),
        "open_episodes": Episode.objects.open().count(),
        "questionnaire_requests": QuestionnaireRequest.objects.count(),
        "answers": Answer.objects.count(),
        "results": Result.objects.count(),
    }


def prepare(args: argparse.Namespace) -> dict:
    """What the run requests: patients per unit, letters, fresh patient links."""
    from django.db import connections

    from painrehab.accounts.models import CareUnit, Membership
    from painrehab.documents.models import LetterKind
    from painrehab.documents.services import LetterRefused, draft_letter
    from painrehab.pathway.models import Episode
    from painrehab.questionnaires import services
    from painrehab.questionnaires.models import TimePoint
    from painrehab.questionnaires.scoring import definition

    # bandit B311: a seeded sample
    rng = random.Random(2026)  # nosec B311
    total = args.requests + args.warm_up
    plan: dict = {"units": {}, "links": []}
    for username in args.coordinators:
        coordinator = Membership.objects.select_related("user", "unit").get(
            user__username=username, unit__name__contains="(demo)"
        )
        unit = coordinator.unit
        episodes = list(
            Episode.objects.filter(unit=unit).values_list("pk", "patient_id", "state")
        )
        sample = rng.sample(episodes, min(total, len(episodes)))
        open_ = [e for e in episodes if e[2] != "discharged"]
        letters = []
        for episode in Episode.objects.filter(
            pk__in=[e[0] for e in rng.sample(open_, min(60, len(open_)))]
        ).select_related("patient", "referral"):
            try:
                letters.append(
                    draft_letter(
                        by=coordinator,
                        episode=episode,
                        kind=LetterKind.CONFIRMATION_PATIENT,
                    ).pk
                )
            except LetterRefused:
                continue
        plan["units"][username] = {
            "episodes": [e[0] for e in sample],
            "patients": [e[1] for e in sample],
            "letters": letters,
        }
    # Fresh links in the specialist unit: the registry package, ten instruments.
    coordinator = Membership.objects.select_related("user", "unit").get(
        user__username="koordinator", unit__kind=CareUnit.Kind.SPECIALIST
    )
    candidates = list(
        Episode.objects.open()
        .filter(unit=coordinator.unit)
        .select_related("patient", "unit")
    )
    rng.shuffle(candidates)
    from painrehab.questionnaires import selectors
    from painrehab.questionnaires.sample_wording import install_sample_wordings

    install_sample_wordings(unit=coordinator.unit, user=coordinator.user)
    for episode in candidates:
        if len(plan["links"]) == total:
            break
        for time_point in (TimePoint.REGISTRY_END, TimePoint.REGISTRY_BEFORE):
            try:
                sent = services.send_package(
                    by=coordinator, episode=episode, time_point=time_point
                )
            except services.QuestionnaireRefused:
                continue
            layout = selectors.form_pages(
                codes=sent.request.codes,
                wordings=selectors.request_wordings(questionnaire_request=sent.request),
            )
            pages = [
                {
                    f"a{item.number}": str(rng.choice(item.options).value)
                    if item.options
                    else "Nej"
                    for item in definition(page.code).items
                    if item.number in page.numbers
                }
                for page in layout
            ]
            plan["links"].append(
                {
                    "token": sent.token,
                    "birth_date": episode.patient.birth_date.strftime("%Y%m%d"),
                    "pages": pages,
                }
            )
            break
    connections.close_all()
    return plan


def _staff_session(url: str, username: str) -> requests.Session:
    http = requests.Session()
    page = http.get(url + "/konto/logga-in/", headers={"X-Bench": "login"})
    token = first_group(CSRF, page.text, "CSRF token")
    response = http.post(
        url + "/konto/logga-in/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
        },
        headers={"X-Bench": "login", "Referer": url + "/konto/logga-in/"},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {username}: HTTP {response.status_code}")
    return http


def _get(http: requests.Session, url: str, label: str, expect: str = "") -> None:
    response = http.get(url, headers={"X-Bench": label}, allow_redirects=False)
    if response.status_code != 200 or (expect and expect not in response.text):
        raise RuntimeError(f"{label} {url}: HTTP {response.status_code}")


def run(url: str, plan: dict, args: argparse.Namespace) -> None:
    """Every staff screen in turn, then the patients' forms; one request at a time."""
    names = args.coordinators
    sessions = {name: _staff_session(url, name) for name in names}
    total = args.requests + args.warm_up
    for i in range(total):
        name = names[i % len(names)]
        http, unit = sessions[name], plan["units"][name]
        _get(http, url + "/brev/mallar/", f"floor@{name}")
        _get(http, url + "/", f"worklist@{name}")
        step = WAITING_STEPS[(i // 2) % len(WAITING_STEPS)]
        _get(http, f"{url}/vardforlopp/vantelista/{step}/", "waiting")
        _get(http, f"{url}/patienter/{unit['patients'][i // 2]}/", "patient")
        _get(http, f"{url}/vardforlopp/{unit['episodes'][i // 2]}/", "episode")
        letter = unit["letters"][(i // 2) % len(unit["letters"])]
        _get(http, f"{url}/brev/{letter}/pdf/", "letter_pdf")
    for link in plan["links"]:
        _patient(url, link)
        _get(sessions["koordinator"], url + "/brev/mallar/", "floor_after")


def _patient(url: str, link: dict) -> None:
    """Open the link, answer every page, submit: one patient's form."""
    http = requests.Session()
    response = http.post(
        f"{url}/f/{link['token']}/",
        data={"value": link["birth_date"]},
        headers={"X-Bench": "patient_start"},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"patient link: HTTP {response.status_code}")
    page = http.get(url + "/f/svar/", headers={"X-Bench": "patient_page"})
    key = first_group(FORM_KEY, page.text, "form key")
    for number, answers in enumerate(link["pages"], 1):
        response = http.post(
            f"{url}/f/svar/?sida={number}",
            data=answers | {"form_key": key, "go": "next"},
            headers={"X-Bench": "answer"},
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"answer page {number}: HTTP {response.status_code}")
    summary = http.get(
        f"{url}/f/svar/?sida={len(link['pages']) + 1}",
        headers={"X-Bench": "patient_summary"},
    )
    version = first_group(VERSION, summary.text, "form version")
    response = http.post(
        url + "/f/svar/skicka/",
        data={"version": version, "form_key": key},
        headers={"X-Bench": "submit"},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"submit: HTTP {response.status_code}")


def summarise(log: Path, *, warm_up: int) -> dict[str, dict]:
    """Median and 95th percentile per screen (ms), after the warm-up requests."""
    times: dict[str, list[float]] = {}
    statuses: dict[str, set[str]] = {}
    for line in log.read_text().splitlines():
        label, status, micros = line.split()
        # "worklist@koordinator": counted for the screen and for its coordinator.
        for name in {label, label.split("@")[0]}:
            times.setdefault(name, []).append(int(micros) / 1000)
            statuses.setdefault(name, set()).add(status)
    floor_all = times["floor"] + times.get("floor_after", [])
    times["floor"] = floor_all
    figures: dict[str, dict[str, Any]] = {}
    for label, _title in SCREENS:
        warm = times.get(label, [])
        skip = warm_up * (10 if label == "answer" else 1)
        measured = warm[skip:] if len(warm) > skip else warm
        figures[label] = {
            "n": len(measured),
            "median_ms": round(statistics.median(measured), 2),
            "p95_ms": round(_p95(measured), 2),
            "statuses": sorted(statuses.get(label, ())),
        }
    by_coordinator = sorted(label for label in times if "@" in label)
    # The warm-up requests of a screen were shared among the coordinators.
    share = warm_up // max(1, len({label.split("@")[1] for label in by_coordinator}))
    for label in by_coordinator:
        warm = times[label]
        measured = warm[share:] if len(warm) > share else warm
        figures[label] = {
            "n": len(measured),
            "median_ms": round(statistics.median(measured), 2),
            "p95_ms": round(_p95(measured), 2),
            "statuses": sorted(statuses[label]),
        }
    floor = figures["floor"]
    for values in figures.values():
        values["median_ratio"] = round(values["median_ms"] / floor["median_ms"], 1)
        values["p95_ratio"] = round(values["p95_ms"] / floor["p95_ms"], 1)
    return figures


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def passes(screens: dict[str, dict]) -> bool:
    return all(
        v["median_ratio"] <= BAR and v["p95_ratio"] <= BAR for v in screens.values()
    )


def table(screens: dict[str, dict]) -> str:
    rows = [
        "| screen | n | median ms | p95 ms | median / floor | p95 / floor | bar |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    titles = SCREENS + [(label, label) for label in screens if "@" in label]
    for label, title in titles:
        v = screens[label]
        ok = v["median_ratio"] <= BAR and v["p95_ratio"] <= BAR
        rows.append(
            f"| {title} | {v['n']} | {v['median_ms']} | {v['p95_ms']} | "
            f"{v['median_ratio']} | {v['p95_ratio']} | {'met' if ok else 'FAILED'} |"
        )
    return "\n".join(rows)


def server_facts(args: argparse.Namespace) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {"postgresql": version, "gunicorn_workers": args.workers}


if __name__ == "__main__":
    sys.exit(main())
