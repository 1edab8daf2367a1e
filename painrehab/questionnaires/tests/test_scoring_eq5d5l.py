"""EQ-5D: vectors from instruments.md section 4, computed by hand from the
Swedish value-set coefficients (and matching the eq5d package tests)."""

import pytest

from painrehab.questionnaires.scorers.eq5d import eq5d_index
from painrehab.questionnaires.scoring import score


def answers(profile, vas=None):
    levels = {n: int(level) for n, level in enumerate(profile, start=1)}
    return {**levels, 6: vas}


@pytest.mark.parametrize(
    ("profile", "se_2020", "se_2022"),
    [
        ("11111", 0.9755, 1.0),
        # 0.9755 - 0.0254 - 0.1143 - 0.1024 - 0.2339 - 0.0023
        # 1 - 0.019 - 0.048 - 0.319 - 0.394
        ("12345", 0.4972, 0.2200),
        # 0.9755 - 0.0287 - 0.0549 - 0.0428 - 0.0325
        # 1 - 0.022 - 0.022 - 0.047 - 0.031
        ("21232", 0.8166, 0.8780),
        # 0.9755 - 0.0287 - 0.0254 - 0.1143 - 0.0428 - 0.2339 - 0.0023
        # 1 - 0.022 - 0.019 - 0.048 - 0.047 - 0.394
        ("22335", 0.5281, 0.4700),
        ("55555", 0.2433, -0.3140),
    ],
)
def test_swedish_5l_index_values(profile, se_2020, se_2022):
    result = score("eq5d5l", answers(profile, vas=70))
    assert result.valid is True
    assert result.total is None
    assert result.subscales["index_se_5l_2020"] == se_2020
    assert result.subscales["index_se_5l_2022"] == se_2022
    assert result.details["profile"] == profile


def test_dimensions_and_vas_are_reported_by_code():
    result = score("eq5d5l", answers("21232", vas=55))
    assert result.subscales["vas"] == 55
    assert [result.subscales[d] for d in ("MO", "SC", "UA", "PD", "AD")] == [
        2,
        1,
        2,
        3,
        2,
    ]
    assert result.details["level_sum"] == 10


@pytest.mark.parametrize(
    ("profile", "index"),
    [
        ("11111", 0.9694),
        ("11121", 0.9349),  # 0.9694 - 0.0345
        ("12321", 0.7285),  # 0.9694 - 0.0276 - 0.1355 - 0.0345 - 0.0433
        ("33333", 0.3402),
    ],
)
def test_swedish_3l_experience_based_index(profile, index):
    assert eq5d_index(profile, "se_3l_2014") == index


def test_3l_value_set_refuses_a_5l_profile():
    with pytest.raises(ValueError, match="12345"):
        eq5d_index("12345", "se_3l_2014")


def test_unknown_value_set_is_refused():
    with pytest.raises(ValueError, match="se_1999"):
        eq5d_index("11111", "se_1999")


def test_vas_above_100_raises_naming_the_item():
    with pytest.raises(ValueError, match="eq5d5l item 6: 101"):
        score("eq5d5l", answers("11111", vas=101))


def test_level_six_raises_naming_the_item():
    with pytest.raises(ValueError, match="eq5d5l item 3: 6"):
        score("eq5d5l", {1: 1, 2: 1, 3: 6, 4: 1, 5: 1})


def test_vas_missing_still_gives_the_index():
    result = score("eq5d5l", answers("11111"))
    assert result.valid is True
    assert result.subscales["vas"] is None
    assert result.subscales["index_se_5l_2020"] == 0.9755
    assert "eq5d_vas_missing" in result.flags


def test_missing_dimension_gives_digit_nine_and_no_index_but_keeps_vas():
    result = score("eq5d5l", {1: 1, 2: 1, 3: 2, 4: 2, 5: None, 6: 70})
    assert result.details["profile"] == "11229"
    assert result.subscales["index_se_5l_2020"] is None
    assert result.subscales["index_se_5l_2022"] is None
    assert result.subscales["vas"] == 70
    assert result.valid is False
    assert "AD" in result.reason


def test_nothing_answered():
    result = score("eq5d5l", {})
    assert result.details["profile"] == "99999"
    assert result.valid is False
    assert result.subscales["vas"] is None
