"""Registering referrals, which opens the care episode (with a new patient
when needed), and asking the referrer to complete them (seed 1 §5.1–5.2)."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.history import save_versioned
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import draft_letters_for
from painrehab.pathway.models import Episode, EpisodeTransition, Referral
from painrehab.pathway.sick_leave import sick_leave_problem
from painrehab.pathway.states import State, TransitionRefused
from painrehab.patients.models import Patient
from painrehab.patients.services import register_patient, update_patient

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
    require(
        by,
        Permission.REGISTER_REFERRAL,
        TransitionRefused(
            _("Your profession in this unit may not register referrals.")
        ),
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


def _refuse_contradictory_sick_leave(*, kind: str, percent: int | None) -> None:
    problem = sick_leave_problem(kind=kind, percent=percent)
    if problem is not None:
        field, message = problem
        raise TransitionRefused(message, field)


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

    Refuses a date received in the future or before the patient's birth, a
    sick-leave degree that contradicts its kind, and a second referral while the patient has an open episode (OpenEpisodeExists).
    """
    today = today or timezone.localdate()
    if received_on > today:
        raise TransitionRefused(_("The date received cannot be in the future."))
    if received_on < patient.birth_date:
        raise TransitionRefused(_("The date received is before the patient's birth."))
    _refuse_contradictory_sick_leave(
        kind=details.get("sick_leave") or Referral.SickLeave.UNKNOWN,
        percent=details.get("sick_leave_percent"),
    )
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


def register_referral_with_needs(
    *, by: Membership, patient: Patient, needs: dict[str, Any], **referral: Any
) -> Episode:
    """Open the episode from the referral and record on the patient the needs
    it names (interpreter, easy-to-read text), in one transaction: a refused
    change to the patient opens no episode."""
    needs = dict(needs)
    if not needs.get("needs_interpreter"):
        needs["interpreter_language"] = ""
    with transaction.atomic():
        episode = register_referral(by=by, patient=patient, **referral)
        changed = {k: v for k, v in needs.items() if getattr(patient, k) != v}
        if changed:
            update_patient(
                by=by, patient=patient, expected_version=patient.version, **changed
            )
    return episode


def register_patient_with_referral(
    *,
    by: Membership,
    identity: dict[str, Any],
    needs: dict[str, Any],
    **referral: Any,
) -> Episode:
    """Register a new patient with their first referral, in one transaction:
    a refused referral leaves no patient registered without it."""
    with transaction.atomic():
        patient = register_patient(by=by, **identity)
        return register_referral_with_needs(
            by=by, patient=patient, needs=needs, **referral
        )


def request_completion(
    *, by: Membership, episode: Episode, today: date | None = None
) -> Referral:
    """Mark the referral incomplete: completion requested from the referrer.

    Refused while an earlier request is outstanding (requested, not received).
    The check and the change are one compare-and-set update, so two requests
    at once (a resubmit, a second tab) mark the referral once."""
    today = today or timezone.localdate()
    referral = episode.referral
    not_outstanding = Q(completion_requested_on__isnull=True) | Q(
        completion_received_on__isnull=False
    )
    with transaction.atomic():
        marked = (
            Referral.objects.filter(pk=referral.pk)
            .filter(not_outstanding)
            .update(completion_requested_on=today, completion_received_on=None)
        )
        if not marked:
            requested_on = (
                Referral.objects.filter(pk=referral.pk)
                .values_list("completion_requested_on", flat=True)
                .get()
            )
            raise TransitionRefused(
                _(
                    "A completion was requested from the referrer on %(day)s and has not arrived yet. Record it as received before asking again."
                )
                % {"day": requested_on.isoformat() if requested_on else ""}
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


def ask_referrer_to_complete(
    *, by: Membership, episode: Episode
) -> tuple[Referral, list[Letter], list[StrOrPromise]]:
    """Mark the referral incomplete and draft the letter asking the referrer
    to complete it, in one transaction. Returns the letter, or why it could
    not be drafted (the referral is marked all the same). An own request for
    care has no referrer to ask, and a request while an earlier one is
    outstanding would send a second letter: both refused, nothing changes."""
    if episode.referral.source == Referral.Source.OWN_REQUEST:
        raise TransitionRefused(
            _(
                "The patient came on their own request: there is no referrer to ask for a completion."
            )
        )
    with transaction.atomic():
        referral = request_completion(by=by, episode=episode)
        drafts = draft_letters_for(
            by=by, episode=episode, kinds=[LetterKind.COMPLETION_REQUEST]
        )
    return referral, drafts.letters, drafts.reasons


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


def correct_referral(
    *,
    by: Membership,
    episode: Episode,
    expected_version: int,
    source: str,
    received_on: date,
    today: date | None = None,
    **details: Any,
) -> Referral:
    """Correct the referral's details before the physician has triaged it; the
    earlier content stays as a revision, and a save over someone else's is
    refused (StaleEdit), as is a sick-leave degree that contradicts its kind."""
    today = today or timezone.localdate()
    require(
        by,
        Permission.REGISTER_REFERRAL,
        TransitionRefused(
            _("Your profession in this unit may not register referrals.")
        ),
    )
    if episode.state != State.REFERRAL_RECEIVED:
        raise TransitionRefused(
            _(
                "The referral is triaged; what it said then stays. Add new information in the episode's notes."
            )
        )
    if received_on > today:
        raise TransitionRefused(_("The date received cannot be in the future."))
    if received_on < episode.patient.birth_date:
        raise TransitionRefused(_("The date received is before the patient's birth."))
    referral = episode.referral
    _refuse_contradictory_sick_leave(
        kind=details.get("sick_leave", referral.sick_leave),
        percent=details.get("sick_leave_percent", referral.sick_leave_percent),
    )
    referral.source, referral.received_on = source, received_on
    for key in REFERRAL_FIELDS:
        if key in details:
            setattr(referral, key, details[key])
    with transaction.atomic():
        save_versioned(
            referral,
            expected_version=expected_version,
            by=by.user,
            fields=["source", "received_on", *REFERRAL_FIELDS],
        )
        # The waiting clocks count from the day the referral was received.
        Episode.objects.filter(pk=episode.pk).update(opened_on=received_on)
        episode.opened_on = received_on
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=referral,
            what="referral corrected before triage",
        )
    return referral
