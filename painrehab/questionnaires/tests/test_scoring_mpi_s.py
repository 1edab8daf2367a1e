"""MPI-S: no scoring until the Swedish key is in hand (instruments.md 8)."""

import pytest

from painrehab.questionnaires.scoring import definition, score

SCALES = {
    "pain_severity",
    "interference",
    "life_control",
    "affective_distress",
    "support",
    "punishing_responses",
    "solicitous_responses",
    "distracting_responses",
    "household_chores",
    "outdoor_work",
    "activities_away_from_home",
    "social_activities",
    "general_activity",
}


def test_complete_answers_are_not_scored():
    result = score("mpi_s", dict.fromkeys(range(1, 53), 3))
    assert result.valid is False
    assert result.total is None
    assert result.reason.startswith("scoring key not configured")
    assert set(result.subscales) == SCALES
    assert all(value is None for value in result.subscales.values())


def test_partial_answers_are_not_scored():
    result = score("mpi_s", {1: 4, 2: 5, 3: 3})
    assert result.valid is False
    assert result.band == ""


def test_no_answers_are_not_scored():
    assert score("mpi_s", {}).valid is False


def test_answers_are_still_validated():
    with pytest.raises(ValueError, match="mpi_s item 7: 7"):
        score("mpi_s", {7: 7})


def test_definition_is_marked_collect_only_and_licensed():
    defn = definition("mpi_s")
    assert defn.missing_rule.kind == "not_scored"
    assert defn.licensed_text is True
    assert len(defn.items) == 52
