"""Fetching a message of the outbox for the current user: 404 for another
unit's, the read logged."""

from painrehab.accounts.access import get_in_unit
from painrehab.accounts.models import Membership
from painrehab.outbox.models import Message


def get_message_for_user(
    membership: Membership, message_id: int, *, what: str
) -> Message:
    """The message if the current unit owns it, else 404; logs the read."""
    return get_in_unit(
        membership,
        Message.objects.select_related("patient"),
        message_id,
        patient_of=lambda message: message.patient_id,
        unit_of=lambda message: message.unit_id,
        what=what,
    )
