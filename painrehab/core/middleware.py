"""Request-wide input hygiene."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

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


def _without_nul(values: QueryDict) -> QueryDict:
    if not any(NUL in key or NUL in v for key, vs in values.lists() for v in vs):
        return values
    clean = QueryDict(mutable=True)
    for key, items in values.lists():
        clean.setlist(key.replace(NUL, ""), [item.replace(NUL, "") for item in items])
    clean._mutable = False
    return clean
