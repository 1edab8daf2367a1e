from datetime import date

import pytest

from painrehab.audit.models import AuditEvent
from painrehab.pathway.models import Episode, EpisodeTransition
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import DischargeReason, State, TransitionRefused


def test_opening_an_episode_starts_its_timeline_with_the_referral(
    episode_a, coordinator
):
    assert episode_a.state == State.REFERRAL_RECEIVED
    assert episode_a.opened_on == date(2026, 10, 1)
    event = EpisodeTransition.objects.get(episode=episode_a)
    assert (event.from_state, event.to_state, event.by_id) == (
        "",
        State.REFERRAL_RECEIVED,
        coordinator.user_id,
    )


def test_physician_triages_and_the_event_is_recorded_and_audited(episode_a, physician):
    event = move_episode(
        episode=episode_a, to=State.TRIAGED, by=physician, note="Nybesök läkare"
    )
    stored = Episode.objects.get(pk=episode_a.pk)
    assert stored.state == State.TRIAGED
    assert stored.version == 2
    assert (event.from_state, event.to_state, event.note) == (
        State.REFERRAL_RECEIVED,
        State.TRIAGED,
        "Nybesök läkare",
    )
    audit = AuditEvent.objects.get(action="update")
    assert audit.object_id == str(episode_a.pk)
    assert list(audit.patients.values_list("patient_id", flat=True)) == [
        episode_a.patient_id
    ]


def test_secretary_may_not_triage_and_nothing_changes(episode_a, secretary):
    with pytest.raises(TransitionRefused, match="får inte ta steget"):
        move_episode(episode=episode_a, to=State.TRIAGED, by=secretary)
    assert Episode.objects.get(pk=episode_a.pk).state == State.REFERRAL_RECEIVED
    assert EpisodeTransition.objects.filter(episode=episode_a).count() == 1


def test_wrong_state_is_refused(episode_a, physician):
    with pytest.raises(TransitionRefused, match="kan inte gå till"):
        move_episode(episode=episode_a, to=State.GROUP_PROGRAMME, by=physician)


def test_discharge_stores_reason_and_closes_the_episode(episode_a, physician):
    move_episode(
        episode=episode_a,
        to=State.DISCHARGED,
        by=physician,
        note="Återremiss: ej aktuell.",
        discharge_reason=DischargeReason.RETURNED_AT_TRIAGE,
    )
    stored = Episode.objects.get(pk=episode_a.pk)
    assert stored.state == State.DISCHARGED
    assert stored.discharge_reason == DischargeReason.RETURNED_AT_TRIAGE
    assert stored.closed_on is not None
    with pytest.raises(TransitionRefused):
        move_episode(episode=stored, to=State.TRIAGED, by=physician)


def test_discharge_without_reason_is_refused(episode_a, physician):
    with pytest.raises(TransitionRefused, match="Välj en orsak"):
        move_episode(
            episode=episode_a, to=State.DISCHARGED, by=physician, note="Avslut"
        )


def test_a_stale_copy_cannot_move_the_episode_a_second_time(episode_a, physician):
    stale = Episode.objects.get(pk=episode_a.pk)
    move_episode(episode=episode_a, to=State.TRIAGED, by=physician)
    with pytest.raises(TransitionRefused, match="Någon annan sparade"):
        move_episode(
            episode=stale,
            to=State.DISCHARGED,
            by=physician,
            note="x",
            discharge_reason=DischargeReason.PATIENT_CHOICE,
        )
    assert Episode.objects.get(pk=episode_a.pk).state == State.TRIAGED
    assert EpisodeTransition.objects.filter(episode=episode_a).count() == 2


def test_member_of_another_unit_cannot_move_the_episode(episode_a, other_physician):
    with pytest.raises(TransitionRefused, match="tillhör en annan enhet"):
        move_episode(episode=episode_a, to=State.TRIAGED, by=other_physician)


def test_the_whole_group_pathway_can_be_walked(episode_a, physician, coordinator):
    path = [
        (State.TRIAGED, physician),
        (State.WAITING_NEW_VISIT, coordinator),
        (State.NEW_VISIT, physician),
        (State.TEAM_INVESTIGATION, physician),
        (State.ASSESSMENT_CONFERENCE, physician),
        (State.PLANNING_MEETING, physician),
        (State.PREPARATION, physician),
        (State.GROUP_PROGRAMME, physician),
        (State.FOLLOW_UP, physician),
    ]
    for state, by in path:
        move_episode(episode=episode_a, to=state, by=by)
    move_episode(
        episode=episode_a,
        to=State.DISCHARGED,
        by=coordinator,
        note="Klar",
        discharge_reason=DischargeReason.COMPLETED,
    )
    assert list(
        EpisodeTransition.objects.filter(episode=episode_a).values_list(
            "to_state", flat=True
        )
    ) == [
        State.REFERRAL_RECEIVED,
        *[s for s, _ in path],
        State.DISCHARGED,
    ]
