"""ISI: vectors from instruments.md section 6, computed by hand."""

import pytest

from painrehab.questionnaires.scoring import score


def answers(values):
    return dict(enumerate(values, start=1))


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ([2, 3, 1, 3, 2, 2, 3], 16, "moderate"),
        ([2] * 7, 14, "subthreshold"),
        ([0, 1, 0, 1, 0, 0, 1], 3, "none"),
        ([4] * 7, 28, "severe"),
        ([4, 3, 3, 4, 3, 3, 4], 24, "severe"),
        ([2, 2, 2, 2, 2, 2, 3], 15, "moderate"),
        ([1] * 7, 7, "none"),
        ([1] * 6 + [2], 8, "subthreshold"),
        ([3] * 7, 21, "moderate"),
        ([3] * 6 + [4], 22, "severe"),
    ],
)
def test_totals_and_bands(values, total, band):
    result = score("isi", answers(values))
    assert result.valid is True
    assert result.total == total
    assert result.band == band


def test_one_missing_item_is_not_computable():
    result = score("isi", answers([2, 3, 1, None, 2, 2, 3]))
    assert result.valid is False
    assert result.total is None
    assert "(4)" in result.reason


def test_all_missing_is_not_computable():
    assert score("isi", answers([None] * 7)).valid is False


def test_five_raises_naming_the_item():
    with pytest.raises(ValueError, match="isi item 2: 5"):
        score("isi", answers([0, 5, 0, 0, 0, 0, 0]))
