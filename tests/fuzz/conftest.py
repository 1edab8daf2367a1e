"""Hypothesis profiles of the fuzz tests and the count of inputs tried.

`make test` uses the small "suite" profile. The large run is one command:
    PAINREHAB_FUZZ_PROFILE=large .venv/bin/python benchmarks/fuzz_all.py
(see docs/benchmarks.md, "Bad input").
"""

import os

import pytest
from hypothesis import HealthCheck, settings

from painrehab.accounts.tests.test_access_walk import (  # noqa: F401
    members_of_unit_a,
    other_unit_objects,
)
from tests.fuzz import harness

_COMMON = {
    "deadline": None,
    "database": None,
    "derandomize": False,
    "suppress_health_check": list(HealthCheck),
}
settings.register_profile("suite", max_examples=3, **_COMMON)
settings.register_profile("large", max_examples=60, **_COMMON)


@pytest.fixture(scope="session")
def fuzz_profile() -> settings:
    """The profile's settings, applied to the fuzz tests' inner @given functions."""
    return settings.get_profile(os.environ.get("PAINREHAB_FUZZ_PROFILE", "suite"))


@pytest.fixture
def own_unit_objects(episode_a) -> dict[str, int]:  # noqa: ANN001
    """One object per id keyword of the URL patterns, in unit A (the user's own)."""
    from painrehab.accounts.tests.test_access_walk import objects_of_episode_unit

    return {key: make() for key, make in objects_of_episode_unit(episode_a).items()}


def pytest_sessionfinish(session, exitstatus) -> None:  # noqa: ANN001
    harness.write_counts()


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    if harness.TRIED:
        # Requests by endpoint kind; the "value:" keys count the bad values
        # those requests carried (one request may carry several).
        total = sum(v for k, v in harness.TRIED.items() if not k.startswith("value:"))
        parts = ", ".join(f"{k} {v}" for k, v in sorted(harness.TRIED.items()))
        terminalreporter.write_line(f"fuzz: {total} requests sent ({parts})")
