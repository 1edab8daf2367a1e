"""Preparatory interventions before the group programme (issue 5)."""

import pytest

from painrehab.steps.preparation.services import plan_preparation

# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def test_preparatory_interventions_only_for_programme_patients(planned, physician):
    item = plan_preparation(
        by=physician,
        episode=planned.episode,
        profession="physician",
        kind="medication_tapering",
    )
    assert item.status == "planned"
