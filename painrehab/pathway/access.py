"""Fetching an episode or a booking for the current user: 404 for another unit's, the read logged."""

from painrehab.accounts.access import get_in_unit
from painrehab.accounts.models import Membership
from painrehab.pathway.models import Booking, Episode


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
