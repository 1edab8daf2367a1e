"""The entry point and the definitions as data (instruments.md conventions)."""

import dataclasses

import pytest

from painrehab.questionnaires.definitions.schema import LICENSED_ITEM_TEXT
from painrehab.questionnaires.scoring import CODES, ScoreResult, definition, score

EXPECTED_CODES = (
    "nprs",
    "tsk",
    "cpaq8",
    "eq5d5l",
    "hads",
    "isi",
    "lisat11",
    "mpi_s",
    "pcs",
    "wai",
    "obq11",
    "ompsq",
    "ompsq_short",
    "madrs",
    "madrs_s",
    "borg_rpe",
    "who5",
)
# instruments.md section 17: only NPRS and LiSat-11 text is shipped.
FREE_TEXT = {"nprs", "lisat11"}
ITEM_COUNTS = {
    "nprs": 1,
    "tsk": 17,
    "cpaq8": 8,
    "eq5d5l": 6,
    "hads": 14,
    "isi": 7,
    "lisat11": 11,
    "mpi_s": 52,
    "pcs": 13,
    "wai": 11,
    "obq11": 11,
    "ompsq": 25,
    "ompsq_short": 10,
    "madrs": 10,
    "madrs_s": 9,
    "borg_rpe": 1,
    "who5": 5,
}


def test_codes_are_exactly_those_of_instruments_md():
    assert CODES == EXPECTED_CODES


def test_unknown_code_raises():
    with pytest.raises(ValueError, match="unknown questionnaire code 'phq9'"):
        score("phq9", {1: 1})
    with pytest.raises(ValueError, match="phq9"):
        definition("phq9")


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_every_definition_is_complete_data(code):
    defn = definition(code)
    assert defn.code == code
    assert defn.version
    assert defn.source
    assert defn.licence
    assert defn.missing_rule.description
    assert len(defn.items) == ITEM_COUNTS[code]
    assert len({item.key for item in defn.items}) == len(defn.items)


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_licensed_text_is_never_shipped(code):
    defn = definition(code)
    assert defn.licensed_text is (code not in FREE_TEXT)
    for item in defn.items:
        if defn.licensed_text:
            assert item.text.startswith(LICENSED_ITEM_TEXT)
        else:
            assert LICENSED_ITEM_TEXT not in item.text


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_bands_do_not_overlap(code):
    for bands in (definition(code).bands, definition(code).subscale_bands):
        for lower, upper in zip(bands, bands[1:], strict=False):
            assert lower.upper == upper.lower


def test_result_is_frozen_and_carries_the_version():
    result = score("isi", dict.fromkeys(range(1, 8), 2))
    assert isinstance(result, ScoreResult)
    assert result.version == definition("isi").version
    assert result.code == "isi"
    with pytest.raises(dataclasses.FrozenInstanceError):
        # Ignored for mypy: the very assignment a frozen result refuses.
        result.total = 3  # type: ignore[misc]


def test_answers_may_omit_unanswered_items():
    assert score("isi", {1: 2}).valid is False


def test_hads_version_records_the_missing_item_policy():
    assert definition("hads").version == "1.0+prorate-max1"
