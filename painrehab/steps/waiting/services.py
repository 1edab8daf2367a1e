"""Patient-chosen waiting: pauses of the care-guarantee clock."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.pathway.models import Episode, WaitingPause
from painrehab.pathway.states import TransitionRefused


def add_pause(
    *, by: Membership, episode: Episode, start: date, end: date | None, note: str = ""
) -> WaitingPause:
    """Record that the patient chose to wait from `start` to `end` (open if None)."""
    if Permission.MANAGE_WAITING_LIST not in by.permissions:
        raise TransitionRefused(
            _("Your profession in this unit may not change waiting lists.")
        )
    if end is not None and end < start:
        raise TransitionRefused(_("The end date is before the start date."))
    if start < episode.referral.received_on:
        raise TransitionRefused(
            _("The pause cannot start before the referral was received.")
        )
    if not episode.is_open:
        raise TransitionRefused(_("The episode is closed."))
    with transaction.atomic():
        pause = WaitingPause.objects.create(
            episode=episode, start=start, end=end, note=note, recorded_by=by.user
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=pause,
            what="patient-chosen waiting",
        )
    return pause
