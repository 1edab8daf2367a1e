"""Request context for staff: session time limits and the current care unit."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from painrehab.accounts.models import Membership

SESSION_STARTED = "painrehab_session_started"
CURRENT_UNIT = "painrehab_unit_id"


class SessionTimeoutMiddleware:
    """Logs staff out a fixed time after login, however active they are.

    The idle timeout is Django's own: SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


class CurrentUnitMiddleware:
    """Sets request.membership: the user's membership in the unit they work in now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.filter(user=request.user).select_related(
                    "unit", "user"
                )
            )
            wanted = request.session.get(CURRENT_UNIT)
            chosen = next((m for m in memberships if m.unit_id == wanted), None)
            request.memberships = memberships  # type: ignore[attr-defined]
            request.membership = chosen or (memberships[0] if memberships else None)  # type: ignore[attr-defined]
        return self.get_response(request)
