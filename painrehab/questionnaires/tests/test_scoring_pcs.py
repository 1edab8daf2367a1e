"""PCS: vectors from instruments.md section 9, computed by hand.

Rumination 8-11, magnification 6, 7, 13, helplessness 1-5, 12.
"""

import pytest

from painrehab.questionnaires.scoring import score


def answers(values):
    return dict(enumerate(values, start=1))


@pytest.mark.parametrize(
    ("values", "rumination", "magnification", "helplessness", "total"),
    [
        ([2, 3, 1, 0, 4, 2, 1, 3, 3, 2, 4, 1, 0], 12, 3, 11, 26),
        ([4] * 13, 16, 12, 24, 52),
        ([1, 1, 2, 2, 3, 0, 1, 4, 4, 3, 2, 1, 2], 13, 3, 10, 26),
        ([2, 3, 2, 1, 2, 3, 2, 4, 3, 3, 2, 1, 2], 12, 7, 11, 30),
        ([0] * 13, 0, 0, 0, 0),
    ],
)
def test_subscales_and_total(values, rumination, magnification, helplessness, total):
    result = score("pcs", answers(values))
    assert result.valid is True
    assert result.subscales == {
        "rumination": rumination,
        "magnification": magnification,
        "helplessness": helplessness,
    }
    assert result.total == total


def test_total_of_30_is_clinically_relevant_and_29_is_not():
    thirty = [2, 3, 2, 1, 2, 3, 2, 4, 3, 3, 2, 1, 2]
    assert score("pcs", answers(thirty)).band == "clinically_relevant"
    twenty_nine = list(thirty)
    twenty_nine[0] = 1
    result = score("pcs", answers(twenty_nine))
    assert result.total == 29
    assert result.band == "not_clinically_relevant"


def test_one_missing_item_blanks_its_subscale_and_the_total():
    values = [2, 3, 1, 0, 4, 2, 1, 3, None, 2, 4, 1, 0]
    result = score("pcs", answers(values))
    assert result.valid is False
    assert result.total is None
    assert result.subscales == {
        "rumination": None,
        "magnification": 3,
        "helplessness": 11,
    }


def test_all_missing_is_invalid():
    result = score("pcs", answers([None] * 13))
    assert result.valid is False
    assert result.total is None


def test_five_raises_naming_item_three():
    with pytest.raises(ValueError, match="pcs item 3: 5"):
        score("pcs", {3: 5})
