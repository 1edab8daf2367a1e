"""Who may see and do what: the only place that answers it.

Every read of patient data goes through a `get_*_for_user` helper or a
selector that filters by the current unit; each writes an audit row. An id
that belongs to another unit gives 404, never a hint that it exists.
"""

from collections.abc import Callable, Set
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.http import StaffRequest
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.context import refusal_recorded
from painrehab.audit.services import Action, record
from painrehab.core.refusals import Refused

P = ParamSpec("P")


class StaffView(Protocol[P]):
    """A view behind `staff_view`: the URL resolver calls it with a plain
    request; the access walk reads the permission it needs."""

    staff_permission: Permission

    def __call__(
        self, request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponseBase: ...


def staff_view(
    permission: Permission = Permission.VIEW_PATIENT,
) -> Callable[[Callable[Concatenate[StaffRequest, P], HttpResponseBase]], StaffView[P]]:
    """Decorator: a logged-in staff member with `permission` in the current unit.

    Anonymous users go to the login page; a user without a unit membership
    gets 404 (nothing of any unit is theirs to see); a member whose
    profession lacks the permission gets 403.
    """

    def decorator(
        view: Callable[Concatenate[StaffRequest, P], HttpResponseBase],
    ) -> StaffView[P]:
        @wraps(view)
        def wrapped(
            request: HttpRequest, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership: Membership | None = getattr(request, "membership", None)
            if membership is None:
                raise Http404
            require(membership, permission)
            # CurrentUnitMiddleware set membership; it is a member's, logged in.
            return view(cast(StaffRequest, request), *args, **kwargs)

        staff = cast(StaffView[P], wrapped)
        staff.staff_permission = permission
        return staff

    return decorator


class NotPermitted(Refused, PermissionDenied):
    """The member's profession lacks the permission; a 403 where no view catches it."""

    message = _("Your profession in this unit may not do this.")


def may(membership: Membership, permission: Permission | Set[Permission]) -> bool:
    """Whether the membership grants `permission` (given several: any of them)."""
    wanted = {permission} if isinstance(permission, Permission) else permission
    return not membership.permissions.isdisjoint(wanted)


def require(
    membership: Membership,
    permission: Permission | Set[Permission],
    refusal: Refused | None = None,
) -> None:
    """Raise `refusal` unless the membership grants `permission` (given
    several: any of them). The one check of a permission, for views and
    services alike: a service passes its own refusal with the message its
    users see, e.g. `TransitionRefused(_("Only a physician may triage
    referrals."))`; without one, NotPermitted (403)."""
    if not may(membership, permission):
        raise refusal or NotPermitted()


T = TypeVar("T", bound=models.Model)


def get_in_unit(
    membership: Membership,
    queryset: models.QuerySet[T],
    pk: int,
    *,
    patient_of: Callable[[T], int],
    unit_of: Callable[[T], int],
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
    if unit_of(found) != membership.unit_id:
        record(
            by=membership.user,
            unit=unit_of(found),
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
