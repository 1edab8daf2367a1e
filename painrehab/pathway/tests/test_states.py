"""The state machine as data: every allowed move, and the refusals."""

import pytest

from painrehab.accounts.permissions import Permission, Profession, permissions_for
from painrehab.pathway.states import (
    OPEN_STATES,
    STATE_ORDER,
    TRANSITIONS,
    Requirement,
    State,
    TransitionRefused,
    check_transition,
)

ALL_SUPPLIED = frozenset(Requirement)


def _granted(profession: str) -> frozenset[Permission]:
    return permissions_for(profession=profession, is_unit_admin=False)


@pytest.mark.parametrize(("source", "target"), list(TRANSITIONS))
def test_every_listed_transition_is_allowed_for_a_profession_holding_its_permission(
    source, target
):
    transition = TRANSITIONS[(source, target)]
    allowed = [p for p in Profession if transition.permission in _granted(p)]
    assert allowed, f"nobody may make {source} -> {target}"
    result = check_transition(
        source=source,
        target=target,
        granted=_granted(allowed[0]),
        supplied=ALL_SUPPLIED,
    )
    assert result is transition


@pytest.mark.parametrize(("source", "target"), list(TRANSITIONS))
def test_every_listed_transition_is_refused_without_its_permission(source, target):
    transition = TRANSITIONS[(source, target)]
    granted = frozenset(Permission) - {transition.permission}
    with pytest.raises(TransitionRefused, match="får inte ta steget"):
        check_transition(
            source=source, target=target, granted=granted, supplied=ALL_SUPPLIED
        )


NOT_IN_TABLE = [(s, t) for s in State for t in State if (s, t) not in TRANSITIONS]


@pytest.mark.parametrize(("source", "target"), NOT_IN_TABLE)
def test_moves_not_in_the_table_are_refused_for_everyone(source, target):
    with pytest.raises(TransitionRefused, match="kan inte gå till"):
        check_transition(
            source=source,
            target=target,
            granted=frozenset(Permission),
            supplied=ALL_SUPPLIED,
        )


def test_every_state_is_reachable_from_referral_received():
    reached, frontier = {State.REFERRAL_RECEIVED}, [State.REFERRAL_RECEIVED]
    while frontier:
        state = frontier.pop()
        for source, target in TRANSITIONS:
            if source == state and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(State)


def test_discharge_is_possible_from_every_open_state_and_from_nothing_else():
    sources = {source for source, target in TRANSITIONS if target == State.DISCHARGED}
    assert sources == set(OPEN_STATES)
    assert not [t for (s, t) in TRANSITIONS if s == State.DISCHARGED]


def test_discharge_requires_a_reason_and_a_note():
    granted = _granted(Profession.PHYSICIAN)
    with pytest.raises(TransitionRefused, match="Välj en orsak till utskrivning"):
        check_transition(
            source=State.FOLLOW_UP,
            target=State.DISCHARGED,
            granted=granted,
            supplied=frozenset({Requirement.NOTE}),
        )
    with pytest.raises(TransitionRefused, match="Skriv en orsak eller anteckning"):
        check_transition(
            source=State.FOLLOW_UP,
            target=State.DISCHARGED,
            granted=granted,
            supplied=frozenset({Requirement.DISCHARGE_REASON}),
        )


def test_only_a_physician_triages():
    for profession in Profession:
        granted = _granted(profession)
        if profession == Profession.PHYSICIAN:
            check_transition(
                source=State.REFERRAL_RECEIVED,
                target=State.TRIAGED,
                granted=granted,
                supplied=frozenset(),
            )
        else:
            with pytest.raises(TransitionRefused):
                check_transition(
                    source=State.REFERRAL_RECEIVED,
                    target=State.TRIAGED,
                    granted=granted,
                    supplied=frozenset(),
                )


def test_states_are_listed_in_pathway_order():
    assert STATE_ORDER[0] == State.REFERRAL_RECEIVED
    assert STATE_ORDER[-1] == State.DISCHARGED
    assert STATE_ORDER.index(State.PREPARATION) < STATE_ORDER.index(
        State.GROUP_PROGRAMME
    )
