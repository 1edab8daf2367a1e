"""The care episode's state machine, as data a clinician can review.

TRANSITIONS lists every move an episode can make, who may make it (by
permission, which the profession table in accounts.permissions grants) and
what the move requires. `check_transition` is the one rule that judges a
move; `pathway.services.transitions.move_episode` is the one function that
makes it.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from painrehab.accounts.permissions import Permission
from painrehab.core.refusals import Refused


class State(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    TRIAGED = "triaged", _("Triaged, to be booked")
    WAITING_NEW_VISIT = "waiting_new_visit", _("Waiting for new visit")
    NEW_VISIT = "new_visit", _("New visit")
    TEAM_INVESTIGATION = "team_investigation", _("Team investigation")
    ASSESSMENT_CONFERENCE = "assessment_conference", _("Assessment conference")
    PLANNING_MEETING = "planning_meeting", _("Planning meeting")
    PREPARATION = "preparation", _("Preparatory interventions")
    GROUP_PROGRAMME = "group_programme", _("Group programme")
    INDIVIDUAL_REHABILITATION = (
        "individual_rehabilitation",
        _("Individual rehabilitation"),
    )
    FOLLOW_UP = "follow_up", _("Follow-up")
    DISCHARGED = "discharged", _("Discharged")


# Pathway order, for worklists and timelines.
STATE_ORDER: tuple[State, ...] = tuple(State)
OPEN_STATES: frozenset[State] = frozenset(State) - {State.DISCHARGED}
# The usual way through the pathway by the group programme, referral to discharge.
GROUP_PROGRAMME_PATH: tuple[State, ...] = tuple(
    s for s in STATE_ORDER if s != State.INDIVIDUAL_REHABILITATION
)


class DischargeReason(models.TextChoices):
    """Why an episode ended; seed 1 §12 and §12.1."""

    COMPLETED = "completed", _("Completed as planned")
    RETURNED_AT_TRIAGE = "returned_at_triage", _("Returned to the referrer at triage")
    NOT_SUITABLE = "not_suitable", _("Not suitable after new visit or investigation")
    NO_SHOWS = "no_shows", _("Repeated no-shows or cancellations")
    PATIENT_CHOICE = "patient_choice", _("The patient's own choice")
    SUBSTANCE_ABUSE = "substance_abuse", _("Active substance abuse or dependence")
    MISSING_PREREQUISITES = (
        "missing_prerequisites",
        _("Missing psychosocial or practical prerequisites"),
    )
    ABSENCE = "absence", _("Absence that prevents benefit")
    ACUTE_PROBLEMS = "acute_problems", _("Acute physical or psychiatric problems")


class Requirement(StrEnum):
    """What the person making a move must supply."""

    NOTE = "note"  # a written reason or summary
    DISCHARGE_REASON = "discharge_reason"


REQUIREMENT_MESSAGES = {
    Requirement.NOTE: _("Write a reason or note for this step."),
    Requirement.DISCHARGE_REASON: _("Choose a reason for discharge."),
}


@dataclass(frozen=True)
class Transition:
    source: State
    target: State
    permission: Permission
    label: StrPromise
    requires: frozenset[Requirement] = frozenset()
    # The URL name of the page that makes this step with its own record
    # (triage, booking, new visit, discharge …), taking the episode's id;
    # ON_EPISODE_PAGE when a form of the episode page itself does (bookings);
    # ON_COHORT_PAGE when a programme group's page does, for all its
    # participants at once. Empty only for a step with no record of its own,
    # which the generic step form may make.
    page: str = ""

    @property
    def has_own_page(self) -> bool:
        return bool(self.page)


ON_EPISODE_PAGE = "pathway:episode"
ON_COHORT_PAGE = "programmes:index"
S = State
P = Permission
_DISCHARGE_NEEDS = frozenset({Requirement.DISCHARGE_REASON, Requirement.NOTE})

_PATHWAY = [
    Transition(
        S.REFERRAL_RECEIVED,
        S.TRIAGED,
        P.TRIAGE,
        _("Triage to new visit"),
        page="pathway:triage",
    ),
    Transition(
        S.TRIAGED,
        S.WAITING_NEW_VISIT,
        P.MANAGE_WAITING_LIST,
        _("Book new visit"),
        page="pathway:book",
    ),
    Transition(
        S.WAITING_NEW_VISIT,
        S.TRIAGED,
        P.MANAGE_WAITING_LIST,
        _("Cancel booking"),
        frozenset({Requirement.NOTE}),
        page=ON_EPISODE_PAGE,
    ),
    Transition(
        S.WAITING_NEW_VISIT,
        S.NEW_VISIT,
        P.RECORD_NEW_VISIT,
        _("New visit held"),
        page="pathway:new_visit",
    ),
    Transition(
        S.NEW_VISIT,
        S.WAITING_NEW_VISIT,
        P.MANAGE_WAITING_LIST,
        _("Book a return visit"),
        page="pathway:book",
    ),
    Transition(
        S.NEW_VISIT,
        S.TEAM_INVESTIGATION,
        P.RECORD_NEW_VISIT,
        _("Refer to team investigation"),
        page="pathway:new_visit",
    ),
    Transition(
        S.TEAM_INVESTIGATION,
        S.ASSESSMENT_CONFERENCE,
        P.HOLD_CONFERENCE,
        _("To assessment conference"),
        page="pathway:conference",
    ),
    Transition(
        S.ASSESSMENT_CONFERENCE,
        S.TEAM_INVESTIGATION,
        P.HOLD_CONFERENCE,
        _("Further investigation before a new conference"),
        frozenset({Requirement.NOTE}),
        page="pathway:conference",
    ),
    Transition(
        S.ASSESSMENT_CONFERENCE,
        S.PLANNING_MEETING,
        P.HOLD_CONFERENCE,
        _("Decided: rehabilitation, to planning meeting"),
        page="pathway:conference",
    ),
    Transition(
        S.PLANNING_MEETING,
        S.PREPARATION,
        P.PLAN_REHABILITATION,
        _("Write and sign the plan (group programme)"),
        page="pathway:plan",
    ),
    Transition(
        S.PLANNING_MEETING,
        S.INDIVIDUAL_REHABILITATION,
        P.PLAN_REHABILITATION,
        _("Write and sign the plan (individual rehabilitation)"),
        page="pathway:plan",
    ),
    Transition(
        S.PREPARATION,
        S.GROUP_PROGRAMME,
        P.RUN_PROGRAMME,
        _("Programme starts"),
        page=ON_COHORT_PAGE,
    ),
    Transition(
        S.GROUP_PROGRAMME,
        S.PREPARATION,
        P.RUN_PROGRAMME,
        _("Place taken back: back to the rehabilitation waiting list"),
        page=ON_COHORT_PAGE,
    ),
    Transition(
        S.GROUP_PROGRAMME,
        S.FOLLOW_UP,
        P.RUN_PROGRAMME,
        _("Programme ended"),
        page="pathway:end_rehabilitation",
    ),
    Transition(
        S.INDIVIDUAL_REHABILITATION,
        S.FOLLOW_UP,
        P.RUN_PROGRAMME,
        _("Rehabilitation ended"),
        page="pathway:end_rehabilitation",
    ),
]

# Discharge is possible from every open state (seed 1 §12), with a reason.
_DISCHARGES = [
    Transition(
        state,
        S.DISCHARGED,
        P.DISCHARGE,
        _("Discharge the patient"),
        _DISCHARGE_NEEDS,
        page="pathway:discharge",
    )
    for state in STATE_ORDER
    if state in OPEN_STATES
]

TRANSITIONS: dict[tuple[State, State], Transition] = {
    (t.source, t.target): t for t in _PATHWAY + _DISCHARGES
}


def step_with_own_page(source: str, target: str) -> Transition | None:
    """The transition if it is made on a page of its own, not by the generic form."""
    transition = TRANSITIONS.get((State(source), State(target)))
    return transition if transition is not None and transition.has_own_page else None


def transitions_from(state: State) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.source == state]


# Where the signed plan leads, by the track the conference decided (seed 1
# §7.3–7.4): the conference's decision value -> the state after signing.
PLAN_LEADS_TO: dict[str, State] = {
    "group_programme": S.PREPARATION,
    "individual": S.INDIVIDUAL_REHABILITATION,
}


def next_steps(state: State, *, decided_track: str = "") -> list[Transition]:
    """The steps the episode page offers from `state`.

    At the planning meeting the plan leads only where the conference decided:
    of the two plan steps just the one of `decided_track` (a conference
    decision value), neither while no such decision is known. Every other
    state offers all its transitions.
    """
    offered = transitions_from(state)
    if state != S.PLANNING_MEETING:
        return offered
    leads_to = PLAN_LEADS_TO.get(decided_track)
    return [
        t
        for t in offered
        if t.target not in PLAN_LEADS_TO.values() or t.target == leads_to
    ]


class TransitionRefused(Refused):
    """A move that the table does not allow; `message` says why, in the user's language."""


def check_transition(
    *,
    source: State,
    target: State,
    granted: frozenset[Permission],
    supplied: frozenset[Requirement],
) -> Transition:
    """The transition if it exists, is permitted and has what it requires; else refused."""
    transition = TRANSITIONS.get((State(source), State(target)))
    if transition is None:
        raise TransitionRefused(
            _("An episode in the state “%(source)s” cannot move to “%(target)s”.")
            % {"source": State(source).label, "target": State(target).label}
        )
    if transition.permission not in granted:
        raise TransitionRefused(
            _("Your profession in this unit may not make the step “%(step)s”.")
            % {"step": transition.label}
        )
    missing = sorted(transition.requires - supplied)
    if missing:
        raise TransitionRefused(" ".join(str(REQUIREMENT_MESSAGES[r]) for r in missing))
    return transition
