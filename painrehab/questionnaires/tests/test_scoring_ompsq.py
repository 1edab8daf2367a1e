"""ÖMPSQ long form: vectors from instruments.md section 12a, by hand.

Items 1-4 background (not scored); Q5 = sites ticked (score x 2, max 10);
Q6, Q7 category 1-10; Q8-Q25 0-10; reversed 12, 16, 17, 21-25 (10 - x).
"""

import pytest

from painrehab.questionnaires.scoring import definition, score

BACKGROUND = [None, None, None, None]


def answers(q5, q6, q7, q8_to_q25, background=BACKGROUND):
    values = [*background, q5, q6, q7, *q8_to_q25]
    return dict(enumerate(values, start=1))


VECTOR_A = [5, 6, 6, 7, 3, 5, 4, 7, 6, 5, 6, 7, 5, 4, 5, 6, 7, 3]
VECTOR_B = [2, 2, 2, 1, 8, 1, 0, 2, 9, 8, 3, 4, 1, 9, 10, 10, 10, 8]


def test_vector_a_is_119_high():
    # 6 + 4 + 10 + 24 + 7 + 16 + 4 + 5 + 18 + 25 = 119
    result = score("ompsq", answers(3, 4, 10, VECTOR_A))
    assert result.valid is True
    assert result.total == 119
    assert result.band == "high"


def test_vector_b_is_32_low():
    result = score("ompsq", answers(1, 1, 3, VECTOR_B))
    assert result.total == 32
    assert result.band == "low"


def test_six_sites_score_ten_not_twelve():
    five = score("ompsq", answers(5, 1, 3, VECTOR_B)).total
    six = score("ompsq", answers(6, 1, 3, VECTOR_B)).total
    assert five == six == 32 - 2 + 10


def test_maximum_is_210():
    highest = [10] * 18
    for reversed_item in (12, 16, 17, 21, 22, 23, 24, 25):
        highest[reversed_item - 8] = 0
    assert score("ompsq", answers(7, 10, 10, highest)).total == 210


def test_band_boundary_at_90():
    values = list(VECTOR_A)
    values[0:4] = [0, 0, 0, 0]  # Q8-Q11 24 -> 0: 95
    values[5] = 0  # Q13 5 -> 0: 90
    result = score("ompsq", answers(3, 4, 10, values))
    assert result.total == 90
    assert result.band == "medium"
    values[6] = 3  # Q14 4 -> 3: 89
    result = score("ompsq", answers(3, 4, 10, values))
    assert result.total == 89
    assert result.band == "low"


def test_105_is_medium_and_106_high():
    values = list(VECTOR_A)
    values[0:4] = [0, 0, 0, 0]  # 95
    values[0] = 10  # 105
    assert score("ompsq", answers(3, 4, 10, values)).band == "medium"
    values[1] = 1  # 106
    result = score("ompsq", answers(3, 4, 10, values))
    assert result.total == 106
    assert result.band == "high"


def test_background_items_are_accepted_and_not_scored():
    background = [54, 2, 1, 3]
    result = score("ompsq", answers(3, 4, 10, VECTOR_A, background=background))
    assert result.total == 119


def test_one_missing_scored_item_is_not_computable():
    values: list[int | None] = list(VECTOR_A)
    values[10] = None  # Q18
    result = score("ompsq", answers(3, 4, 10, values))
    assert result.valid is False
    assert result.total is None
    assert "(18)" in result.reason


def test_nothing_answered_is_not_computable():
    assert score("ompsq", {}).valid is False


def test_category_zero_raises_naming_q6():
    with pytest.raises(ValueError, match="ompsq item 6: 0"):
        score("ompsq", answers(3, 0, 10, VECTOR_A))


def test_reversed_items():
    assert definition("ompsq").reversed_items == (12, 16, 17, 21, 22, 23, 24, 25)


def test_item_scores_show_the_pain_site_and_reversal_look_ups():
    result = score("ompsq", answers(6, 1, 3, VECTOR_B))
    assert result.item_scores[5] == 10  # 6 sites x 2 = 12, capped at 10
    assert result.item_scores[12] == 2  # answered 8, scored 10 - 8
    assert 1 not in result.item_scores  # background, not scored
