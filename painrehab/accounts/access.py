"""Who may see and do what: the only place that answers it.

Every read of patient data goes through a `get_*_for_user` helper or a
selector that filters by the current unit; each writes an audit row. An id
that belongs to another unit gives 404, never a hint that it exists.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.context import refusal_recorded
from painrehab.audit.services import Action, record


def staff_view(
    permission: Permission = Permission.VIEW_PATIENT,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator: a logged-in staff member with `permission` in the current unit.

    Anonymous users go to the login page; a user without a unit membership
    gets 404 (nothing of any unit is theirs to see); a member whose
    profession lacks the permission gets 403.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership: Membership | None = request.membership  # type: ignore[attr-defined]
            if membership is None:
                raise Http404
            require(membership, permission)
            return view(request, *args, **kwargs)

        wrapped.staff_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator


def require(membership: Membership, permission: Permission) -> None:
    """403 unless the membership grants `permission`."""
    if permission not in membership.permissions:
        raise PermissionDenied


T = TypeVar("T", bound=models.Model)


def get_in_unit(
    membership: Membership,
    queryset: models.QuerySet[T],
    pk: int,
    *,
    patient_of: Callable[[T], int],
    what: str,
) -> T:
    """The object if the current unit owns it, else 404; logs the read.

    An attempt at another unit's object is refused with the same 404 as an id
    that does not exist, and leaves a row in the owning unit's log naming the
    patient, so that unit sees who tried.
    """
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    if found.unit_id != membership.unit_id:  # type: ignore[attr-defined]
        record(
            by=membership.user,
            unit=found.unit_id,  # type: ignore[attr-defined]
            action=Action.REFUSED,
            patients=[patient_of(found)],
            obj=found,
            what=f"refused: {what}",
        )
        refusal_recorded.set(True)
        raise Http404
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[patient_of(found)],
        obj=found,
        what=what,
    )
    return found
