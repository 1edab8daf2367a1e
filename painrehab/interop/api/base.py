"""What every API view shares: authentication, the unit, the permission, read-only."""

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from painrehab.accounts.access import may
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.interop.api.authentication import IntegrationTokenAuthentication
from painrehab.interop.models import IntegrationToken
from painrehab.patients.selectors import is_in_unit


class UnitScopedMixin(APIView):
    """Acts as one membership: the token's, or the session's current unit.

    Like `staff_view`: no membership gives 404, a profession without
    `staff_permission` gives 403. Only GET and HEAD are served; any other
    method on another unit's id gives 404 before 405, so nothing hints that
    the id exists.
    """

    staff_permission: Permission = Permission.VIEW_PATIENT
    authentication_classes = [IntegrationTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "head"]
    membership: Membership

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        view = super().as_view(**initkwargs)
        # The access walk looks for it, as on a view behind staff_view: an
        # attribute added to the view function, which its type does not know.
        vars(view)["staff_permission"] = cls.staff_permission
        return view

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        membership: Membership | None
        if isinstance(request.auth, IntegrationToken):
            membership = request.auth.membership
        else:
            membership = getattr(request._request, "membership", None)
        if membership is None:
            raise exceptions.NotFound
        if not may(membership, self.staff_permission):
            raise exceptions.PermissionDenied
        self.membership = membership

    # Ignored for mypy: DRF's APIView overrides Django's View method taking its
    # own Request; djangorestframework-stubs ignores the same mismatch there.
    def http_method_not_allowed(  # type: ignore[override]
        self, request: Request, *args: Any, **kwargs: Any
    ) -> Response:
        patient_id = kwargs.get("patient_id")
        if patient_id is not None and not is_in_unit(
            membership=self.membership, patient_id=patient_id
        ):
            raise exceptions.NotFound
        return super().http_method_not_allowed(request, *args, **kwargs)


class ApiView(UnitScopedMixin, APIView):
    renderer_classes = [JSONRenderer]
