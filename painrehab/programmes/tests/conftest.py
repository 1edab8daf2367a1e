from datetime import date, timedelta

import pytest

from painrehab.programmes.services.cohorts import add_participant, create_cohort
from painrehab.programmes.services.templates import ensure_default_templates
from painrehab.programmes.tests.factories import aware, decided_episode, premises, team

MONDAY = date(2026, 3, 2)


@pytest.fixture
def staff(unit_a, physician, coordinator, sports_leader):  # noqa: ANN001, ANN201
    """The whole team of unit A (the standing cast's physician, coordinator
    nurse and sports leader, plus the others)."""
    members = team(unit_a)
    members["lakare"] = physician
    members["koordinator"] = coordinator
    return members


@pytest.fixture
def rooms(unit_a):  # noqa: ANN001, ANN201
    return premises(unit_a)


@pytest.fixture
def specialist(unit_a):  # noqa: ANN001, ANN201
    return next(
        t for t in ensure_default_templates(unit_a) if t.key == "specialist_5_weeks"
    )


@pytest.fixture
def krt(unit_a):  # noqa: ANN001, ANN201
    return next(
        t for t in ensure_default_templates(unit_a) if t.key == "krt_primary_care"
    )


@pytest.fixture
def decided(unit_a, physician, coordinator):  # noqa: ANN001, ANN201
    """Make `n` episodes decided for a programme, a day apart from 2026-02-01."""

    def make(n, **kwargs):  # noqa: ANN001, ANN003, ANN202
        return [
            decided_episode(
                unit=unit_a,
                physician=physician,
                coordinator=coordinator,
                decided_at=aware(date(2026, 2, 1) + timedelta(days=i)),
                **kwargs,
            )
            for i in range(n)
        ]

    return make


@pytest.fixture
def cohort_of(coordinator):  # noqa: ANN001, ANN201
    """A cohort of `template` from `start` with `n` decided participants."""

    def make(template, episodes, start=MONDAY):  # noqa: ANN001, ANN202
        cohort = create_cohort(by=coordinator, template=template, start=start)
        for episode in episodes:
            add_participant(
                by=coordinator,
                cohort=cohort,
                episode=episode,
                now=aware(start - timedelta(days=7)),
            )
        return cohort

    return make
