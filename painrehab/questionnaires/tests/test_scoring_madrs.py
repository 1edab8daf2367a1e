"""MADRS and MADRS-S: vectors from instruments.md section 13, by hand.

The KRT exclusion "över 28 på MADRS" is a flag on the version recorded.
"""

import pytest

from painrehab.questionnaires.scoring import score


def answers(values):
    return dict(enumerate(values, start=1))


@pytest.mark.parametrize(
    ("values", "total", "band", "flags"),
    [
        (
            [3, 3, 2, 4, 2, 3, 3, 2, 3, 4],
            29,
            "moderate",
            ("madrs_above_krt_threshold",),
        ),
        ([1, 1, 0, 2, 0, 1, 1, 0, 1, 0], 7, "mild", ()),
        ([3, 2, 2, 4, 1, 2, 2, 2, 1, 0], 19, "mild", ()),
        ([5, 5, 4, 4, 3, 4, 4, 4, 4, 3], 40, "severe", ("madrs_above_krt_threshold",)),
        ([0, 1, 0, 1, 0, 1, 0, 1, 0, 2], 6, "absent", ()),
        ([2] * 10, 20, "moderate", ()),
        (
            [4, 4, 3, 3, 3, 3, 3, 3, 3, 5],
            34,
            "moderate",
            ("madrs_above_krt_threshold",),
        ),
        ([4, 4, 4, 3, 3, 3, 3, 3, 3, 5], 35, "severe", ("madrs_above_krt_threshold",)),
    ],
)
def test_madrs_totals_bands_and_krt_flag(values, total, band, flags):
    result = score("madrs", answers(values))
    assert result.valid is True
    assert result.total == total
    assert result.band == band
    assert result.flags == flags


def test_madrs_krt_boundary_28_no_flag_29_flag():
    values = [3, 3, 3, 3, 3, 3, 3, 3, 2, 2]  # 28
    assert score("madrs", answers(values)).total == 28
    assert score("madrs", answers(values)).flags == ()
    values[9] = 3  # 29
    assert score("madrs", answers(values)).flags == ("madrs_above_krt_threshold",)


def test_madrs_missing_item_is_not_computable_and_raises_no_flag():
    result = score("madrs", answers([6, 6, 6, 6, 6, 6, 6, 6, 6, None]))
    assert result.valid is False
    assert result.total is None
    assert result.flags == ()


def test_madrs_all_missing_is_not_computable():
    assert score("madrs", {}).valid is False


def test_madrs_seven_raises():
    with pytest.raises(ValueError, match="madrs item 10: 7"):
        score("madrs", {10: 7})


@pytest.mark.parametrize(
    ("values", "total", "band", "flags"),
    [
        ([2, 3, 1, 4, 0, 2, 3, 1, 0], 16, "mild", ()),
        ([5, 4, 4, 3, 5, 4, 4, 5, 3], 37, "severe", ("madrs_s_above_krt_threshold",)),
        ([4, 3, 4, 3, 3, 4, 3, 3, 2], 29, "moderate", ("madrs_s_above_krt_threshold",)),
        ([2, 2, 2, 2, 1, 1, 1, 1, 0], 12, "none_or_very_mild", ()),
        ([2, 2, 2, 2, 1, 1, 1, 1, 1], 13, "mild", ()),
        ([3, 3, 3, 3, 3, 3, 3, 3, 4], 28, "moderate", ()),
    ],
)
def test_madrs_s_totals_bands_and_krt_flag(values, total, band, flags):
    result = score("madrs_s", answers(values))
    assert result.valid is True
    assert result.total == total
    assert result.band == band
    assert result.flags == flags


def test_madrs_s_missing_item_is_not_computable():
    result = score("madrs_s", answers([2, 3, 1, 4, 0, 2, 3, 1, None]))
    assert result.valid is False
    assert result.total is None


def test_madrs_s_has_nine_items():
    with pytest.raises(ValueError, match="item 10"):
        score("madrs_s", answers([1] * 10))
