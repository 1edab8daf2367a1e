"""WHO-5: vectors from instruments.md section 15, computed by hand."""

import pytest

from painrehab.questionnaires.scoring import score


def answers(values):
    return dict(enumerate(values, start=1))


def test_vector_a_13_is_52_percent_not_poor():
    result = score("who5", answers([3, 3, 2, 2, 3]))
    assert result.valid is True
    assert result.total == 13
    assert result.subscales == {"percentage": 52}
    assert result.band == "not_poor"
    assert result.flags == ()


def test_vector_b_7_is_28_percent_poor_and_likely_depression():
    result = score("who5", answers([1, 2, 1, 1, 2]))
    assert result.total == 7
    assert result.subscales["percentage"] == 28
    assert result.band == "poor"
    assert result.flags == ("who5_likely_depression",)


def test_12_is_48_percent_poor_without_depression_flag():
    result = score("who5", answers([3, 3, 2, 2, 2]))
    assert result.subscales["percentage"] == 48
    assert result.band == "poor"
    assert result.flags == ()


def test_8_is_32_percent_no_depression_flag():
    assert score("who5", answers([2, 2, 2, 1, 1])).flags == ()


def test_all_five_is_100_percent():
    result = score("who5", answers([5] * 5))
    assert result.total == 25
    assert result.subscales["percentage"] == 100


def test_one_missing_item_gives_no_score():
    result = score("who5", answers([3, 3, None, 2, 3]))
    assert result.valid is False
    assert result.total is None
    assert result.subscales["percentage"] is None


def test_nothing_answered_gives_no_score():
    assert score("who5", {}).valid is False


def test_six_raises_naming_the_item():
    with pytest.raises(ValueError, match="who5 item 2: 6"):
        score("who5", answers([3, 6, 3, 3, 3]))
