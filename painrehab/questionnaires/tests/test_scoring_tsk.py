"""TSK-SV: vectors from instruments.md section 2, computed by hand.

Items 4, 8, 12, 16 are reversed (5 - answer); high kinesiophobia is > 37.
"""

import pytest

from painrehab.questionnaires.scoring import definition, score


def answers(values):
    return dict(enumerate(values, start=1))


def test_all_threes_is_47_and_high():
    # 13 x 3 + 4 x (5 - 3) = 47
    result = score("tsk", answers([3] * 17))
    assert result.valid is True
    assert result.total == 47
    assert result.band == "high"


def test_repeating_one_to_four_is_29():
    # non-reversed 25 + reversed 4 x (5 - 4) = 29
    result = score("tsk", answers([1, 2, 3, 4] * 4 + [1]))
    assert result.total == 29
    assert result.band == "not_high"


def test_mixed_vector_c_is_33_not_high():
    values = [2, 3, 1, 2, 4, 1, 3, 4, 1, 2, 3, 4, 2, 1, 2, 3, 1]
    result = score("tsk", answers(values))
    assert result.total == 33
    assert result.band == "not_high"


def test_mixed_vector_e_is_52_high():
    values = [3, 2, 3, 1, 4, 3, 2, 1, 3, 2, 3, 2, 3, 4, 2, 1, 3]
    assert score("tsk", answers(values)).total == 52


@pytest.mark.parametrize(("value", "total"), [(1, 29), (4, 56)])
def test_uniform_answers(value, total):
    # all 1: 13 + 4 x 4 = 29; all 4: 52 + 4 x 1 = 56
    assert score("tsk", answers([value] * 17)).total == total


def test_all_zero_raises_naming_item_one():
    with pytest.raises(ValueError, match="tsk item 1: 0"):
        score("tsk", answers([0] * 17))


def test_cut_off_is_strictly_above_37():
    # 16 items at 2 scored 2 (items 4, 8, 12, 16 answered 3 -> 2), total 34;
    # raise non-reversed items to reach exactly 37 and 38.
    values = [2] * 17
    for reversed_item in (4, 8, 12, 16):
        values[reversed_item - 1] = 3
    base = score("tsk", answers(values)).total
    assert base == 34
    values[0] = values[1] = values[2] = 3  # +3 -> 37
    assert score("tsk", answers(values)).total == 37
    assert score("tsk", answers(values)).band == "not_high"
    values[4] = 3  # +1 -> 38
    assert score("tsk", answers(values)).total == 38
    assert score("tsk", answers(values)).band == "high"


def test_one_missing_item_makes_the_total_not_computable():
    values: list[int | None] = [3] * 17
    values[7] = None
    result = score("tsk", answers(values))
    assert result.valid is False
    assert result.total is None
    assert result.band == ""
    assert "(8)" in result.reason


def test_many_missing_items_are_not_computable():
    result = score("tsk", {1: 3, 2: 3})
    assert result.valid is False
    assert result.total is None


def test_reversed_items_are_4_8_12_16():
    assert definition("tsk").reversed_items == (4, 8, 12, 16)


def test_item_scores_hold_the_reversed_value_for_storage():
    result = score("tsk", answers([1, 2, 3, 4] * 4 + [1]))
    assert result.item_scores[1] == 1
    assert result.item_scores[3] == 3
    assert result.item_scores[4] == 1  # answered 4, scored 5 - 4
    assert result.item_scores[16] == 1
