"""Programme objects fetched for the current unit: another unit's id is a 404.

These fetch configuration and containers (cohorts, rooms, sessions …), not a
page's worth of patient data, so they write no audit row; each view records
one row naming the patients it shows or changes.
"""

from django.shortcuts import get_object_or_404

from painrehab.accounts.models import Membership
from painrehab.programmes.models import (
    Appointment,
    Cohort,
    CohortParticipant,
    ProgrammeTemplate,
    Room,
    Session,
)


def get_cohort(membership: Membership, cohort_id: int) -> Cohort:
    """The cohort if the current unit owns it, else 404."""
    return get_object_or_404(
        Cohort.objects.select_related("template", "unit"),
        pk=cohort_id,
        unit=membership.unit_id,
    )


def get_participant(membership: Membership, participant_id: int) -> CohortParticipant:
    """The cohort place if the current unit owns its cohort, else 404."""
    return get_object_or_404(
        CohortParticipant.objects.select_related(
            "cohort__template", "cohort__unit", "episode__patient"
        ),
        pk=participant_id,
        cohort__unit=membership.unit_id,
    )


def get_session(membership: Membership, session_id: int) -> Session:
    """The session if the current unit owns it, else 404."""
    return get_object_or_404(
        Session.objects.select_related("cohort__template", "room"),
        pk=session_id,
        unit=membership.unit_id,
    )


def get_room(membership: Membership, room_id: int) -> Room:
    """The room if the current unit owns it, else 404."""
    return get_object_or_404(Room, pk=room_id, unit=membership.unit_id)


def get_member(membership: Membership, member_id: int) -> Membership:
    """A staff member's membership of the current unit, else 404."""
    return get_object_or_404(
        Membership.objects.select_related("user", "unit"),
        pk=member_id,
        unit=membership.unit_id,
    )


def get_template(membership: Membership, template_id: int) -> ProgrammeTemplate:
    """The programme template if the current unit owns it, else 404."""
    return get_object_or_404(ProgrammeTemplate, pk=template_id, unit=membership.unit_id)


def get_appointment(membership: Membership, appointment_id: int) -> Appointment:
    """The appointment if the current unit owns it, else 404."""
    return get_object_or_404(
        Appointment.objects.select_related("episode__patient", "staff"),
        pk=appointment_id,
        unit=membership.unit_id,
    )
