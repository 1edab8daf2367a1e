"""Fixtures of the questionnaire tests, and the PostgreSQL-only skip."""

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _skip_postgres_only_on_other_databases(request):  # noqa: ANN001, ANN202
    # select_for_update and real row-level concurrency need PostgreSQL; SQLite
    # serialises writers, so the concurrency tests prove nothing there.
    if (
        request.node.get_closest_marker("postgres_only")
        and connection.vendor != "postgresql"
    ):
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def sent(coordinator, episode_a):  # noqa: ANN001, ANN201
    """A registry package sent today for episode A, with its clear-text link."""
    from painrehab.questionnaires.models import TimePoint
    from painrehab.questionnaires.services import send_package

    return send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )


@pytest.fixture
def krt_sent(unit_b, episode_b):  # noqa: ANN001, ANN201
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
