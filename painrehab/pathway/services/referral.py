"""Registering referrals and asking the referrer to complete them (seed 1 §5.1–5.2)."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.pathway.models import Episode, Referral
from painrehab.pathway.services.episodes import open_episode
from painrehab.pathway.states import TransitionRefused
from painrehab.patients.models import Patient

REFERRAL_FIELDS = [
    "referrer_name",
    "referrer_unit",
    "referrer_address",
    "reason",
    "pain_duration_months",
    "pain_location",
    "previous_investigations",
    "previous_rehabilitation",
    "medication",
    "sick_leave",
    "sick_leave_percent",
    "work_situation",
    "motivation",
]


class OpenEpisodeExists(TransitionRefused):
    """The patient already has an open episode: link to it instead of opening another."""

    def __init__(self, episode: Episode) -> None:
        super().__init__(
            _(
                "The patient already has an open care episode. Add the new information there."
            )
        )
        self.episode = episode


def register_referral(
    *,
    by: Membership,
    patient: Patient,
    source: str,
    received_on: date,
    today: date | None = None,
    **details: Any,
) -> Episode:
    """Open a new episode from a referral or own request with the checklist content.

    Refuses a date received in the future or before the patient's birth, and a
    second referral while the patient has an open episode (OpenEpisodeExists).
    """
    today = today or timezone.localdate()
    if received_on > today:
        raise TransitionRefused(_("The date received cannot be in the future."))
    if received_on < patient.birth_date:
        raise TransitionRefused(_("The date received is before the patient's birth."))
    current = Episode.objects.filter(patient=patient).open().first()
    if current is not None:
        raise OpenEpisodeExists(current)
    with transaction.atomic():
        episode = open_episode(
            patient=patient, by=by, source=source, received_on=received_on
        )
        values = {
            k: v for k, v in details.items() if k in REFERRAL_FIELDS and v is not None
        }
        referral = episode.referral
        for key, value in values.items():
            setattr(referral, key, value)
        if values:
            referral.save(update_fields=list(values))
    return episode


def request_completion(
    *, by: Membership, episode: Episode, today: date | None = None
) -> Referral:
    """Mark the referral incomplete: completion requested from the referrer."""
    today = today or timezone.localdate()
    referral = episode.referral
    with transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(
            completion_requested_on=today, completion_received_on=None
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=referral,
            what="referral completion requested",
        )
    referral.completion_requested_on, referral.completion_received_on = today, None
    return referral


def record_completion(
    *, by: Membership, episode: Episode, today: date | None = None
) -> Referral:
    """The referrer's completion has arrived."""
    today = today or timezone.localdate()
    referral = episode.referral
    with transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(completion_received_on=today)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=referral,
            what="referral completion received",
        )
    referral.completion_received_on = today
    return referral
