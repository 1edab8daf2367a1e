from django.http import HttpRequest


def current_unit(request: HttpRequest) -> dict[str, object]:
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "permissions": membership.permissions if membership else frozenset(),
    }
