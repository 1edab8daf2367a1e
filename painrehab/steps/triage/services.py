"""The physician's triage of a referral (seed 1 §5.2, §6)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import LetterRefused, draft_letter
from painrehab.pathway.models import Episode, TriageDecision
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import DischargeReason, State, TransitionRefused
from painrehab.steps.discharge.services import discharge_episode

Outcome = TriageDecision.Outcome


def triage_referral(
    *,
    by: Membership,
    episode: Episode,
    outcome: str,
    screening_profession: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> tuple[TriageDecision, list[Letter], list[str]]:
    """Record the physician's decision, move the episode and draft its letters.

    New visit (± one screening profession) → triaged, with confirmations to the
    patient and the referrer; return → discharged with the reason, with the
    return letter. Returns the decision, the drafted letters and the letters
    that could not be drafted (e.g. no postal address), each with the reason.
    """
    now = now or timezone.now()
    if Permission.TRIAGE not in by.permissions:
        raise TransitionRefused(_("Only a physician may triage referrals."))
    if (
        outcome == Outcome.SCREENING
        and screening_profession not in TriageDecision.SCREENING_PROFESSIONS
    ):
        raise TransitionRefused(
            _("Choose which profession takes part in the screening.")
        )
    if outcome == Outcome.RETURN and not reason.strip():
        raise TransitionRefused(_("Write the reason for returning the referral."))
    if outcome != Outcome.SCREENING:
        screening_profession = ""
    with transaction.atomic():
        if outcome == Outcome.RETURN:
            referral = episode.referral
            discharge_episode(
                by=by,
                episode=episode,
                reason=DischargeReason.RETURNED_AT_TRIAGE,
                taken_over_by=referral.referrer_name
                or referral.referrer_unit
                or _("The referrer"),
                recommendation=reason,
                now=now,
            )
        else:
            move_episode(episode=episode, to=State.TRIAGED, by=by, note=reason, now=now)
        decision = TriageDecision.objects.create(
            episode=episode,
            outcome=outcome,
            screening_profession=screening_profession,
            reason=reason,
            decided_by=by.user,
            decided_at=now,
        )
    episode.triage = decision
    own_request = episode.referral.source == "own_request"
    if outcome == Outcome.RETURN:
        # An own request has no referrer: the answer goes to the patient.
        kinds = [
            LetterKind.OWN_REQUEST_DECLINED
            if own_request
            else LetterKind.RETURN_TO_REFERRER
        ]
    else:
        kinds = [LetterKind.CONFIRMATION_PATIENT]
        if not own_request:
            kinds.append(LetterKind.CONFIRMATION_REFERRER)
    letters, problems = [], []
    for kind in kinds:
        try:
            letters.append(
                draft_letter(
                    by=by, episode=episode, kind=kind, today=timezone.localdate(now)
                )
            )
        except LetterRefused as refusal:
            problems.append(f"{LetterKind(kind).label}: {refusal.message}")
    return decision, letters, problems
