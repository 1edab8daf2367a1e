"""Patients answering by link, for the load and fault scripts.

Three parts, used by `load_patients.py`, `locust_patients.py` and the
`fault_*.py` scripts:

- `send_requests(...)` (in a Django process): questionnaire requests sent
  through `send_package`, each with its clear-text link, the patient's birth
  date and a seeded answer plan (one valid value per item).
- `PatientClient`: one patient's browser over plain HTTP (`requests`), for the
  fault scripts: open the link, answer page by page, submit.
- `count_answer_sets(...)` (in a Django process): what the database holds,
  compared with what each patient sent.
"""

import json
import random
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from harness import ROOT, VENV_BIN, first_group, free_port, stop_gunicorn

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
RECEIVED = "mottagna"  # "Dina svar är mottagna." / "Svaren är redan mottagna."
CLOSED = "stängt"  # "Formuläret är stängt."
SAVED = "Sparad"

# Answers keyed by instrument code, then item number as text, then the value as
# the form posts it.
Answers = dict[str, dict[str, str]]


# --- The app server -----------------------------------------------------------


def start_app_server(
    env: dict[str, str], *, workers: int, threads: int = 1, port: int, wait: float = 180
) -> subprocess.Popen:
    """`harness.start_gunicorn` with a longer wait for the first answer (on a
    machine shared with other benchmarks four workers can take over 30 s to
    import the app); `harness.stop_gunicorn` ends it."""
    process = subprocess.Popen(
        [VENV_BIN / "gunicorn", "painrehab.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads),
         "--log-level", "warning"],
        cwd=ROOT, env=env | {"PAINREHAB_DB_CONN_MAX_AGE": "60", "PAINREHAB_DEBUG": "0"},
        stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/konto/logga-in/", timeout=5).ok:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop_gunicorn(process)
    raise RuntimeError(f"gunicorn did not answer within {wait:.0f} s")


@contextmanager
def app_server(env: dict[str, str], *, workers: int, threads: int = 1) -> Iterator[str]:
    """Serve painrehab with gunicorn on 127.0.0.1; yield its base URL."""
    port = free_port()
    process = start_app_server(env, workers=workers, threads=threads, port=port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_gunicorn(process)


# --- In a Django process ------------------------------------------------------


def demo_clinic_with_links(*, demo_patients: int, count: int) -> list[dict[str, Any]]:
    """Migrate the empty database, load the demo clinic, send `count` requests."""
    import io
    from contextlib import redirect_stdout

    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    with redirect_stdout(io.StringIO()):
        call_command("load_demo_data", patients=demo_patients)
    links = send_requests(count=count)
    connections.close_all()
    return links


def send_requests(*, count: int, seed: int = 2026) -> list[dict[str, Any]]:
    """Send `count` packages to open episodes of the demo clinic, alternating
    between its units; return one link per request with an answer plan."""
    from painrehab.accounts.models import CareUnit, Membership
    from painrehab.pathway.models import Episode
    from painrehab.questionnaires import catalogue, services
    from painrehab.questionnaires.models import TimePoint

    # bandit B311: a seeded mix, not a secret
    rng = random.Random(seed)  # nosec B311
    time_points: dict[str, str] = {
        CareUnit.Kind.SPECIALIST: TimePoint.REGISTRY_BEFORE,
        CareUnit.Kind.PRIMARY_CARE: TimePoint.KRT_BEFORE,
    }
    queues = []
    for unit in CareUnit.objects.order_by("pk"):
        senders = Membership.objects.filter(unit=unit).select_related("user", "unit")
        sender = next(
            (m for m in senders if catalogue.SEND_PERMISSIONS & m.permissions), None
        )
        in_unit = Episode.objects.filter(unit=unit).select_related("patient")
        open_episodes = [e for e in in_unit.order_by("pk") if e.is_open]
        if sender and unit.kind in time_points:
            queues.append((sender, time_points[unit.kind], open_episodes))
    # The licensed instruments need a wording in use before they are sent:
    # synthetic text here, as the demo clinic holds no licence.
    from painrehab.questionnaires.sample_wording import install_sample_wordings

    for sender, _time_point, _episodes in queues:
        install_sample_wordings(unit=sender.unit, user=sender.user)
    links: list[dict[str, Any]] = []
    while len(links) < count and any(episodes for _s, _t, episodes in queues):
        for sender, time_point, episodes in queues:
            if not episodes or len(links) >= count:
                continue
            episode = episodes.pop(0)
            try:
                sent = services.send_package(
                    by=sender, episode=episode, time_point=time_point
                )
            except services.QuestionnaireRefused:
                continue
            answers = answer_plan(sent.request.codes, rng)
            links.append(
                {
                    "request": sent.request.pk,
                    "token": sent.token,
                    "birth_date": episode.patient.birth_date.strftime("%Y%m%d"),
                    "codes": page_codes(sent.request),
                    "answers": answers,
                    "other": {
                        f"{code}:{item}": other_value(code, item, value)
                        for code, items in answers.items()
                        for item, value in items.items()
                    },
                }
            )
    if len(links) < count:
        raise RuntimeError(f"only {len(links)} open episodes to send to")
    return links


def page_codes(request: Any) -> list[str]:
    """The instrument of each page of the form, in order: an instrument of
    more than 15 questions spans several pages. A page posts its
    instrument's answers; the form keeps those of its own questions."""
    from painrehab.questionnaires import selectors

    wordings = selectors.request_wordings(questionnaire_request=request)
    pages = selectors.form_pages(codes=request.codes, wordings=wordings)
    return [page.code for page in pages]


def answer_plan(codes: list[str], rng: random.Random) -> Answers:
    """One valid answer per item of every instrument, as the form posts it."""
    from painrehab.questionnaires.scoring import definition

    plan: Answers = {}
    for code in codes:
        plan[code] = {
            str(item.number): (
                str(rng.choice(item.options).value)
                if item.options
                else f"Svar {item.number}: ont i ryggen, åäö"
            )
            for item in definition(code).items
        }
    return plan


def other_value(code: str, item: str, value: str) -> str:
    """A different valid answer to the same item (for re-saving)."""
    from painrehab.questionnaires.scoring import definition

    question = definition(code).item(int(item))
    if not question.options:
        return value + " (ändrat)"
    choices = [str(o.value) for o in question.options if str(o.value) != value]
    return choices[0]


def count_answer_sets(sent: dict[int, Answers]) -> dict[str, Any]:
    """Compare the database with what each patient sent (request id → answers).

    An answer set is one request's results. Expected: every request
    submitted, one result per instrument, one submit audit row, and every
    answer sent stored with the same value in `Answer` and in its result.
    """
    from django.db.models import Count

    from painrehab.audit.models import AuditEvent
    from painrehab.questionnaires.models import Answer, QuestionnaireRequest, Result

    ids = sorted(sent)
    requests_ = {r.pk: r for r in QuestionnaireRequest.objects.filter(pk__in=ids)}
    stored: dict[int, Answers] = {i: {} for i in ids}
    for request_id, code, number, value in Answer.objects.filter(
        request__in=ids
    ).values_list("request", "code", "item", "value"):
        stored[request_id].setdefault(code, {})[str(number)] = str(value)
    results: dict[int, dict[str, dict[str, Any]]] = {i: {} for i in ids}
    for request_id, code, answers in Result.objects.filter(request__in=ids).values_list(
        "request", "code", "answers"
    ):
        results[request_id][code] = answers
    result_rows = Result.objects.filter(request__in=ids).count()
    duplicate_results = (
        Result.objects.filter(request__in=ids)
        .values("request", "code")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    submits = dict(
        AuditEvent.objects.filter(
            what="questionnaires submitted",
            object_type="questionnaires.QuestionnaireRequest",
            object_id__in=[str(i) for i in ids],
        )
        .values_list("object_id")
        .annotate(n=Count("id"))
        .values_list("object_id", "n")
    )
    lost = changed = 0
    complete = submitted = 0
    for request_id in ids:
        request = requests_[request_id]
        submitted += request.status == QuestionnaireRequest.Status.SUBMITTED
        sets = results[request_id]
        complete += set(sets) == set(request.codes)
        for code, answers in sent[request_id].items():
            for item, value in answers.items():
                here = stored[request_id].get(code, {}).get(item)
                in_result = sets.get(code, {}).get(item)
                if here is None or (sets and in_result is None):
                    lost += 1
                elif here != value or (sets and str(in_result) != value):
                    changed += 1
    return {
        "requests": len(ids),
        "submitted": submitted,
        "complete_answer_sets": complete,
        "answer_sets_expected": len(ids),
        "result_rows": result_rows,
        "result_rows_expected": sum(len(requests_[i].codes) for i in ids),
        "duplicate_results": duplicate_results,
        "submitted_more_than_once": sum(1 for n in submits.values() if n > 1),
        "submit_audit_rows": sum(submits.values()),
        "answers_sent": sum(len(a) for s in sent.values() for a in s.values()),
        "answers_stored": sum(len(a) for s in stored.values() for a in s.values()),
        "answers_lost": lost,
        "answers_changed": changed,
    }


# --- Over HTTP ----------------------------------------------------------------


@dataclass
class PatientClient:
    """One patient's browser: a cookie jar and the pages of the form."""

    base: str
    link: dict[str, Any]
    timeout: float = 30

    def __post_init__(self) -> None:
        self.http = requests.Session()
        self.key = ""
        self.sent: Answers = {}
        self.pending_version = 0  # the version on the summary page, for "Send"

    def _post(self, path: str, data: dict[str, str], **kw: Any) -> requests.Response:
        return self.http.post(
            self.base + path,
            data=data,
            allow_redirects=False,
            timeout=self.timeout,
            **kw,
        )

    def open_link(self) -> None:
        """The link and the birth date; binds this session to the request."""
        path = f"/f/{self.link['token']}/"
        response = self._post(path, {"value": self.link["birth_date"]})
        if response.status_code != 302:
            raise RuntimeError(f"link: HTTP {response.status_code}")
        page = self.http.get(self.base + "/f/svar/", timeout=self.timeout)
        self.key = first_group(FORM_KEY, page.text, "form key")

    def save(self, number: int, code: str, item: str, value: str) -> str:
        """The htmx autosave of one answer; returns the status line."""
        response = self._post(
            f"/f/svar/spara/?sida={number}",
            {f"a{item}": value},
            headers={"X-Form-Key": self.key, "HX-Request": "true"},
        )
        response.raise_for_status()
        if SAVED in response.text:
            self.sent.setdefault(code, {})[item] = value
        return response.text

    def answer_page(self, number: int, code: str) -> None:
        answers = self.link["answers"][code]
        data = {f"a{item}": value for item, value in answers.items()}
        response = self._post(
            f"/f/svar/?sida={number}", data | {"form_key": self.key, "go": "next"}
        )
        if response.status_code != 302:
            raise RuntimeError(f"page {number}: HTTP {response.status_code}")
        self.sent.setdefault(code, {}).update(answers)

    def answer_all(self) -> None:
        for number, code in enumerate(self.link["codes"], 1):
            self.answer_page(number, code)

    def version(self) -> int | None:
        """The version on the summary page (None once the form is received)."""
        summary = self.http.get(
            self.base + f"/f/svar/?sida={len(self.link['codes']) + 1}",
            timeout=self.timeout,
        )
        found = VERSION.search(summary.text)
        return int(found.group(1)) if found else None

    def submit(self, version: int) -> requests.Response:
        return self._post(
            "/f/svar/skicka/", {"version": str(version), "form_key": self.key}
        )


def report(figures: dict[str, Any], *, ok: bool, out: str) -> int:
    """Write the figures as JSON to `out` and print them with PASS or FAIL;
    the exit code for the script (1 when a check failed)."""
    figures["passed"] = ok
    Path(out).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1
