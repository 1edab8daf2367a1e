"""LiSat-11: vectors from instruments.md section 7, computed by hand."""

import pytest

from painrehab.questionnaires.scoring import score

KEYS = [
    "life_as_a_whole",
    "vocation",
    "finances",
    "leisure",
    "contacts_with_friends",
    "sexual_life",
    "self_care",
    "family_life",
    "partner_relationship",
    "physical_health",
    "psychological_health",
]


def answers(values):
    return dict(enumerate(values, start=1))


def satisfied_items(result):
    return [
        KEYS.index(key) + 1
        for key, band in result.subscale_bands.items()
        if band == "satisfied"
    ]


def test_vector_a_with_partner_not_applicable():
    result = score("lisat11", answers([5, 4, 3, 6, 5, 2, 6, 5, None, 3, 4]))
    assert result.valid is True
    assert result.total is None
    assert satisfied_items(result) == [1, 4, 5, 7, 8]
    assert result.subscales["n_satisfied"] == 5
    assert result.subscales["n_answered"] == 10
    assert result.subscales["mean_answered"] == pytest.approx(4.3)
    assert result.subscales["partner_relationship"] is None
    assert "partner_relationship" not in result.subscale_bands


def test_vector_b_complete():
    result = score("lisat11", answers([5, 4, 5, 6, 5, 3, 6, 5, 4, 4, 3]))
    assert satisfied_items(result) == [1, 3, 4, 5, 7, 8]
    assert result.subscales["n_satisfied"] == 6
    assert result.subscales["n_answered"] == 11
    not_satisfied = [
        KEYS.index(k) + 1
        for k, band in result.subscale_bands.items()
        if band == "not_satisfied"
    ]
    assert not_satisfied == [2, 6, 9, 10, 11]
    assert result.subscales["life_as_a_whole"] == 5


def test_nothing_answered_is_invalid():
    result = score("lisat11", answers([None] * 11))
    assert result.valid is False
    assert result.subscales["n_answered"] == 0
    assert result.subscales["mean_answered"] is None


@pytest.mark.parametrize("value", [0, 7])
def test_values_outside_one_to_six_raise(value):
    with pytest.raises(ValueError, match=f"lisat11 item 4: {value}"):
        score("lisat11", {4: value})
