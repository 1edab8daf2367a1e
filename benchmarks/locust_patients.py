"""Locust: patients opening their own link, answering and submitting.

Started by `load_patients.py`, which writes the links (LOAD_LINKS) and reads
back what each patient sent (LOAD_SENT). Each simulated user takes one link
and walks it once, as a patient on a phone would:

open the link → birth date → page by page: a few answers autosaved by htmx,
then the page sent with "Next" → the summary → "Send the answers".

Seeded variations (per link): re-saving an answer with another value before
the final one, going back a page, pressing "Send" twice in a row or twice at
once (a double tap), and an autosave after sending (must be refused). Every
response is checked for its expected status and text; anything else is a
failure in locust's statistics. When every link is done, locust stops.
"""

import json
import os
import random
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser
from patients import CLOSED, FORM_KEY, RECEIVED, SAVED, VERSION, Answers

LINKS: list[dict[str, Any]] = json.loads(Path(os.environ["LOAD_LINKS"]).read_text())
UNCLAIMED = list(LINKS)
SENT: dict[int, Answers] = {}
OUTCOME: dict[int, str] = {}
FINISHED: list[int] = []


def _other(link: dict[str, Any], code: str, item: str) -> str:
    value = link["answers"][code][item]
    return link.get("other", {}).get(f"{code}:{item}", value + "x")


THINK = [float(s) for s in os.environ.get("LOAD_THINK", "0.3,1.5").split(",")]


class Patient(HttpUser):
    wait_time = between(*THINK)  # seconds to read a question and tap an answer

    def on_start(self) -> None:
        if not UNCLAIMED:
            raise StopUser()
        self.link = UNCLAIMED.pop(0)
        # bandit B311: a seeded mix
        self.rng = random.Random(self.link["request"])  # nosec B311
        self.key = ""
        self.sent: Answers = SENT.setdefault(self.link["request"], {})

    def _expect(
        self,
        method: str,
        url: str,
        name: str,
        status: int,
        text: str = "",
        **kwargs: Any,
    ) -> str:
        with self.client.request(
            method,
            url,
            name=name,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            if response.status_code != status:
                response.failure(f"HTTP {response.status_code}, expected {status}")
            elif text and text not in response.text:
                response.failure(f"{text!r} not in the response")
            return response.text or ""

    def _save(self, number: int, code: str, item: str, value: str) -> None:
        self._expect(
            "POST",
            f"/f/svar/spara/?sida={number}",
            "/f/svar/spara/ (autosave)",
            200,
            SAVED,
            data={f"a{item}": value},
            headers={"X-Form-Key": self.key, "HX-Request": "true"},
        )
        self.sent.setdefault(code, {})[item] = value

    def _page(self, number: int, go: str = "next") -> None:
        code = self.link["codes"][number - 1]
        answers = self.link["answers"][code]
        self._expect(
            "POST",
            f"/f/svar/?sida={number}",
            f"/f/svar/ (page, {go})",
            302,
            data={f"a{i}": v for i, v in answers.items()}
            | {"form_key": self.key, "go": go},
        )
        self.sent.setdefault(code, {}).update(answers)

    def _submit(self, version: int, name: str) -> Any:
        with self.client.post(
            "/f/svar/skicka/",
            data={"version": str(version), "form_key": self.key},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            ok = response.status_code == 302 or (
                response.status_code == 200 and RECEIVED in response.text
            )
            if not ok:
                response.failure(f"HTTP {response.status_code} on submit")
            return response.status_code

    @task
    def walk_the_link_once(self) -> None:
        try:
            self.answer_and_submit()
        except Exception as error:  # counted as a failure, never walked twice
            self.environment.events.request.fire(
                request_type="ERROR",
                name="journey",
                response_time=0,
                response_length=0,
                exception=error,
                context={},
            )
        FINISHED.append(self.link["request"])
        if len(FINISHED) == len(LINKS):
            gevent.spawn_later(0.1, self.environment.runner.quit)
        raise StopUser()

    def answer_and_submit(self) -> None:
        link, rng = self.link, self.rng
        token, codes = link["token"], link["codes"]
        self._expect("GET", f"/f/{token}/", "/f/<token>/ (open link)", 200)
        self.wait()
        self._expect(
            "POST",
            f"/f/{token}/",
            "/f/<token>/ (birth date)",
            302,
            data={"value": link["birth_date"]},
        )
        html = self._expect("GET", "/f/svar/", "/f/svar/ (page)", 200)
        found = FORM_KEY.search(html)
        self.key = found.group(1) if found else ""
        resave_page = rng.randint(1, len(codes)) if rng.random() < 0.25 else 0
        go_back = len(codes) > 1 and rng.random() < 0.1
        for number, code in enumerate(codes, 1):
            if number > 1:
                self._expect("GET", f"/f/svar/?sida={number}", "/f/svar/ (page)", 200)  # fmt: skip
            items = list(link["answers"][code])
            for item in rng.sample(items, min(3, len(items))):
                if number == resave_page:
                    self._save(number, code, item, _other(link, code, item))
                    self.wait()
                self._save(number, code, item, link["answers"][code][item])
                self.wait()
            if go_back and number == 2:
                self._page(number, go="back")
                self._expect("GET", "/f/svar/?sida=1", "/f/svar/ (page)", 200)
                self._page(1)
                self._expect("GET", "/f/svar/?sida=2", "/f/svar/ (page)", 200)
            self._page(number)
        summary = self._expect(
            "GET", f"/f/svar/?sida={len(codes) + 1}", "/f/svar/ (summary)", 200
        )
        found = VERSION.search(summary)
        version = int(found.group(1)) if found else -1
        self.wait()
        if rng.random() < 0.1:  # a double tap: two submits at once
            both = [
                gevent.spawn(self._submit, version, "/f/svar/skicka/ (submit)")
                for _ in range(2)
            ]
            gevent.joinall(both)
            statuses = sorted(g.value for g in both)
        else:
            statuses = [self._submit(version, "/f/svar/skicka/ (submit)")]
        if rng.random() < 0.2:  # pressing the button again later
            statuses.append(self._submit(version, "/f/svar/skicka/ (again)"))
        OUTCOME[link["request"]] = ",".join(map(str, statuses))
        self._expect("GET", "/f/svar/", "/f/svar/ (received)", 200, RECEIVED)
        if rng.random() < 0.1:  # an autosave after sending: refused, nothing changes
            code = codes[0]
            item = next(iter(link["answers"][code]))
            self._expect(
                "POST",
                "/f/svar/spara/?sida=1",
                "/f/svar/spara/ (after submit)",
                200,
                CLOSED,
                data={f"a{item}": _other(link, code, item)},
                headers={"X-Form-Key": self.key, "HX-Request": "true"},
            )


def _figures(entry: Any) -> dict[str, Any]:
    return {
        "name": f"{entry.method or ''} {entry.name}".strip(),
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "p50_ms": entry.get_response_time_percentile(0.5),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "max_ms": round(entry.max_response_time or 0),
        "per_second": round(entry.total_rps, 1),
    }


@events.quitting.add_listener
def _write_sent(environment: Any, **_kwargs: Any) -> None:
    """What each patient sent, how each submit ended, and the final statistics."""
    stats = environment.stats
    entries = sorted(stats.entries.values(), key=lambda e: (e.name, e.method))
    Path(os.environ["LOAD_SENT"]).write_text(
        json.dumps(
            {
                "sent": SENT,
                "outcome": OUTCOME,
                "stats": [_figures(e) for e in entries] + [_figures(stats.total)],
                "errors": [str(e.error) for e in stats.errors.values()],
            },
            ensure_ascii=False,
        )
    )
