"""Shared pieces of the fuzz tests: the forms a page offers, bad values, safe requests.

Forms are read from the rendered pages rather than listed by hand, so a form
added to a template is fuzzed without anyone remembering to.
"""

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.test import Client
from hypothesis import strategies as st

# Inputs tried, per kind; written at the end of the session (see conftest.py).
TRIED: Counter[str] = Counter()

SCRIPT = '<script>alert("fz")</script>'
ATTRIBUTE = '" onmouseover="alert(1)" x="'
IMAGE = "<img src=x onerror=alert(1)>"
# What must never appear in a page that shows a stored value: the raw markup.
UNESCAPED = ["<script>alert(", "<img src=x onerror", 'onmouseover="alert(1)"']


@dataclass
class Form:
    """One <form> of a page: where it goes and the values it would send."""

    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> choices
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type


class _FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or self.page_path
            method = "post" if "hx-post" in a else (a.get("method") or "get").lower()
            self._form = Form(
                method=method, action=urlsplit(urljoin(self.page_path, action)).path
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name") and tag != "option":
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "reset", "image"} and not name:
                return
            values = form.fields.setdefault(name, [])
            if kind in {"checkbox", "radio"}:
                values.append(a.get("value", "on"))
            else:
                values.append(a.get("value", ""))
            form.kinds.setdefault(name, kind)
        elif tag == "button":
            form.fields.setdefault(name, []).append(a.get("value", ""))
            form.kinds.setdefault(name, "button")
        elif tag == "select":
            self._select = name
            form.fields.setdefault(name, [])
            form.kinds.setdefault(name, "select")
        elif tag == "option" and self._select is not None:
            form.fields[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            form.fields.setdefault(name, [""])
            form.kinds.setdefault(name, "textarea")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None and data.strip():
            self._form.fields[self._textarea] = [data]


def forms_on(page_path: str, html: str) -> list[Form]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms


def plausible(form: Form) -> dict[str, str]:
    """What a user who fills in nothing odd would send: first choice of each field."""
    values = {}
    for name, choices in form.fields.items():
        filled = [c for c in choices if c]
        values[name] = filled[0] if filled else _filler(form.kinds.get(name, "text"))
    return values


def _filler(kind: str) -> str:
    return {
        "date": "2026-11-24",
        "time": "09:00",
        "datetime-local": "2026-11-24T09:00",
        "number": "1",
        "email": "fuzz@example.com",
    }.get(kind, "fuzz")


# Bad values, by kind. The strategies name their kind so the counter can say
# how many of each were tried.
def _personnummer_like() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just("19850101-1235"),  # wrong check digit
        st.just("19851301-0003"),  # month 13
        st.just("19850230-0009"),  # 30 February
        st.just("1985010A-000B"),  # letters
        st.just("000000-0000"),
        st.from_regex(r"\A[0-9]{2,14}\Z"),
        st.from_regex(r"\A[0-9]{6,8}[-+][0-9A-Z]{4}\Z"),
    )


def _date_like() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "2026-02-30",
                "2026-13-01",
                "0000-00-00",
                "9999-99-99",
                "24/11/2026",
                "igår",
                "2026-11-24T25:61",
                "-1",
                "1e309",
            ]
        ),
        st.from_regex(r"\A[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}\Z"),
    )


BAD_VALUES: dict[str, st.SearchStrategy[str]] = {
    "oversized": st.sampled_from(["å" * 100_000, "x" * 100_001, "9" * 5_000]),
    "wrong_type": st.sampled_from(
        ["abc", "-1", "0", "1.5", "NaN", "inf", "99999999999999999999", "[]", "{}"]
    ),
    "empty": st.just(""),
    "script": st.sampled_from([SCRIPT, ATTRIBUTE, IMAGE, f"a{SCRIPT}b"]),
    "sql": st.sampled_from(
        [
            "' OR '1'='1",
            "1; DROP TABLE patients_patient;--",
            "1 UNION SELECT password FROM accounts_user",
            "%' AND 1=1 --",
            "\\'; --",
        ]
    ),
    "date": _date_like(),
    "personnummer": _personnummer_like(),
    "unicode": st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
    ),
    "nul": st.sampled_from(["a\x00b", "\x00"]),
}


def bad_input() -> st.SearchStrategy[tuple[str, str]]:
    """(kind, value) for one field."""
    return st.sampled_from(sorted(BAD_VALUES)).flatmap(
        lambda kind: BAD_VALUES[kind].map(lambda value: (kind, value))
    )


@dataclass
class Outcome:
    status: int
    content: bytes
    content_type: str
    error: str = ""


def send(client: Client, method: str, path: str, data: dict, **extra: str) -> Outcome:
    """One request; an exception the view raised is returned as a 500 with its name.

    Each request runs in a savepoint so a database error in one view does not
    poison the test transaction (PostgreSQL) for the next.
    """
    try:
        with transaction.atomic():
            if method == "post":
                response = client.post(path, data, **extra)
            else:
                response = client.get(path, data, **extra)
    except Exception as error:  # noqa: BLE001 - the fuzzer reports any exception
        return Outcome(500, b"", "", f"{type(error).__name__}: {str(error)[:200]}")
    content = b"" if getattr(response, "streaming", False) else response.content
    return Outcome(response.status_code, content, response.get("Content-Type", ""), "")


def unescaped_markup(outcome: Outcome) -> list[str]:
    """The raw payload markers an HTML response shows unescaped."""
    if not outcome.content_type.startswith("text/html"):
        return []
    text = outcome.content.decode(errors="replace")
    return [marker for marker in UNESCAPED if marker in text]


SWEDISH_ERROR = re.compile(
    r"(obligatoriskt|Ange|Välj|giltig|högst|minst|får inte|stämmer inte|"
    r"finns inte|kan inte|måste|saknas|felaktig|ogiltig|Kontrollera|tillåt)",
    re.IGNORECASE,
)


def write_counts() -> None:
    path = os.environ.get("PAINREHAB_FUZZ_COUNTS")
    if path and TRIED:
        Path(path).write_text(json.dumps(dict(sorted(TRIED.items())), indent=2) + "\n")


class _ErrorParser(HTMLParser):
    """Text of every element whose class says `error` (field, form and message errors)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.messages: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
        elif "error" in classes:
            self.depth = 1
            self.messages.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.messages[-1] += data


def error_messages(outcome: Outcome) -> list[str]:
    if not outcome.content_type.startswith("text/html"):
        return []
    parser = _ErrorParser()
    parser.feed(outcome.content.decode(errors="replace"))
    return [" ".join(m.split()) for m in parser.messages if m.strip()]


_ENGLISH = re.compile(
    r"\b(the|this|must|field|enter|invalid|please|required|cannot|should|valid|"
    r"expecting|exceeds|digits)\b",
    re.IGNORECASE,
)


def english_words(message: str, sent: dict[str, str]) -> list[str]:
    """English words in an error message, leaving out what the user typed."""
    for value in sorted(sent.values(), key=len, reverse=True):
        if value:
            message = message.replace(value, "")
    return _ENGLISH.findall(message)


def report_failures(label: str, failures: list[str]) -> None:
    """Every failure in full (pytest truncates long assertion diffs), when asked."""
    path = os.environ.get("PAINREHAB_FUZZ_FAILURES")
    if path and failures:
        with Path(path).open("a") as out:
            out.write("".join(f"{label}: {line}\n" for line in failures))
