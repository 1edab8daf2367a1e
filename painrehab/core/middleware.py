"""Request-wide hygiene: input without NUL, the client's real address, no caching."""

import ipaddress
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict  # django-stubs only

NUL = "\x00"


class StripNulMiddleware:
    """Drop NUL characters from query and form values before any view reads
    them. No browser form sends one; PostgreSQL's text and JSON refuse it, so
    a view that stores a value as read (a record's JSON, say) failed with a
    server error (found by the fuzz run)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _without_nul(values: "_ImmutableQueryDict") -> "_ImmutableQueryDict":
    if not any(NUL in key or NUL in v for key, vs in values.lists() for v in vs):
        return values
    clean = QueryDict(mutable=True)
    for key, items in values.lists():
        clean.setlist(key.replace(NUL, ""), [item.replace(NUL, "") for item in items])
    clean._mutable = False  # frozen like the request's own: the immutable type
    return cast("_ImmutableQueryDict", clean)


class ClientAddressMiddleware:
    """The client's address behind the trusted reverse proxies.

    `X-Forwarded-For` is read only when the connection comes from a proxy
    named in `TRUSTED_PROXIES` (addresses or networks); the client is the
    right-most address in it that is not itself a trusted proxy. Anyone else
    can send the header, so from anywhere else it is ignored. Everything that
    reads `REMOTE_ADDR` afterwards — the login lockout, the patient link's
    limits, the audit rows — gets the client, not the proxy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = [
            ipaddress.ip_network(entry, strict=False)
            for entry in settings.TRUSTED_PROXIES
        ]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.proxies:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                self.proxies,
            )
        return self.get_response(request)


def client_address(
    peer: str,
    forwarded_for: str,
    proxies: list[ipaddress.IPv4Network | ipaddress.IPv6Network],
) -> str:
    """The right-most address of the chain that is not a trusted proxy."""

    def trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in proxies)

    if not trusted(peer):
        return peer
    chain = [part.strip() for part in forwarded_for.split(",") if part.strip()]
    for address in reversed(chain):
        if not trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return peer  # a forged or broken header: keep what we know
    return peer


class NoStoreMiddleware:
    """No page is kept by the browser's or a proxy's cache: nearly every page
    shows patient data, and a shared computer's back button or a proxy's
    cache must not show it to the next person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class MethodNotAllowedPageMiddleware:
    """A POST-only address opened as a page (a link, a bookmark, the way back
    after signing in again) gets the Swedish page that says what to do, not
    the browser's empty 405 in English."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
