"""Opening a care episode from a referral."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.pathway.models import Episode, EpisodeTransition, Referral
from painrehab.pathway.states import State, TransitionRefused
from painrehab.patients.models import Patient


def open_episode(
    *,
    patient: Patient,
    by: Membership,
    source: str,
    received_on: date,
    referrer_name: str = "",
    referrer_unit: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> Episode:
    """Open a new episode for `patient` from a referral or own request.

    The first event of the episode's timeline is the referral's arrival.
    """
    now = now or timezone.now()
    if Permission.REGISTER_REFERRAL not in by.permissions:
        raise TransitionRefused(
            _("Your profession in this unit may not register referrals.")
        )
    if patient.unit_id != by.unit_id:
        raise TransitionRefused(_("This patient belongs to another unit."))
    with transaction.atomic():
        episode = Episode.objects.create(
            patient=patient,
            unit_id=patient.unit_id,
            state=State.REFERRAL_RECEIVED,
            state_since=now,
            opened_on=received_on,
        )
        Referral.objects.create(
            episode=episode,
            source=source,
            received_on=received_on,
            referrer_name=referrer_name,
            referrer_unit=referrer_unit,
            reason=reason,
        )
        EpisodeTransition.objects.create(
            episode=episode,
            from_state="",
            to_state=State.REFERRAL_RECEIVED,
            at=now,
            by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[patient.pk],
            obj=episode,
            what="episode opened",
        )
    return episode
