from django.http import HttpRequest

from painrehab.accounts import sso
from painrehab.accounts.access import may
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission


def current_unit(request: HttpRequest) -> dict[str, object]:
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "sso_enabled": sso.is_enabled(),  # the login page's SITHS button
        **navigation(membership),
    }


def navigation(membership: Membership | None) -> dict[str, bool]:
    """The links of the menus shown on every page (base.html, the programmes'
    and the statistics' tabs) that only some may follow; a page's own actions
    come from its view."""

    def granted(permission: Permission) -> bool:
        return membership is not None and may(membership, permission)

    return {
        "may_open_outbox": granted(Permission.WRITE_LETTERS),
        "may_review_access_log": granted(Permission.REVIEW_AUDIT_LOG),
        "may_manage_staff": granted(Permission.MANAGE_UNIT),
        "may_set_up_programmes": granted(Permission.MANAGE_UNIT),
        # The statistics' other tabs need VIEW_PATIENT, as the statistics do.
        "may_export_registry": granted(Permission.MANAGE_UNIT),
    }
