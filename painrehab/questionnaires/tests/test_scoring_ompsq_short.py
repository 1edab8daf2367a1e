"""ÖMPSQ-10: vectors from instruments.md section 12b, computed by hand.

Published order; item 1 category 1-10; reversed items 3, 4, 8 (10 - x).
"""

import pytest

from painrehab.questionnaires.scoring import definition, score


def answers(values):
    return dict(enumerate(values, start=1))


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ([10, 7, 4, 5, 6, 5, 8, 3, 7, 6], 67, "at_risk"),
        ([3, 2, 10, 9, 1, 0, 2, 9, 3, 1], 14, "low"),
        ([7, 6, 4, 5, 6, 4, 7, 3, 6, 5], 59, "at_risk"),
        ([1, 0, 10, 10, 0, 0, 0, 10, 0, 0], 1, "low"),
        ([10, 10, 0, 0, 10, 10, 10, 0, 10, 10], 100, "at_risk"),
    ],
)
def test_totals_and_bands(values, total, band):
    result = score("ompsq_short", answers(values))
    assert result.valid is True
    assert result.total == total
    assert result.band == band


def test_cut_off_49_low_and_50_at_risk():
    values = [5, 5, 5, 5, 5, 5, 5, 5, 5, 4]  # 5 x 9 + 4 = 49
    assert score("ompsq_short", answers(values)).total == 49
    assert score("ompsq_short", answers(values)).band == "low"
    values[9] = 5
    assert score("ompsq_short", answers(values)).band == "at_risk"


def test_one_missing_item_is_not_computable():
    result = score("ompsq_short", answers([10, 7, 4, 5, None, 5, 8, 3, 7, 6]))
    assert result.valid is False
    assert result.total is None


def test_nothing_answered_is_not_computable():
    assert score("ompsq_short", {}).valid is False


def test_duration_category_zero_raises():
    with pytest.raises(ValueError, match="ompsq_short item 1: 0"):
        score("ompsq_short", answers([0, 7, 4, 5, 6, 5, 8, 3, 7, 6]))


def test_reversed_items_by_content():
    defn = definition("ompsq_short")
    assert defn.reversed_items == (3, 4, 8)
    assert [defn.item(n).key for n in defn.reversed_items] == [
        "light_work_for_an_hour",
        "sleep_at_night",
        "chance_working_in_three_months",
    ]
