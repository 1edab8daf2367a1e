"""The assessment conference, its criteria and its decision (seed 1 §7.3)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import CareUnit, Membership, User
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.history import StaleEdit, save_versioned, write_revision
from painrehab.core.windows import add_months
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import draft_letters_for
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import (
    AssessmentConference,
    CriteriaSet,
    Episode,
)
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import DischargeReason, State, TransitionRefused
from painrehab.steps.discharge.services import discharge_to_the_referrer

Decision = AssessmentConference.Decision


def criteria_template_for(unit: CareUnit) -> str:
    return (
        CriteriaSet.Template.SPECIALIST
        if unit.kind == CareUnit.Kind.SPECIALIST
        else CriteriaSet.Template.KRT
    )


def criteria_for(*, unit_id: int, template: str) -> tuple[str, list[rules.Criterion]]:
    """The unit's current criteria for a template (version label, criteria); the seeds' lists by default."""
    saved = (
        CriteriaSet.objects.filter(unit_id=unit_id, template=template)
        .order_by("-version")
        .first()
    )
    if saved is not None:
        return f"v{saved.version}", [
            rules.Criterion.from_dict(c) for c in saved.criteria
        ]
    shipped = (
        rules.SPECIALIST_CRITERIA
        if template == CriteriaSet.Template.SPECIALIST
        else rules.KRT_CRITERIA
    )
    return "standard", list(shipped)


def save_criteria_set(
    *, by: Membership, template: str, criteria: list[dict[str, Any]]
) -> CriteriaSet:
    """A new version of the unit's criteria for a template (unit administrator).

    ValueError when there is no criterion left or one cannot be read."""
    require(
        by,
        Permission.MANAGE_UNIT,
        TransitionRefused(_("Only the unit administrator may change criteria.")),
    )
    if not criteria:
        raise ValueError(_("Keep at least one criterion."))
    parsed = [rules.Criterion.from_dict(c) for c in criteria]
    rules.check_template(parsed)
    with transaction.atomic():
        version = (
            CriteriaSet.objects.filter(unit_id=by.unit_id, template=template).count()
            + 1
        )
        saved = CriteriaSet.objects.create(
            unit_id=by.unit_id,
            template=template,
            version=version,
            criteria=[c.to_dict() for c in parsed],
            saved_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=saved,
            what="criteria",
        )
    return saved


@dataclass(frozen=True)
class ScoredMadrs:
    """The latest scored MADRS or MADRS-S of the episode: which, when, what."""

    total: int
    answered_on: date
    code: str  # "madrs" (clinician-rated, 0–60) or "madrs_s" (self-rated, 0–54)

    @property
    def label(self) -> str:
        return "MADRS-S" if self.code == "madrs_s" else "MADRS"


def latest_scored_madrs(episode: Episode, *, on: date) -> ScoredMadrs | None:
    """The newest valid MADRS or MADRS-S result answered by `on` (seed 2's
    exclusion "över 28 på MADRS", applied to the version recorded)."""
    row = (
        episode.questionnaire_results.filter(
            code__in=["madrs", "madrs_s"], valid=True, answered_on__lte=on
        )
        .order_by("-answered_on", "-pk")
        .values_list("total", "answered_on", "code")
        .first()
    )
    if row is None or row[0] is None:
        return None
    return ScoredMadrs(total=round(row[0]), answered_on=row[1], code=row[2])


def facts_for(*, conference: AssessmentConference) -> rules.Facts:
    """What the data say about the patient on the conference day, with the team's recordings.

    Age from the personnummer; pain onset from the referral's pain duration;
    sick leave from the referral; MADRS from the latest scored MADRS or
    MADRS-S, unless the team recorded another value with a reason (or there
    is no scored one); pending investigations as the team recorded it.
    """
    episode = conference.episode
    referral = getattr(episode, "referral", None)
    day = conference.held_on
    pain_started = None
    sick_leave = None
    if referral is not None:
        if referral.pain_duration_months is not None:
            pain_started = add_months(
                referral.received_on, -referral.pain_duration_months
            )
            pain_started = min(pain_started, day)
        sick_leave = referral.sick_leave_degree
    recorded = conference.facts or {}
    typed = recorded.get("madrs_total")
    scored = latest_scored_madrs(episode, on=day)
    madrs = scored.total if scored is not None else typed
    if scored is not None and typed is not None and recorded.get("madrs_reason"):
        madrs = typed
    return rules.Facts(
        assessed_on=day,
        birth_date=episode.patient.birth_date,
        pain_started_on=pain_started,
        madrs_total=madrs,
        has_pending_investigations=recorded.get("has_pending_investigations"),
        sick_leave_percent=sick_leave,
    )


def criteria_results(
    conference: AssessmentConference,
    *,
    criteria: list[rules.Criterion] | None = None,
) -> list[rules.CriterionResult]:
    """The conference's checklist: each criterion checked at the assessment, evaluated."""
    if criteria is None:
        _version, criteria = criteria_for(
            unit_id=conference.episode.unit_id, template=conference.criteria_template
        )
    return rules.evaluate_all(
        [c for c in criteria if c.checked_at_assessment],
        facts=facts_for(conference=conference),
        confirmations=conference.confirmations,
    )


def start_conference(
    *, by: Membership, episode: Episode, held_on: date, participants: list[User]
) -> AssessmentConference:
    """Open the assessment conference; the episode moves to the conference step."""
    require(
        by,
        Permission.HOLD_CONFERENCE,
        TransitionRefused(
            _("Your profession in this unit may not hold assessment conferences.")
        ),
    )
    if held_on > timezone.localdate():
        raise TransitionRefused(_("The date cannot be in the future."))
    template = criteria_template_for(episode.unit)
    version, _criteria = criteria_for(unit_id=episode.unit_id, template=template)
    with transaction.atomic():
        if episode.state == State.TEAM_INVESTIGATION:
            move_episode(episode=episode, to=State.ASSESSMENT_CONFERENCE, by=by)
        elif episode.state != State.ASSESSMENT_CONFERENCE:
            raise TransitionRefused(
                _("The assessment conference follows the team investigation.")
            )
        conference = AssessmentConference.objects.create(
            episode=episode,
            held_on=held_on,
            criteria_template=template,
            criteria_version=version,
        )
        conference.participants.set(participants)
        write_revision(conference, by=by.user)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=conference,
            what="assessment conference",
        )
    return conference


CONFERENCE_TEXT = ["main_problems", "contributing_factors", "resources", "expectations"]


def update_conference(
    *,
    by: Membership,
    conference: AssessmentConference,
    expected_version: int,
    participants: list[User] | None = None,
    facts: dict[str, Any] | None = None,
    confirmations: dict[str, bool] | None = None,
    **texts: str,
) -> AssessmentConference:
    """Save the team assessment and checklist; refused (StaleEdit) if someone saved in between."""
    require(
        by,
        Permission.HOLD_CONFERENCE,
        TransitionRefused(
            _("Your profession in this unit may not hold assessment conferences.")
        ),
    )
    if conference.is_decided:
        raise TransitionRefused(
            _("The conference is decided; record a new conference to change it.")
        )
    for key in CONFERENCE_TEXT:
        if key in texts:
            setattr(conference, key, texts[key])
    if facts is not None:
        facts = {k: v for k, v in facts.items() if v not in (None, "")}
        scored = latest_scored_madrs(conference.episode, on=conference.held_on)
        typed = facts.get("madrs_total")
        if scored is None or typed is None or typed == scored.total:
            facts.pop("madrs_reason", None)  # nothing overridden, nothing to explain
        elif not facts.get("madrs_reason"):
            raise TransitionRefused(
                _(
                    "The latest scored %(label)s is %(total)s (%(day)s). Give the reason for using %(typed)s instead, or leave the field empty."
                )
                % {
                    "label": scored.label,
                    "total": scored.total,
                    "day": scored.answered_on.isoformat(),
                    "typed": typed,
                }
            )
        conference.facts = facts
    if confirmations is not None:
        conference.confirmations = confirmations
    with transaction.atomic():
        save_versioned(
            conference,
            expected_version=expected_version,
            by=by.user,
            fields=[*CONFERENCE_TEXT, "facts", "confirmations"],
        )
        if participants is not None:
            conference.participants.set(participants)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[conference.episode.patient_id],
            obj=conference,
            what="assessment conference",
        )
    return conference


def decide_after_conference(
    *,
    by: Membership,
    conference: AssessmentConference,
    decision: str,
    expected_version: int,
    individual_reason: str = "",
    alternatives: str = "",
    now: datetime | None = None,
) -> tuple[AssessmentConference, list[Letter], list[str]]:
    """The team's decision. A programme or individual decision is refused unless
    every inclusion criterion is met and no exclusion criterion applies
    (individual: also one §10.3 reason). Moves the episode and drafts the team
    summary to the referrer, in one transaction."""
    now = now or timezone.now()
    episode = conference.episode
    _check_decision(
        by=by,
        conference=conference,
        decision=decision,
        individual_reason=individual_reason,
        alternatives=alternatives,
    )
    with transaction.atomic():
        changed = AssessmentConference.objects.filter(
            pk=conference.pk, version=expected_version, decision=""
        ).update(
            decision=decision,
            individual_reason=individual_reason,
            alternatives=alternatives,
            confirmations=conference.confirmations,
            decided_by=by.user,
            decided_at=now,
            version=expected_version + 1,
        )
        if changed != 1:
            raise StaleEdit
        conference.refresh_from_db()
        write_revision(conference, by=by.user)
        _move_after_decision(by=by, episode=episode, conference=conference)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=conference,
            what=f"conference decision {decision}",
        )
        drafts = draft_letters_for(
            by=by,
            episode=episode,
            kinds=[]
            if decision == Decision.FURTHER_CONFERENCE
            else [LetterKind.TEAM_SUMMARY],
            extra={"conference": conference},
        )
    return conference, drafts.letters, drafts.problems


def _check_decision(
    *,
    by: Membership,
    conference: AssessmentConference,
    decision: str,
    individual_reason: str,
    alternatives: str,
) -> None:
    """Refuse a decision the rules do not allow; an individual decision's
    reason is added to the conference's confirmations."""
    require(
        by,
        Permission.HOLD_CONFERENCE,
        TransitionRefused(
            _("Your profession in this unit may not hold assessment conferences.")
        ),
    )
    if conference.is_decided:
        raise TransitionRefused(_("The conference is already decided."))
    if decision == Decision.INDIVIDUAL:
        # The reasons of the unit's own criteria (seed 1 §10.3, or KRT's).
        _version, criteria = criteria_for(
            unit_id=conference.episode.unit_id, template=conference.criteria_template
        )
        reasons = {
            c.key for c in criteria if c.kind == rules.CriterionKind.INDIVIDUAL_REASON
        }
        if individual_reason not in reasons:
            raise TransitionRefused(
                _("Choose the reason for individual rehabilitation.")
            )
        conference.confirmations = {**conference.confirmations, individual_reason: True}
    if decision == Decision.NOT_SUITABLE and not alternatives.strip():
        raise TransitionRefused(_("Write the recommended alternatives."))
    if decision in (Decision.GROUP_PROGRAMME, Decision.INDIVIDUAL):
        check = rules.decision_allowed(criteria_results(conference), decision=decision)
        if not check.allowed:
            names = "; ".join(
                f"{b.criterion.text} ({b.reason.label})"
                if b.criterion
                else str(b.reason.label)
                for b in check.blockers
            )
            raise TransitionRefused(
                _("The decision needs every criterion met: %(list)s") % {"list": names}
            )


def _move_after_decision(
    *, by: Membership, episode: Episode, conference: AssessmentConference
) -> None:
    """On to the planning meeting, back to the referrer (not suitable), or back
    to the investigation for a further conference."""
    if conference.decision in (Decision.GROUP_PROGRAMME, Decision.INDIVIDUAL):
        move_episode(
            episode=episode,
            to=State.PLANNING_MEETING,
            by=by,
            note=conference.get_decision_display(),
        )
    elif conference.decision == Decision.NOT_SUITABLE:
        discharge_to_the_referrer(
            by=by,
            episode=episode,
            reason=DischargeReason.NOT_SUITABLE,
            recommendation=conference.alternatives,
        )
    else:
        move_episode(
            episode=episode,
            to=State.TEAM_INVESTIGATION,
            by=by,
            note=_("Further conference after more team members have seen the patient"),
        )


def latest_decided_conference(episode: Episode) -> AssessmentConference | None:
    return episode.conferences.exclude(decision="").order_by("-decided_at").first()
