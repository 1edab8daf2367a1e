"""Fixtures of the questionnaire tests."""

import pytest


@pytest.fixture
def wordings_a(unit_a, coordinator):  # noqa: ANN001, ANN201
    """Synthetic wording in use for every licensed instrument in unit A."""
    from painrehab.questionnaires.sample_wording import install_sample_wordings

    return install_sample_wordings(unit=unit_a, user=coordinator.user)


@pytest.fixture
def wordings_b(unit_b):  # noqa: ANN001, ANN201
    """Synthetic wording in use for every licensed instrument in unit B."""
    from painrehab.accounts.models import User
    from painrehab.questionnaires.sample_wording import install_sample_wordings

    admin = User.objects.create_user(username="wording_admin_b", password="x-123456")
    return install_sample_wordings(unit=unit_b, user=admin)


@pytest.fixture
def sent(coordinator, episode_a, wordings_a):  # noqa: ANN001, ANN201
    """A registry package sent today for episode A, with its clear-text link."""
    from painrehab.questionnaires.models import TimePoint
    from painrehab.questionnaires.services import send_package

    return send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )


@pytest.fixture
def krt_sent(unit_b, episode_b, wordings_b):  # noqa: ANN001, ANN201
    """A KRT package (unit B, primary care) with its clear-text link."""
    from painrehab.accounts.models import Membership
    from painrehab.questionnaires.models import TimePoint
    from painrehab.questionnaires.services import send_package

    coordinator_b = Membership.objects.get(user__username="coordinator_b")
    return send_package(
        by=coordinator_b, episode=episode_b, time_point=TimePoint.KRT_BEFORE
    )


def full_answers(code: str) -> dict[int, object]:
    """The first option of every item (text items get a short text)."""
    from painrehab.questionnaires.scoring import definition

    return {
        item.number: item.options[0].value if item.options else "x"
        for item in definition(code).items
    }


@pytest.fixture
def rehabilitation_started(episode_a, physician, coordinator):  # noqa: ANN001, ANN201
    """Episode A walked into the group programme: the end-of-rehabilitation
    forms may go out from now (questionnaires.time_points)."""
    from painrehab.pathway.models import Episode
    from painrehab.pathway.services.transitions import move_episode
    from painrehab.pathway.states import GROUP_PROGRAMME_PATH, State

    for state in GROUP_PROGRAMME_PATH[
        1 : GROUP_PROGRAMME_PATH.index(State.GROUP_PROGRAMME) + 1
    ]:
        move_episode(
            episode=Episode.objects.get(pk=episode_a.pk),
            to=state,
            by=coordinator if state == State.WAITING_NEW_VISIT else physician,
        )
    episode_a.refresh_from_db()
    return episode_a
