"""CPAQ-8: vectors from instruments.md section 3, pinned by content key.

AE = CPAQ-20 items 1, 6, 9, 15; PW = 13, 14, 17, 18, reversed (6 - answer).
"""

import pytest

from painrehab.questionnaires.definitions import cpaq8
from painrehab.questionnaires.scoring import definition, score, score_with

ASCENDING = cpaq8.build("cpaq20_ascending")
AE_FIRST = cpaq8.build("ae_first")


def by_source(defn, values_by_source):
    """Answers keyed by form position, from values keyed by CPAQ-20 number."""
    return {
        defn.item_number(f"cpaq20_{source}"): value
        for source, value in values_by_source.items()
    }


VECTOR_B = {1: 5, 6: 4, 9: 6, 15: 2, 13: 1, 14: 0, 17: 2, 18: 6}


@pytest.mark.parametrize("defn", [ASCENDING, AE_FIRST], ids=["ascending", "ae"])
def test_all_threes(defn):
    result = score_with(defn, by_source(defn, dict.fromkeys(VECTOR_B, 3)))
    assert result.subscales == {"activity_engagement": 12, "pain_willingness": 12}
    assert result.total == 24


@pytest.mark.parametrize("defn", [ASCENDING, AE_FIRST], ids=["ascending", "ae"])
def test_vector_b_by_content_key(defn):
    # AE 5+4+6+2 = 17; PW (6-1)+(6-0)+(6-2)+(6-6) = 15
    result = score_with(defn, by_source(defn, VECTOR_B))
    assert result.subscales == {"activity_engagement": 17, "pain_willingness": 15}
    assert result.total == 32
    assert result.valid is True


def test_vector_b_in_ascending_form_order_is_the_default():
    result = score("cpaq8", {1: 5, 2: 4, 3: 6, 4: 1, 5: 0, 6: 2, 7: 2, 8: 6})
    assert result.subscales["activity_engagement"] == 17
    assert result.subscales["pain_willingness"] == 15
    assert result.total == 32


def test_vector_b_in_ae_first_form_order():
    answers = {1: 5, 2: 4, 3: 6, 4: 2, 5: 1, 6: 0, 7: 2, 8: 6}
    result = score_with(AE_FIRST, answers)
    assert result.total == 32
    assert result.subscales["activity_engagement"] == 17
    assert result.version == "1.0+ae_first"


def test_all_six_and_all_zero_have_equal_totals_but_opposite_subscales():
    sixes = score("cpaq8", dict.fromkeys(range(1, 9), 6))
    zeros = score("cpaq8", dict.fromkeys(range(1, 9), 0))
    assert sixes.subscales == {"activity_engagement": 24, "pain_willingness": 0}
    assert zeros.subscales == {"activity_engagement": 0, "pain_willingness": 24}
    assert sixes.total == zeros.total == 24


def test_missing_pw_item_keeps_ae_but_no_total():
    answers = by_source(ASCENDING, {**VECTOR_B, 17: None})
    result = score("cpaq8", answers)
    assert result.valid is False
    assert result.total is None
    assert result.subscales == {
        "activity_engagement": 17,
        "pain_willingness": None,
    }


def test_nothing_answered_is_not_computable():
    result = score("cpaq8", {})
    assert result.valid is False
    assert result.total is None


def test_seven_raises_naming_the_item():
    with pytest.raises(ValueError, match="cpaq8 item 3: 7"):
        score("cpaq8", {3: 7})


def test_default_layout_reverses_positions_4_5_7_8():
    assert definition("cpaq8").reversed_items == (4, 5, 7, 8)
    assert AE_FIRST.reversed_items == (5, 6, 7, 8)
