"""Borg RPE 6-20: vectors from instruments.md section 14."""

import pytest

from painrehab.questionnaires.definitions import borg_rpe
from painrehab.questionnaires.scoring import score, score_with


@pytest.mark.parametrize("value", [6, 13, 20])
def test_rating_is_the_score(value):
    result = score("borg_rpe", {1: value})
    assert result.valid is True
    assert result.total == value


@pytest.mark.parametrize("value", [5, 21, 12.5, 0])
def test_values_off_the_scale_raise(value):
    with pytest.raises(ValueError, match="borg_rpe item 1"):
        score("borg_rpe", {1: value})


def test_missing_rating_gives_no_score():
    result = score("borg_rpe", {1: None})
    assert result.valid is False
    assert result.total is None


def test_half_values_only_when_enabled_for_research():
    research = borg_rpe.build(half_values=True)
    assert score_with(research, {1: 12.5}).total == 12.5
    assert score_with(research, {1: 20}).total == 20
    assert research.version == "1.0+half-values"
    with pytest.raises(ValueError, match="item 1"):
        score_with(research, {1: 12.25})
