"""The request context of audit rows: the client address of the current
request, and a refused staff request's own row."""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

client_address: ContextVar[str | None] = ContextVar("client_address", default=None)
# Set when a fetch helper already logged the refusal (with the patient, in the
# owning unit's log); the middleware then writes no second row.
refusal_recorded: ContextVar[bool] = ContextVar("refusal_recorded", default=False)


class AuditContextMiddleware:
    """Remembers the client address so that audit.record() can store it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_address.set(request.META.get("REMOTE_ADDR") or None)
        refused = refusal_recorded.set(False)
        try:
            response = self.get_response(request)
            if (
                response.status_code in (403, 404)
                and request.user.is_authenticated
                and not refusal_recorded.get()
            ):
                _record_refusal(request, response.status_code)
            return response
        finally:
            refusal_recorded.reset(refused)
            client_address.reset(token)


def _record_refusal(request: HttpRequest, status: int) -> None:
    """A logged-in user was refused (or asked for what is not there): the
    row names who, where and which address, never a patient."""
    from painrehab.audit.services import Action, record

    membership = getattr(request, "membership", None)
    record(
        by=request.user,
        unit=getattr(membership, "unit_id", None),
        action=Action.REFUSED,
        what=f"refused {status}",
        object_type="page",
        object_id=f"{request.method} {request.path}",
    )
