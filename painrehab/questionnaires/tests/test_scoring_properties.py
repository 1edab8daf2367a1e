"""Property tests over every instrument (hypothesis).

- Any valid answer set scores within the documented ranges.
- A result that is not valid never carries a total or a band.
- Raising one answer never lowers a score whose items point the same way after
  reversal (and never raises it for a reversed item). The item directions
  below are written out from instruments.md, not read from the definitions.
- A value outside an item's options raises ValueError naming the item.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painrehab.questionnaires.scoring import CODES, definition, score

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, database=None)

# Documented ranges (instruments.md section 18), independent of the definitions.
TOTAL_RANGES = {
    "nprs": (0, 10),
    "tsk": (17, 68),
    "cpaq8": (0, 48),
    "isi": (0, 28),
    "pcs": (0, 52),
    "wai": (7, 49),
    "obq11": (0, 33),
    "ompsq": (0, 210),
    "ompsq_short": (1, 100),
    "madrs": (0, 60),
    "madrs_s": (0, 54),
    "borg_rpe": (6, 20),
    "who5": (0, 25),
}
SUBSCALE_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "cpaq8": {"activity_engagement": (0, 24), "pain_willingness": (0, 24)},
    "hads": {"anxiety": (0, 21), "depression": (0, 21)},
    "pcs": {"rumination": (0, 16), "magnification": (0, 12), "helplessness": (0, 24)},
    "who5": {"percentage": (0, 100)},
    "eq5d5l": {
        "vas": (0, 100),
        "index_se_5l_2020": (0.2433, 0.9755),
        "index_se_5l_2022": (-0.314, 1.0),
    },
    "lisat11": {"mean_answered": (1, 6), "n_answered": (0, 11), "n_satisfied": (0, 11)},
}

# +1: raising the answer never lowers the scores; -1: never raises them;
# 0: not ordinal. Items not listed point +1. Written from instruments.md.
DIRECTIONS: dict[str, dict[int, int]] = {
    "tsk": {4: -1, 8: -1, 12: -1, 16: -1},
    "cpaq8": {4: -1, 5: -1, 7: -1, 8: -1},  # ascending CPAQ-20 layout
    "ompsq": {12: -1, 16: -1, 17: -1, 21: -1, 22: -1, 23: -1, 24: -1, 25: -1},
    "ompsq_short": {3: -1, 4: -1, 8: -1},
    "wai": {4: 0, 5: -1},  # job type is a category; more diseases, fewer points
    "eq5d5l": {6: 0},  # a higher level is worse health: see the EQ-5D test
}
MONOTONE_CODES = [code for code in CODES if code not in {"eq5d5l", "lisat11", "mpi_s"}]


def option_values(code: str, number: int) -> list:
    return [option.value for option in definition(code).item(number).options]


def scored_numbers(code: str) -> list[int]:
    return [item.number for item in definition(code).items if item.is_scored]


@st.composite
def complete_answers(draw, code: str) -> dict:
    return {
        number: draw(st.sampled_from(option_values(code, number)))
        for number in scored_numbers(code)
    }


@st.composite
def partial_answers(draw, code: str) -> dict:
    return {
        number: draw(st.none() | st.sampled_from(option_values(code, number)))
        for number in scored_numbers(code)
    }


def within(value, bounds) -> bool:
    low, high = bounds
    return low - 1e-9 <= value <= high + 1e-9


@pytest.mark.parametrize("code", CODES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_complete_answers_score_within_documented_ranges(code, data):
    result = score(code, data.draw(complete_answers(code)))
    if code == "mpi_s":
        assert result.valid is False
        return
    assert result.valid is True
    if code in TOTAL_RANGES:
        assert within(result.total, TOTAL_RANGES[code])
    else:
        assert result.total is None
    for key, bounds in SUBSCALE_RANGES.get(code, {}).items():
        assert within(result.subscales[key], bounds), key


@pytest.mark.parametrize("code", CODES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_partial_answers_are_in_range_or_say_why_not(code, data):
    answers = data.draw(partial_answers(code))
    result = score(code, answers)
    if not result.valid:
        assert result.reason
        assert result.total is None
        assert result.band == ""
    elif result.total is not None:
        assert within(result.total, TOTAL_RANGES[code])
    for key, bounds in SUBSCALE_RANGES.get(code, {}).items():
        value = result.subscales.get(key)
        assert value is None or within(value, bounds), key


def numeric_values(result) -> dict[str, float]:
    values = {"total": result.total, **result.subscales}
    return {k: v for k, v in values.items() if isinstance(v, int | float)}


@pytest.mark.parametrize("code", MONOTONE_CODES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_raising_one_answer_moves_scores_only_in_its_direction(code, data):
    answers = data.draw(complete_answers(code))
    number = data.draw(st.sampled_from(scored_numbers(code)))
    direction = DIRECTIONS.get(code, {}).get(number, 1)
    values = sorted(option_values(code, number))
    low, high = sorted(
        data.draw(
            st.lists(st.sampled_from(values), min_size=2, max_size=2, unique=True)
        )
    )
    before = numeric_values(score(code, {**answers, number: low}))
    after = numeric_values(score(code, {**answers, number: high}))
    for key, value in before.items():
        if direction == 1:
            assert after[key] >= value, key
        elif direction == -1:
            assert after[key] <= value, key


@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_worse_eq5d_level_never_raises_an_index(data):
    answers = data.draw(complete_answers("eq5d5l"))
    number = data.draw(st.integers(1, 5))
    low, high = sorted(
        data.draw(st.lists(st.integers(1, 5), min_size=2, max_size=2, unique=True))
    )
    before = score("eq5d5l", {**answers, number: low}).subscales
    after = score("eq5d5l", {**answers, number: high}).subscales
    for key in ("index_se_5l_2020", "index_se_5l_2022"):
        worse, better = after[key], before[key]
        assert worse is not None
        assert better is not None
        assert worse <= better


def outside(code: str, number: int):
    allowed = option_values(code, number)
    return (
        st.integers(-1000, 1000)
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(max_size=3)
    ).filter(lambda value: not _is_option(value, allowed))


def _is_option(value, allowed) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return False
    return value in allowed


@pytest.mark.parametrize("code", CODES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_values_outside_the_options_raise_naming_the_item(code, data):
    answers = data.draw(complete_answers(code))
    number = data.draw(st.sampled_from(scored_numbers(code)))
    value = data.draw(outside(code, number))
    with pytest.raises(ValueError, match=rf"{code} item {number}:"):
        score(code, {**answers, number: value})


@pytest.mark.parametrize("code", CODES)
def test_an_unknown_item_number_raises(code):
    extra = len(definition(code).items) + 1
    with pytest.raises(ValueError, match=rf"item {extra} is not an item"):
        score(code, {extra: 1})


@pytest.mark.parametrize("code", CODES)
def test_a_boolean_is_not_an_answer(code):
    number = scored_numbers(code)[0]
    with pytest.raises(ValueError, match=rf"{code} item {number}:"):
        score(code, {number: True})
