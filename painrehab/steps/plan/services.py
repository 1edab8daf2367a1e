"""The planning meeting: the rehabilitation plan, its goals and their evaluation (seed 1 §7.4, §9)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from painrehab.accounts.models import Membership, User
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.history import revisions_of, save_versioned, write_revision
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.plans import checksum, render_plan_pdf
from painrehab.documents.services import Drafts, draft_letters_for
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
    Goal,
    GoalEvaluation,
    RehabPlan,
    SignedPlanVersion,
)
from painrehab.pathway.services.transitions import ensure_open, move_episode
from painrehab.pathway.states import State, TransitionRefused
from painrehab.steps.conference.services import latest_decided_conference

Decision = AssessmentConference.Decision


def _require(by: Membership, permission: Permission) -> None:
    if permission not in by.permissions:
        raise TransitionRefused(_("Your profession in this unit may not do this."))


def open_plan(*, by: Membership, episode: Episode) -> RehabPlan:
    """The episode's plan, created at the planning meeting on the conference's track."""
    _require(by, Permission.PLAN_REHABILITATION)
    existing = RehabPlan.objects.filter(episode=episode).first()
    if existing is not None:
        return existing
    conference = latest_decided_conference(episode)
    if episode.state != State.PLANNING_MEETING or conference is None:
        raise TransitionRefused(
            _(
                "The plan is written at the planning meeting, after the conference's decision."
            )
        )
    with transaction.atomic():
        plan = RehabPlan.objects.create(
            episode=episode, track=conference.decision, updated_by=by.user
        )
        write_revision(plan, by=by.user)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=plan,
            what="rehabilitation plan",
        )
    return plan


def update_plan(
    *, by: Membership, plan: RehabPlan, expected_version: int, **texts: str
) -> RehabPlan:
    """Change the plan's values and overall goal; refused (StaleEdit) if someone saved in between."""
    _require(by, Permission.PLAN_REHABILITATION)
    ensure_open(plan.episode)
    if plan.is_signed:
        raise TransitionRefused(_("The plan is signed; add new goals instead."))
    for key in ("values", "overall_goal", "next_of_kin_present"):
        if key in texts:
            setattr(plan, key, texts[key])
    plan.updated_by = by.user
    with transaction.atomic():
        save_versioned(
            plan,
            expected_version=expected_version,
            by=by.user,
            fields=["values", "overall_goal", "next_of_kin_present", "updated_by"],
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[plan.episode.patient_id],
            obj=plan,
            what="rehabilitation plan",
        )
    return plan


def add_goal(
    *,
    by: Membership,
    plan: RehabPlan,
    profession: str,
    owner: User,
    description: str,
    measure: str,
    target_date: date,
    today: date | None = None,
) -> Goal:
    """A sub-goal with its owner, measure and target date; after the programme, goals until follow-up."""
    _require(by, Permission.PLAN_REHABILITATION)
    ensure_open(plan.episode)
    today = today or timezone.localdate()
    _check_goal(
        plan=plan,
        profession=profession,
        owner=owner,
        target_date=target_date,
        today=today,
    )
    phase = (
        Goal.Phase.UNTIL_FOLLOW_UP
        if plan.episode.state == State.FOLLOW_UP
        else Goal.Phase.REHABILITATION
    )
    with transaction.atomic():
        goal = Goal.objects.create(
            plan=plan,
            profession=profession,
            owner=owner,
            description=description,
            measure=measure,
            target_date=target_date,
            phase=phase,
            set_on=today,
        )
        write_revision(goal, by=by.user)
        if plan.is_signed:  # the signed document no longer says all: sign again
            RehabPlan.objects.filter(pk=plan.pk).update(changed_after_signing=True)
            plan.changed_after_signing = True
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[plan.episode.patient_id],
            obj=goal,
            what="goal",
        )
    return goal


def _check_goal(
    *, plan: RehabPlan, profession: str, owner: User, target_date: date, today: date
) -> None:
    if target_date < today:
        raise TransitionRefused(_("The target date has already passed."))
    if not owner.memberships.filter(unit_id=plan.episode.unit_id).exists():
        raise TransitionRefused(_("The goal's owner must work in this unit."))
    if not owner.memberships.filter(
        unit_id=plan.episode.unit_id, profession=profession
    ).exists():
        raise TransitionRefused(
            _("The goal's owner must be of the goal's profession in this unit.")
        )


def correct_goal(  # noqa: PLR0913 - the goal's fields
    *,
    by: Membership,
    goal: Goal,
    expected_version: int,
    profession: str,
    owner: User,
    description: str,
    measure: str,
    target_date: date,
    today: date | None = None,
) -> Goal:
    """Correct a goal before the patient signs the plan; each wording is kept
    as a revision. Once signed, the goal stands as the patient signed it: a
    change is a new goal, and the patient signs the new version. Refused
    (StaleEdit) if someone saved the goal in between."""
    _require(by, Permission.PLAN_REHABILITATION)
    plan = goal.plan
    ensure_open(plan.episode)
    if plan.is_signed:
        raise TransitionRefused(
            _(
                "The plan is signed: its goals stay as the patient signed them. "
                "Add a new goal; the patient then signs the new version."
            )
        )
    today = today or timezone.localdate()
    _check_goal(
        plan=plan,
        profession=profession,
        owner=owner,
        target_date=target_date,
        today=today,
    )
    with transaction.atomic():
        if not revisions_of(goal).exists():  # a goal set before versions were kept
            write_revision(goal, by=goal.plan.updated_by)
        goal.profession, goal.owner = profession, owner
        goal.description, goal.measure = description, measure
        goal.target_date = target_date
        save_versioned(
            goal,
            expected_version=expected_version,
            by=by.user,
            fields=["profession", "owner", "description", "measure", "target_date"],
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[plan.episode.patient_id],
            obj=goal,
            what="goal corrected",
        )
    return goal


def sign_rehab_plan(
    *,
    by: Membership,
    plan: RehabPlan,
    expected_version: int,
    signed_on: date,
    signature: str,
    consent_to_forsakringskassan: bool,
) -> tuple[RehabPlan, list[Letter], list[StrOrPromise]]:
    """The patient signs the plan (on paper or on a tablet); the episode moves on to
    preparation (group programme) or individual rehabilitation, and with consent a
    copy to Försäkringskassan is drafted."""
    _require(by, Permission.PLAN_REHABILITATION)
    if plan.is_signed:
        raise TransitionRefused(_("The plan is already signed."))
    if not plan.goals.exists():
        raise TransitionRefused(_("Set at least one goal before the plan is signed."))
    if signed_on > timezone.localdate():
        raise TransitionRefused(_("The signing date cannot be in the future."))
    episode = plan.episode
    plan.signed_on, plan.signature = signed_on, signature
    plan.consent_to_forsakringskassan = consent_to_forsakringskassan
    next_state = (
        State.PREPARATION
        if plan.track == Decision.GROUP_PROGRAMME
        else State.INDIVIDUAL_REHABILITATION
    )
    # The document the patient signs, kept exactly as signed (seed 1 §7.4).
    plan.signed_pdf = render_plan_pdf(plan, today=signed_on)
    plan.signed_sha256 = checksum(plan.signed_pdf)
    with transaction.atomic():
        _keep_signed_version(by=by, plan=plan)
        save_versioned(
            plan,
            expected_version=expected_version,
            by=by.user,
            fields=[
                "signed_on",
                "signature",
                "consent_to_forsakringskassan",
                "signed_pdf",
                "signed_sha256",
            ],
        )
        move_episode(
            episode=episode,
            to=next_state,
            by=by,
            note=str(plan.get_signature_display()),
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=plan,
            what="plan signed",
        )
        drafts = _copy_to_forsakringskassan(by=by, plan=plan)
    return plan, drafts.letters, drafts.reasons


def _copy_to_forsakringskassan(*, by: Membership, plan: RehabPlan) -> Drafts:
    """With the patient's consent, the cover letter to Försäkringskassan; the
    letters engine encloses the plan exactly as last signed (its newest kept
    version)."""
    return draft_letters_for(
        by=by,
        episode=plan.episode,
        kinds=[LetterKind.PLAN_COPY_FK] if plan.consent_to_forsakringskassan else [],
        extra={"plan": plan},
    )


def _keep_signed_version(*, by: Membership, plan: RehabPlan) -> SignedPlanVersion:
    if plan.signed_on is None:
        raise ValueError("Only a signed plan has a signed version to keep.")
    number = plan.signed_versions.count() + 1
    return SignedPlanVersion.objects.create(
        plan=plan,
        number=number,
        pdf=plan.signed_pdf,
        sha256=plan.signed_sha256,
        signed_on=plan.signed_on,
        signature=plan.signature,
        recorded_by=by.user,
    )


def sign_changed_plan(
    *, by: Membership, plan: RehabPlan, signed_on: date, signature: str
) -> tuple[SignedPlanVersion, list[Letter], list[StrOrPromise]]:
    """The patient signs the plan again after a change; the new version is
    kept beside the earlier ones and becomes the plan's document. With the
    patient's consent, Försäkringskassan gets the new version too."""
    _require(by, Permission.PLAN_REHABILITATION)
    ensure_open(plan.episode)
    if plan.signed_on is None or not plan.changed_after_signing:
        raise TransitionRefused(_("The plan has not changed since it was signed."))
    if signed_on > timezone.localdate():
        raise TransitionRefused(_("The signing date cannot be in the future."))
    if signed_on < plan.signed_on:
        raise TransitionRefused(_("The new signature cannot be before the last one."))
    if signature not in RehabPlan.Signature.values:
        raise TransitionRefused(_("Give the date and how the patient signed."))
    plan.signed_on, plan.signature = signed_on, signature
    plan.signed_pdf = render_plan_pdf(plan, today=signed_on)
    plan.signed_sha256 = checksum(plan.signed_pdf)
    with transaction.atomic():
        RehabPlan.objects.filter(pk=plan.pk).update(
            signed_on=signed_on,
            signature=signature,
            signed_pdf=plan.signed_pdf,
            signed_sha256=plan.signed_sha256,
            changed_after_signing=False,
        )
        plan.changed_after_signing = False
        version = _keep_signed_version(by=by, plan=plan)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[plan.episode.patient_id],
            obj=plan,
            what=f"plan version {version.number} signed",
        )
        drafts = _copy_to_forsakringskassan(by=by, plan=plan)
    return version, drafts.letters, drafts.reasons


def evaluate_goal(
    *,
    by: Membership,
    goal: Goal,
    when: str,
    result: str,
    comment: str = "",
    on: date | None = None,
) -> GoalEvaluation:
    """Met, partly met or not met, at the end of rehabilitation or at follow-up; one of each."""
    _require(by, Permission.RUN_PROGRAMME)
    ensure_open(goal.plan.episode)
    on = on or timezone.localdate()
    if GoalEvaluation.objects.filter(goal=goal, when=when).exists():
        raise TransitionRefused(_("The goal is already evaluated at this time."))
    with transaction.atomic():
        evaluation = GoalEvaluation.objects.create(
            goal=goal,
            when=when,
            result=result,
            comment=comment,
            evaluated_on=on,
            evaluated_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[goal.plan.episode.patient_id],
            obj=evaluation,
            what="goal evaluated",
        )
    return evaluation
