"""Discharge from any step, with a reason and an alternative plan (seed 1 §12)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import draft_letters_for
from painrehab.pathway.models import DischargeRecord, Episode
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import DischargeReason, State, TransitionRefused
from painrehab.programmes.services.ending import appointments_to_come


def discharge_episode(
    *,
    by: Membership,
    episode: Episode,
    reason: str,
    taken_over_by: str,
    recommendation: str,
    note: str = "",
    now: datetime | None = None,
) -> DischargeRecord:
    """Close the episode with its reason and the alternative plan: who takes over
    and what is recommended. Refused without the plan; afterwards the episode
    refuses edits, and a new referral opens a new episode."""
    now = now or timezone.now()
    if reason not in DischargeReason.values:
        raise TransitionRefused(_("Choose a reason for discharge."))
    if not taken_over_by.strip() or not recommendation.strip():
        raise TransitionRefused(
            _(
                "Make the alternative plan first: who takes over and what is recommended."
            )
        )
    if reason == DischargeReason.COMPLETED and episode.state != State.FOLLOW_UP:
        raise TransitionRefused(
            _(
                "“Completed as planned” is the discharge after rehabilitation and its follow-up; choose the reason that fits this step."
            )
        )
    if reason == DischargeReason.ABSENCE and not _warned_about_absence(episode):
        raise TransitionRefused(
            _(
                "Discharge for absence needs the warning the patient got first: write and finalise the letter about absence."
            )
        )
    with transaction.atomic():
        move_episode(
            episode=episode,
            to=State.DISCHARGED,
            by=by,
            note=note or recommendation,
            discharge_reason=reason,
            now=now,
        )
        _cancel_what_is_booked(episode, by=by, now=now)
        discharge = DischargeRecord.objects.create(
            episode=episode,
            reason=reason,
            taken_over_by=taken_over_by,
            recommendation=recommendation,
            note=note,
            discharged_by=by.user,
            discharged_at=now,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=discharge,
            what=f"discharged: {reason}",
        )
    return discharge


def discharge_to_the_referrer(
    *,
    by: Membership,
    episode: Episode,
    reason: str,
    recommendation: str,
    now: datetime | None = None,
) -> DischargeRecord:
    """Discharge back to the one who referred, who takes over: a referral
    returned at triage, a patient found not suitable at the new visit or the
    conference."""
    referral = episode.referral
    return discharge_episode(
        by=by,
        episode=episode,
        reason=reason,
        taken_over_by=referral.referrer_name
        or referral.referrer_unit
        or _("The referrer"),
        recommendation=recommendation,
        now=now,
    )


def discharge_with_letter(
    *,
    by: Membership,
    episode: Episode,
    reason: str,
    taken_over_by: str,
    recommendation: str,
    note: str = "",
) -> tuple[DischargeRecord, list[Letter], list[StrOrPromise]]:
    """Discharge from the discharge page and draft the letter to the referrer,
    in one transaction. Returns the letter, or why it could not be drafted
    (the patient is discharged all the same)."""
    with transaction.atomic():
        discharge = discharge_episode(
            by=by,
            episode=episode,
            reason=reason,
            taken_over_by=taken_over_by,
            recommendation=recommendation,
            note=note,
        )
        drafts = draft_letters_for(
            by=by,
            episode=episode,
            kinds=[LetterKind.DISCHARGE],
            extra={"discharge": discharge},
        )
    return discharge, drafts.letters, drafts.reasons


def _cancel_what_is_booked(episode: Episode, *, by: Membership, now: datetime) -> None:
    """Visits and appointments still to come are cancelled by the unit, so the
    staff's time is free again and no one waits for the patient."""
    visits = episode.bookings.filter(status="booked", starts_at__gt=now)
    appointments = appointments_to_come(episode=episode, now=now)
    cancelled = visits.update(
        status="unit_cancellation", status_changed_on=timezone.localdate(now)
    ) + appointments.update(status="cancelled")
    if cancelled:
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=episode,
            what=f"bookings cancelled at discharge: {cancelled}",
        )


def _warned_about_absence(episode: Episode) -> bool:
    """Seed 1 §12: a patient is warned before a discharge for absence; the
    warning is the finalised absence letter of this episode."""
    return episode.letters.filter(
        kind="absence_warning", finalised_at__isnull=False
    ).exists()
