"""Who may see and do what: the only place that answers it.

Every read of patient data goes through a `get_*_for_user` helper or a
selector that filters by the current unit; each writes an audit row. An id
that belongs to another unit gives 404, never a hint that it exists.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.documents.models import Letter
from painrehab.pathway.models import Booking, Episode
from painrehab.patients.models import Patient


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


def get_patient_for_user(
    membership: Membership, patient_id: int, *, what: str
) -> Patient:
    """The patient if the current unit owns them, else 404; logs the read."""
    patient = get_object_or_404(
        Patient.objects.in_unit(membership.unit_id), pk=patient_id
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[patient.pk],
        obj=patient,
        what=what,
    )
    return patient


def get_episode_for_user(
    membership: Membership, episode_id: int, *, what: str
) -> Episode:
    """The episode if the current unit owns it, else 404; logs the read."""
    episode = get_object_or_404(
        Episode.objects.in_unit(membership.unit_id).select_related("patient", "unit"),
        pk=episode_id,
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[episode.patient_id],
        obj=episode,
        what=what,
    )
    return episode


def get_booking_for_user(
    membership: Membership, booking_id: int, *, what: str
) -> Booking:
    """The booking if the current unit owns it, else 404; logs the read."""
    booking = get_object_or_404(
        Booking.objects.filter(unit=membership.unit_id).select_related(
            "episode__patient", "episode__unit"
        ),
        pk=booking_id,
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[booking.episode.patient_id],
        obj=booking,
        what=what,
    )
    return booking


def get_letter_for_user(membership: Membership, letter_id: int, *, what: str) -> Letter:
    """The letter if the current unit owns it, else 404; logs the read."""
    letter = get_object_or_404(
        Letter.objects.filter(unit=membership.unit_id).select_related(
            "patient", "episode", "unit"
        ),
        pk=letter_id,
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[letter.patient_id],
        obj=letter,
        what=what,
    )
    return letter
