"""OBQ11: vectors from instruments.md section 11, computed by hand."""

import pytest

from painrehab.questionnaires.scoring import score


def answers(values):
    return dict(enumerate(values, start=1))


@pytest.mark.parametrize(
    ("values", "total"),
    [
        ([2] * 11, 22),
        ([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2], 15),
        ([2, 2, 1, 2, 3, 1, 2, 2, 1, 1, 2], 19),
        ([3] * 11, 33),
        ([0] * 11, 0),
    ],
)
def test_totals(values, total):
    result = score("obq11", answers(values))
    assert result.valid is True
    assert result.total == total
    assert result.band == ""  # no published bands


def test_one_missing_item_is_not_computable():
    result = score("obq11", answers([2] * 10 + [None]))
    assert result.valid is False
    assert result.total is None


def test_all_missing_is_not_computable():
    assert score("obq11", {}).valid is False


def test_four_raises_naming_the_item():
    with pytest.raises(ValueError, match="obq11 item 11: 4"):
        score("obq11", answers([2] * 10 + [4]))
