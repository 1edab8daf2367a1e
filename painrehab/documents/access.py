"""Fetching a letter for the current user: 404 for another unit's, the read logged."""

from painrehab.accounts.access import get_in_unit
from painrehab.accounts.models import Membership
from painrehab.documents.models import Letter


def get_letter_for_user(membership: Membership, letter_id: int, *, what: str) -> Letter:
    """The letter if the current unit owns it, else 404; logs the read."""
    return get_in_unit(
        membership,
        Letter.objects.select_related("patient", "episode", "unit"),
        letter_id,
        patient_of=lambda letter: letter.patient_id,
        unit_of=lambda letter: letter.unit_id,
        what=what,
    )
