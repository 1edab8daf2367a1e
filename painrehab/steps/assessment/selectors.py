"""Reads for the investigation, conference, plan and weekly patient-conference screens."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NotRequired, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from painrehab.accounts.models import Membership, User, valid_on
from painrehab.audit.services import Action, record
from painrehab.core.models import Revision
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import (
    AssessmentConference,
    Booking,
    Episode,
    Goal,
    GoalEvaluation,
    InvestigationRecord,
    PatientConferenceNote,
    RehabPlan,
)
from painrehab.pathway.states import State
from painrehab.programmes.selectors import patients_over_absence_threshold
from painrehab.questionnaires.models import QuestionnaireRequest
from painrehab.steps.assessment.services import (
    ScoredMadrs,
    criteria_for,
    criteria_results,
    investigation_fields,
    latest_scored_madrs,
)

AGENDA_STATES = (
    State.PREPARATION,
    State.GROUP_PROGRAMME,
    State.INDIVIDUAL_REHABILITATION,
)


def unit_staff(*, unit_id: int) -> QuerySet[User]:
    return (
        User.objects.filter(
            valid_on(timezone.localdate(), "memberships__"),
            memberships__unit_id=unit_id,
        )
        .order_by("last_name", "first_name")
        .distinct()
    )


class InvestigationPage(TypedDict):
    """The team investigation: every profession's records, the user's own."""

    records: list[InvestigationRecord]
    own: InvestigationRecord | None
    own_fields: list[dict[str, str]]
    own_template_version: str
    bookings: list[Booking]
    typed: NotRequired[dict[str, str]]  # what a refused save had typed


def investigation_page(
    *, episode: Episode, membership: Membership
) -> InvestigationPage:
    records = list(
        InvestigationRecord.objects.filter(episode=episode).select_related("author")
    )
    own = next((r for r in records if r.profession == membership.profession), None)
    version, fields = investigation_fields(
        unit_id=episode.unit_id, profession=membership.profession
    )
    return {
        "records": records,
        "own": own,
        "own_fields": own.fields if own else fields,
        "own_template_version": own.template_version if own else version,
        "bookings": list(
            Booking.objects.filter(
                episode=episode, kind=Booking.Kind.INVESTIGATION
            ).select_related("staff")
        ),
    }


@dataclass(frozen=True)
class ChecklistRow:
    result: rules.CriterionResult
    confirmed: bool | None

    @property
    def criterion(self) -> rules.Criterion:
        return self.result.criterion


class ConferencePage(TypedDict):
    """The assessment conference: its checklist and the reasons for individual care."""

    conference: AssessmentConference | None
    checklist: list[ChecklistRow]
    individual_reasons: list[rules.Criterion]
    scored_madrs: ScoredMadrs | None


def conference_page(*, episode: Episode) -> ConferencePage:
    conference = (
        AssessmentConference.objects.filter(episode=episode)
        .prefetch_related("participants")
        .order_by("-held_on", "-pk")
        .first()
    )
    rows: list[ChecklistRow] = []
    reasons: list[rules.Criterion] = []
    if conference is not None:
        conference.episode = episode
        results = criteria_results(conference)
        rows = [
            ChecklistRow(r, conference.confirmations.get(r.criterion.key))
            for r in results
        ]
        _version, criteria = criteria_for(
            unit_id=episode.unit_id, template=conference.criteria_template
        )
        reasons = [
            c for c in criteria if c.kind == rules.CriterionKind.INDIVIDUAL_REASON
        ]
    scored_madrs = (
        latest_scored_madrs(episode, on=conference.held_on)
        if conference is not None
        else None
    )
    return {
        "conference": conference,
        "checklist": rows,
        "individual_reasons": reasons,
        "scored_madrs": scored_madrs,
    }


@dataclass
class GoalRow:
    goal: Goal
    by_time: dict[str, GoalEvaluation] = field(default_factory=dict)


def goals_over_time(*, plan: RehabPlan) -> list[GoalRow]:
    """Each goal with its evaluations at the end of rehabilitation and at follow-up."""
    goals = plan.goals.select_related("owner").prefetch_related("evaluations")
    return [GoalRow(g, {e.when: e for e in g.evaluations.all()}) for g in goals]


def earlier_wordings(*, goals: list[Goal]) -> dict[int, list[Revision]]:
    """Each corrected goal's earlier versions, newest first, in one query."""
    by_pk = {g.pk: g for g in goals if g.version > 1}
    if not by_pk:
        return {}
    wordings: dict[int, list[Revision]] = {}
    for revision in (
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(Goal),
            object_id__in=list(by_pk),
        )
        .select_related("changed_by")
        .order_by("object_id", "-version")
    ):
        goal = by_pk[revision.object_id]
        if revision.version < goal.version:
            wordings.setdefault(goal.pk, []).append(revision)
    return wordings


@dataclass(frozen=True)
class AgendaRow:
    episode: Episode
    flags: tuple[str, ...]
    notes: tuple[PatientConferenceNote, ...]


def patient_conference_agenda(
    *, membership: Membership, week_of: date
) -> list[AgendaRow]:
    """Patients in preparation or rehabilitation this week, with what the team should discuss.

    Flags: goals due this week and not yet evaluated; criteria not met at the
    latest conference; plus the flags of other apps (absences, questionnaires)
    from `agenda_flags`. A constant number of queries; logged as one read.
    """
    week_end = week_of + timedelta(days=6)
    episodes = list(
        Episode.objects.in_unit(membership.unit_id)
        .filter(state__in=AGENDA_STATES)
        .select_related("patient", "referral")
        .prefetch_related(
            Prefetch(
                "plan__goals", queryset=Goal.objects.prefetch_related("evaluations")
            ),
            Prefetch(
                "conferences",
                queryset=AssessmentConference.objects.exclude(decision="").order_by(
                    "-decided_at"
                ),
            ),
            Prefetch(
                "conference_notes",
                queryset=PatientConferenceNote.objects.filter(
                    week_of=week_of
                ).select_related("author"),
            ),
        )
        .order_by("state", "patient__last_name", "pk")
    )
    extra = agenda_flags(episodes=episodes, membership=membership, week_of=week_of)
    criteria_by_template: dict[str, list[rules.Criterion]] = {}
    rows = []
    for episode in episodes:
        flags = list(extra.get(episode.pk, ()))
        plan = getattr(episode, "plan", None)
        if plan is not None and any(
            g.target_date <= week_end and not g.evaluations.all()
            for g in plan.goals.all()
        ):
            flags.append("goals_due")
        conferences = list(episode.conferences.all())
        if conferences:
            conference = conferences[0]
            conference.episode = episode
            template = conference.criteria_template
            if template not in criteria_by_template:
                criteria_by_template[template] = criteria_for(
                    unit_id=membership.unit_id, template=template
                )[1]
            check = rules.decision_allowed(
                criteria_results(conference, criteria=criteria_by_template[template]),
                decision=rules.Decision.GROUP_PROGRAMME,
            )
            if (
                not check.allowed
                and conference.decision == AssessmentConference.Decision.GROUP_PROGRAMME
            ):
                flags.append("criteria_not_met")
        rows.append(
            AgendaRow(episode, tuple(flags), tuple(episode.conference_notes.all()))
        )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[e.patient_id for e in episodes],
        what="patient conference agenda",
    )
    return rows


def agenda_flags(
    *, episodes: list[Episode], membership: Membership, week_of: date
) -> dict[int, list[str]]:
    """Flags other apps contribute to the agenda, from an explicit list of providers."""
    flags: dict[int, list[str]] = {}
    for provider in AGENDA_FLAG_PROVIDERS:
        for episode_id, names in provider(
            episodes=episodes, membership=membership, week_of=week_of
        ).items():
            flags.setdefault(episode_id, []).extend(names)
    return flags


def _questionnaires_missing(
    *, episodes: list[Episode], membership: Membership, week_of: date
) -> dict[int, list[str]]:
    waiting = (
        QuestionnaireRequest.objects.in_unit(membership.unit_id)
        .outstanding()
        .filter(episode__in=[e.pk for e in episodes])
        .values_list("episode_id", flat=True)
    )
    return {episode_id: ["questionnaires_missing"] for episode_id in set(waiting)}


def _absences(
    *, episodes: list[Episode], membership: Membership, week_of: date
) -> dict[int, list[str]]:
    flagged = patients_over_absence_threshold(
        unit=membership.unit_id, today=week_of + timedelta(days=6)
    )
    return {flag.episode_id: ["absences"] for flag in flagged}


# The flags other apps contribute, listed by name (no discovery).
AGENDA_FLAG_PROVIDERS: list = [_questionnaires_missing, _absences]
