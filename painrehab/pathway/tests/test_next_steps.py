"""Which steps and which waiting clock the episode page offers: pure rules."""

import pytest

from painrehab.pathway.models import AssessmentConference
from painrehab.pathway.selectors import WAITING_STATES, WaitingStep, running_wait
from painrehab.pathway.states import (
    PLAN_LEADS_TO,
    State,
    next_steps,
    transitions_from,
)

Decision = AssessmentConference.Decision
PLAN_STATES = {State.PREPARATION, State.INDIVIDUAL_REHABILITATION}


def _targets(state: State, track: str = "") -> set[State]:
    return {t.target for t in next_steps(state, decided_track=track)}


def test_the_plan_leads_are_the_conference_decisions_of_a_rehabilitation():
    assert set(PLAN_LEADS_TO) == {Decision.GROUP_PROGRAMME, Decision.INDIVIDUAL}


def test_a_group_programme_decision_offers_only_the_group_plan():
    assert _targets(State.PLANNING_MEETING, Decision.GROUP_PROGRAMME) == {
        State.PREPARATION,
        State.DISCHARGED,
    }


def test_an_individual_decision_offers_only_the_individual_plan():
    assert _targets(State.PLANNING_MEETING, Decision.INDIVIDUAL) == {
        State.INDIVIDUAL_REHABILITATION,
        State.DISCHARGED,
    }


def test_without_a_known_decision_no_plan_step_is_offered():
    assert _targets(State.PLANNING_MEETING) == {State.DISCHARGED}


def test_the_plan_step_is_worded_as_the_action_to_take():
    (step,) = [
        t
        for t in next_steps(State.PLANNING_MEETING, decided_track=Decision.INDIVIDUAL)
        if t.target in PLAN_STATES
    ]
    assert str(step.label) == "Skriv och signera planen (individuell rehabilitering)"


@pytest.mark.parametrize("state", [s for s in State if s != State.PLANNING_MEETING])
def test_other_states_offer_every_transition_whatever_the_track(state):
    for track in ["", *PLAN_LEADS_TO]:
        assert next_steps(state, decided_track=track) == transitions_from(state)


@pytest.mark.parametrize(
    ("state", "wait"),
    [
        (State.TRIAGED, WaitingStep.NEW_VISIT),
        (State.WAITING_NEW_VISIT, WaitingStep.NEW_VISIT),
        (State.TEAM_INVESTIGATION, WaitingStep.INVESTIGATION),
        (State.PLANNING_MEETING, WaitingStep.REHABILITATION),
        (State.PREPARATION, WaitingStep.REHABILITATION),
    ],
)
def test_a_clock_runs_while_the_patient_waits_for_care(state, wait):
    assert running_wait(state) == wait


@pytest.mark.parametrize(
    "state",
    [
        State.REFERRAL_RECEIVED,
        State.NEW_VISIT,
        State.ASSESSMENT_CONFERENCE,
        State.GROUP_PROGRAMME,
        State.INDIVIDUAL_REHABILITATION,
        State.FOLLOW_UP,
        State.DISCHARGED,
    ],
)
def test_no_clock_runs_once_the_wait_has_ended(state):
    assert running_wait(state) is None


def test_follow_up_has_a_waiting_list_but_no_goal_or_guarantee_clock():
    assert State.FOLLOW_UP in WAITING_STATES[WaitingStep.FOLLOW_UP]
    assert running_wait(State.FOLLOW_UP) is None
