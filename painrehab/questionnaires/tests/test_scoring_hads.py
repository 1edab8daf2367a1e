"""HADS: vectors from instruments.md section 5, computed by hand.

Anxiety = odd items, depression = even items; callers send 0-3 points.
Policy: at most one missing item per subscale, prorated x 7/6.
"""

import pytest

from painrehab.questionnaires.definitions import hads
from painrehab.questionnaires.scoring import score, score_with

VECTOR_A = [2, 1, 3, 0, 2, 1, 1, 2, 2, 0, 3, 1, 2, 1]


def answers(values):
    return dict(enumerate(values, start=1))


def test_vector_a_anxiety_probable_depression_normal():
    # A = 2+3+2+1+2+3+2 = 15; D = 1+0+1+2+0+1+1 = 6
    result = score("hads", answers(VECTOR_A))
    assert result.valid is True
    assert result.total is None
    assert result.subscales == {"anxiety": 15, "depression": 6}
    assert result.subscale_bands == {"anxiety": "probable", "depression": "normal"}
    assert result.flags == ("hads_anxiety_case",)
    assert result.prorated is False


def test_vector_b_depression_probable():
    # A = 1+1+0+1+1+0+1 = 5; D = 2+3+2+3+2+3+2 = 17
    result = score("hads", answers([1, 2, 1, 3, 0, 2, 1, 3, 1, 2, 0, 3, 1, 2]))
    assert result.subscales == {"anxiety": 5, "depression": 17}
    assert result.subscale_bands == {"anxiety": "normal", "depression": "probable"}
    assert result.flags == ("hads_depression_case",)


def test_one_missing_anxiety_item_is_prorated_and_flagged():
    values: list[int | None] = list(VECTOR_A)
    values[12] = None  # item 13
    result = score("hads", answers(values))
    # answered anxiety sum 13 -> 13 x 7 / 6
    assert result.subscales["anxiety"] == pytest.approx(13 * 7 / 6)
    anxiety = result.subscales["anxiety"]
    assert anxiety is not None
    assert round(anxiety, 1) == 15.2
    assert result.subscales["depression"] == 6
    assert result.valid is True
    assert result.prorated is True
    assert "hads_anxiety_prorated" in result.flags
    assert "hads_anxiety_case" in result.flags
    assert result.subscale_bands["anxiety"] == "probable"


def test_two_missing_depression_items_make_depression_not_computable():
    values = [3, 1, 2, None, 3, 2, None, None, 2, 1, 2, 1, 0, 0]
    result = score("hads", answers(values))
    # anxiety 3,2,3,-,2,2,0: 12 x 7 / 6 = 14.0
    assert result.subscales["anxiety"] == pytest.approx(14.0)
    assert result.subscales["depression"] is None
    assert result.valid is False
    assert "depression" in result.reason
    assert "depression" not in result.subscale_bands


def test_prorated_value_is_banded_unrounded():
    # anxiety answered 1,1,1,1,2,3 (item 13 missing) = 9 -> 10.5: possible
    values = [1, 0, 1, 0, 1, 0, 1, 0, 2, 0, 3, 0, None, 0]
    result = score("hads", answers(values))
    assert result.subscales["anxiety"] == pytest.approx(10.5)
    assert result.subscale_bands["anxiety"] == "possible"
    assert "hads_anxiety_case" not in result.flags


@pytest.mark.parametrize(
    ("anxiety_sum", "band"),
    [(7, "normal"), (8, "possible"), (10, "possible"), (11, "probable")],
)
def test_band_boundaries(anxiety_sum, band):
    anxiety = [3] * (anxiety_sum // 3) + [anxiety_sum % 3]
    anxiety += [0] * (7 - len(anxiety))
    values = []
    for a in anxiety:
        values += [a, 0]
    assert score("hads", answers(values)).subscale_bands["anxiety"] == band


def test_value_four_raises_naming_the_item():
    with pytest.raises(ValueError, match="hads item 5: 4"):
        score("hads", {5: 4})


def test_strict_setting_refuses_to_prorate():
    strict = hads.build(max_missing_per_subscale=0)
    values: list[int | None] = list(VECTOR_A)
    values[12] = None
    result = score_with(strict, answers(values))
    assert result.subscales["anxiety"] is None
    assert result.valid is False
    assert strict.version == "1.0+prorate-max0"


def test_nothing_answered_is_invalid():
    result = score("hads", {})
    assert result.valid is False
    assert result.subscales == {"anxiety": None, "depression": None}


def test_printed_option_order_follows_the_scoring_key():
    defn = hads.DEFINITION
    first_printed = {n: defn.item(n).options[0].value for n in range(1, 15)}
    assert [n for n, v in first_printed.items() if v == 3] == [
        1,
        3,
        5,
        6,
        8,
        10,
        11,
        13,
    ]


@pytest.mark.parametrize("max_missing", [-1, 4])
def test_proration_setting_is_bounded_by_the_half_rule(max_missing):
    with pytest.raises(ValueError, match="max_missing_per_subscale"):
        hads.build(max_missing_per_subscale=max_missing)
