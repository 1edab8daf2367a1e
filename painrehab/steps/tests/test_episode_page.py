"""The episode page: the next step the plan leads to, and the waiting clock
only while a wait runs."""

import pytest

from painrehab.pathway.models import Episode
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State
from painrehab.steps.conference.services import (
    decide_after_conference,
    update_conference,
)
from painrehab.steps.tests.fixtures import ALL_TEAM_CRITERIA

pytestmark = pytest.mark.usefixtures("clock")

GROUP_STEP = "Skriv och signera planen (gruppprogram)"
INDIVIDUAL_STEP = "Skriv och signera planen (individuell rehabilitering)"


def _next_step_card(html: str) -> str:
    start = html.index("<h2>Nästa steg</h2>")
    return html[start : html.index("</section>", start)]


def _decide(conference, physician, decision: str) -> Episode:  # noqa: ANN001
    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations=ALL_TEAM_CRITERIA,
    )
    decide_after_conference(
        by=physician,
        conference=conference,
        decision=decision,
        expected_version=2,
        individual_reason="practical_reasons" if decision == "individual" else "",
    )
    episode = Episode.objects.get(pk=conference.episode_id)
    assert episode.state == State.PLANNING_MEETING
    return episode


def test_after_a_group_decision_only_the_group_plan_is_offered(
    conference, physician, client_for
):
    episode = _decide(conference, physician, "group_programme")
    card = _next_step_card(
        client_for(physician).get(f"/vardforlopp/{episode.pk}/").content.decode()
    )
    assert GROUP_STEP in card
    assert INDIVIDUAL_STEP not in card
    assert "Plan signerad" not in card
    assert f'href="/vardforlopp/{episode.pk}/plan/"' in card


def test_after_an_individual_decision_only_the_individual_plan_is_offered(
    conference, physician, client_for
):
    episode = _decide(conference, physician, "individual")
    card = _next_step_card(
        client_for(physician).get(f"/vardforlopp/{episode.pk}/").content.decode()
    )
    assert INDIVIDUAL_STEP in card
    assert GROUP_STEP not in card


def test_the_waiting_clock_shows_while_the_new_visit_is_awaited(
    episode_a, physician, client_for
):
    move_episode(episode=episode_a, to=State.TRIAGED, by=physician)
    html = client_for(physician).get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    assert "clockbar" in html
    assert "60-dagarsmål" in html


def test_no_waiting_clock_runs_in_follow_up(
    episode_a, physician, coordinator, client_for
):
    for state, by in [
        (State.TRIAGED, physician),
        (State.WAITING_NEW_VISIT, coordinator),
        (State.NEW_VISIT, physician),
        (State.TEAM_INVESTIGATION, physician),
        (State.ASSESSMENT_CONFERENCE, physician),
        (State.PLANNING_MEETING, physician),
        (State.INDIVIDUAL_REHABILITATION, physician),
        (State.FOLLOW_UP, physician),
    ]:
        move_episode(episode=episode_a, to=state, by=by)
    html = client_for(physician).get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    assert "clockbar" not in html
    assert "väntade dag" not in html
    assert "60-dagarsmål" not in html
    assert "Vårdgaranti" not in html
