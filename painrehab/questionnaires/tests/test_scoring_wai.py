"""WAI: vectors from instruments.md section 10, computed by hand.

Answer keys: 1 D1; 2 physical demands; 3 mental demands; 4 job type
(1 physical, 2 mental, 3 mixed); 5 disease count; 6 D4; 7 D5 points;
8 D6 (1/4/7); 9-11 D7.
"""

import pytest

from painrehab.questionnaires.scoring import score

PHYSICAL, MENTAL, MIXED = 1, 2, 3


def answers(values):
    return dict(enumerate(values, start=1))


def test_vector_a_moderate():
    # 8 + (4+3) + [2 diseases -> 4] + 4 + 3 + 4 + [3+2+3=8 -> 3] = 33
    result = score("wai", answers([8, 4, 3, MIXED, 2, 4, 3, 4, 3, 2, 3]))
    assert result.valid is True
    assert result.total == 33.0
    assert result.band == "moderate"
    assert result.subscales == {
        "current_work_ability": 8,
        "work_ability_vs_demands": 7,
        "diagnosed_diseases": 4,
        "impairment": 4,
        "sick_leave": 3,
        "prognosis": 4,
        "mental_resources": 3,
    }


def test_vector_b_excellent_maximum():
    # 10 + (5 x 1.5 + 5 x 0.5) + 7 + 6 + 5 + 7 + 4 = 49
    result = score("wai", answers([10, 5, 5, PHYSICAL, 0, 6, 5, 7, 4, 4, 4]))
    assert result.total == 49.0
    assert result.band == "excellent"


def test_vector_c_poor_with_half_point():
    # 2 + (2 x 0.5 + 1 x 1.5) + 1 + 2 + 1 + 1 + 1 = 10.5
    result = score("wai", answers([2, 2, 1, MENTAL, 6, 2, 1, 1, 1, 0, 1]))
    assert result.total == 10.5
    assert result.subscales["work_ability_vs_demands"] == 2.5
    assert result.subscales["diagnosed_diseases"] == 1
    assert result.band == "poor"


def test_vector_d_good():
    # 7 + (4 x 1.5 + 4 x 0.5) + 5 + 5 + 4 + 7 + 3 = 39
    result = score("wai", answers([7, 4, 4, PHYSICAL, 1, 5, 4, 7, 3, 3, 3]))
    assert result.total == 39.0
    assert result.band == "good"


@pytest.mark.parametrize(
    ("diseases", "points"), [(0, 7), (1, 5), (2, 4), (3, 3), (4, 2), (5, 1), (9, 1)]
)
def test_disease_points(diseases, points):
    result = score("wai", answers([8, 4, 3, MIXED, diseases, 4, 3, 4, 3, 2, 3]))
    assert result.subscales["diagnosed_diseases"] == points


@pytest.mark.parametrize(
    ("d7", "points"),
    [
        ((0, 1, 2), 1),
        ((1, 1, 2), 2),
        ((2, 2, 2), 2),
        ((3, 2, 2), 3),
        ((3, 3, 3), 3),
        ((4, 3, 3), 4),
    ],
)
def test_mental_resource_points(d7, points):
    result = score("wai", answers([8, 4, 3, MIXED, 2, 4, 3, 4, *d7]))
    assert result.subscales["mental_resources"] == points


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        # d1 + (3 x 0.5 + 2 x 1.5) + 5 + 4 + 3 + 4 + [8 -> 3]
        ([4, 3, 2, MENTAL, 1, 4, 3, 4, 3, 2, 3], 27.5, "poor"),
        ([5, 3, 2, MENTAL, 1, 4, 3, 4, 3, 2, 3], 28.5, "moderate"),
        # d1 + 4.5 + 7 + 6 + 5 + 7 + [8 -> 3]
        ([4, 3, 2, MENTAL, 0, 6, 5, 7, 3, 2, 3], 36.5, "moderate"),
        ([5, 3, 2, MENTAL, 0, 6, 5, 7, 3, 2, 3], 37.5, "good"),
        # 10 + 4.5 + 7 + 6 + 5 + 7 + [12 -> 4]
        ([10, 3, 2, MENTAL, 0, 6, 5, 7, 4, 4, 4], 43.5, "good"),
        # 10 + (5 x 0.5 + 2 x 1.5) + 7 + 6 + 5 + 7 + 4
        ([10, 5, 2, MENTAL, 0, 6, 5, 7, 4, 4, 4], 44.5, "excellent"),
    ],
)
def test_half_point_totals_fall_into_half_open_bands(values, total, band):
    result = score("wai", answers(values))
    assert result.total == total
    assert result.band == band


def test_one_missing_answer_blanks_its_dimension_and_the_total():
    result = score("wai", answers([8, 4, None, MIXED, 2, 4, 3, 4, 3, 2, 3]))
    assert result.valid is False
    assert result.total is None
    assert result.subscales["work_ability_vs_demands"] is None
    assert result.subscales["current_work_ability"] == 8
    assert "(3)" in result.reason


def test_nothing_answered_is_invalid():
    result = score("wai", {})
    assert result.valid is False
    assert result.total is None


@pytest.mark.parametrize(("item", "value"), [(8, 5), (4, 4), (1, 11), (7, 0)])
def test_values_outside_options_raise(item, value):
    values = [8, 4, 3, MIXED, 2, 4, 3, 4, 3, 2, 3]
    values[item - 1] = value
    with pytest.raises(ValueError, match=f"wai item {item}: {value}"):
        score("wai", answers(values))
