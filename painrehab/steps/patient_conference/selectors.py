"""Reads for the weekly patient conference: its agenda and flags."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
    Goal,
    PatientConferenceNote,
)
from painrehab.pathway.states import State
from painrehab.programmes.selectors import patients_over_absence_threshold
from painrehab.questionnaires.models import QuestionnaireRequest
from painrehab.steps.conference.services import criteria_for, criteria_results

AGENDA_STATES = (
    State.PREPARATION,
    State.GROUP_PROGRAMME,
    State.INDIVIDUAL_REHABILITATION,
)


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
