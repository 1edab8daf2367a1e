"""Fixtures for every step's tests: an episode taken through investigation
(`investigated`), to the assessment conference (`conference`) and to its plan
(`planned`); written in steps/tests/fixtures.py."""

from painrehab.steps.tests.fixtures import conference, investigated, planned

__all__ = ["conference", "investigated", "planned"]
