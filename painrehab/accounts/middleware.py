"""Request context for staff: session time limits and the current care unit."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from painrehab.accounts.http import UnitRequest
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


# The backends of a password login. A session they made must be verified by a
# second factor where it is required; single sign-on backends are not listed
# (the identity provider is the strong authentication there).
PASSWORD_BACKENDS = frozenset(
    {"django.contrib.auth.backends.ModelBackend", "axes.backends.AxesStandaloneBackend"}
)


class SecondFactorMiddleware:
    """Ends a password session that no second factor verified, where one is
    required: one made before the requirement was switched on, or one whose
    authenticator the unit administrator has since reset. The login itself
    never makes such a session (accounts/login_views.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.PAINREHAB_REQUIRE_2FA
            and request.user.is_authenticated
            and request.session.get(BACKEND_SESSION_KEY) in PASSWORD_BACKENDS
            and not request.user.is_verified()
        ):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class CurrentUnitMiddleware:
    """Sets request.membership: the user's membership in the unit they work in now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: UnitRequest) -> HttpResponse:
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.filter(user=request.user).select_related(
                    "unit", "user"
                )
            )
            wanted = request.session.get(CURRENT_UNIT)
            chosen = next((m for m in memberships if m.unit_id == wanted), None)
            request.memberships = memberships
            request.membership = chosen or (memberships[0] if memberships else None)
        return self.get_response(request)
