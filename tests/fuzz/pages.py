"""Every staff page of the user's own unit, built from the URL patterns."""

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, reverse

from painrehab.accounts.tests.test_access_walk import (
    LOGIN_ONLY,
    PATIENT_LINK,
    PUBLIC,
    STRING_VALUES,
    _project_patterns,
)
from tests.fuzz.harness import Form, forms_on, send

# Forms of the page layout, not of the page: fuzzed with the public views.
NOT_STAFF_FORMS = {"/konto/logga-ut/", "/i18n/setlang/"}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    permission: str
    pattern: URLPattern


def staff_pages(objects: dict[str, int]) -> Iterator[Page]:
    """Each staff URL pattern once, with objects of `objects`' unit."""
    for name, _route, pattern in _project_patterns():
        if name in PUBLIC | LOGIN_ONLY | PATIENT_LINK:
            continue
        kwargs = {}
        for key in pattern.pattern.converters:
            kwargs[key] = objects[key] if key.endswith("_id") else STRING_VALUES[key]
        yield Page(
            name,
            reverse(name, kwargs=kwargs),
            pattern.callback.staff_permission,
            pattern,
        )


_READS = re.compile(r"request\.(POST|GET)(?:\.get(?:list)?\(|\[)\s*[\"'](\w+)[\"']")
_FORMS = re.compile(r"\b([A-Z]\w*Form)\(")


def fields_read_by(page: Page) -> dict[str, set[str]]:
    """Field names the view reads, by method: from request.POST/GET and its forms.

    Covers the POST-only endpoints whose form shows only in some states of an
    episode, which a crawl of the pages in one state does not reach.
    """
    found: dict[str, set[str]] = {"POST": set(), "GET": set()}
    view = inspect.unwrap(page.pattern.callback)
    if hasattr(view, "view_class"):  # the JSON API: fuzzed by schemathesis
        return found
    source = inspect.getsource(view)
    for method, name in _READS.findall(source):
        found[method].add(name)
    for form_name in _FORMS.findall(source):
        form_class = view.__globals__.get(form_name)
        base_fields = getattr(form_class, "base_fields", None)
        if base_fields:
            method = "GET" if f"{form_name}(request.GET" in source else "POST"
            found[method].update(base_fields)
    return found


@dataclass
class Endpoint:
    """A staff URL and the fields one method of it takes, with their choices."""

    page: Page
    method: str
    fields: dict[str, list[str]]
    kinds: dict[str, str]


def endpoints(
    client: Client, pages: list[Page], login: Callable[[Page], None]
) -> list[Endpoint]:
    """Every (URL, method) that takes input, with fields from its pages and its source.

    `login(page)` logs the client in as someone allowed to use the page.
    """
    harvested: dict[tuple[str, str], Form] = {}
    get_status: dict[str, int] = {}
    for page in pages:
        login(page)
        outcome = send(client, "get", page.path, {})
        get_status[page.path] = outcome.status
        if not outcome.content_type.startswith("text/html"):
            continue
        for form in forms_on(page.path, outcome.content.decode(errors="replace")):
            if form.action in NOT_STAFF_FORMS:
                continue
            merged = harvested.setdefault(
                (form.action, form.method), Form(form.method, form.action)
            )
            for name, choices in form.fields.items():
                if name != "csrfmiddlewaretoken":
                    merged.fields.setdefault(name, choices)
                    merged.kinds.setdefault(name, form.kinds.get(name, "text"))
    found = []
    for page in pages:
        read = fields_read_by(page)
        for method in ("post", "get"):
            form = harvested.get((page.path, method), Form(method, page.path))
            extra = read[method.upper()] - set(form.fields)
            takes_input = (
                form.fields
                or extra
                or (method == "post" and get_status[page.path] == 405)
            )
            if not takes_input or hasattr(
                inspect.unwrap(page.pattern.callback), "view_class"
            ):
                continue
            fields = {**form.fields, **{name: [] for name in sorted(extra)}}
            kinds = {**form.kinds, **{name: "text" for name in extra}}
            found.append(Endpoint(page, method, fields, kinds))
    return found
