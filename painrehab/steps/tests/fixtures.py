"""An episode taken through investigation, conference and planning: the fixtures the steps' tests share (issue 5)."""

from datetime import date

import pytest
from django.utils import timezone

from painrehab.pathway import criteria as rules
from painrehab.pathway.models import Episode
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State
from painrehab.steps.conference.services import (
    decide_after_conference,
    start_conference,
    update_conference,
)
from painrehab.steps.plan.services import open_plan


def _today() -> date:
    return timezone.localdate()


ALL_TEAM_CRITERIA = {
    c.key: c.kind == rules.CriterionKind.INCLUSION
    for c in rules.SPECIALIST_CRITERIA
    if c.rule is None and c.kind != rules.CriterionKind.INDIVIDUAL_REASON
}


def _to_investigation(episode, physician, coordinator):  # noqa: ANN001, ANN202
    for state, by in [
        (State.TRIAGED, physician),
        (State.WAITING_NEW_VISIT, coordinator),
        (State.NEW_VISIT, physician),
        (State.TEAM_INVESTIGATION, physician),
    ]:
        move_episode(episode=episode, to=state, by=by)
    return episode


@pytest.fixture
def investigated(episode_a, physician, coordinator):  # noqa: ANN001, ANN201
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad", pain_duration_months=24
    )
    return _to_investigation(
        Episode.objects.get(pk=episode_a.pk), physician, coordinator
    )


@pytest.fixture
def conference(investigated, physician, coordinator):  # noqa: ANN001, ANN201
    return start_conference(
        by=physician,
        episode=investigated,
        held_on=_today(),
        participants=[physician.user, coordinator.user],
    )


@pytest.fixture
def planned(conference, physician):  # noqa: ANN001, ANN201
    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations=ALL_TEAM_CRITERIA,
    )
    decide_after_conference(
        by=physician,
        conference=conference,
        decision="group_programme",
        expected_version=2,
    )
    return open_plan(
        by=physician, episode=Episode.objects.get(pk=conference.episode_id)
    )
