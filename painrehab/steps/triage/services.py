"""The physician's triage of a referral (seed 1 §5.2, §6)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import draft_letters_for
from painrehab.pathway.models import Episode, TriageDecision
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import DischargeReason, State, TransitionRefused
from painrehab.steps.discharge.services import discharge_to_the_referrer

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
            discharge_to_the_referrer(
                by=by,
                episode=episode,
                reason=DischargeReason.RETURNED_AT_TRIAGE,
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
        drafts = draft_letters_for(
            by=by,
            episode=episode,
            kinds=_letters_of(
                outcome, own_request=episode.referral.source == "own_request"
            ),
            today=timezone.localdate(now),
        )
    return decision, drafts.letters, drafts.problems


def _letters_of(outcome: str, *, own_request: bool) -> list[str]:
    """A returned referral is answered; an accepted one confirmed to the patient
    and the referrer. An own request has no referrer: the answer goes to the patient."""
    if outcome == Outcome.RETURN:
        return [
            LetterKind.OWN_REQUEST_DECLINED
            if own_request
            else LetterKind.RETURN_TO_REFERRER
        ]
    kinds: list[str] = [LetterKind.CONFIRMATION_PATIENT]
    if not own_request:
        kinds.append(LetterKind.CONFIRMATION_REFERRER)
    return kinds
