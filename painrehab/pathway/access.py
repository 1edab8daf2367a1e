"""Fetching an episode, a booking, a goal or a preparatory intervention for the
current user: 404 for another unit's, the read logged."""

from painrehab.accounts.access import get_in_unit
from painrehab.accounts.models import Membership
from painrehab.pathway.models import Booking, Episode, Goal, PreparatoryIntervention


def get_episode_for_user(
    membership: Membership, episode_id: int, *, what: str
) -> Episode:
    """The episode if the current unit owns it, else 404; logs the read."""
    return get_in_unit(
        membership,
        Episode.objects.select_related("patient", "unit"),
        episode_id,
        patient_of=lambda episode: episode.patient_id,
        unit_of=lambda episode: episode.unit_id,
        what=what,
    )


def get_booking_for_user(
    membership: Membership, booking_id: int, *, what: str
) -> Booking:
    """The booking if the current unit owns it, else 404; logs the read."""
    return get_in_unit(
        membership,
        Booking.objects.select_related("episode__patient", "episode__unit"),
        booking_id,
        patient_of=lambda booking: booking.episode.patient_id,
        unit_of=lambda booking: booking.unit_id,
        what=what,
    )


def get_goal_for_user(membership: Membership, goal_id: int, *, what: str) -> Goal:
    """The plan's goal if the current unit owns its episode, else 404; logs the read."""
    return get_in_unit(
        membership,
        Goal.objects.select_related("plan__episode__patient", "plan__episode__unit"),
        goal_id,
        patient_of=lambda goal: goal.plan.episode.patient_id,
        unit_of=lambda goal: goal.plan.episode.unit_id,
        what=what,
    )


def get_preparation_for_user(
    membership: Membership, preparation_id: int, *, what: str
) -> PreparatoryIntervention:
    """The preparatory intervention if the current unit owns its episode, else
    404; logs the read."""
    return get_in_unit(
        membership,
        PreparatoryIntervention.objects.select_related(
            "episode__patient", "episode__unit"
        ),
        preparation_id,
        patient_of=lambda item: item.episode.patient_id,
        unit_of=lambda item: item.episode.unit_id,
        what=what,
    )
