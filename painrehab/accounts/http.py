"""The request as the views see it: the types of what our middleware adds.

`CurrentUnitMiddleware` sets `membership` (or None) and `memberships` on every
request; `staff_view` lets a request through only with a logged-in user and a
membership, so a view behind it takes a `StaffRequest`.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from painrehab.accounts.models import Membership, User


class UnitRequest(HttpRequest):
    """Any request after CurrentUnitMiddleware."""

    membership: Membership | None
    memberships: list[Membership]
    htmx: HtmxDetails


class LoggedInRequest(HttpRequest):
    """A request that `login_required` let through: a logged-in user, maybe
    with no unit (their own second-factor settings)."""

    user: User


class StaffRequest(HttpRequest):
    """A request that `staff_view` let through: a logged-in user working in a unit."""

    user: User
    membership: Membership
    memberships: list[Membership]
    htmx: HtmxDetails
