from django.http import HttpRequest

from painrehab.accounts import sso


def current_unit(request: HttpRequest) -> dict[str, object]:
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "permissions": membership.permissions if membership else frozenset(),
        "sso_enabled": sso.is_enabled(),  # the login page's SITHS button
    }
