"""NPRS: vectors from instruments.md section 1, computed by hand."""

import pytest

from painrehab.questionnaires.scorers.nprs import pain_change
from painrehab.questionnaires.scoring import score


def test_average_pain_seven_is_seven_and_severe_by_display_convention():
    result = score("nprs", {1: 7})
    assert result.valid is True
    assert result.total == 7
    assert result.band == "severe"
    assert result.version == "1.0"


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_display_band_boundaries(value, band):
    assert score("nprs", {1: value}).band == band


def test_no_pain_is_zero():
    assert score("nprs", {1: 0}).total == 0


def test_eleven_raises_naming_the_item():
    with pytest.raises(ValueError, match="nprs item 1"):
        score("nprs", {1: 11})


@pytest.mark.parametrize("answers", [{1: None}, {}])
def test_unanswered_item_gives_no_score(answers):
    result = score("nprs", answers)
    assert result.valid is False
    assert result.total is None
    assert result.band == ""
    assert "item" in result.reason


def test_half_point_is_not_an_option():
    with pytest.raises(ValueError, match="item 1"):
        score("nprs", {1: 6.5})


def test_change_eight_to_five_meets_both_mcid_criteria():
    change = pain_change(8, 5)
    assert change.points == -3
    assert change.percent == -37.5
    assert change.meets_points_mcid is True
    assert change.meets_percent_mcid is True


def test_change_of_one_point_from_high_baseline_meets_neither():
    change = pain_change(9, 8)
    assert change.points == -1
    assert change.meets_points_mcid is False
    assert change.meets_percent_mcid is False


def test_change_from_zero_has_no_percent():
    change = pain_change(0, 3)
    assert change.percent is None
    assert change.meets_percent_mcid is False


def test_change_refuses_a_rating_outside_the_scale():
    with pytest.raises(ValueError, match="follow_up"):
        pain_change(5, 11)
